#!/usr/bin/env bash
# xorscape-slice --basins end to end: a basin map of Fig. 6(a)'s plane read back with h5py (label
# table consistent with the label map, representatives carry their own label, solutions below
# the threshold, every grid point's end recomputed as the flow's claim: a trapped end has a small
# gradient, a converged end a small loss), xarray opens it, the same numbers at 1 and 2 threads,
# a random plane and a 1-D cut, and the checkpoint contract (SIGKILL / SIGTERM, --resume).
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
PY=/usr/bin/python3
TOOL="$BIN/xorscape-slice"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
source "$SRC/tests/lib/kill_resume.sh"
cd "$work"

run() { "$TOOL" "$@" >/dev/null 2>"$work/err" || { echo "FAIL: xorscape-slice $*: $(tail -n 2 "$work/err")"; fail=1; }; }
run --basins --range -20:20 --resolution 17x15 --flow-time 5e4 --threads 1 -o b1.h5
run --basins --range -20:20 --resolution 17x15 --flow-time 5e4 --threads 2 -o b2.h5
run --basins --directions random --seed 3 --resolution 7 --flow-time 2e4 --xdmf -o random.h5
run --basins --directions points --points '1;2' --resolution 9 --flow-time 2e4 -o line.h5
"$PY" "$SRC/tests/golden/same_numbers.py" b1.h5 b2.h5 >/dev/null || { echo "FAIL: basin maps differ between 1 and 2 threads"; fail=1; }
"$PY" "$SRC/tests/xarray_check.py" b1.h5 random.h5 line.h5 >/dev/null || { echo "FAIL: xarray_check of basin maps"; fail=1; }
[ -s random.xdmf ] && grep -q basin_label random.xdmf || { echo "FAIL: --basins --xdmf wrote no random.xdmf with the basin maps"; fail=1; }

"$PY" - b1.h5 random.h5 line.h5 <<'PYEOF' || fail=1
import sys
import h5py, numpy as np
ok = True
def check(c, what):
    global ok
    if not c:
        print("FAIL:", what); ok = False
def loss_and_gradient(p):
    # The sigmoid 2-2-1 network by hand (mean squared error on {0,1} XOR), central differences.
    def L(q):
        s = lambda z: 1 / (1 + np.exp(-z))
        x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); t = np.array([0, 1, 1, 0])
        h = s(x @ q[0:4].reshape(2, 2).T + q[4:6])
        return np.mean((s(h @ q[6:8] + q[8]) - t) ** 2)
    g = np.array([(L(p + e) - L(p - e)) / 2e-6 for e in np.eye(9) * 1e-6])
    return L(p), g
for name in sys.argv[1:]:
    with h5py.File(name) as f:
        group = f["plane"] if "plane" in f else f["line"]
        b = f["basins"]
        label = group["basin_label"][()]
        count = b["count"][()]
        check(label.min() >= 0 and label.max() == len(count) - 1, f"{name}: labels 0..{len(count) - 1}")
        check(np.array_equal(np.bincount(label.ravel(), minlength=len(count)), count), f"{name}: counts")
        check(abs(b["fraction"][()].sum() - 1) < 1e-12, f"{name}: fractions sum to 1")
        check(b.attrs["converged"] + b.attrs["trapped"] + b.attrs["still_moving"] + b.attrs["diverged"] == label.size, f"{name}: outcomes")
        kinds = [k.decode() if isinstance(k, bytes) else k for k in b["kind"][()]]
        end_loss = group["basin_end_loss"][()]
        threshold, tolerance = b.attrs["threshold"], b.attrs["gradient_tolerance"]
        xs = group["x"][()]; ys = group["y"][()] if "y" in group else np.array([0.0])
        for k, kind in enumerate(kinds):
            mask = label == k
            check(kind in ("solution", "level", "budget", "diverged"), f"{name}: kind {kind}")
            if kind == "solution":
                check(np.all(end_loss[mask] < threshold * (1 + 1e-9)), f"{name}: label {k} ends below the threshold")
            # The representative start is the first grid point with the label, and its parameters are center + x d1 + y d2.
            first = np.argmax(mask.ravel())
            check(b["representative_x"][k] == xs[first % len(xs)], f"{name}: representative x of label {k}")
            start = group["center"][()] + xs[first % len(xs)] * group["d1"][()]
            if "d2" in group:
                start = start + ys[first // len(xs)] * group["d2"][()]
            check(np.allclose(b["representative_start"][k], start, rtol=1e-12, atol=1e-12), f"{name}: representative start of label {k}")
            end = b["representative_end"][k]
            L, g = loss_and_gradient(end)
            check(abs(L - end_loss.ravel()[first]) < 1e-9, f"{name}: end loss of label {k} recomputed ({L} vs {end_loss.ravel()[first]})")
            if kind == "level":
                check(np.linalg.norm(g) < 10 * tolerance, f"{name}: trapped end of label {k} has |grad| = {np.linalg.norm(g)}")
sys.exit(0 if ok else 1)
PYEOF

kill_resume basins 2 "$TOOL" --basins --range -20:20 --resolution 41x21 --flow-time 3e4 --threads 1

[ "$fail" = 0 ] && echo "e2e_basins: all checks passed"
exit $fail
