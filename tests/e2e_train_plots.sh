#!/usr/bin/env bash
# Renders every training plot (Figures 2-5, Python and gnuplot) from small files and checks
# that each writes a non-empty image.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
"$BIN/xorscape-train" --eta-sweep 0.1,1 --threshold 0 --epochs 300000 -o train.h5 || fail=1
"$BIN/xorscape-train" --n-hidden 3 --threshold 0 --epochs 100000 -o train3.h5 || fail=1
"$BIN/xorscape-converge" --runs 2 --resolution 5 --range -4:4 --epochs 5000 -o converge.h5 || fail=1
check() {  # check IMAGE: exists and is not empty
  if [ ! -s "$1" ]; then echo "FAIL: $1 missing or empty"; fail=1; fi
}
"$PY" "$SRC/plots/train_fig2.py" train.h5 train3.h5 -o py2 >/dev/null || fail=1
"$PY" "$SRC/plots/train_fig3.py" train.h5 -o py3 >/dev/null || fail=1
"$PY" "$SRC/plots/train_fig4.py" train3.h5 -o py4 >/dev/null || fail=1
"$PY" "$SRC/plots/train_fig5.py" converge.h5 -o py5 >/dev/null || fail=1
for n in 2 3 4 5; do check py$n.png; check py$n.pdf; done
gnuplot -e "bin='$BIN'; files='train.h5 train3.h5'; out='gp2.png'" "$SRC/plots/train_fig2.gp" || fail=1
gnuplot -e "bin='$BIN'; file='train.h5'; out='gp3.png'" "$SRC/plots/train_fig3.gp" || fail=1
gnuplot -e "bin='$BIN'; file='train3.h5'; out='gp4.png'" "$SRC/plots/train_fig4.gp" || fail=1
gnuplot -e "bin='$BIN'; file='converge.h5'; out='gp5.png'" "$SRC/plots/train_fig5.gp" || fail=1
for n in 2 3 4 5; do check gp$n.png; done
[ "$fail" = 0 ] && echo "e2e_train_plots: all plots rendered"
exit $fail
