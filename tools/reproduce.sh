#!/usr/bin/env bash
# The main job: installs what is missing, builds, runs every tool at a quick default scale
# (about five minutes on 2 cores) and renders every figure, then writes REPORT.md.
# Usage: tools/reproduce.sh [--full | --tiny] [--out DIR] [--force] [--only STEP[,STEP...]]
#   --full   paper scale (hours); a second invocation skips finished steps and resumes interrupted ones
#   --tiny   seconds-scale smoke run of the whole pipeline (used by the tests)
#   --out    output folder (default: reproduce-out, or reproduce-full with --full)
#   --force  recompute results that already exist in the output folder
#   --only   run only the named steps (e.g. --only slice,trajectory), plus the report
#   --bin    use the tools already built in DIR (no install, no build; used by the tests)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
FULL=0
TINY=0
OUT=""
FORCE=""
ONLY=""
BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --tiny) TINY=1 ;;
    --out) [ $# -ge 2 ] || { echo "reproduce.sh: --out needs a folder" >&2; exit 2; }; OUT="$2"; shift ;;
    --force) FORCE="--force" ;;
    --only) [ $# -ge 2 ] || { echo "reproduce.sh: --only needs step names" >&2; exit 2; }; ONLY="$2"; shift ;;
    --bin) [ $# -ge 2 ] || { echo "reproduce.sh: --bin needs a folder" >&2; exit 2; }; BIN="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "reproduce.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$FULL" = 1 ] && [ "$TINY" = 1 ]; then echo "reproduce.sh: --full and --tiny exclude each other" >&2; exit 2; fi
[ -n "$OUT" ] || { [ "$FULL" = 1 ] && OUT="$root/reproduce-full" || OUT="$root/reproduce-out"; }
cd "$root"
if [ -z "$BIN" ]; then
  bash tools/install-deps.sh
  echo "== building (Release)" >&2
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)" >/dev/null
  BIN="$root/build"
elif [ ! -x "$BIN/xorscape-export" ]; then
  echo "reproduce.sh: --bin: '$BIN' holds no built xorscape tools" >&2; exit 2
fi
BIN=$(cd "$BIN" && pwd)
mkdir -p "$OUT/figures" "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
PY=/usr/bin/python3
export FULL TINY OUT BIN PY FORCE root
scale=quick; [ "$FULL" = 1 ] && scale=full; [ "$TINY" = 1 ] && scale=tiny
echo "$scale" >"$OUT/SCALE"

# Each step is a script tools/reproduce.d/NN-NAME.sh, run in name order. A step skips work whose
# output already exists (so a second --full invocation continues where the first stopped).
# A line "# seconds: QUICK FULL" in a step gives its expected duration, for the ETA shown here.
steps=()
for step in tools/reproduce.d/*.sh; do
  [ -e "$step" ] || continue
  name=$(basename "$step" .sh); name=${name#*-}
  if [ -n "$ONLY" ] && [ "$name" != report ] && [[ ",$ONLY," != *",$name,"* ]]; then continue; fi
  steps+=("$step")
done
expected_seconds() {  # expected_seconds STEP
  local line; line=$(grep -m1 '^# seconds:' "$1" || true)
  set -- $line
  if [ "$TINY" = 1 ]; then echo 5; elif [ "$FULL" = 1 ]; then echo "${4:-600}"; else echo "${3:-30}"; fi
}
remaining=0
for step in "${steps[@]}"; do remaining=$(( remaining + $(expected_seconds "$step") )); done
start=$(date +%s)
failed=()
i=0
for step in "${steps[@]}"; do
  i=$(( i + 1 ))
  name=$(basename "$step" .sh)
  expect=$(expected_seconds "$step")
  printf '== [%d/%d] %s  (%d s elapsed, about %d s to go at %s scale)\n' \
    "$i" "${#steps[@]}" "$name" "$(( $(date +%s) - start ))" "$remaining" "$scale" >&2
  step_start=$(date +%s)
  if bash "$step" >"$OUT/logs/$name.log" 2>&1; then
    printf '   %s done in %d s\n' "$name" "$(( $(date +%s) - step_start ))" >&2
  else
    failed+=("$name")
    printf '   %s FAILED after %d s; last lines of %s:\n' "$name" "$(( $(date +%s) - step_start ))" "$OUT/logs/$name.log" >&2
    tail -n 15 "$OUT/logs/$name.log" | sed 's/^/     /' >&2
  fi
  remaining=$(( remaining > expect ? remaining - expect : 0 ))
done
echo "== done in $(( $(date +%s) - start )) s; results in $OUT (report: $OUT/REPORT.md, logs: $OUT/logs)" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "reproduce.sh: steps failed: ${failed[*]}" >&2
  exit 1
fi
