#!/usr/bin/env bash
# xorscape-anneal end to end: bad input -> status 2 with one line naming the option; the
# HDF5 layout; same numbers at any --threads; stop + --resume gives the uninterrupted result;
# every plot script (Python and gnuplot) renders a non-empty image.
set -u
BIN="$1"
SRC="$2"
TOOL="$BIN/xorscape-anneal"
PY=/usr/bin/python3
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/expect_status.sh"
o="$work/bad.h5"
expect_status 0 "" "$TOOL" --help
expect_status 2 "--arms" "$TOOL" --arms baseline,nonsense -o "$o"
expect_status 2 "--arms" "$TOOL" --arms eda,eda -o "$o"
expect_status 2 "--seeds" "$TOOL" --seeds 0 -o "$o"
expect_status 2 "--epochs" "$TOOL" --epochs -5 -o "$o"
expect_status 2 "--lr" "$TOOL" --lr 0 -o "$o"
expect_status 2 "--lr" "$TOOL" --lr 0.01,nan -o "$o"
expect_status 2 "--init-scale" "$TOOL" --init-scale -1 -o "$o"
expect_status 2 "--threshold" "$TOOL" --threshold -0.1 -o "$o"
expect_status 2 "--base-noise" "$TOOL" --base-noise abc -o "$o"
expect_status 2 "--base-noise" "$TOOL" --base-noise inf -o "$o"
expect_status 2 "--converged-loss" "$TOOL" --converged-loss 0 -o "$o"
expect_status 2 "--model" "$TOOL" --model cnn -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --n-hidden 3 -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --model network --n-hidden 0 -o "$o"
expect_status 2 "--activation" "$TOOL" --model network --activation softsign -o "$o"
expect_status 2 "--data" "$TOOL" --data xnor -o "$o"
expect_status 2 "--traces" "$TOOL" --traces -1 -o "$o"
expect_status 2 "--restart-window" "$TOOL" --restart-window 0 -o "$o"
expect_status 2 "--output" "$TOOL" --seeds 2 --epochs 10 -o "$work/no/such/folder/x.h5"
[ -e "$o" ] && { echo "FAIL: bad input left '$o' behind"; fail=1; }

# A real run with every arm and two sweep points.
args=(--arms all --seeds 12 --epochs 600 --lr 0.01 --threshold 0.1 --base-noise 0.02,0.05 --traces 12 --seed 5 --quiet)
"$TOOL" "${args[@]}" --threads 1 -o "$work/t1.h5" || { echo "FAIL: run with --threads 1"; fail=1; }
expect_status 2 "--force" "$TOOL" "${args[@]}" -o "$work/t1.h5"
"$TOOL" "${args[@]}" --threads 2 -o "$work/t2.h5" || { echo "FAIL: run with --threads 2"; fail=1; }
for group in /runs /summary /traces /rescue_example; do
  h5diff -q "$work/t1.h5" "$work/t2.h5" "$group" "$group" || { echo "FAIL: $group differs between --threads 1 and 2"; fail=1; }
done
"$PY" - "$work/t1.h5" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
arms = [a.decode() if isinstance(a, bytes) else a for a in f["arm_names"][()]]
assert arms == ["baseline", "eda", "constant-noise", "magnitude-only", "imbalance-only", "restart", "reflection"], arms
assert f["runs/accuracy"].shape == (2, 7, 12), f["runs/accuracy"].shape
assert f["runs/final_parameters"].shape == (2, 7, 12, 6)
assert f["traces/temperature"].shape == (2, 7, 12, 601)
assert f["summary/accuracy_histogram"].shape == (2, 7, 5)
assert list(f["sweep/base_noise"][()]) == [0.02, 0.05]
for name in ("tool", "version", "git_commit", "command_line", "seed", "created_utc", "threads", "signature"):
    assert name in f.attrs, name
assert f.attrs["complete"] == 1
# Scales are attached and labelled.
dims = f["runs/accuracy"].dims
assert [d.label for d in dims] == ["point", "arm", "seed_index"], [d.label for d in dims]
# Summary agrees with the runs it summarises.
success = f["runs/success"][()]
assert (f["summary/successes"][()] == success.sum(axis=2)).all()
assert (f["summary/accuracy_histogram"][()].sum(axis=2) == 12).all()
lo, hi, rate = f["summary/wilson_lo"][()], f["summary/wilson_hi"][()], f["summary/success_rate"][()]
assert ((lo <= rate) & (rate <= hi)).all()
base = success[:, 0, :]
for a in range(1, 7):
    assert (f["summary/rescued"][:, a] == ((base == 0) & (success[:, a] == 1)).sum(axis=1)).all()
# Pairing: all arms start from the stored initial parameters.
init = f["runs/initial_parameters"][()]
params = f["traces/parameters"][()]
for a in range(7):
    assert np.array_equal(params[:, a, :, 0, :], init), a
for name in f["runs"]:
    assert np.isfinite(f["runs"][name][()]).all(), name
for name in f["summary"]:
    assert np.isfinite(f["summary"][name][()]).all(), name
print("e2e_anneal: layout checks passed")
PYEOF

# Stop after a few units (as a signal would), then resume to the same numbers.
"$TOOL" "${args[@]}" --threads 2 --stop-after-units 5 -o "$work/r.h5" 2>/dev/null
status=$?
[ "$status" = 130 ] || { echo "FAIL: interrupted run exited $status, expected 130"; fail=1; }
[ -e "$work/r.h5" ] && { echo "FAIL: interrupted run wrote the output"; fail=1; }
[ -e "$work/r.h5.checkpoint" ] || { echo "FAIL: interrupted run left no checkpoint"; fail=1; }
other=(--arms all --seeds 12 --epochs 600 --lr 0.01 --threshold 0.1 --base-noise 0.02,0.05 --traces 12 --seed 6 --quiet)
expect_status 2 "--resume" "$TOOL" "${other[@]}" --resume -o "$work/r.h5"
"$TOOL" "${args[@]}" --threads 1 --resume -o "$work/r.h5" 2>/dev/null || { echo "FAIL: --resume"; fail=1; }
for group in /runs /summary /traces /rescue_example; do
  h5diff -q "$work/t1.h5" "$work/r.h5" "$group" "$group" || { echo "FAIL: $group differs after --resume"; fail=1; }
done
[ -e "$work/r.h5.checkpoint" ] && { echo "FAIL: checkpoint left after completion"; fail=1; }

# The sigmoid network of the foundation runs too.
"$TOOL" --model network --n-hidden 3 --data xor --init-scale 4 --seeds 3 --epochs 200 --arms baseline,eda --quiet \
  -o "$work/net.h5" || { echo "FAIL: --model network"; fail=1; }

"$TOOL" --model network --data xor --center 1 --init-scale 8 --seeds 3 --epochs 100 --arms baseline,restart --quiet \
  -o "$work/center.h5" || { echo "FAIL: --center 1"; fail=1; }
"$PY" - "$work/center.h5" "$SRC/data/solution-1.txt" <<'PYEOF' || { echo "FAIL: --center draws are not within 8 of solution 1"; fail=1; }
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = [n.decode() if isinstance(n, bytes) else n for n in f["parameter_names"][()]]
values = dict(line.split("=") for line in open(sys.argv[2]) if "=" in line and not line.startswith("#"))
center = np.array([float(values[n + " "] if n + " " in values else values[n]) for n in names])
d = f["runs/initial_parameters"][0] - center
assert d.shape == (3, 9) and (np.abs(d) <= 8).all() and (np.abs(d) > 0).all(), d
PYEOF
expect_status 2 "--center" "$TOOL" --center 1 --seeds 2 -o "$o"
expect_status 2 "--center" "$TOOL" --model network --n-hidden 3 --center 1 --seeds 2 -o "$o"

# Every plot script renders.
figs="$work/figs"
mkdir -p "$figs"
"$PY" "$SRC/plots/anneal_success.py" "$figs" "$work/t1.h5:test" >/dev/null || { echo "FAIL: anneal_success.py"; fail=1; }
"$PY" "$SRC/plots/anneal_cdf.py" "$work/t1.h5" "$figs" >/dev/null || { echo "FAIL: anneal_cdf.py"; fail=1; }
"$PY" "$SRC/plots/anneal_rescue_trace.py" "$work/t1.h5" "$figs" >/dev/null || { echo "FAIL: anneal_rescue_trace.py"; fail=1; }
"$PY" "$SRC/plots/anneal_hyperplanes.py" "$work/t1.h5" "$figs" >/dev/null || { echo "FAIL: anneal_hyperplanes.py"; fail=1; }
for f in success cdf rescue_trace hyperplanes; do
  for ext in png pdf; do [ -s "$figs/anneal_$f.$ext" ] || { echo "FAIL: anneal_$f.$ext missing or empty"; fail=1; }; done
  gnuplot -e "file='$work/t1.h5'; bin='$BIN'; out='$figs/anneal_${f}_gp.png'" "$SRC/plots/anneal_$f.gp" 2>/dev/null
  [ -s "$figs/anneal_${f}_gp.png" ] || { echo "FAIL: anneal_$f.gp rendered nothing"; fail=1; }
done
[ "$fail" = 0 ] && echo "e2e_anneal: all checks passed"
exit $fail
