#!/usr/bin/env bash
# Training dynamics (dissecting paper, sections 3.1-3.2, Figures 2-5): xorscape-train and
# xorscape-converge, then the figures. Environment from tools/reproduce.sh: FULL, TINY, OUT,
# BIN, PY, FORCE, root. A file that exists is not recomputed (so --full continues).
# seconds: 40 1800
set -euo pipefail
FIG="$OUT/figures"
mkdir -p "$FIG"
if [ "${TINY:-0}" = 1 ]; then
  scale="TINY (smoke test: seconds)"
  fig2_etas=0.1,1; fig2_epochs=200000; n18_epochs=20000; n18_etas=0.1
  drift_epochs=200000; seeds=4; gamma_seeds=2; gamma_epochs=300000
  sweep=0.01:10:6; sweep_seeds=2; sweep_epochs=100000
  adam_seeds=4; plateau_runs=2; conv_runs=2; conv_res=9; conv_epochs=5000
elif [ "${FULL:-0}" = 1 ]; then
  scale="FULL (paper scale)"
  fig2_etas=0.01,0.03,0.1,0.3,1,3,10; fig2_epochs=10000000; n18_epochs=10000000; n18_etas=0.1,0.3,1
  drift_epochs=10000000; seeds=100; gamma_seeds=20; gamma_epochs=10000000
  sweep=0.001:30:60; sweep_seeds=10; sweep_epochs=5000000
  adam_seeds=100; plateau_runs=100; conv_runs=100; conv_res=161; conv_epochs=1000000
else
  scale="quick default (reduced: fewer seeds, learning rates, shifts and epochs than --full)"
  fig2_etas=0.03,0.1,1,10; fig2_epochs=3000000; n18_epochs=10000000; n18_etas=0.1
  drift_epochs=1000000; seeds=16; gamma_seeds=8; gamma_epochs=3000000
  sweep=0.001:30:25; sweep_seeds=4; sweep_epochs=5000000
  adam_seeds=16; plateau_runs=16; conv_runs=8; conv_res=81; conv_epochs=100000
fi
echo "10-train: $scale" >&2
T="$BIN/xorscape-train"
C="$BIN/xorscape-converge"
run() {  # run FILE command...: skipped when FILE exists (unless FORCE)
  local file="$1"; shift
  if [ -e "$file" ] && [ -z "${FORCE:-}" ]; then echo "10-train: $(basename "$file") exists, kept" >&2; return; fi
  if [ -e "$file.checkpoint.h5" ]; then "$@" -o "$file" --resume; else "$@" -o "$file" ${FORCE:+--force}; fi
}
# Figure 2: loss curves for several learning rates (n_h = 2) and n_h = 18, no early stop.
run "$OUT/train_fig2_nh2.h5" "$T" --eta-sweep "$fig2_etas" --threshold 0 --epochs "$fig2_epochs"
run "$OUT/train_fig2_nh18.h5" "$T" --n-hidden 18 --eta-sweep "$n18_etas" --threshold 0 --epochs "$n18_epochs"
# Figures 3 and 4: one run at eta = 0.1 followed past convergence (the parameters keep drifting).
run "$OUT/train_drift.h5" "$T" --eta 0.1 --threshold 0 --epochs "$drift_epochs" --record full
# Convergence epoch over seeds at eta = 0.1 (randomized batches, default init).
run "$OUT/train_seeds.h5" "$T" --seeds "$seeds" --eta 0.1 --epochs 1000000 --record loss
# gamma over seeds (n_h = 2, eta = 0.1): long runs without early stop.
run "$OUT/train_gamma.h5" "$T" --seeds "$gamma_seeds" --eta 0.1 --threshold 0 --epochs "$gamma_epochs" --record loss
# Learning-rate interval of convergence.
run "$OUT/train_sweep.h5" "$T" --eta-sweep "$sweep" --seeds "$sweep_seeds" --epochs "$sweep_epochs"
# Adam and full-batch gradient descent on the same seeds as train_seeds.h5.
run "$OUT/train_adam.h5" "$T" --optimizer adam --eta 0.01 --seeds "$adam_seeds" --epochs 1000000 --record loss
run "$OUT/train_gd.h5" "$T" --optimizer gd --eta 0.1 --seeds "$adam_seeds" --epochs 1000000 --record loss
# Figure 5: tau_conv(Delta) for all nine parameters of solution 1.
run "$OUT/train_converge.h5" "$C" --center 1 --range -10:10 --resolution "$conv_res" --runs "$conv_runs" \
  --epochs "$conv_epochs"
# The plateau edges of Fig 5 on a finer grid (step 0.1) for the three parameters the paper names.
run "$OUT/train_plateau.h5" "$C" --center 1 --parameters w1_11,w1_12,w2_11 --range 0:3 --resolution 31 \
  --runs "$plateau_runs" --epochs 100000

"$PY" "$root/plots/train_fig2.py" "$OUT/train_fig2_nh2.h5" "$OUT/train_fig2_nh18.h5" -o "$FIG/train_fig2" >/dev/null
"$PY" "$root/plots/train_fig3.py" "$OUT/train_drift.h5" -o "$FIG/train_fig3" >/dev/null
"$PY" "$root/plots/train_fig4.py" "$OUT/train_drift.h5" -o "$FIG/train_fig4" >/dev/null
"$PY" "$root/plots/train_fig5.py" "$OUT/train_converge.h5" -o "$FIG/train_fig5" >/dev/null
gnuplot -e "bin='$BIN'; files='$OUT/train_fig2_nh2.h5 $OUT/train_fig2_nh18.h5'; out='$FIG/train_fig2_gnuplot.png'" \
  "$root/plots/train_fig2.gp"
gnuplot -e "bin='$BIN'; file='$OUT/train_drift.h5'; out='$FIG/train_fig3_gnuplot.png'" "$root/plots/train_fig3.gp"
gnuplot -e "bin='$BIN'; file='$OUT/train_drift.h5'; out='$FIG/train_fig4_gnuplot.png'" "$root/plots/train_fig4.gp"
gnuplot -e "bin='$BIN'; file='$OUT/train_converge.h5'; out='$FIG/train_fig5_gnuplot.png'" "$root/plots/train_fig5.gp"
