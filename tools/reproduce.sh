#!/usr/bin/env bash
# The main job: installs what is missing, builds, runs every tool at a quick default scale
# (a few minutes on 2 cores) and renders every figure into the output folder.
# Usage: tools/reproduce.sh [--full] [--out DIR] [--force]
#   --full   paper scale (hours); steps that finished are skipped, interrupted ones resume
#   --tiny   seconds-scale smoke run of the whole pipeline (used by the tests)
#   --out    output folder (default: reproduce-out)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
FULL=0
TINY=0
OUT="$root/reproduce-out"
FORCE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --tiny) TINY=1 ;;
    --out) OUT="$2"; shift ;;
    --force) FORCE="--force" ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "reproduce.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
cd "$root"
bash tools/install-deps.sh
echo "== building" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mkdir -p "$OUT/figures"
OUT=$(cd "$OUT" && pwd)
BIN="$root/build"
PY=/usr/bin/python3
export FULL TINY OUT BIN PY FORCE root
# Each step is a script in tools/reproduce.d, run in name order. A step skips work whose
# output already exists (so a second --full invocation continues where the first stopped).
start=$(date +%s)
for step in tools/reproduce.d/*.sh; do
  [ -e "$step" ] || continue
  echo "== step $(basename "$step" .sh) ($(( $(date +%s) - start )) s elapsed)" >&2
  bash "$step"
done
echo "== done in $(( $(date +%s) - start )) s; results in $OUT" >&2
