#!/usr/bin/env bash
# xorscape-stationary end to end: bad input -> status 2 with one line; a small census whose
# file reads back with the documented layout (and opens in xarray, group by group); identical data
# at 1 and 2 threads; a census point used as another tool's center; --resume extending a finished
# file; the checkpoint contract (kill -9 / SIGTERM, then --resume); the plots and the report rows.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
TOOL="$BIN/xorscape-stationary"
PY=/usr/bin/python3
fail=0
tmp=$(mktemp -d)
work="$tmp"
trap 'rm -rf "$tmp"' EXIT
source "$SRC/tests/lib/expect_status.sh"
source "$SRC/tests/lib/kill_resume.sh"
o="$tmp/x.h5"
expect_status 0 "" "$TOOL" --help
expect_status 2 "--starts" "$TOOL" --starts 0 -o "$o"
expect_status 2 "--starts" "$TOOL" --starts 100000000000000 -o "$o"
expect_status 2 "--mu" "$TOOL" --mu -1 -o "$o"
expect_status 2 "--mu" "$TOOL" --mu nan -o "$o"
expect_status 2 "--mu" "$TOOL" --mu 1e306 -o "$o"
expect_status 2 "--reduction" "$TOOL" --reduction median -o "$o"
expect_status 2 "--output-bias" "$TOOL" --output-bias maybe -o "$o"
expect_status 2 "--regularise" "$TOOL" --regularise some -o "$o"
expect_status 2 "--activation" "$TOOL" --activation cosine -o "$o"
expect_status 2 "--output-activation" "$TOOL" --output-activation cosine -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --n-hidden 0 -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --n-hidden 7 -o "$o"
expect_status 2 "--data" "$TOOL" --data and -o "$o"
expect_status 2 "--tolerance" "$TOOL" --tolerance 0 -o "$o"
expect_status 2 "--tolerance" "$TOOL" --tolerance inf -o "$o"
expect_status 2 "--distinct" "$TOOL" --distinct -0.1 -o "$o"
expect_status 2 "--radius" "$TOOL" --radius inf -o "$o"
expect_status 2 "--radius" "$TOOL" --radius 1e308 -o "$o"
expect_status 2 "--radius" "$TOOL" --radius 1e160 -o "$o"
expect_status 2 "--solves" "$TOOL" --homotopy no --solves 0 -o "$o"
expect_status 2 "--solves" "$TOOL" --solves 2000000000 -o "$o"
expect_status 2 "--homotopy" "$TOOL" --homotopy sometimes -o "$o"
expect_status 2 "--complete-after" "$TOOL" --complete-after -3 -o "$o"
expect_status 2 "--inner-radius" "$TOOL" --inner-radius inf -o "$o"
expect_status 2 "--inner-radius" "$TOOL" --inner-radius 1000 -o "$o"
expect_status 2 "--degenerate" "$TOOL" --degenerate nan -o "$o"
expect_status 2 "--connect" "$TOOL" --connect maybe -o "$o"
expect_status 2 "--continue-mu" "$TOOL" --continue-mu 0.1 -o "$o"
expect_status 2 "--continue-mu" "$TOOL" --continue-mu 0.2:0.1 -o "$o"
expect_status 2 "--continue-mu" "$TOOL" --continue-mu 0:0.1 -o "$o"
expect_status 2 "--continue-mu" "$TOOL" --continue-mu 0.001:0.01 -o "$o"
expect_status 2 "--continue-mu" "$TOOL" --continue-mu 0.001:0.2x -o "$o"
expect_status 2 "--continue-points" "$TOOL" --continue-mu 0.001:0.2 --continue-points 1 -o "$o"
expect_status 2 "--connect-displacement" "$TOOL" --connect yes --connect-displacement 0 -o "$o"
expect_status 2 "--connect-displacement" "$TOOL" --connect yes --connect-displacement 2 -o "$o"
expect_status 2 "--connect-displacement" "$TOOL" --connect yes --connect-displacement nan -o "$o"
expect_status 2 "--output" "$TOOL" -o "$tmp/no/such/folder/x.h5"
expect_status 2 "--bogus" "$TOOL" --bogus
expect_status 2 "--resume" "$TOOL" --resume --starts 3 -o "$tmp/nothing.h5"
echo "not hdf5" > "$tmp/junk.h5"
expect_status 2 "--resume" "$TOOL" --resume --starts 3 -o "$tmp/junk.h5"
[ -z "$(ls -A "$tmp" | grep -v '^junk.h5$')" ] || { echo "FAIL: bad input left files: $(ls -A "$tmp")"; fail=1; }

run() { "$TOOL" --output-bias no --solves 3 --seed 5 "$@" >"$tmp/stdout" 2>"$tmp/err" || { echo "FAIL: $TOOL $* ($(cat "$tmp/err"))"; fail=1; }; }
run --starts 24 --threads 1 -o "$tmp/t1.h5"
grep -q '^classes: ' "$tmp/stdout" || { echo "FAIL: no summary printed"; fail=1; }
run --starts 24 --threads 2 -o "$tmp/t2.h5"
"$PY" "$SRC/tests/golden/same_numbers.py" "$tmp/t1.h5" "$tmp/t2.h5" || { echo "FAIL: --threads changed the numbers"; fail=1; }
expect_status 2 "exists" "$TOOL" --output-bias no --solves 3 --seed 5 --starts 24 -o "$tmp/t1.h5"
"$PY" "$SRC/tests/xarray_check.py" "$tmp/t1.h5" >/dev/null || { echo "FAIL: xarray cannot open t1.h5"; "$PY" "$SRC/tests/xarray_check.py" "$tmp/t1.h5"; fail=1; }
# --bench prints the summary and the rates and writes no file.
"$TOOL" --bench --starts 4 --solves 2 -o "$tmp/b.h5" 2>/dev/null | grep -q '^rates (this run' || { echo "FAIL: --bench printed no rates"; fail=1; }
[ -e "$tmp/b.h5" ] && { echo "FAIL: --bench wrote a file"; fail=1; }
# Extending a finished file: 12 trials, then --resume to 24, equals 24 at once.
run --starts 12 --threads 2 -o "$tmp/r.h5"
run --starts 24 --threads 1 --resume -o "$tmp/r.h5"
"$PY" "$SRC/tests/golden/same_numbers.py" "$tmp/t1.h5" "$tmp/r.h5" || { echo "FAIL: extending 12 to 24 trials differs"; fail=1; }
expect_status 0 "nothing to resume" "$TOOL" --output-bias no --solves 3 --seed 5 --starts 24 --resume -o "$tmp/r.h5"
expect_status 2 "--resume" "$TOOL" --output-bias yes --solves 3 --seed 5 --starts 30 --resume -o "$tmp/r.h5"
expect_status 2 "--resume" "$TOOL" --output-bias no --solves 3 --seed 5 --starts 12 --resume -o "$tmp/r.h5"
# A class of the census as the center of another tool on the same network (b2_1 = 0: no output
# bias); another network is refused.
"$BIN/xorscape-converge" --activation tanh --output-activation tanh --data xor-pm --center "$tmp/t1.h5:class=1" \
  --parameters b1_1 --range -1:1 --resolution 2 --runs 1 --epochs 10 -o "$tmp/s.h5" >/dev/null 2>"$tmp/err" ||
  { echo "FAIL: --center t1.h5:class=1 ($(cat "$tmp/err"))"; fail=1; }
expect_status 2 "--center" "$BIN/xorscape-converge" --center "$tmp/t1.h5:class=1" -o "$tmp/s2.h5"
# The checkpoint: /state opens in xarray too.
"$TOOL" --output-bias no --solves 3 --seed 5 --starts 100000 --threads 1 --checkpoint-every 0.05 -o "$tmp/c.h5" >/dev/null 2>&1 &
pid=$!; waited=0
while [ ! -e "$tmp/c.h5.checkpoint.h5" ] && [ "$waited" -lt 3000 ]; do sleep 0.01; waited=$(( waited + 1 )); done
kill -TERM "$pid" 2>/dev/null; wait "$pid"
"$PY" "$SRC/tests/xarray_check.py" "$tmp/c.h5.checkpoint.h5" >/dev/null || { echo "FAIL: xarray cannot open the checkpoint"; fail=1; }
rm -f "$tmp/c.h5.checkpoint.h5"

"$PY" - "$tmp" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
tmp = sys.argv[1]
ok = True
with h5py.File(f"{tmp}/t1.h5") as f:
    for n in ["problem", "classes/loss", "classes/eigenvalues", "classes/kind", "classes/orbit_size",
              "classes/gradient_l1_extended", "classes/figure_order", "classes/figure_table", "points/class",
              "trials/solves", "hits/point", "summary/classes_classifying_exactly", "parameter_names"]:
        if n not in f: print(f"FAIL: {n} missing"); ok = False
    for a in ["tool", "git_commit", "command_line", "seed", "threads", "created_utc", "n_hidden", "dimension",
              "hidden_activation", "data", "fingerprint", "starts_done"]:
        if a not in f.attrs: print(f"FAIL: attribute {a} missing"); ok = False
    names = [s.decode() if isinstance(s, bytes) else s for s in f["parameter_names"][()]]
    ok &= names == ["w1_11", "w1_12", "w1_21", "w1_22", "b1_1", "b1_2", "w2_11", "w2_12"]
    ok &= f.attrs["dimension"] == 8 and f.attrs["n_hidden"] == 2
    C = f["summary"].attrs["classes"]
    ok &= C > 0 and f["classes/representative"].shape == (C, 8)
    ok &= f["classes/representative"].dims[1][0].name == "/parameter_names"
    ok &= bool(np.all(f["classes/gradient_l1"][()] < 1e-10))
    ok &= bool(np.all(np.isfinite(f["classes/eigenvalues"][()])))
    idx = f["classes/index"][()]; lam = f["classes/eigenvalues"][()]
    ok &= bool(np.all(idx == (lam < 0).sum(axis=1)))
    ok &= int(f["discovery/classes_found"][-1]) == C
    ok &= f["problem"].attrs["dimension"] == 8 and f["problem"].attrs["symmetry_order"] == 8
    p = f["classes/probability"][()]
    ok &= bool(np.all((p > 0) & (p <= 1)))
    # Table 2 from the classes themselves.
    kind = np.where(idx == 0, 0, np.where(idx == 8, 2, 1))
    correct = np.rint(f["classes/classified_percent"][()] / 25).astype(int)
    table = np.array([[np.sum((kind == r) & (correct >= q)) for q in range(5)] for r in range(3)])
    ok &= bool(np.array_equal(table, f["summary/classes_classifying_at_least"][()]))
    if not ok: print("FAIL: layout or content of t1.h5")
with h5py.File(f"{tmp}/s.h5") as f, h5py.File(f"{tmp}/t1.h5") as census:
    if f.attrs["center_source"] != f"{tmp}/t1.h5:class=1": print("FAIL: center_source of s.h5"); ok = False
    if not np.array_equal(f["center"][()], np.append(census["classes/representative"][1], 0.0)):
        print("FAIL: the center named t1.h5:class=1 is not class 1 with b2_1 = 0"); ok = False
sys.exit(0 if ok else 1)
PYEOF
# The checkpoint contract: long enough to be interrupted between periodic checkpoints.
kill_resume census 6 "$TOOL" --output-bias no --solves 3 --seed 5 --starts 160 --threads 1
# The stopping rule: the 2-1-1 census completes (Morse sum 1) long before its budget; it stops at the
# same multiple of 32 trials when killed and resumed.
kill_resume census_rule 8 "$TOOL" --n-hidden 1 --solves 3 --seed 5 --starts 20000 --complete-after 1500 --threads 1
"$PY" - "$tmp/census_rule_whole.h5" <<'PYEOF' || { echo "FAIL: the stopping rule did not end the 2-1-1 census complete"; fail=1; }
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    s = f["summary"].attrs
    trials, last = int(s["trials"]), int(s["last_new_class_trial"])
    ok = (s["completeness"] == "complete" and int(s["morse_sum"]) == 1 and trials % 32 == 0 and trials < 20000
          and 1500 <= trials - last < 1500 + 32 and int(s["degenerate_classes"]) == 0)
    # The Morse sum from the classes themselves.
    ok &= int((f["classes/orbit_size"][()] * (-1) ** f["classes/index"][()]).sum()) == 1
sys.exit(0 if ok else 1)
PYEOF
# An ill-posed reading (biases unregularised: the output bias drifts along flat directions): reported
# as such after --complete-after trials, without Table 2.
"$TOOL" --regularise weights --solves 3 --seed 5 --starts 2000 --complete-after 32 -o "$tmp/ill.h5" > "$tmp/ill.txt" 2>/dev/null ||
  { echo "FAIL: --regularise weights census"; fail=1; }
grep -q '^completeness: ILL-POSED: ' "$tmp/ill.txt" || { echo "FAIL: no ILL-POSED line: $(grep completeness "$tmp/ill.txt")"; fail=1; }
grep -q 'classifying at least' "$tmp/ill.txt" && { echo "FAIL: an ill-posed census printed Table 2"; fail=1; }
"$PY" -c "import h5py,sys; s=h5py.File(sys.argv[1])['summary'].attrs; sys.exit(0 if s['completeness'] == 'ill-posed' and s['trials'] == 32 and 2 * s['degenerate_classes'] >= s['classes'] else 1)" "$tmp/ill.h5" ||
  { echo "FAIL: ill.h5 does not say ill-posed after 32 trials"; fail=1; }
# A budget too small for the rule: the file and the summary say incomplete, with the sum.
"$TOOL" --solves 3 --seed 5 --starts 8 -o "$tmp/inc.h5" > "$tmp/inc.txt" 2>/dev/null || { echo "FAIL: 8-trial census"; fail=1; }
grep -q '^completeness: INCOMPLETE after 8 trials: Morse sum ' "$tmp/inc.txt" || { echo "FAIL: no INCOMPLETE line: $(grep completeness "$tmp/inc.txt")"; fail=1; }
"$PY" -c "import h5py,sys; sys.exit(0 if h5py.File(sys.argv[1])['summary'].attrs['completeness'] == 'incomplete' else 1)" "$tmp/inc.h5" ||
  { echo "FAIL: inc.h5 does not say incomplete"; fail=1; }

# --connect yes: the 2-1-1 census (complete) with its connectivity graph: every index-1 saddle's
# two descents end at census minima with tiny gradient; barriers are E(saddle) - E(minimum) > 0;
# the census itself is the one without --connect.
"$TOOL" --n-hidden 1 --solves 3 --seed 5 --starts 20000 --complete-after 300 --connect yes --continue-mu 0.001:0.2 --continue-points 12 -o "$tmp/cn.h5" > "$tmp/cn.txt" 2>/dev/null ||
  { echo "FAIL: --connect yes census"; fail=1; }
"$TOOL" --n-hidden 1 --solves 3 --seed 5 --starts 20000 --complete-after 300 -o "$tmp/cn0.h5" > /dev/null 2>&1 ||
  { echo "FAIL: the same census without --connect"; fail=1; }
grep -q '^connectivity: .* 0 at another point (not a census minimum), 0 did not converge' "$tmp/cn.txt" ||
  { echo "FAIL: connectivity line: $(grep '^connectivity' "$tmp/cn.txt")"; fail=1; }
"$PY" - "$tmp/cn.h5" "$tmp/cn0.h5" <<'PYEOF' || { echo "FAIL: the connectivity group of cn.h5"; fail=1; }
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as f, h5py.File(sys.argv[2]) as plain:
    g = f["connectivity"]
    idx = f["classes/index"][()]
    ok = "connectivity" not in plain and np.array_equal(f["classes/representative"][()], plain["classes/representative"][()])
    ok &= np.array_equal(g["saddle_class"][()], np.flatnonzero(idx == 1)) and len(g["saddle_class"][()]) > 0
    ok &= np.array_equal(g["node_class"][()], np.flatnonzero(idx == 0))
    end_class = g["end_class"][()]
    ok &= bool(np.all(idx[end_class] == 0)) and bool(np.all(g["end_gradient_l1"][()] < 1e-10))
    ok &= bool(np.all(g["end_index"][()] == 0)) and bool(np.all(g["converged"][()] == 1))
    barrier = g["barrier"][()]
    ok &= bool(np.all(barrier > 0))
    ok &= bool(np.allclose(barrier, g["saddle_energy"][()][:, None] - f["classes/loss"][()][end_class], atol=1e-12))
    ok &= g["end_point"].shape == (len(barrier), 2, 4) and g.attrs["unconverged"] == 0
    # The continuation: the Morse sum over the branches alive at each mu is 1 (folds remove pairs).
    c = f["continuation"]
    alive, index = c["alive"][()], c["branch_index"][()]
    orbit = f["classes/orbit_size"][()]
    morse = (alive * orbit[:, None] * np.where(index % 2 == 0, 1, -1)).sum(axis=0)
    ok &= c["mu"].shape == (12,) and bool(np.all(morse == 1)) and int(c.attrs["folds"]) > 0
    ok &= c["counts"].shape == (12, 5) and bool(np.array_equal(c["counts"][()].sum(axis=1), c["total"][()]))
    ok &= "continuation" not in plain
sys.exit(0 if ok else 1)
PYEOF
"$PY" "$SRC/tests/xarray_check.py" "$tmp/cn.h5" >/dev/null || { echo "FAIL: xarray cannot open cn.h5"; fail=1; }
"$PY" "$SRC/plots/stationary_disconnectivity.py" "$tmp/cn.h5" -o "$tmp/dg" >/dev/null || { echo "FAIL: stationary_disconnectivity.py"; fail=1; }
gnuplot -e "prefix='$tmp/dg'; out='$tmp/dgg.png'" "$SRC/plots/stationary_disconnectivity.gp" 2>"$tmp/gp3" || { echo "FAIL: stationary_disconnectivity.gp $(cat "$tmp/gp3")"; fail=1; }
"$PY" "$SRC/plots/stationary_bifurcation.py" "$tmp/cn.h5" -o "$tmp/bif" >/dev/null || { echo "FAIL: stationary_bifurcation.py"; fail=1; }
gnuplot -e "bin='$BIN'; file='$tmp/cn.h5'; out='$tmp/bifg.png'" "$SRC/plots/stationary_bifurcation.gp" 2>"$tmp/gp4" || { echo "FAIL: stationary_bifurcation.gp $(cat "$tmp/gp4")"; fail=1; }
for image in dg.png dg.pdf dgg.png dg-segments.dat dg-leaves.dat bif.png bif.pdf bifg.png; do
  [ -s "$tmp/$image" ] || { echo "FAIL: $image not written"; fail=1; }
done

# Every plot script renders a non-empty image from a small file.
"$PY" "$SRC/plots/stationary_figure2.py" "$tmp/t1.h5" -o "$tmp/fig2" >/dev/null || { echo "FAIL: stationary_figure2.py"; fail=1; }
"$PY" "$SRC/plots/stationary_discovery.py" "$tmp/t1.h5" "$tmp/r.h5" -o "$tmp/disc" >/dev/null || { echo "FAIL: stationary_discovery.py"; fail=1; }
gnuplot -e "bin='$BIN'; file='$tmp/t1.h5'; out='$tmp/fig2g.png'" "$SRC/plots/stationary_figure2.gp" 2>"$tmp/gp1" || { echo "FAIL: stationary_figure2.gp $(cat "$tmp/gp1")"; fail=1; }
gnuplot -e "bin='$BIN'; file='$tmp/t1.h5'; out='$tmp/discg.png'" "$SRC/plots/stationary_discovery.gp" 2>"$tmp/gp2" || { echo "FAIL: stationary_discovery.gp $(cat "$tmp/gp2")"; fail=1; }
for image in fig2.png fig2.pdf disc.png disc.pdf fig2g.png discg.png; do
  [ -s "$tmp/$image" ] || { echo "FAIL: $image not written"; fail=1; }
done
# The report script reads the files of the pipeline step; its commands are what a user types.
mkdir -p "$tmp/out"
cp "$tmp/t1.h5" "$tmp/out/stationary-tanh-paper.h5"
"$PY" "$SRC/plots/report_stationary.py" "$tmp/out" > "$tmp/rows"
rows=$(grep -c '^|' "$tmp/rows")
[ "$rows" -ge 8 ] || { echo "FAIL: report_stationary.py printed $rows rows"; fail=1; }
grep -q "$BIN" "$tmp/rows" && { echo "FAIL: the report shows the build folder: $(grep -m1 "$BIN" "$tmp/rows")"; fail=1; }
grep -q '`xorscape-stationary ' "$tmp/rows" || { echo "FAIL: the report's command column does not start with xorscape-stationary"; fail=1; }

[ "$fail" = 0 ] && echo "e2e_stationary: all checks passed"
exit $fail
