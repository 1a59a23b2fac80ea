#!/usr/bin/env bash
# Step 40: microcanonical entropy S(L) (dissecting paper, section 3.4, Figure 8).
# Quick default (FULL=0): n_h in {1,2,3,4,6,10,18}, box R = 20 (where the paper's peaks at
#   L = 0, 1/4, 1/2, 3/4, 1 all appear; at R = 10 those at 0, 3/4 and 1 are weak or absent),
#   1000 bins and Wang-Landau to ln f = 1e-8 as in the paper, but 2 windows, 2 runs (FULL: 4, 4) and
#   2e5 production sweeps (FULL: 1e6); simple sampling 1e8 points (FULL: 1e9); n_h = 2 runs 4 times
#   and is compared with simple sampling (--compare: chi2/dof, fraction within 2 sigma, stored in
#   its /comparison): its 4 runs took 35 s of CPU against 17.6 s for 2 (measured beside other
#   builds; the whole step was not re-timed).
# FULL=1: paper scale: 1000 bins, ln f = 1e-8, 4 windows, 4 runs, 1e6 production sweeps; 1e9
#   simple-sampling points (minutes at R = 20 on 2 cores); box-dependence runs at R = 5 and 10 for
#   n_h = 2 (these converge far more slowly: possibly hours). Resumable: finished files are
#   skipped, interrupted runs continue from their checkpoint (--resume, given only when
#   OUTPUT.checkpoint.h5 exists: without one the tools refuse it).
# TINY=1: seconds-scale smoke run (3 values of n_h, 60 bins, ln f = 1e-3).
# seconds: 75 3600
set -euo pipefail
dir="$OUT/entropy"
mkdir -p "$dir" "$OUT/figures"
threads=$(nproc)
if [ "${FULL:-0}" = 1 ]; then
  NH="1 2 3 4 6 10 18"; BINS=1000; LNF=1e-8; RUNS=4; PROD=1e6; SAMPLES=1e9; BOXES="5 10"; WINDOWS=4; RUNS2=4
elif [ "${TINY:-0}" = 1 ]; then
  NH="1 2 18"; BINS=60; LNF=1e-3; RUNS=2; PROD=2e3; SAMPLES=2e5; BOXES=""; WINDOWS=2; RUNS2=2
else
  NH="1 2 3 4 6 10 18"; BINS=1000; LNF=1e-8; RUNS=2; PROD=2e5; SAMPLES=1e8; BOXES=""; WINDOWS=2; RUNS2=4
fi
echo "entropy: n_h = $NH, $BINS bins, ln f -> $LNF, $RUNS runs, box R = 20$([ "${FULL:-0}" = 1 ] || echo ' (reduced scale: 2 runs and 2 windows; FULL=1 for 4 and 4, and the box-dependence runs)')" >&2
resume() {  # resume OUTPUT: the option that continues an interrupted run of OUTPUT, if there is one
  if [ -e "$1.checkpoint.h5" ]; then echo --resume; fi
}
wl() {  # wl OUTPUT ARGS...: skip finished files, resume interrupted ones
  local out="$1"; shift
  if [ -e "$out" ] && [ ! -e "$out.checkpoint.h5" ]; then echo "entropy: $out exists, skipped" >&2; return; fi
  "$BIN/xorscape-wanglandau" "$@" --runs "$RUNS" --bins "$BINS" --lnf-final "$LNF" --windows "$WINDOWS" \
    --production-sweeps "$PROD" --threads "$threads" $(resume "$out") -o "$out"
}
# Simple sampling first: the n_h = 2 Wang-Landau run compares itself with it.
ss="$dir/simplesample_nh2.h5"
if [ ! -e "$ss" ] || [ -e "$ss.checkpoint.h5" ]; then
  "$BIN/xorscape-simplesample" --n-hidden 2 --box 20 --bins "$BINS" --samples "$SAMPLES" \
    --threads "$threads" --seed 7 $(resume "$ss") -o "$ss"
fi
files=()
for n in $NH; do
  if [ "$n" = 2 ]; then
    RUNS="$RUNS2" wl "$dir/wanglandau_nh$n.h5" --n-hidden "$n" --box 20 --seed $((100 + n)) --compare "$ss"
  else
    wl "$dir/wanglandau_nh$n.h5" --n-hidden "$n" --box 20 --seed $((100 + n))
  fi
  files+=("$dir/wanglandau_nh$n.h5")
done
for R in $BOXES; do
  wl "$dir/wanglandau_nh2_box$R.h5" --n-hidden 2 --box "$R" --seed 200
done
"$PY" "$root/plots/entropy_figures.py" "${files[@]}" "$ss" -o "$OUT/figures/entropy" >&2
if command -v gnuplot >/dev/null; then
  bash "$root/plots/entropy_figures.sh" "$BIN" "$OUT/figures" "$ss" "${files[@]}" >&2
fi
