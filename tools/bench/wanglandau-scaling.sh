#!/usr/bin/env bash
# How the cost of xorscape-wanglandau grows: wall time to ln f = LNF (Wang-Landau only, no
# production run) against n_h, against the number of bins, and against MPI ranks, with the in-run
# step rate and the time per replica-exchange round spent outside the walkers' steps (sharing walkers
# between ranks and the exchanges: the file's exchange_seconds / rounds) and its share of the run. Prints a table (tab-separated) and keeps it in
# OUT/scaling.tsv; every run's file stays in OUT for inspection.
#
# Usage: tools/bench/wanglandau-scaling.sh [--quick] [--lnf X] [--out DIR] [--bin BUILD]
#   default: n_h 1 2 4 8 16 32 64 at 1000 bins, bins 250 ... 8000 at n_h = 2, ranks 1 2 4 (n_h = 2,
#            4 windows), ln f to 1e-8 (hours at the largest n_h on 2 cores)
#   --quick: n_h 1 2 4 8, bins 250 1000 4000, ranks 1 2 4, ln f to 1e-5 (minutes)
# Ranks above the number of cores are oversubscribed (mpirun --oversubscribe): they show the cost of
# the exchanges, not a speed-up. Every run uses --threads 1 per rank, 2 windows x 1 run unless noted.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$root/build" OUT="wanglandau-scaling" LNF=1e-8 quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; LNF=1e-5 ;;
    --lnf) LNF="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --bin) BIN="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "wanglandau-scaling: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
TOOL="$BIN/xorscape-wanglandau" EXPORT="$BIN/xorscape-export"
[ -x "$TOOL" ] || { echo "wanglandau-scaling: --bin: no $TOOL (build first)" >&2; exit 2; }
mkdir -p "$OUT"
if [ "$quick" = 1 ]; then hidden=(1 2 4 8); binnings=(250 1000 4000); else hidden=(1 2 4 8 16 32 64); binnings=(250 500 1000 2000 4000 8000); fi
MPIRUN=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
table="$OUT/scaling.tsv"
printf 'series\tn_h\tbins\tranks\twindows\twall_s\tsteps\tsteps_per_s\trounds\texchange_ms_per_round\texchange_share\n' | tee "$table"

one() {  # one SERIES N_H BINS RANKS WINDOWS
  local series="$1" nh="$2" bins="$3" ranks="$4" windows="$5"
  local out="$OUT/${series}_nh${nh}_bins${bins}_ranks${ranks}.h5"
  local cmd=("$TOOL" --n-hidden "$nh" --bins "$bins" --windows "$windows" --runs 1 --lnf-final "$LNF"
             --production-sweeps 0 --threads 1 --seed 1 --checkpoint-every 3600 --force -o "$out")
  [ "$ranks" -gt 1 ] && cmd=("${MPIRUN[@]}" -np "$ranks" "${cmd[@]}")
  "${cmd[@]}" >/dev/null 2>"$out.err" || { echo "wanglandau-scaling: failed: ${cmd[*]}: $(tail -n 2 "$out.err")" >&2; return; }
  local wall steps rounds exchange
  wall=$("$EXPORT" "$out" --attribute wall_seconds)
  steps=$("$EXPORT" "$out" --attribute total_steps)
  rounds=$("$EXPORT" "$out" --attribute rounds)
  exchange=$("$EXPORT" "$out" --attribute exchange_seconds)
  awk -v se="$series" -v nh="$nh" -v b="$bins" -v r="$ranks" -v w="$windows" -v t="$wall" -v s="$steps" -v n="$rounds" -v x="$exchange" \
    'BEGIN { printf "%s\t%s\t%s\t%s\t%s\t%.2f\t%.0f\t%.3g\t%s\t%.3f\t%.2f%%\n", se, nh, b, r, w, t, s, s / t, n,
             (n > 0 ? 1000 * x / n : 0), 100 * x / t }' | tee -a "$table"
}

for nh in "${hidden[@]}"; do one n_h "$nh" 1000 1 2; done
for bins in "${binnings[@]}"; do one bins 2 "$bins" 1 2; done
if command -v mpirun >/dev/null && "$TOOL" --version | grep -q "MPI: Open MPI"; then
  for ranks in 1 2 4; do one ranks 2 1000 "$ranks" 4; done
else
  echo "wanglandau-scaling: this build has no MPI; the ranks series is left out" >&2
fi
