#!/usr/bin/env bash
# Stationary-point census of the regularised tanh XOR network (Coetzee & Stonick, "488 solutions"):
# the paper's problem (8 parameters, summed error, mu = 0.05), the variants that settle the
# ambiguities (output bias, mean error), and the sigmoid network of the dissecting paper.
# Quick default: fewer trials (said below; ~1 min on 2 cores); FULL=1: enough trials to saturate
# the discovery curve (resumable: a second run continues, files already at full size are kept).
# seconds: 40 600
set -euo pipefail
T="$BIN/xorscape-stationary"
threads=$(nproc)
if [ "${TINY:-0}" = 1 ]; then
  main=16; variant=8; sigmoid=8; scale="TINY smoke run: 16 trials (main), 8 (variants, sigmoid)"
elif [ "${FULL:-0}" = 1 ]; then
  main=4000; variant=2000; sigmoid=2000; scale="FULL: 4000 trials (main), 2000 (variants, sigmoid)"
else
  main=500; variant=200; sigmoid=300; scale="quick default, scaled down: 500 trials (main; FULL uses 4000), 200 (variants) and 300 (sigmoid; FULL 2000 each) - the main census saturated by trial 353 in our runs, the sigmoid one saturates only at FULL"
fi
echo "60-stationary: $scale" >&2
mkdir -p "$OUT/figures"

# census NAME TRIALS OPTIONS...: skipped when OUT/NAME.h5 already holds TRIALS trials;
# continued (--resume) from its checkpoint or extended from a smaller finished file; started afresh
# when neither exists (--resume with nothing to continue is refused).
census() {
  local name="$1" trials="$2"; shift 2
  local file="$OUT/$name.h5"
  if [ -z "${FORCE:-}" ] && [ -f "$file" ] && "$PY" -c "import h5py,sys; sys.exit(0 if h5py.File(sys.argv[1])['summary'].attrs['trials'] >= int(sys.argv[2]) else 1)" "$file" "$trials" 2>/dev/null; then
    echo "60-stationary: $name.h5 has $trials trials already, kept" >&2
    return
  fi
  local mode=""
  if [ -n "${FORCE:-}" ]; then
    mode="--force"
  elif [ -f "$file" ] || [ -f "$file.checkpoint.h5" ]; then
    mode="--resume"
  fi
  "$T" --starts "$trials" --threads "$threads" "$@" $mode -o "$file" > "$OUT/$name.txt"
  echo "60-stationary: $name.h5 ($(grep '^classes:' "$OUT/$name.txt"))" >&2
}

# The paper's problem: 2-2-1 tanh, xor-pm, summed squared error + 0.05 |beta|^2, no output bias.
census stationary-tanh-paper "$main" --output-bias no --reduction sum --mu 0.05
# Ambiguities of the paper, each changed on its own.
census stationary-tanh-output-bias "$variant" --output-bias yes --reduction sum --mu 0.05
census stationary-tanh-mean "$variant" --output-bias no --reduction mean --mu 0.05
# Beyond the paper: the sigmoid network of the dissecting paper (xor data, mean error as its
# L, 9 parameters, a small mu so minima are finite); permutations only (sigmoid is not odd).
census stationary-sigmoid "$sigmoid" --activation sigmoid --data xor --output-bias yes --reduction mean --mu 0.0001

for name in stationary-tanh-paper stationary-sigmoid; do
  "$PY" "$root/plots/stationary_figure2.py" "$OUT/$name.h5" -o "$OUT/figures/$name-figure2"
  gnuplot -e "bin='$BIN'; file='$OUT/$name.h5'; out='$OUT/figures/$name-figure2-gnuplot.png'" "$root/plots/stationary_figure2.gp"
done
"$PY" "$root/plots/stationary_discovery.py" -o "$OUT/figures/stationary-discovery" \
  "$OUT/stationary-tanh-paper.h5" "$OUT/stationary-tanh-output-bias.h5" "$OUT/stationary-tanh-mean.h5"
gnuplot -e "bin='$BIN'; file='$OUT/stationary-tanh-paper.h5'; out='$OUT/figures/stationary-discovery-gnuplot.png'" "$root/plots/stationary_discovery.gp"
