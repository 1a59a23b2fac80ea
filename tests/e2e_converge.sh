#!/usr/bin/env bash
# xorscape-converge end to end: a sweep read back with h5py (and opened by xarray), the same
# numbers at any --threads, and the checkpoint contract (kill -9 / SIGTERM, then --resume).
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
C="$BIN/xorscape-converge"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
source "$SRC/tests/lib/expect_status.sh"
source "$SRC/tests/lib/kill_resume.sh"
cd "$work"
expect_status 0 "" "$C" --help
expect_status 0 "" "$C" --version
"$C" --runs 4 --resolution 5 --range -4:4 --epochs 20000 --parameters w1_11,b2_1 -o c1.h5 --threads 1 || fail=1
"$C" --runs 4 --resolution 5 --range -4:4 --epochs 20000 --parameters w1_11,b2_1 -o c2.h5 --threads 2 || fail=1
/usr/bin/python3 "$SRC/tests/golden/same_numbers.py" c1.h5 c2.h5 || { echo "FAIL: --threads changed the numbers"; fail=1; }
# A center named by a point of another tool's output, with its network checked.
"$C" --runs 2 --resolution 3 --range -1:1 --epochs 2000 --parameters b2_1 --center c1.h5:center -o c3.h5 || fail=1
expect_status 2 "--center" "$C" --n-hidden 3 --center c1.h5 -o c4.h5
expect_status 2 "--center" "$C" --activation tanh --center c1.h5 -o c4.h5
/usr/bin/python3 - <<'PYEOF' || fail=1
import h5py, numpy as np
with h5py.File("c1.h5", "r") as f:
    assert f["tau_conv"].shape == (2, 5)
    assert f["tau_conv"][0, 2] == 0  # no shift: solution 1 is already below the threshold
    assert [s.decode() if isinstance(s, bytes) else s for s in f["parameter"][()]] == ["w1_11", "b2_1"]
    assert f["tau_conv"].dims[1][0].name.endswith("shift")
    assert np.all(np.isfinite(f["mean_loss"][()]))
    assert f.attrs["center_source"].startswith("published solution 1")
    assert f.attrs["hidden_activation"] == "sigmoid" and f.attrs["n_hidden"] == 2
with h5py.File("c3.h5", "r") as f:
    assert f.attrs["center_source"] == "c1.h5:center"
print("read-back ok")
PYEOF
# The reference path runs long enough to be interrupted between checkpoints.
kill_resume converge 4 "$C" --reference --runs 4 --resolution 9 --range -8:8 --epochs 400000 --parameters w1_11,b1_1 --threads 1
[ "$fail" = 0 ] && echo "e2e_converge: all checks passed"
exit $fail
