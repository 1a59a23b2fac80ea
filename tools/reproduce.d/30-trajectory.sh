#!/usr/bin/env bash
# Figure 6: six slices around solution #1 with the paper's gradient trajectories (and a few of
# ours in the three planes the paper does not name), by gradient descent and by gradient flow.
#   slice:   $OUT/slice-fig6.h5 when the slice step wrote it, else $OUT/fig6-landscape.h5 made
#            here with $BIN/xorscape-slice (skipped when present)
#   paths:   $OUT/fig6.h5 = the slice plus trajectories (built in a temporary, renamed at the end;
#            skipped when present)
#   figures: $OUT/figures/fig6_trajectories.{png,pdf} (Python), fig6_trajectories_gnuplot.png
#   pca:     $OUT/pca-path.h5, a converging full-space gradient-descent run from a small start, and
#            $OUT/slice-pca.h5, the plane of its first two principal components with the path
#            projected onto it and curvature maps (xorscape-slice --directions pca); figure slice-pca
# Scale: FULL=1 runs gradient descent for the paper's 6e7 epochs; the quick default caps
# gradient descent at 3e6 epochs (enough for every case but the slowest trapped one, which the
# flow carries to the full 6e7-epoch horizon); TINY=1 caps it at 2e5 and uses a coarse grid.
# seconds: 20 180
set -euo pipefail
: "${OUT:?}" "${BIN:?}" "${PY:=/usr/bin/python3}" "${root:=$(cd "$(dirname "$0")/../.." && pwd)}"
FULL=${FULL:-0}
TINY=${TINY:-0}
PLANES="b1_1,b2_1;w2_12,b1_2;w1_22,b1_1;w2_11,w2_12;w1_11,w1_12;b1_1,b1_2"
if [ "$FULL" = 1 ]; then GD_EPOCHS=6e7; RESOLUTION=1001
elif [ "$TINY" = 1 ]; then GD_EPOCHS=2e5; RESOLUTION=41
else GD_EPOCHS=3e6; RESOLUTION=401
fi
FLOW_EPOCHS=6e7
mkdir -p "$OUT/figures"

# ---- the slice
if [ -e "$OUT/slice-fig6.h5" ]; then
  landscape="$OUT/slice-fig6.h5"
else
  landscape="$OUT/fig6-landscape.h5"
  if [ ! -e "$landscape" ]; then
    if [ -x "$BIN/xorscape-slice" ]; then
      "$BIN/xorscape-slice" --center 1 --pairs "$PLANES" --range -20:20 --resolution "$RESOLUTION" -o "$landscape"
    else
      echo "30-trajectory: $BIN/xorscape-slice is not built; the slices come from tests/trajectory_slice_fixture.py" >&2
      "$PY" "$root/tests/trajectory_slice_fixture.py" "$landscape.tmp" --pairs "$PLANES" --range=-20:20 \
        --resolution "$RESOLUTION"
      mv "$landscape.tmp" "$landscape"
    fi
  fi
fi

# ---- the trajectories: the paper's five starts, three planes, plus starts of ours in (d)-(f)
fig="$OUT/fig6.h5"
if [ -e "$fig" ] && [ -z "${FORCE:-}" ]; then
  echo "30-trajectory: $fig exists, trajectories skipped" >&2
else
  partial="$OUT/fig6.partial.h5"
  # A stopped earlier attempt is redone from the slice (its checkpoint covers one --into call only).
  rm -f "$partial" "$partial.checkpoint.h5"
  cp "$landscape" "$partial"
  add() {  # add PLANE STARTS
    "$BIN/xorscape-trajectory" --into "$partial" --pair "$1" --start="$2" --integrator gd --epochs "$GD_EPOCHS"
    "$BIN/xorscape-trajectory" --into "$partial" --pair "$1" --start="$2" --integrator flow --epochs "$FLOW_EPOCHS"
  }
  add b1_1,b2_1 "-7.4,8.9;15.0,-2.0"      # paper 6(a): converges via L=0.25; trapped in the 0.25 trench
  add w2_12,b1_2 "12.5,-12.5"             # paper 6(b): behind the barrier, converges
  add w1_22,b1_1 "-5.0,10.0;-3.0,10.0"    # paper 6(c): converges; trapped just below L=0.5
  add w2_11,w2_12 "-8.0,-12.0;12.0,8.0"   # ours
  add w1_11,w1_12 "10.0,10.0;12.0,-8.0"   # ours
  add b1_1,b1_2 "-10.0,10.0"              # ours
  mv "$partial" "$fig"
fi

# ---- Figure 6, Python and gnuplot
"$PY" "$root/plots/fig6_trajectories.py" "$fig" -o "$OUT/figures/fig6_trajectories"
gnuplot -e "file='$fig'; bin='$BIN'; out='$OUT/figures/fig6_trajectories_gnuplot.png'" "$root/plots/fig6_trajectories.gp"
echo "30-trajectory: gradient descent ran at most $GD_EPOCHS epochs (paper: 6e7), the flow to $FLOW_EPOCHS" >&2

# ---- the PCA plane of a converging full-space run (Li et al.'s trajectory plot; issue 14)
PCA_START="w1_11=1.2,w1_12=-0.8,w1_21=-0.6,w1_22=1.1,b1_1=0.3,b1_2=-0.2,w2_11=0.7,w2_12=-0.9,b2_1=0.1"
[ -e "$OUT/pca-path.h5" ] || "$BIN/xorscape-trajectory" --start-params "$PCA_START" --integrator gd --epochs 1e5 \
  -o "$OUT/pca-path.h5" >/dev/null
[ -e "$OUT/slice-pca.h5" ] || "$BIN/xorscape-slice" --directions pca --path "$OUT/pca-path.h5" --curvature \
  --resolution "$RESOLUTION" -o "$OUT/slice-pca.h5" >/dev/null
"$PY" "$root/plots/slice_directions.py" "$OUT/slice-pca.h5" -o "$OUT/figures/slice-pca"
