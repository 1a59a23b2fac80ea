#!/usr/bin/env bash
# Step 20: loss-landscape cross-sections (dissecting paper, section 3.3; Figures 6 and 7).
#   slice-all.h5   all 36 planes around solution #1, 1001 x 1001, nonrandomized, with --bench
#                  (kernel rates and end-to-end timing in /bench)      [TINY: 41 x 41, no bench]
#   slice-fig7.h5  plane (b1_1, b2_1), randomized batches, K = 100 scans
#                  quick: 401 x 401; FULL: 1001 x 1001                 [TINY: 41 x 41, K = 10]
#   slice-fig6.h5  the six Figure 6 planes, range +-20, nonrandomized, for the trajectory step
#                  quick: 401 x 401; FULL: 1001 x 1001                 [TINY: 41 x 41]
#   slice-sol125.h5  the plane through published solutions 1, 2, 5 (--directions points) with
#                  curvature maps; quick: 401 x 401; FULL: 1001 x 1001   [TINY: 41 x 41]
#   slice-line12.h5  the line from solution 1 to solution 2 (t in [-0.5, 1.5]), 2001 points
# Figures (OUT/figures): slice-sol125, slice-line12 (Python; slice-sol125-gnuplot), slice-fig7 (Python, gnuplot), slice-contact-sheet (Python, gnuplot),
# slice-fig6-planes (Python; Figure 6 without trajectories).
# seconds: 30 120
set -euo pipefail
: "${OUT:?}" "${BIN:?}" "${PY:?}" "${root:?}"
FULL=${FULL:-0}
TINY=${TINY:-0}
force=${FORCE:-}
mkdir -p "$OUT/figures"
if [ "$TINY" = 1 ]; then
  all_res=41; res=41; scans=10; bench=""
elif [ "$FULL" = 1 ]; then
  all_res=1001; res=1001; scans=100; bench="--bench"
else
  all_res=1001; res=401; scans=100; bench="--bench"
fi
# The paper names the planes of Figure 6(a)-(c) through its trajectories; (d)-(f) are our
# choice of planes with the features the text describes (see docs/xorscape-slice.md).
fig6_planes="b1_1,b2_1;w2_12,b1_2;w1_22,b1_1;w2_11,w2_12;w1_11,w1_12;b1_1,b1_2"  # same as 30-trajectory.sh

# A slice is not resumable (docs/xorscape-slice.md): a stopped run left nothing and is redone.
run() {  # run FILE ARGS...: skipped when FILE exists (unless FORCE)
  local file="$1"; shift
  if [ -e "$OUT/$file" ] && [ -z "$force" ]; then echo "20-slice: $file exists, skipped" >&2; return; fi
  "$BIN/xorscape-slice" "$@" -o "$OUT/$file" ${force:+--force}
}
echo "20-slice: all 36 planes at ${all_res}^2, Fig. 7 at ${res}^2 with K = $scans scans, Fig. 6 planes at ${res}^2" \
     "$( [ "$FULL" = 1 ] || echo '(quick scale: Figs 6/7 at 401^2 instead of 1001^2; --full for paper scale)')" >&2
run slice-all.h5 --center 1 --pairs all --resolution "$all_res" --range -15:15 $bench
run slice-fig7.h5 --center 1 --pair b1_1,b2_1 --resolution "$res" --range -15:15 --batch randomized --scans "$scans" --seed 1
run slice-fig6.h5 --center 1 --pairs "$fig6_planes" --resolution "$res" --range -20:20
run slice-sol125.h5 --directions points --points "1;2;5" --curvature --resolution "$res"
run slice-line12.h5 --directions points --points "1;2" --curvature --resolution 2001

figures="$OUT/figures"
"$PY" "$root/plots/slice_fig7.py" "$OUT/slice-fig7.h5" -o "$figures/slice-fig7"
"$PY" "$root/plots/slice_contact_sheet.py" "$OUT/slice-all.h5" -o "$figures/slice-contact-sheet"
"$PY" "$root/plots/slice_planes.py" "$OUT/slice-fig6.h5" -o "$figures/slice-fig6-planes"
gnuplot -e "file='$OUT/slice-fig7.h5'; out='$figures/slice-fig7-gnuplot.png'; export='$BIN/xorscape-export'" \
  "$root/plots/slice_fig7.gp"
gnuplot -e "file='$OUT/slice-all.h5'; out='$figures/slice-contact-sheet-gnuplot.png'; export='$BIN/xorscape-export'" \
  "$root/plots/slice_contact_sheet.gp"
"$PY" "$root/plots/slice_directions.py" "$OUT/slice-sol125.h5" -o "$figures/slice-sol125"
"$PY" "$root/plots/slice_directions.py" "$OUT/slice-line12.h5" -o "$figures/slice-line12"
gnuplot -e "file='$OUT/slice-sol125.h5'; out='$figures/slice-sol125-gnuplot.png'; export='$BIN/xorscape-export'" \
  "$root/plots/slice_directions.gp"
