#!/usr/bin/env bash
# xorscape-trajectory end to end: bad input -> status 2 and one line naming the option;
# own file and --into a slice file (other contents kept, atomic, refused without the plane);
# starts named by points of other files; parameters of size 1e300; the checkpoint contract
# (kill -9 / SIGTERM, then --resume, also with --into); --bench; both Figure 6 scripts render.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
PY=/usr/bin/python3
T="$BIN/xorscape-trajectory"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
say_fail() { echo "FAIL: $*"; fail=1; }
source "$SRC/tests/lib/expect_status.sh"
source "$SRC/tests/lib/kill_resume.sh"
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
expect_status 2 "--into: 'missing.h5' does not exist" "$T" --pair b1_1,b2_1 --start 1,1 --into missing.h5
printf 'not HDF5\n' > text.h5
expect_status 2 "--into: 'text.h5' is not an HDF5 file" "$T" --pair b1_1,b2_1 --start 1,1 --into text.h5
expect_status 2 "--output: give -o or --into" "$T" --pair b1_1,b2_1 --start 1,1 --into slice.h5 -o x.h5
expect_status 2 "--output" "$T" --pair b1_1,b2_1 --start 1,1 -o /proc/x.h5
expect_status 2 "--start: the start" "$T" --pair b1_1,b2_1 --start 1e308,1 --center w1_11=1,w1_12=1,w1_21=1,w1_22=1,b1_1=1e308,b1_2=1,w2_11=1,w2_12=1,b2_1=1
expect_status 2 "--into" "$T" --pair w2_12,b1_2 --start 1,1 --into slice.h5
expect_status 2 "--n-hidden" "$T" --pair b1_1,b2_1 --start 1,1 --into slice.h5 --n-hidden 3
expect_status 2 "--center" "$T" --pair b1_1,b2_1 --start 1,1 --into slice.h5 --center 2
touch taken.h5
expect_status 2 "--output" "$T" --pair b1_1,b2_1 --start 1,1 -o taken.h5
expect_status 2 "--output" "$T" --pair b1_1,b2_1 --start 1,1 -o no-such-folder/x.h5
[ -z "$(ls -A | grep -v -e '^slice.h5$' -e '^taken.h5$' -e '^text.h5$')" ] || say_fail "bad input left files: $(ls -A)"

# ---- a file of its own: plane group without loss grid, both integrators, attributes
"$T" --pair b1_1,b2_1 --start "-7.4,8.9;15,-2" --epochs 2e5 --gradient-tolerance 1e-5 -o own.h5 2>/dev/null \
  || say_fail "own-file run"
"$PY" - own.h5 <<'EOF' || fail=1
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    g = f["planes/b1_1,b2_1"]
    assert "loss" not in g and g.attrs["x_parameter"] == "b1_1" and g.attrs["y_index"] == 8, dict(g.attrs)
    assert f.attrs["tool"] == "xorscape-trajectory" and f.attrs["batch"] == "nonrandomized"
    assert f.attrs["center_source"].startswith("published solution 1") and f.attrs["dimension"] == 9
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
    assert t["0"]["x"].dims[0][0].name.endswith("/epoch")
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

# ---- SIGINT: stops within a second with status 130 and a checkpoint, nothing under the output name
"$T" --pair b1_1,b2_1 --start 15,-2 --integrator gd --gradient-tolerance 0 --epochs 1e12 -o interrupted.h5 2>sigint.err &
pid=$!
sleep 1.5
start=$(date +%s%N)
kill -INT "$pid"
wait "$pid"; status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$status" = 130 ] || say_fail "SIGINT exit status $status, expected 130 ($(cat sigint.err))"
[ "$ms" -lt 1000 ] || say_fail "SIGINT: exited $ms ms after the signal"
[ ! -e interrupted.h5 ] && [ -e interrupted.h5.checkpoint.h5 ] || say_fail "SIGINT: $(ls -A | grep interrupted)"
grep -q "checkpoint written" sigint.err || say_fail "SIGINT message: $(cat sigint.err)"
expect_status 2 "--resume: '.*interrupted.h5.checkpoint.h5' holds an interrupted run" "$T" --pair b1_1,b2_1 --start 15,-2 -o interrupted.h5
rm -f interrupted.h5.checkpoint.h5

# ---- the checkpoint contract: kill -9 / SIGTERM, then --resume gives the uninterrupted numbers
starts="-7.4,8.9;15,-2;-3,10;1,1;5,5;-5,-5;10,3;-10,2"
kill_resume trajectory 6 "$T" --pair b1_1,b2_1 --start "$starts" --integrator gd --gradient-tolerance 0 --epochs 2e6 --threads 1
# --into resumes too: the checkpoint sits next to the slice file, the slice is changed once at the end.
cp slice-before.h5 into-whole.h5; cp slice-before.h5 into-part.h5
into_args=(--pair b1_1,b2_1 --start "$starts" --integrator gd --gradient-tolerance 0 --epochs 2e6 --threads 1)
"$T" --into into-whole.h5 "${into_args[@]}" 2>/dev/null || say_fail "--into uninterrupted"
"$T" --into into-part.h5 "${into_args[@]}" --checkpoint-every 0.2 2>/dev/null &
pid=$!
waited=0
while [ ! -e into-part.h5.checkpoint.h5 ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 3000 ]; do sleep 0.01; waited=$((waited + 1)); done
kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
[ -e into-part.h5.checkpoint.h5 ] || say_fail "--into: no periodic checkpoint"
"$PY" "$SRC/tests/golden/same_numbers.py" slice-before.h5 into-part.h5 >/dev/null || say_fail "--into: killed run changed the slice file"
expect_status 2 "--resume: '.*into-part.h5.checkpoint.h5' holds an interrupted run" "$T" --into into-part.h5 "${into_args[@]}"
"$T" --into into-part.h5 "${into_args[@]}" --resume 2>/dev/null || say_fail "--into --resume"
"$PY" "$SRC/tests/golden/same_numbers.py" into-whole.h5 into-part.h5 || say_fail "--into: resumed numbers differ"
[ ! -e into-part.h5.checkpoint.h5 ] || say_fail "--into: checkpoint left after --resume"
expect_status 2 "--resume: nothing to resume" "$T" --into into-part.h5 "${into_args[@]}" --resume

# ---- starts named by points of other files, with the network checked
"$T" --pair b1_1,b2_1 --start=-7.4,8.9 --integrator flow -o single.h5 2>/dev/null || say_fail "one trajectory"
"$T" --start-params single.h5:end --integrator flow --epochs 1e4 -o from_end.h5 2>/dev/null || say_fail "--start-params single.h5:end"
expect_status 2 "--start-params: 'single.h5' describes another network" "$T" --start-params single.h5:end --n-hidden 3 -o bad.h5
"$T" --start-params 3 --integrator gd --epochs 100 -o from_3.h5 2>/dev/null || say_fail "--start-params 3"
"$BIN/xorscape-slice" --pair w1_22,b1_1 --resolution 9 -o real_slice.h5 >/dev/null || say_fail "xorscape-slice"
"$T" --center real_slice.h5:center --pair w1_22,b1_1 --start=-5,10 --integrator flow -o from_slice.h5 2>/dev/null \
  || say_fail "--center real_slice.h5:center"
# Parameters of size 1e300 (ReLU hidden units): the gradient is finite, its squared norm is not.
"$T" --activation relu --start-params w1_11=1e300,w1_12=1e300,w1_21=0,w1_22=0,b1_1=1e300,b1_2=0,w2_11=1e-300,w2_12=0,b2_1=0 \
  --integrator gd --epochs 100 -o huge.h5 2>/dev/null || say_fail "1e300 start"
"$PY" - <<'EOF' || fail=1
import h5py, numpy as np
with h5py.File("single.h5", "r") as a, h5py.File("from_end.h5", "r") as b:
    t = b["full_space/trajectories/0"]
    assert np.array_equal(t.attrs["start_parameters"], a["planes/b1_1,b2_1/trajectories/0"].attrs["end_parameters"])
    assert t.attrs["start_source"] == "single.h5:end", t.attrs["start_source"]
with h5py.File("from_3.h5", "r") as f:
    t = f["full_space/trajectories/0"]
    assert t.attrs["start_source"].startswith("published solution 3") and "start_note" in t.attrs, dict(t.attrs)
with h5py.File("from_slice.h5", "r") as f:
    assert f.attrs["center_source"] == "real_slice.h5:center"
with h5py.File("huge.h5", "r") as f:
    for k in f["full_space/trajectories"]:
        t = f["full_space/trajectories"][k]
        assert t.attrs["outcome"] != "diverged" and t.attrs["final_epoch"] > 0, dict(t.attrs)
print("points ok")
EOF
"$PY" "$SRC/tests/xarray_check.py" own.h5 slice.h5 from_end.h5 into-part.h5 >/dev/null \
  || { say_fail "xarray_check"; "$PY" "$SRC/tests/xarray_check.py" own.h5 slice.h5 from_end.h5 | head -5; }

# ---- --bench prints rates
bench=$("$T" --bench --epochs 2e5 2>&1) || say_fail "--bench failed"
grep -q "epochs/s" <<<"$bench" && grep -q "gradient evaluations" <<<"$bench" || say_fail "--bench output: $bench"

# ---- both Figure 6 scripts render
"$PY" "$SRC/plots/fig6_trajectories.py" slice.h5 -o fig6 >/dev/null || say_fail "python plot"
[ -s fig6.png ] && [ -s fig6.pdf ] || say_fail "python plot wrote no image"
gnuplot -e "file='slice.h5'; bin='$BIN'; out='fig6-gp.png'" "$SRC/plots/fig6_trajectories.gp" 2>gp.err || say_fail "gnuplot: $(cat gp.err)"
[ -s fig6-gp.png ] || say_fail "gnuplot wrote no image"
! grep -q "h5dump\|h5ls" "$SRC/plots/fig6_trajectories.gp" || say_fail "fig6_trajectories.gp still reads h5dump/h5ls"
# The report reads the step's file (a small stand-in under its name) and shows commands as typed.
mkdir report && cp slice.h5 report/fig6.h5
rows=$("$PY" "$SRC/plots/report_trajectory.py" report) || say_fail "report_trajectory.py exited non-zero"
grep -q '^| ' <<<"$rows" || say_fail "report_trajectory.py printed: $rows"
grep -q "$BIN" <<<"$rows" && say_fail "report_trajectory.py shows the build folder: $rows"
[ "$fail" = 0 ] && echo "e2e_trajectory: all checks passed"
exit $fail
