#!/usr/bin/env bash
# Stationary-point census of the regularised tanh XOR network (Coetzee & Stonick, "488 solutions"):
# the paper's problem (8 parameters, summed error, mu = 0.05), the variants that settle the
# ambiguities (output bias, mean error), and the sigmoid network of the dissecting paper.
# Quick default: until complete with fewer quiet trials (said below); FULL=1: 1000 quiet trials
# (resumable: a second run continues; files already complete or at their budget are kept).
# seconds: 330 1200
set -euo pipefail
T="$BIN/xorscape-stationary"
threads=$(nproc)
# TRIALS is the budget; the stopping rule (--complete-after QUIET) ends a census earlier once its
# Morse sum is 1 and no new class has appeared for QUIET trials.
if [ "${TINY:-0}" = 1 ]; then
  main=16; variant=8; sigmoid=8; quiet=0; mu_points=6; scale="TINY smoke run: 16 trials (main), 8 (variants, sigmoid), no stopping rule"
elif [ "${FULL:-0}" = 1 ]; then
  main=20000; variant=20000; sigmoid=4000; quiet=1000; mu_points=100
  scale="FULL: until complete (Morse sum 1, no new class for 1000 trials; budget 20000 trials), sigmoid budget 4000"
else
  main=3000; variant=1500; sigmoid=300; quiet=300; mu_points=25
  scale="quick default, scaled down: until complete with 300 quiet trials (FULL: 1000); budgets 3000 (main), 1500 (variants), 300 (sigmoid, which stays incomplete at this scale)"
fi
echo "60-stationary: $scale" >&2
mkdir -p "$OUT/figures"

# census NAME TRIALS OPTIONS...: TRIALS is the budget of the stopping rule (--starts); skipped when
# OUT/NAME.h5 already holds TRIALS trials or a complete census;
# continued (--resume) from its checkpoint or extended from a smaller finished file; started afresh
# when neither exists (--resume with nothing to continue is refused).
census() {
  local name="$1" trials="$2"; shift 2
  local file="$OUT/$name.h5"
  # A census asked for with --connect yes or --continue-mu needs its /connectivity or /continuation
  # group: a file without it is redone.
  local connect=0
  case " $* " in *" --connect yes "*|*" --continue-mu "*) connect=1 ;; esac
  if [ -z "${FORCE:-}" ] && [ -f "$file" ] && "$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1]); s=f['summary'].attrs; sys.exit(0 if (s['trials'] >= int(sys.argv[2]) or s.get('completeness') == 'complete') and (sys.argv[3] == '0' or 'connectivity' in f or 'continuation' in f) else 1)" "$file" "$trials" "$connect" 2>/dev/null; then
    echo "60-stationary: $name.h5 has $trials trials or a complete census already, kept" >&2
    return
  fi
  local mode=""
  if [ -n "${FORCE:-}" ] || { [ "$connect" = 1 ] && [ -f "$file" ] && ! "$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1]); sys.exit(0 if 'connectivity' in f or 'continuation' in f else 1)" "$file" 2>/dev/null; }; then
    mode="--force"
  elif [ -f "$file" ] || [ -f "$file.checkpoint.h5" ]; then
    mode="--resume"
  fi
  "$T" --starts "$trials" --complete-after "$quiet" --threads "$threads" "$@" $mode -o "$file" > "$OUT/$name.txt"
  echo "60-stationary: $name.h5 ($(grep '^classes:' "$OUT/$name.txt"))" >&2
}

# The paper's problem: 2-2-1 tanh, xor-pm, summed squared error + 0.05 |beta|^2, no output bias.
# With --connect yes: the steepest-descent connections of its index-1 saddles (a few seconds); with
# --continue-mu: every class followed in mu over 0.001..0.2 (a bifurcation diagram, seconds).
census stationary-tanh-paper "$main" --output-bias no --reduction sum --mu 0.05 --connect yes --continue-mu 0.001:0.2 --continue-points "$mu_points"
# The same problem censused at mu = 0.2 and continued down: a check that the continuation from
# mu = 0.05 misses no class at mu = 0.2, and the branches that exist at 0.2 seen from there.
census stationary-tanh-mu0.2 "$variant" --output-bias no --reduction sum --mu 0.2 --continue-mu 0.001:0.2 --continue-points "$mu_points"
# Ambiguities of the paper, each changed on its own.
census stationary-tanh-output-bias "$variant" --output-bias yes --reduction sum --mu 0.05
census stationary-tanh-mean "$variant" --output-bias no --reduction mean --mu 0.05
census stationary-tanh-half-sum "$variant" --output-bias no --reduction half-sum --mu 0.05
# Beyond the paper: the sigmoid network of the dissecting paper (xor data, mean error as its
# L, 9 parameters, a small mu so minima are finite); permutations only (sigmoid is not odd).
census stationary-sigmoid "$sigmoid" --activation sigmoid --data xor --output-bias yes --reduction mean --mu 0.0001 --connect yes

for name in stationary-tanh-paper stationary-sigmoid; do
  "$PY" "$root/plots/stationary_figure2.py" "$OUT/$name.h5" -o "$OUT/figures/$name-figure2"
  gnuplot -e "bin='$BIN'; file='$OUT/$name.h5'; out='$OUT/figures/$name-figure2-gnuplot.png'" "$root/plots/stationary_figure2.gp"
done
# Disconnectivity graphs (the Python script writes the segment table the gnuplot script draws).
for name in stationary-tanh-paper stationary-sigmoid; do
  "$PY" "$root/plots/stationary_disconnectivity.py" "$OUT/$name.h5" -o "$OUT/figures/$name-disconnectivity"
  gnuplot -e "prefix='$OUT/figures/$name-disconnectivity'; out='$OUT/figures/$name-disconnectivity-gnuplot.png'; label='$name: disconnectivity graph'" \
    "$root/plots/stationary_disconnectivity.gp"
done
# Bifurcation diagrams (classes by index against mu).
for name in stationary-tanh-paper stationary-tanh-mu0.2; do
  "$PY" "$root/plots/stationary_bifurcation.py" "$OUT/$name.h5" -o "$OUT/figures/$name-bifurcation"
  gnuplot -e "bin='$BIN'; file='$OUT/$name.h5'; out='$OUT/figures/$name-bifurcation-gnuplot.png'" "$root/plots/stationary_bifurcation.gp"
done
"$PY" "$root/plots/stationary_discovery.py" -o "$OUT/figures/stationary-discovery" \
  "$OUT/stationary-tanh-paper.h5" "$OUT/stationary-tanh-output-bias.h5" "$OUT/stationary-tanh-mean.h5" \
  "$OUT/stationary-tanh-half-sum.h5"
gnuplot -e "bin='$BIN'; file='$OUT/stationary-tanh-paper.h5'; out='$OUT/figures/stationary-discovery-gnuplot.png'" "$root/plots/stationary_discovery.gp"
