#!/usr/bin/env bash
# Step 25: basins of attraction on Fig. 6(a)'s plane (b1_1, b2_1 around solution #1, +-20):
# full-space gradient flow from every grid point to its end, labelled by solution class up to
# symmetry, trapping level or still moving (xorscape-slice --basins, resumable).
#   basins-fig6a.h5   quick: 61 x 61; FULL: 201 x 201; TINY: 15 x 15 with flow time 3e4
# Figures (OUT/figures): basins-fig6a (Python: label map with legend, end loss, arrival time),
# basins-fig6a-gnuplot.png (label map with legend, end loss). REPORT row: plots/report_slice.py.
# seconds: 80 400
set -euo pipefail
: "${OUT:?}" "${BIN:?}" "${PY:?}" "${root:?}"
FULL=${FULL:-0}
TINY=${TINY:-0}
mkdir -p "$OUT/figures"
if [ "$TINY" = 1 ]; then res=15; budget=(--flow-time 3e4)
elif [ "$FULL" = 1 ]; then res=201; budget=()
else res=61; budget=()
fi
file="$OUT/basins-fig6a.h5"
if [ -e "$file" ] && [ -z "${FORCE:-}" ]; then
  echo "25-basins: $(basename "$file") exists, skipped" >&2
else
  resume=()
  [ -e "$file.checkpoint.h5" ] && [ -z "${FORCE:-}" ] && resume=(--resume)
  echo "25-basins: basin map of Fig. 6(a)'s plane at ${res}^2" >&2
  "$BIN/xorscape-slice" --basins --center 1 --pair b1_1,b2_1 --range -20:20 --resolution "$res" "${budget[@]}" \
    "${resume[@]}" ${FORCE:+--force} -o "$file"
fi
"$PY" "$root/plots/slice_basins.py" "$file" -o "$OUT/figures/basins-fig6a"
gnuplot -e "file='$file'; out='$OUT/figures/basins-fig6a-gnuplot.png'; export='$BIN/xorscape-export'" \
  "$root/plots/slice_basins.gp"
