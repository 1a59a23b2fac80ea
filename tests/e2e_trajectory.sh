#!/usr/bin/env bash
# xorscape-trajectory end to end: bad input -> status 2 and one line naming the option;
# own file and --into a slice file (other contents kept, atomic, refused without the plane);
# SIGINT leaves nothing; --bench; both Figure 6 scripts render.
set -u
BIN="$1"
SRC="$2"
PY=/usr/bin/python3
T="$BIN/xorscape-trajectory"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
say_fail() { echo "FAIL: $*"; fail=1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/expect_status.sh"
cd "$work"
"$PY" "$SRC/tests/trajectory_slice_fixture.py" slice.h5 --pairs "b1_1,b2_1;w1_22,b1_1" --resolution 41 || say_fail "fixture"

# ---- bad input
expect_status 0 "" "$T" --help
expect_status 2 "--pair" "$T" --pair b1_1,zz --start 1,1
expect_status 2 "--pair" "$T" --pair b1_1,b1_1 --start 1,1
expect_status 2 "--pair" "$T" --pair b1_1 --start 1,1
expect_status 2 "--start" "$T" --start 1,1
expect_status 2 "--start" "$T" --pair b1_1,b2_1 --start 1
expect_status 2 "--start" "$T" --pair b1_1,b2_1 --start nan,1
expect_status 2 "--start" "$T" --pair b1_1,b2_1 --start "1,2;x,3"
expect_status 2 "--start" "$T" --pair b1_1,b2_1
expect_status 2 "--start-params" "$T" --start-params w1_11=1
expect_status 2 "--start-params" "$T" --start-params no-such-file.txt
expect_status 2 "--eta" "$T" --pair b1_1,b2_1 --start 1,1 --eta 0
expect_status 2 "--eta" "$T" --pair b1_1,b2_1 --start 1,1 --eta inf
expect_status 2 "--epochs" "$T" --pair b1_1,b2_1 --start 1,1 --epochs 0
expect_status 2 "--threshold" "$T" --pair b1_1,b2_1 --start 1,1 --threshold nan
expect_status 2 "--gradient-tolerance" "$T" --pair b1_1,b2_1 --start 1,1 --gradient-tolerance -1
expect_status 2 "--integrator" "$T" --pair b1_1,b2_1 --start 1,1 --integrator rk4
expect_status 2 "--center" "$T" --pair b1_1,b2_1 --start 1,1 --center 9
expect_status 2 "--store-arc" "$T" --pair b1_1,b2_1 --start 1,1 --store-arc 0
expect_status 2 "--into" "$T" --pair b1_1,b2_1 --start 1,1 --into missing.h5
expect_status 2 "--into" "$T" --pair w2_12,b1_2 --start 1,1 --into slice.h5
expect_status 2 "--n-hidden" "$T" --pair b1_1,b2_1 --start 1,1 --into slice.h5 --n-hidden 3
expect_status 2 "--center" "$T" --pair b1_1,b2_1 --start 1,1 --into slice.h5 --center 2
touch taken.h5
expect_status 2 "--output" "$T" --pair b1_1,b2_1 --start 1,1 -o taken.h5
expect_status 2 "--output" "$T" --pair b1_1,b2_1 --start 1,1 -o no-such-folder/x.h5
[ -z "$(ls -A | grep -v -e '^slice.h5$' -e '^taken.h5$')" ] || say_fail "bad input left files: $(ls -A)"

# ---- a file of its own: plane group without loss grid, both integrators, attributes
"$T" --pair b1_1,b2_1 --start "-7.4,8.9;15,-2" --epochs 2e5 --gradient-tolerance 1e-5 -o own.h5 2>/dev/null \
  || say_fail "own-file run"
"$PY" - own.h5 <<'EOF' || fail=1
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    g = f["planes/b1_1,b2_1"]
    assert "loss" not in g and g.attrs["x_parameter"] == "b1_1" and g.attrs["y_index"] == 8, dict(g.attrs)
    assert f.attrs["tool"] == "xorscape-trajectory" and f.attrs["batch"] == "nonrandomized"
    assert list(f["parameter_names"].asstr()[()])[4] == "b1_1" and len(f["center"]) == 9
    t = g["trajectories"]
    got = [(t[k].attrs["integrator"], t[k].attrs["outcome"]) for k in sorted(t, key=int)]
    assert got == [("gd", "converged"), ("flow", "converged"), ("gd", "trapped"), ("flow", "trapped")], got
    for k in t:
        x, y, l, e = (t[k][n][()] for n in ("x", "y", "loss", "epoch"))
        assert len(x) == len(y) == len(l) == len(e) > 10 and np.all(np.diff(e) > 0) and np.isfinite(l).all()
        assert abs(x[0] - t[k].attrs["start_x"]) < 1e-12 and abs(y[0] - t[k].attrs["start_y"]) < 1e-12
        assert abs(l[-1] - t[k].attrs["final_loss"]) < 1e-15
    assert abs(t["2"].attrs["final_loss"] - 0.2271) < 1e-3, t["2"].attrs["final_loss"]
print("own file ok")
EOF

# ---- the same numbers at any thread count
"$T" --pair b1_1,b2_1 --start "-7.4,8.9;15,-2;1,1" --epochs 1e5 --threads 1 -o one.h5 2>/dev/null || say_fail "threads 1"
"$T" --pair b1_1,b2_1 --start "-7.4,8.9;15,-2;1,1" --epochs 1e5 --threads 2 -o two.h5 2>/dev/null || say_fail "threads 2"
"$PY" - one.h5 two.h5 <<'EOF' || fail=1
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "r") as b:
    ta, tb = a["planes/b1_1,b2_1/trajectories"], b["planes/b1_1,b2_1/trajectories"]
    assert sorted(ta) == sorted(tb) and len(ta) == 6
    for k in ta:
        for name in ("x", "y", "loss", "epoch"):
            assert np.array_equal(ta[k][name][()], tb[k][name][()]), (k, name)
        assert ta[k].attrs["outcome"] == tb[k].attrs["outcome"]
print("threads ok")
EOF

# ---- --into: other contents kept, trajectories numbered on, no temporary left
cp slice.h5 slice-before.h5
"$T" --into slice.h5 --pair b1_1,b2_1 --start=-7.4,8.9 --epochs 1e5 2>/dev/null || say_fail "--into run 1"
"$T" --into slice.h5 --pair w1_22,b1_1 --start=-5,10 --integrator flow 2>/dev/null || say_fail "--into run 2"
"$PY" - slice.h5 slice-before.h5 <<'EOF' || fail=1
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f, h5py.File(sys.argv[2], "r") as before:
    for plane in before["planes"]:
        for name in ("x", "y", "loss"):
            assert np.array_equal(f["planes"][plane][name][()], before["planes"][plane][name][()]), (plane, name)
    assert dict(f.attrs) == dict(before.attrs)
    assert sorted(f["planes/b1_1,b2_1/trajectories"]) == ["0", "1"]
    t = f["planes/w1_22,b1_1/trajectories/0"]
    assert t.attrs["integrator"] == "flow" and t.attrs["outcome"] == "converged", dict(t.attrs)
    assert "xorscape-trajectory" in t.attrs["command_line"]
print("--into ok")
EOF
[ "$(ls -A | grep -c tmp)" = 0 ] || say_fail "a temporary was left: $(ls -A)"

# ---- SIGINT: stops cleanly, writes nothing
"$T" --pair b1_1,b2_1 --start 15,-2 --integrator gd --gradient-tolerance 0 --epochs 1e12 -o interrupted.h5 2>sigint.err &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"; status=$?
[ "$status" = 130 ] || say_fail "SIGINT exit status $status, expected 130 ($(cat sigint.err))"
[ ! -e interrupted.h5 ] && [ "$(ls -A | grep -c interrupted)" = 0 ] || say_fail "SIGINT left a file"
grep -q "nothing was written" sigint.err || say_fail "SIGINT message: $(cat sigint.err)"

# ---- --bench prints rates
bench=$("$T" --bench --epochs 2e5 2>&1) || say_fail "--bench failed"
grep -q "epochs/s" <<<"$bench" && grep -q "gradient evaluations" <<<"$bench" || say_fail "--bench output: $bench"

# ---- both Figure 6 scripts render
"$PY" "$SRC/plots/fig6_trajectories.py" slice.h5 fig6 2>/dev/null || say_fail "python plot"
[ -s fig6.png ] && [ -s fig6.pdf ] || say_fail "python plot wrote no image"
gnuplot -e "file='slice.h5'; bin='$BIN'; out='fig6-gp.png'" "$SRC/plots/fig6_trajectories.gp" 2>gp.err || say_fail "gnuplot: $(cat gp.err)"
[ -s fig6-gp.png ] || say_fail "gnuplot wrote no image"
[ "$fail" = 0 ] && echo "e2e_trajectory: all checks passed"
exit $fail
