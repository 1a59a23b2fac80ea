#!/usr/bin/env bash
# xorscape-slice end to end: bad input -> status 2 with one line, a stop by a signal (status 130,
# within a second even inside a huge row, nothing left behind), real runs read back with h5py
# (values recomputed by an independent numpy forward pass) and opened by xarray, thread-count
# independence of randomized slices, centers named by points of other tools' files, and every
# slice plot script renders.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
PY=/usr/bin/python3
TOOL="$BIN/xorscape-slice"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
source "$(dirname "${BASH_SOURCE[0]}")/lib/expect_status.sh"
cd "$work"
o=(-o "$work/bad.h5")
expect_status 0 "" "$TOOL" --help
expect_status 0 "" "$TOOL" --version
expect_status 2 "--pair: unknown parameter 'zz'" "$TOOL" --pair b1_1,zz "${o[@]}"
expect_status 2 "--pair: pair 'b1_1,b1_1' names the same parameter twice" "$TOOL" --pair b1_1,b1_1 "${o[@]}"
expect_status 2 "--pair: 'b1_1' is not A,B" "$TOOL" --pair b1_1 "${o[@]}"
expect_status 2 "--pairs: unknown parameter 'w9'" "$TOOL" --pairs "b1_1,b2_1;w9,b1_1" "${o[@]}"
expect_status 2 "--pairs: give --pair or --pairs" "$TOOL" --pair b1_1,b2_1 --pairs all "${o[@]}"
expect_status 2 "--range: range '5:-5' is empty or reversed" "$TOOL" --range 5:-5 "${o[@]}"
expect_status 2 "--range: range '3:3' is empty or reversed" "$TOOL" --range 3:3 "${o[@]}"
expect_status 2 "--range:" "$TOOL" --range "-1:1,2:1" "${o[@]}"
expect_status 2 "--range: 'nan' is not a number\|--range: must be a finite" "$TOOL" --range nan:1 "${o[@]}"
expect_status 2 "--range-x: range '1:0' is empty or reversed" "$TOOL" --range-x 1:0 "${o[@]}"
expect_status 2 "--resolution: resolution must be at least 2" "$TOOL" --resolution 1 "${o[@]}"
expect_status 2 "--resolution: resolution must be at least 2" "$TOOL" --resolution 10x1 "${o[@]}"
expect_status 2 "--resolution: 'ax3' is not N or NxM" "$TOOL" --resolution ax3 "${o[@]}"
expect_status 2 "--simd: 'sse9' is not a SIMD level" "$TOOL" --simd sse9 "${o[@]}"
expect_status 2 "--scans: only with --batch randomized" "$TOOL" --scans 5 "${o[@]}"
expect_status 2 "--scans: must be at least 1" "$TOOL" --batch randomized --scans 0 "${o[@]}"
expect_status 2 "--batch: 'sometimes' is not" "$TOOL" --batch sometimes "${o[@]}"
expect_status 2 "--center: published solution 9 does not exist" "$TOOL" --center 9 "${o[@]}"
expect_status 2 "--center:" "$TOOL" --center no-such-file.txt "${o[@]}"
expect_status 2 "--center: published solution 1 has n_h = 2, not 3" "$TOOL" --n-hidden 3 --center 1 "${o[@]}"
expect_status 2 "--deflate: must be 0 (none) to 9" "$TOOL" --deflate 12 "${o[@]}"
expect_status 2 "--plateau-tolerance" "$TOOL" --plateau-tolerance 0.2 "${o[@]}"
expect_status 2 "--output: folder" "$TOOL" -o "$work/missing/x.h5"
[ -e "$work/bad.h5" ] && { echo "FAIL: a rejected run left bad.h5"; fail=1; }

# SIGINT/SIGTERM stop a run cleanly, also inside one row of two billion scans: status 130 within a
# second, one line, and no file (not even a temporary).
mkdir stopped
stop_within_a_second() {  # stop_within_a_second SIGNAL ARGS...
  local signal="$1"; shift
  "$TOOL" "$@" -o stopped/stop.h5 2>stopped.err >/dev/null &
  local pid=$!
  sleep 1.5
  local start; start=$(date +%s%N)
  kill -"$signal" "$pid"
  wait "$pid"; local status=$?
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$status" = 130 ] || { echo "FAIL: SIG$signal $*: status $status, expected 130"; fail=1; }
  [ "$ms" -lt 1000 ] || { echo "FAIL: SIG$signal $*: exited $ms ms after the signal"; fail=1; }
  grep -q "stopped by a signal; nothing was written" stopped.err || { echo "FAIL: SIG$signal message: $(cat stopped.err)"; fail=1; }
  [ -z "$(ls -A stopped)" ] || { echo "FAIL: an interrupted run left $(ls -A stopped)"; fail=1; }
}
stop_within_a_second INT --resolution 4001 --pairs all
stop_within_a_second TERM --batch randomized --scans 2000000000
stop_within_a_second TERM --batch randomized --scans 2000000000 --bench

# Real runs.
"$TOOL" --pairs all --resolution 21x17 --range=-15:15,-10:12 -o all.h5 --threads 2 >/dev/null || { echo "FAIL: all pairs"; fail=1; }
expect_status 2 "--output: '.*all.h5' exists; use --force" "$TOOL" -o "$work/all.h5"
"$TOOL" --batch randomized --scans 9 --pairs "b1_1,b2_1;w1_22,b1_1" --resolution 33x29 --seed 5 --threads 1 -o r1.h5 >/dev/null || fail=1
"$TOOL" --batch randomized --scans 9 --pairs "b1_1,b2_1;w1_22,b1_1" --resolution 33x29 --seed 5 --threads 2 -o r2.h5 >/dev/null || fail=1
"$TOOL" --batch randomized --scans 9 --pairs "b1_1,b2_1;w1_22,b1_1" --resolution 33x29 --seed 5 --threads 2 --simd scalar -o rs.h5 >/dev/null || fail=1
if ! h5diff r1.h5 r2.h5 /planes /planes >/dev/null; then echo "FAIL: randomized slices differ between 1 and 2 threads"; fail=1; fi
"$TOOL" --n-hidden 3 --activation tanh --data xor-centered --pairs all --resolution 9 \
  --center "w1_11=1,w1_12=-2,w1_21=0.5,w1_22=3,w1_31=-1,w1_32=1,b1_1=0.2,b1_2=-0.3,b1_3=0.1,w2_11=2,w2_12=-1,w2_13=1.5,b2_1=-0.5" \
  -o n3.h5 >/dev/null || { echo "FAIL: n_h = 3 run"; fail=1; }

# Centers named by points of other tools' outputs, with the network checked.
"$BIN/xorscape-train" --seeds 2 --epochs 2000 --seed 3 -o train.h5 >/dev/null 2>&1 || { echo "FAIL: train for --center"; fail=1; }
"$TOOL" --center train.h5:run=1 --resolution 9 -o c_train.h5 >/dev/null || { echo "FAIL: --center train.h5:run=1"; fail=1; }
expect_status 2 "--center: 'train.h5' describes another network" "$TOOL" --center train.h5:run=1 --n-hidden 3 -o "$work/bad.h5"
expect_status 2 "--center: 'train.h5:run=7'" "$TOOL" --center train.h5:run=7 -o "$work/bad.h5"
"$TOOL" --center all.h5:center --pair w2_11,w2_12 --resolution 9 -o c_slice.h5 >/dev/null || { echo "FAIL: --center all.h5:center"; fail=1; }
"$BIN/xorscape-stationary" --starts 6 --seed 28 -o census.h5 >/dev/null 2>&1 || { echo "FAIL: stationary for --center"; fail=1; }
"$TOOL" --activation tanh --output-activation tanh --data xor-pm --center census.h5:class=0 --resolution 9 -o c_census.h5 \
  >/dev/null || { echo "FAIL: --center census.h5:class=0"; fail=1; }
expect_status 2 "--center: 'census.h5' describes another network" "$TOOL" --center census.h5:class=0 -o "$work/bad.h5"
"$TOOL" --center 3 --resolution 9 -o c_3.h5 >/dev/null || { echo "FAIL: --center 3"; fail=1; }
# Every group of every slice file opens in xarray (every axis has a dimension scale).
"$PY" "$SRC/tests/xarray_check.py" all.h5 r1.h5 n3.h5 c_train.h5 c_census.h5 >/dev/null || { echo "FAIL: xarray_check"; "$PY" "$SRC/tests/xarray_check.py" all.h5 r1.h5 n3.h5 | head -5; fail=1; }

"$PY" - "$work" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
import xarray as xr
work = sys.argv[1]
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what); ok = False

def activation(name, z):
    return {"sigmoid": lambda v: 0.5 * (1 + np.tanh(0.5 * v)), "tanh": np.tanh,
            "relu": lambda v: np.maximum(v, 0), "identity": lambda v: v}[name](z)

DATA = {"xor": [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)],
        "xor-centered": [(-1, -1, 0), (-1, 1, 1), (1, -1, 1), (1, 1, 0)]}

def loss(f, p, batch=(0, 1, 2, 3)):
    n = int(f.attrs["n_hidden"]); h_act = f.attrs["hidden_activation"]; o_act = f.attrs["output_activation"]
    total = 0.0
    for m in batch:
        x1, x2, t = DATA[f.attrs["data"]][m]
        u = p[4 * n]
        for i in range(n):
            u += p[3 * n + i] * activation(h_act, p[2 * i] * x1 + p[2 * i + 1] * x2 + p[2 * n + i])
        total += (activation(o_act, u) - t) ** 2
    return 0.25 * total

rng = np.random.default_rng(1)
for name, planes in (("all.h5", 36), ("n3.h5", 78)):
    with h5py.File(f"{work}/{name}", "r") as f:
        check(len(f["planes"]) == planes, f"{name}: {len(f['planes'])} planes, expected {planes}")
        check(list(f["parameter_names"].asstr()[()]) == [s for s in f["center"].attrs["names"]], f"{name}: names")
        center = f["center"][()]
        for key in list(f["planes"])[::5]:
            g = f["planes"][key]
            a, b = int(g.attrs["x_index"]), int(g.attrs["y_index"])
            check(key == f"{g.attrs['x_parameter']},{g.attrs['y_parameter']}", f"{name}: group name {key}")
            L = g["loss"][()]
            check(L.shape == (len(g["y"]), len(g["x"])), f"{name}/{key}: shape")
            check(np.all(np.isfinite(L)), f"{name}/{key}: non-finite loss")
            check(g["loss"].dims[1][0].name.endswith("/x") and g["loss"].dims[0][0].name.endswith("/y"), "scales")
            for _ in range(5):
                i, j = rng.integers(len(g["x"])), rng.integers(len(g["y"]))
                p = center.copy(); p[a] += g["x"][i]; p[b] += g["y"][j]
                want = loss(f, p)
                check(abs(L[j, i] - want) <= 1e-12 * max(abs(want), 1e-300) + 1e-15, f"{name}/{key}[{j},{i}] {L[j, i]} vs {want}")
            fr = g["plateau_fraction"][()]
            tol = g["plateau_fraction"].attrs["plateau_tolerance"]
            for k, level in enumerate(g["plateau_levels"][()]):
                check(abs(fr[k] - np.mean(np.abs(L - level) <= tol)) < 1e-12, f"{name}/{key}: plateau {level}")
            check(g["histogram"][()].sum() + g["histogram"].attrs["above_last_edge"] == L.size, "histogram total")
with h5py.File(f"{work}/all.h5", "r") as f:
    g = f["planes/b1_1,b2_1"]
    check(abs(g["x"][0] + 15) < 1e-15 and abs(g["x"][-1] - 15) < 1e-15 and abs(g["y"][0] + 10) < 1e-15 and abs(g["y"][-1] - 12) < 1e-15, "ranges")
with h5py.File(f"{work}/train.h5", "r") as t, h5py.File(f"{work}/c_train.h5", "r") as f:
    check(np.array_equal(f["center"][()], t["runs/final_parameters"][1]), "--center train.h5:run=1 is run 1's final point")
    check(f.attrs["center_source"] == "train.h5:run=1", f"center_source {f.attrs['center_source']}")
with h5py.File(f"{work}/all.h5", "r") as a, h5py.File(f"{work}/c_slice.h5", "r") as f:
    check(np.array_equal(f["center"][()], a["center"][()]), "--center all.h5:center")
with h5py.File(f"{work}/c_census.h5", "r") as f:
    check(f.attrs["hidden_activation"] == "tanh" and f.attrs["center_source"] == "census.h5:class=0", "census center")
with h5py.File(f"{work}/c_3.h5", "r") as f:
    check("center_note" in f.attrs and f.attrs["center_source"].startswith("published solution 3"), "published row 3 note")
    check(list(f["center"].dims[0][0].asstr()[()]) == [n for n in f["parameter_names"].asstr()[()]], "center scale")
with xr.open_dataset(f"{work}/all.h5", engine="h5netcdf", group="planes/b1_1,b2_1") as ds:
    check(ds["histogram"].dims == ("histogram_bin",) and ds["loss"].dims == ("y", "x"), f"xarray dims {ds['loss'].dims}")
    with h5py.File(f"{work}/all.h5", "r") as f:
        g = f["planes/b1_1,b2_1"]
        check(np.array_equal(ds["loss"].values, g["loss"][()]) and np.array_equal(ds["x"].values, g["x"][()]), "xarray values")
        j, i = int(np.argmin(np.abs(g["y"][()]))), int(np.argmin(np.abs(g["x"][()])))
        check(float(ds["loss"].sel(x=0.0, y=0.0, method="nearest")) == g["loss"][j, i], "xarray sel")
with h5py.File(f"{work}/r1.h5", "r") as f, h5py.File(f"{work}/rs.h5", "r") as s:
    check(f.attrs["batch"] == "randomized" and int(f.attrs["scans"]) == 9, "randomized attributes")
    for key in f["planes"]:
        g = f["planes"][key]
        for d in ("loss", "loss_mean", "loss_std", "loss_nonrandomized"):
            check(np.allclose(g[d][()], s["planes"][key][d][()], rtol=1e-12, atol=1e-15), f"simd scalar vs auto {key}/{d}")
        check(np.all(g["loss_std"][()] >= 0), "std >= 0")
        # Every randomized value is a mean of four of the point's four case losses: within [0, 1].
        check(np.all((g["loss"][()] >= 0) & (g["loss"][()] <= 1)), "randomized loss range")
sys.exit(0 if ok else 1)
PYEOF

# Plot scripts render (Python: PNG and PDF; gnuplot: PNG).
"$PY" "$SRC/plots/slice_fig7.py" r1.h5 -o fig7 >/dev/null || { echo "FAIL: slice_fig7.py"; fail=1; }
"$PY" "$SRC/plots/slice_contact_sheet.py" r1.h5 -o sheet >/dev/null || { echo "FAIL: slice_contact_sheet.py"; fail=1; }
"$PY" "$SRC/plots/slice_planes.py" r1.h5 -o planes >/dev/null || { echo "FAIL: slice_planes.py"; fail=1; }
gnuplot -e "file='r1.h5'; out='fig7-gnuplot.png'; export='$BIN/xorscape-export'" "$SRC/plots/slice_fig7.gp" >gp7.log 2>&1 \
  || { echo "FAIL: slice_fig7.gp: $(tail -2 gp7.log)"; fail=1; }
gnuplot -e "file='all.h5'; out='sheet-gnuplot.png'; export='$BIN/xorscape-export'" "$SRC/plots/slice_contact_sheet.gp" >gps.log 2>&1 \
  || { echo "FAIL: slice_contact_sheet.gp: $(tail -2 gps.log)"; fail=1; }
for image in fig7.png fig7.pdf sheet.png sheet.pdf planes.png planes.pdf fig7-gnuplot.png sheet-gnuplot.png; do
  [ -s "$image" ] || { echo "FAIL: $image was not written"; fail=1; }
done
! grep -l "h5dump\|h5ls" "$SRC"/plots/slice_*.gp >/dev/null || { echo "FAIL: a slice gnuplot script still reads h5dump/h5ls"; fail=1; }
# Slices along any directions (--directions): bad input, then random, three-point, line, pca and
# file planes read back; values at random grid points recomputed by an independent numpy forward
# pass, curvature against numpy finite differences, the stored frame and path projection checked.
expect_status 2 "--directions: 'sideways' is not pair, random, points, pca or file" "$TOOL" --directions sideways "${o[@]}"
expect_status 2 "--points: only with --directions" "$TOOL" --points "1;2;5" "${o[@]}"
expect_status 2 "--curvature: only with --directions" "$TOOL" --curvature "${o[@]}"
expect_status 2 "--points: the first two points coincide" "$TOOL" --directions points --points "1;1;2" "${o[@]}"
expect_status 2 "--points: give two points" "$TOOL" --directions points --points "1" "${o[@]}"
expect_status 2 "--center: not with --directions points" "$TOOL" --directions points --points "1;2;5" --center 2 "${o[@]}"
expect_status 2 "--batch: not with --directions" "$TOOL" --directions random --batch randomized "${o[@]}"
expect_status 2 "--path: --directions pca needs a trajectory" "$TOOL" --directions pca "${o[@]}"
expect_status 2 "--range-y: a 1-D cut has no y" "$TOOL" --directions random --line --range-y 0:1 "${o[@]}"
[ -e "$work/bad.h5" ] && { echo "FAIL: a rejected --directions run left bad.h5"; fail=1; }
"$BIN/xorscape-trajectory" --start-params "w1_11=1.2,w1_12=-0.8,w1_21=-0.6,w1_22=1.1,b1_1=0.3,b1_2=-0.2,w2_11=0.7,w2_12=-0.9,b2_1=0.1" \
  --integrator gd --epochs 1e5 -o path.h5 >/dev/null 2>&1 || { echo "FAIL: trajectory for --path"; fail=1; }
"$TOOL" --directions random --curvature --seed 4 --resolution 41x37 --threads 2 -o dir_random.h5 >/dev/null || { echo "FAIL: --directions random"; fail=1; }
"$TOOL" --directions points --points "1;2;5" --curvature --resolution 45x39 --path path.h5 -o dir_points.h5 >/dev/null || { echo "FAIL: --directions points"; fail=1; }
"$TOOL" --directions points --points "1;2" --resolution 101 -o dir_line.h5 >/dev/null || { echo "FAIL: --directions points (line)"; fail=1; }
"$TOOL" --directions random --line --center 2 --range=-2:2 --resolution 33 -o dir_rline.h5 >/dev/null || { echo "FAIL: --directions random --line"; fail=1; }
"$TOOL" --directions pca --path path.h5 --curvature --resolution 31x29 -o dir_pca.h5 >/dev/null || { echo "FAIL: --directions pca"; fail=1; }
"$TOOL" --directions file --direction-file dir_random.h5 --seed 4 --resolution 41x37 --threads 1 -o dir_file.h5 >/dev/null || { echo "FAIL: --directions file"; fail=1; }
"$TOOL" --directions pair --pair b1_1,b2_1 --resolution 21x17 --range=-15:15,-10:12 -o dir_pair.h5 >/dev/null || { echo "FAIL: --directions pair"; fail=1; }
"$PY" "$SRC/tests/xarray_check.py" dir_random.h5 dir_points.h5 dir_line.h5 dir_pca.h5 >/dev/null || { echo "FAIL: xarray_check of --directions files"; fail=1; }
"$PY" - "$work" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what); ok = False
sig = lambda z: 1 / (1 + np.exp(-z))
CASES = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
def loss(p):
    return 0.25 * sum((sig(p[6] * sig(p[0]*a + p[1]*b + p[4]) + p[7] * sig(p[2]*a + p[3]*b + p[5]) + p[8]) - t) ** 2 for a, b, t in CASES)
def fd_hessian(p, h=1e-4):
    H = np.zeros((9, 9))
    for i in range(9):
        for j in range(9):
            def at(di, dj):
                q = p.copy(); q[i] += di; q[j] += dj; return loss(q)
            H[i, j] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)
    return 0.5 * (H + H.T)
rng = np.random.default_rng(5)
def recompute(name, curvature):
    with h5py.File(name, "r") as f:
        g = f["plane"] if "plane" in f else f["line"]
        c, d1 = g["center"][()], g["d1"][()]
        d2 = g["d2"][()] if "d2" in g else np.zeros(9)
        x = g["x"][()]; y = g["y"][()] if "y" in g else np.zeros(1)
        L = g["loss"][()].reshape(len(y), len(x))
        for _ in range(25):
            i, j = rng.integers(len(x)), rng.integers(len(y))
            p = c + x[i] * d1 + y[j] * d2
            check(abs(L[j, i] - loss(p)) < 1e-12, f"{name}: loss at ({x[i]}, {y[j]}) {L[j, i]} vs {loss(p)}")
        if curvature:
            lo, hi = g["min_eigenvalue"][()], g["max_eigenvalue"][()]
            neg, gn = g["negative_eigenvalues"][()], g["gradient_norm"][()]
            for _ in range(6):
                i, j = rng.integers(len(x)), rng.integers(len(y))
                w = np.linalg.eigvalsh(fd_hessian(c + x[i] * d1 + y[j] * d2))
                s = max(1e-2, abs(w).max())
                check(abs(lo[j, i] - w[0]) < 1e-5 * s and abs(hi[j, i] - w[-1]) < 1e-5 * s,
                      f"{name}: eigenvalues {lo[j, i]}, {hi[j, i]} vs finite differences {w[0]}, {w[-1]}")
                if np.all(abs(w) > 1e-4 * s):
                    check(neg[j, i] == np.sum(w < 0), f"{name}: index {neg[j, i]} vs {np.sum(w < 0)}")
            check(np.all(gn >= 0) and np.all(neg >= 0) and np.all(neg <= 9), f"{name}: curvature ranges")
        return f, g.attrs
for name, curvature in [("dir_random.h5", True), ("dir_points.h5", True), ("dir_line.h5", False),
                        ("dir_rline.h5", False), ("dir_pca.h5", True), ("dir_pair.h5", False)]:
    recompute(f"{sys.argv[1]}/{name}", curvature)
w = sys.argv[1]
with h5py.File(f"{w}/dir_random.h5", "r") as f:
    g = f["plane"]; c = g["center"][()]
    check(g.attrs["method"] == "random", "random: method")
    for d in (g["d1"][()], g["d2"][()]):
        for block in ([0, 1, 4], [2, 3, 5], [6, 7, 8]):
            check(abs(np.linalg.norm(d[block]) - np.linalg.norm(c[block])) < 1e-12, f"random: filter norm of {block}")
    check(np.array_equal(f["center"][()], c), "random: /center is the plane's center")
with h5py.File(f"{w}/dir_file.h5", "r") as f, h5py.File(f"{w}/dir_random.h5", "r") as r:
    check(np.array_equal(f["plane/loss"][()], r["plane/loss"][()]), "file: directions from a file reproduce the random plane")
with h5py.File(f"{w}/dir_points.h5", "r") as f:
    g = f["plane"]
    check(list(g["point"].asstr()[()]) == ["published solution %d (Table 2)" % n for n in (1, 2, 5)], f"points: labels {list(g['point'][()])}")
    check(np.all(g["point_residual"][()] < 1e-10), "points: the three points lie on the plane")
    P = g["point_parameters"][()]
    back = g["center"][()] + np.outer(g["point_x"][()], g["d1"][()]) + np.outer(g["point_y"][()], g["d2"][()])
    check(np.allclose(back, P, atol=1e-10), "points: stored coordinates give the points back")
    x, y = g["x"][()], g["y"][()]
    check(x[0] <= g["point_x"][()].min() and x[-1] >= g["point_x"][()].max(), "points: the default range holds the points")
    p = g["path"]
    check(0 <= p.attrs["captured_variance"] <= 1, "points: captured variance")
    steps = p["parameters"][()]
    check(abs(p["loss"][()][0] - loss(steps[0])) < 1e-12, "points: path loss")
    rx = (steps - g["center"][()]) @ g["d1"][()]
    check(np.allclose(rx, p["x"][()], atol=1e-9), "points: path x is the projection on the orthonormal d1")
with h5py.File(f"{w}/dir_line.h5", "r") as f:
    g = f["line"]; x = g["x"][()]
    check(g["loss"].shape == (101,) and abs(x[0] + 0.5) < 1e-15 and abs(x[-1] - 1.5) < 1e-15, "line: t from -0.5 to 1.5")
    check(np.allclose(g["point_x"][()], [0, 1]), "line: the two points at t = 0 and 1")
with h5py.File(f"{w}/dir_pca.h5", "r") as f:
    g = f["plane"]; ev = g.attrs["explained_variance_ratio"]
    steps = g["path/parameters"][()]
    check(np.allclose(g["center"][()], steps[-1]), "pca: center is the path's end")
    X = steps - steps.mean(axis=0)
    w_ = np.linalg.eigvalsh(X.T @ X)[::-1]
    check(np.allclose(ev, w_[:2] / w_.sum(), atol=1e-9), f"pca: explained variance {ev} vs {w_[:2] / w_.sum()}")
    check(abs(g["path"].attrs["captured_variance"] - ev.sum()) < 1e-9, "pca: captured = explained by the two components")
    check(abs(g["path/x"][()][-1]) < 1e-9 and abs(g["path/y"][()][-1]) < 1e-9, "pca: path ends at the origin")
with h5py.File(f"{w}/dir_pair.h5", "r") as f, h5py.File(f"{w}/all.h5", "r") as a:
    check(np.allclose(f["plane/loss"][()], a["planes/b1_1,b2_1/loss"][()], rtol=0, atol=1e-14),
          "pair: the general evaluator reproduces the axis-plane kernel")
sys.exit(0 if ok else 1)
PYEOF

for name in dir_points dir_line dir_pca; do
  "$PY" "$SRC/plots/slice_directions.py" $name.h5 -o plot_$name >/dev/null 2>plot_$name.log || { echo "FAIL: slice_directions.py $name: $(tail -2 plot_$name.log)"; fail=1; }
  [ -s plot_$name.png ] && [ -s plot_$name.pdf ] || { echo "FAIL: plot_$name.png/pdf not written"; fail=1; }
done
gnuplot -e "file='dir_points.h5'; out='dir-gnuplot.png'; export='$BIN/xorscape-export'" "$SRC/plots/slice_directions.gp" >gpd.log 2>&1 \
  || { echo "FAIL: slice_directions.gp: $(tail -2 gpd.log)"; fail=1; }
[ -s dir-gnuplot.png ] || { echo "FAIL: dir-gnuplot.png not written"; fail=1; }
# ParaView/VisIt: --xdmf writes FILE.xdmf next to FILE.h5; every DataItem names a dataset of the
# file with the stated shape and type, and every (y, x) grid of every plane is listed.
"$TOOL" --directions points --points "1;2;5" --curvature --resolution 23x19 --xdmf -o x_dir.h5 >/dev/null || { echo "FAIL: --xdmf (directions)"; fail=1; }
"$TOOL" --pairs "b1_1,b2_1;w1_11,w1_12" --batch randomized --scans 3 --resolution 13x11 --xdmf -o x_axes.h5 >/dev/null || { echo "FAIL: --xdmf (axis planes)"; fail=1; }
printf 'mine\n' > lone.xdmf
expect_status 2 "--xdmf: '.*lone.xdmf' exists; use --force" "$TOOL" --directions random --xdmf -o "$work/lone.h5"
[ -e lone.h5 ] || [ "$(cat lone.xdmf)" != mine ] && { echo "FAIL: a refused --xdmf run wrote lone.h5 or changed lone.xdmf"; fail=1; }
expect_status 2 "--xdmf: a 1-D cut has no plane" "$TOOL" --directions random --line --xdmf -o "$work/bad.h5"
"$PY" - "$work" <<'PYEOF' || fail=1
import sys, h5py, numpy as np, xml.etree.ElementTree as ET
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what); ok = False
for stem, planes in [("x_dir", ["/plane"]), ("x_axes", ["/planes/b1_1,b2_1", "/planes/w1_11,w1_12"])]:
    root = ET.parse(f"{sys.argv[1]}/{stem}.xdmf").getroot()
    grids = [g for g in root.iter("Grid") if g.get("GridType") == "Uniform"]
    check(sorted(g.get("Name") for g in grids) == sorted(planes), f"{stem}: grids {[g.get('Name') for g in grids]}")
    with h5py.File(f"{sys.argv[1]}/{stem}.h5", "r") as f:
        for g in grids:
            topology = g.find("Topology")
            ny, nx = map(int, topology.get("Dimensions").split())
            check(topology.get("TopologyType") == "2DRectMesh", f"{stem}: topology")
            names = []
            for item in g.iter("DataItem"):
                file, path = item.text.split(":", 1)
                check(file == f"{stem}.h5", f"{stem}: file reference {file}")
                shape = tuple(map(int, item.get("Dimensions").split()))
                check(path in f and f[path].shape == shape, f"{stem}: {path} {shape}")
                kind = "Int" if np.issubdtype(f[path].dtype, np.integer) else "Float"
                check(item.get("NumberType") == kind and int(item.get("Precision")) == f[path].dtype.itemsize, f"{stem}: type of {path}")
            attributes = sorted(a.get("Name") for a in g.iter("Attribute"))
            expected = sorted(k for k, v in f[g.get("Name")].items() if isinstance(v, h5py.Dataset) and v.shape == (ny, nx))
            check(attributes == expected, f"{stem}: attributes {attributes} vs {expected}")
sys.exit(0 if ok else 1)
PYEOF
# The report script reads the step's files (here: small stand-ins under the step's names).
mkdir report && cp r1.h5 report/slice-fig7.h5 && cp all.h5 report/slice-all.h5
rows=$("$PY" "$SRC/plots/report_slice.py" report) || { echo "FAIL: report_slice.py exited non-zero"; fail=1; }
[ "$(grep -c '^| ' <<<"$rows")" -ge 4 ] || { echo "FAIL: report_slice.py printed: $rows"; fail=1; }
grep -q "$BIN" <<<"$rows" && { echo "FAIL: report_slice.py shows the build folder: $rows"; fail=1; }

[ "$fail" = 0 ] && echo "e2e_slice: all checks passed"
exit $fail
