#!/usr/bin/env bash
# xorscape-train end to end: bad input -> status 2 and one line naming the option; real runs
# read back with h5py and opened by xarray; same seed -> same data at any --threads; parameter
# points in and out (--init 3, --init train.h5:run=K); the checkpoint contract (kill -9 /
# SIGTERM, then --resume gives the uninterrupted result). (xorscape-converge: e2e_converge.sh.)
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
PY=/usr/bin/python3
T="$BIN/xorscape-train"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
source "$SRC/tests/lib/expect_status.sh"
source "$SRC/tests/lib/kill_resume.sh"
cd "$work"
expect_status 0 "" "$T" --help
expect_status 0 "" "$T" --version
expect_status 2 "--epochs" "$T" --epochs 0 -o x.h5
expect_status 2 "--eta" "$T" --eta nan -o x.h5
expect_status 2 "--eta" "$T" --eta -1 -o x.h5
expect_status 2 "--data" "$T" --data nope -o x.h5
expect_status 2 "--threads" "$T" --threads 0 -o x.h5
expect_status 2 "--output" "$T" -o no-such-folder/x.h5
expect_status 2 "--init" "$T" --init 3:1 -o x.h5
expect_status 2 "--init" "$T" --init 0:inf -o x.h5
expect_status 2 "--init" "$T" --init missing-file.txt -o x.h5
expect_status 2 "--init" "$T" --init 9 -o x.h5
expect_status 2 "--optimizer" "$T" --optimizer newton -o x.h5
expect_status 2 "--batch" "$T" --optimizer gd --batch randomized -o x.h5
expect_status 2 "--eta-sweep" "$T" --eta-sweep 1:0.1:5 -o x.h5
expect_status 2 "--eta-sweep" "$T" --eta-sweep 0.1:1:0 -o x.h5
expect_status 2 "--eta-sweep" "$T" --eta-sweep 0.1,nan -o x.h5
expect_status 2 "--eta-sweep" "$T" --eta-sweep 1e-300:1e300:3 -o x.h5
expect_status 2 "--seeds" "$T" --seeds 0 -o x.h5
expect_status 2 "--seeds" "$T" --seeds 10000000 --record full -o x.h5
expect_status 2 "--seeds" "$T" --eta-sweep 0.01:1:100 --seeds 100000 --record full -o x.h5
expect_status 2 "--seeds" "$T" --eta-sweep 0.01:1:1000 --seeds 100000 -o x.h5
expect_status 2 "--threshold" "$T" --threshold -1 -o x.h5
expect_status 2 "--record" "$T" --record some -o x.h5
expect_status 2 "--fit-window" "$T" --fit-window 100:10 -o x.h5
expect_status 2 "--fit-window" "$T" --fit-window 1:1e300 -o x.h5
expect_status 2 "--n-hidden" "$T" --n-hidden 0 -o x.h5
expect_status 2 "--n-hidden" "$T" --n-hidden 4097 -o x.h5
expect_status 2 "--output-activation" "$T" --output-activation relu -o x.h5
expect_status 2 "--resume" "$T" --resume -o x.h5

# Real runs, read back.
"$T" --seeds 3 --epochs 200000 -o t1.h5 --threads 1 || fail=1
"$T" --seeds 3 --epochs 200000 -o t2.h5 --threads 2 || fail=1
expect_status 2 "--output" "$T" --seeds 3 --epochs 200000 -o t1.h5
"$T" --optimizer gd --eta-sweep 0.05:5:4 --seeds 2 --epochs 100000 -o sweep.h5 || fail=1
"$T" --optimizer adam --eta 0.01 --seeds 2 --epochs 20000 --n-hidden 3 -o adam.h5 || fail=1
"$T" --optimizer mc0 --epochs 20000 --init 1 -o mc.h5 || fail=1
"$T" --init 3 --threshold 0 --epochs 2000 -o init3.h5 || fail=1
# Points in and out: start from run 2's end point of t1.h5 and from run 1's start of adam.h5.
"$T" --init t1.h5:run=2 --epochs 1000 --threshold 0 -o from_run.h5 || fail=1
"$T" --n-hidden 3 --optimizer adam --eta 0.01 --init adam.h5:run=1,initial --epochs 20000 -o adam_again.h5 || fail=1
expect_status 2 "--init" "$T" --init t1.h5 -o x.h5            # three runs: which one?
expect_status 2 "--init" "$T" --init t1.h5:run=7 -o x.h5
expect_status 2 "--init" "$T" --n-hidden 3 --init t1.h5:run=0 -o x.h5
expect_status 2 "--init" "$T" --activation tanh --init t1.h5:run=0 -o x.h5
"$PY" "$SRC/tests/golden/same_numbers.py" t1.h5 t2.h5 || { echo "FAIL: --threads changed the numbers"; fail=1; }
"$PY" "$SRC/tests/xarray_check.py" t1.h5 sweep.h5 adam.h5 mc.h5 >/dev/null || { "$PY" "$SRC/tests/xarray_check.py" t1.h5 sweep.h5 adam.h5 mc.h5; fail=1; }
"$PY" - <<'PYEOF' || fail=1
import h5py, numpy as np
def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)
with h5py.File("t1.h5", "r") as f:
    assert text(f.attrs["tool"]) == "xorscape-train" and f.attrs["complete"] == 1
    assert text(f.attrs["data"]) == "xor" and text(f.attrs["hidden_activation"]) == "sigmoid"
    assert text(f.attrs["init_source"]).startswith("each parameter uniform") and "init_note" not in f.attrs
    r = f["runs"]
    D = 9
    assert r["final_parameters"].shape == (3, D) and r["initial_parameters"].shape == (3, D)
    assert r["final_parameters"].dims[1][0].name == "/parameter_names"
    init = r["initial_parameters"][()]
    assert (init >= 0).all() and (init < 0.1).all()
    conv = r["converged_epoch"][()]
    assert (conv > 10000).all() and (conv < 200000).all(), conv
    assert (r["final_loss"][()] < 0.005).all()
    t = f["traces/run_00000"]
    n = t["epoch"].shape[0]
    assert t["parameters"].shape == (n, D) and t["hidden"].shape == (n, 8) and t["output"].shape == (n, 4)
    assert t["epoch"][0] == 0 and t["epoch"][-1] == conv[0]
    assert np.all(np.isfinite(t["loss"][()])) and abs(t["loss"][0] - 0.25) < 0.05
    assert [text(s) for s in f["parameter_names"][()]][0] == "w1_11"
    assert t["loss"].dims[0][0].name.endswith("epoch")
    assert [text(s) for s in f["case_neuron"][()]][:3] == ["case1:a1_1", "case1:a1_2", "case2:a1_1"]
    assert t["hidden"].dims[1][0].name == "/case_neuron" and t["output"].dims[1][0].name == "/case"
    end2 = r["final_parameters"][2]
with h5py.File("from_run.h5", "r") as f:
    assert text(f.attrs["init_source"]) == "t1.h5:run=2"
    assert np.array_equal(f["runs/initial_parameters"][0], end2)
with h5py.File("sweep.h5", "r") as f:
    s = f["sweep"]
    assert s["converged_epoch"].shape == (4, 2) and s["eta"].shape == (4,)
    assert abs(s["eta"][0] - 0.05) < 1e-12 and abs(s["eta"][-1] - 5) < 1e-12
    assert s["converged_epoch"].dims[0][0].name.endswith("eta")
    assert s["converged_epoch"].dims[1][0].name.endswith("seed_index")
    assert 0 <= s["converged_fraction"][()].min() <= s["converged_fraction"][()].max() <= 1
with h5py.File("adam.h5", "r") as f, h5py.File("adam_again.h5", "r") as g:
    assert f["runs/final_parameters"].shape == (2, 13) and text(f.attrs["optimizer"]) == "adam"
    assert np.array_equal(g["runs/initial_parameters"][0], f["runs/initial_parameters"][1])
with h5py.File("mc.h5", "r") as f:
    assert f["runs/accepted"][0] >= 0 and f["runs/final_loss"][0] <= f["traces/run_00000/loss"][0]
    assert text(f.attrs["init_source"]).startswith("published solution 1")
with h5py.File("init3.h5", "r") as f:
    assert text(f.attrs["init_source"]).startswith("published solution 3")
    assert "exchanged" in text(f.attrs["init_note"])
print("read-back ok")
PYEOF
# The checkpoint contract: periodic checkpoints, kill -9 and SIGTERM, --resume. The reference
# path (n_h = 18) and the SIMD kernel (8 runs of n_h = 2 in one block), each a few seconds long.
kill_resume train_reference 3 "$T" --n-hidden 18 --seeds 2 --epochs 1000000 --threshold 0 --points-per-decade 20 --threads 1
kill_resume train_kernel 5 "$T" --seeds 8 --epochs 3000000 --threshold 0 --record full --threads 1
[ "$fail" = 0 ] && echo "e2e_train: all checks passed"
exit $fail
