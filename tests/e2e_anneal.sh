#!/usr/bin/env bash
# xorscape-anneal end to end: bad input -> status 2 with one line naming the option; the HDF5
# layout read back with h5py and opened by xarray; the same numbers at any --threads and under
# --lr (the old name of --eta); centers named by points of other files; the checkpoint contract
# (kill -9 / SIGTERM, then --resume); a stop honoured within a second inside a run of 1e8 epochs;
# every plot script (Python and gnuplot) renders a non-empty image.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
TOOL="$BIN/xorscape-anneal"
PY=/usr/bin/python3
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$SRC/tests/lib/expect_status.sh"
source "$SRC/tests/lib/kill_resume.sh"
cd "$work"
o="$work/bad.h5"
expect_status 0 "" "$TOOL" --help
expect_status 2 "--arms" "$TOOL" --arms baseline,nonsense -o "$o"
expect_status 2 "--arms" "$TOOL" --arms eda,eda -o "$o"
expect_status 2 "--seeds" "$TOOL" --seeds 0 -o "$o"
expect_status 2 "--seeds" "$TOOL" --seeds 100000000 --arms all -o "$o"
expect_status 2 "--epochs" "$TOOL" --epochs -5 -o "$o"
expect_status 2 "--eta" "$TOOL" --eta 0 -o "$o"
expect_status 2 "--eta" "$TOOL" --eta 0.01,nan -o "$o"
expect_status 2 "--lr" "$TOOL" --lr 0 -o "$o"
expect_status 2 "--lr" "$TOOL" --lr 0.01 --eta 0.01 -o "$o"
expect_status 2 "--init-scale" "$TOOL" --init-scale -1 -o "$o"
expect_status 2 "--threshold" "$TOOL" --threshold -0.1 -o "$o"
expect_status 2 "--base-noise" "$TOOL" --base-noise abc -o "$o"
expect_status 2 "--base-noise" "$TOOL" --base-noise inf -o "$o"
expect_status 2 "--converged-loss" "$TOOL" --converged-loss 0 -o "$o"
expect_status 2 "--model" "$TOOL" --model cnn -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --n-hidden 3 -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --model network --n-hidden 0 -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --model network --n-hidden 4097 -o "$o"
expect_status 2 "--activation" "$TOOL" --model network --activation softsign -o "$o"
expect_status 2 "--activation" "$TOOL" --activation tanh -o "$o"
expect_status 2 "--output-activation" "$TOOL" --output-activation identity -o "$o"
expect_status 2 "--data" "$TOOL" --data xnor -o "$o"
expect_status 2 "--traces" "$TOOL" --traces -1 -o "$o"
expect_status 2 "--traces" "$TOOL" --traces 1000000 --epochs 100000000 -o "$o"
expect_status 2 "--restart-window" "$TOOL" --restart-window 0 -o "$o"
expect_status 2 "--resume" "$TOOL" --seeds 2 --epochs 10 --resume -o "$o"
expect_status 2 "--output" "$TOOL" --seeds 2 --epochs 10 -o "$work/no/such/folder/x.h5"
expect_status 2 "--protocol" "$TOOL" --protocol paper -o "$o"
expect_status 2 "--init" "$TOOL" --init normal:0 -o "$o"
expect_status 2 "--init-bias" "$TOOL" --init-bias normal -o "$o"
expect_status 2 "--init-file" "$TOOL" --init-file "$work/none.h5" -o "$o"
expect_status 2 "--adam-beta1" "$TOOL" --adam-beta1 -0.1 -o "$o"
expect_status 2 "--gate-on" "$TOOL" --gate-on I -o "$o"
expect_status 2 "--success-cut" "$TOOL" --success-cut '>' -o "$o"
expect_status 2 "--arm-epochs" "$TOOL" --arm-epochs nope=5 -o "$o"
expect_status 2 "--arm-epochs" "$TOOL" --arm-epochs eda=5,eda=6 -o "$o"
expect_status 2 "--patience" "$TOOL" --patience -1 -o "$o"
expect_status 2 "--patience-delta" "$TOOL" --patience-delta -1 -o "$o"
expect_status 2 "--trap-tolerance" "$TOOL" --trap-tolerance -1 -o "$o"
expect_status 2 "--stream" "$TOOL" --stream -1 -o "$o"
expect_status 2 "--replicate" "$TOOL" --replicate 5 -o "$o"
expect_status 2 "--best-arm" "$TOOL" --eta 0.01,0.1 --replicate 5 --best-arm restart -o "$o"
[ -e "$o" ] && { echo "FAIL: bad input left '$o' behind"; fail=1; }

# A real run with every arm and two sweep points; --threads and --lr change no number.
args=(--arms all --seeds 12 --epochs 600 --eta 0.01 --threshold 0.1 --base-noise 0.02,0.05 --traces 12 --seed 5 --quiet)
"$TOOL" "${args[@]}" --threads 1 -o t1.h5 || { echo "FAIL: run with --threads 1"; fail=1; }
expect_status 2 "--force" "$TOOL" "${args[@]}" -o t1.h5
"$TOOL" "${args[@]}" --threads 2 -o t2.h5 || { echo "FAIL: run with --threads 2"; fail=1; }
"$PY" "$SRC/tests/golden/same_numbers.py" t1.h5 t2.h5 || { echo "FAIL: --threads changed the numbers"; fail=1; }
"$TOOL" "${args[@]/--eta/--lr}" --threads 2 -o lr.h5 || { echo "FAIL: run with --lr"; fail=1; }
"$PY" "$SRC/tests/golden/same_numbers.py" t1.h5 lr.h5 || { echo "FAIL: --lr is not --eta"; fail=1; }
"$TOOL" --arms baseline,eda --seeds 4 --epochs 50 -o table.h5 > table.txt || fail=1
grep -q "^eda " table.txt || { echo "FAIL: no summary table on stdout"; fail=1; }
"$PY" - t1.h5 <<'PYEOF' || fail=1
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
text = lambda v: v.decode() if isinstance(v, bytes) else v
arms = [text(a) for a in f["arm_names"][()]]
assert arms == ["baseline", "eda", "constant-noise", "magnitude-only", "imbalance-only", "restart", "reflection"], arms
assert f["runs/accuracy"].shape == (2, 7, 12), f["runs/accuracy"].shape
assert f["runs/final_parameters"].shape == (2, 7, 12, 6)
assert f["traces/temperature"].shape == (2, 7, 12, 601)
assert f["summary/accuracy_histogram"].shape == (2, 7, 5)
assert f["summary/convergence_cdf"].shape == (14, 1001)
assert list(f["sweep/base_noise"][()]) == [0.02, 0.05]
for name in ("tool", "version", "git_commit", "command_line", "seed", "created_utc", "threads", "model", "n_hidden"):
    assert name in f.attrs, name
assert f.attrs["complete"] == 1 and "signature" not in f.attrs and "axes" not in f
# Every axis is a dimension scale at the root.
def scales(path):
    return [d[0].name for d in f[path].dims]
assert scales("runs/accuracy") == ["/point", "/arm_names", "/seed_index"], scales("runs/accuracy")
assert scales("runs/final_parameters") == ["/point", "/arm_names", "/seed_index", "/parameter_names"]
assert scales("traces/parameters") == ["/point", "/arm_names", "/trace", "/epoch", "/parameter_names"]
assert scales("summary/convergence_cdf") == ["/point_arm", "/cdf_epoch"]
assert scales("summary/accuracy_histogram") == ["/point", "/arm_names", "/final_accuracy"]
assert scales("sweep/learning_rate") == ["/point"]
assert [text(n) for n in f["parameter_names"][()]] == ["w0_1", "w0_2", "b0", "w1_1", "w1_2", "b1"]
# Summary agrees with the runs it summarises.
success = f["runs/success"][()]
assert (f["summary/successes"][()] == success.sum(axis=2)).all()
assert (f["summary/accuracy_histogram"][()].sum(axis=2) == 12).all()
lo, hi, rate = f["summary/wilson_lo"][()], f["summary/wilson_hi"][()], f["summary/success_rate"][()]
assert ((lo <= rate) & (rate <= hi)).all()
base = success[:, 0, :]
for a in range(1, 7):
    assert (f["summary/rescued"][:, a] == ((base == 0) & (success[:, a] == 1)).sum(axis=1)).all()
# The CDF's last column is the fraction of runs that converged.
cdf = f["summary/convergence_cdf"][()]
assert np.array_equal(cdf[:, -1], (f["summary/converged"][()] / 12).reshape(-1))
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

# The article's protocol: its settings are stored, explicit options override it and are recorded,
# its initial law is normal weights with zero biases, both convergence times and the trap are stored.
"$TOOL" --protocol article --arms all --seeds 40 --traces 2 --quiet -o article.h5 || { echo "FAIL: --protocol article"; fail=1; }
"$TOOL" --protocol article --base-noise 0.05 --arms baseline,eda --seeds 20 --traces 0 --quiet -o article2.h5 ||
  { echo "FAIL: --protocol article with an override"; fail=1; }
"$TOOL" --arms baseline,eda --seeds 6 --epochs 100 --init-file article.h5 --quiet -o fromfile.h5 ||
  { echo "FAIL: --init-file"; fail=1; }
"$PY" - article.h5 article2.h5 fromfile.h5 <<'PYEOF' || fail=1
import sys, h5py, numpy as np
f, g, h = (h5py.File(p, "r") for p in sys.argv[1:4])
text = lambda v: v.decode() if isinstance(v, bytes) else v
a = f.attrs
assert text(a["protocol"]) == "article" and text(a["protocol_overrides"]) == "", dict(a)
assert text(a["gate_variable"]) == "u" and text(a["success_cut"]) == ">=" and a["adam_beta2"] == 0.99
assert a["loss_floor"] == 1e-7 and text(a["init_weights"]) == "normal" and text(a["init_biases"]) == "zero"
arms = [text(x) for x in f["arm_names"][()]]
budget = dict(zip(arms, f["arm_epochs"][()]))
assert budget["baseline"] == 800 and budget["eda"] == 5000, budget
assert dict(zip(arms, f["arm_patience"][()]))["baseline"] == 10
assert f["sweep/learning_rate"][0] == 0.01 and f["sweep/base_noise"][0] == 0.1
init = f["runs/initial_parameters"][0]
assert (init[:, [2, 5]] == 0).all() and init[:, [0, 1, 3, 4]].std() > 0.3
ran = f["runs/epochs_run"][0]
b, e = arms.index("baseline"), arms.index("eda")
assert (ran[b] <= 800).all() and (ran[e] <= 5000).all() and (ran[b] < 800).any()
assert f["summary/epochs_run_median"][0, b] == np.median(ran[b])
assert (f["summary/trapped"][0] == f["runs/trapped"][0].sum(axis=1)).all()
# Under the article protocol most runs succeed with EDA (issue 11: about 95 %).
assert f["summary/success_rate"][0, e] > 0.75, f["summary/success_rate"][0, e]
assert text(g.attrs["protocol_overrides"]) == "base-noise" and g["sweep/base_noise"][0] == 0.05
assert np.array_equal(h["runs/initial_parameters"][0], init[:6])
print("e2e_anneal: article protocol checks passed")
PYEOF
# A sweep reports its best point with a replication on a fresh seed stream.
"$TOOL" --arms baseline,eda --seeds 10 --epochs 300 --eta 0.01 --base-noise 0.01,0.1 --replicate 16 --traces 0 \
  -o sweep.h5 > sweep.txt || { echo "FAIL: --replicate"; fail=1; }
grep -q "^# best point .* of 2 searched" sweep.txt || { echo "FAIL: no replication line on stdout"; fail=1; }
"$PY" - sweep.h5 <<'PYEOF' || fail=1
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["replication"]
assert g.attrs["points_searched"] == 2 and g.attrs["seeds"] == 16 and g.attrs["stream"] == 1
best = int(g.attrs["best_point"])
rates = f["summary/success_rate"][:, 1]
assert rates[best] == rates.max()
assert g["success"].shape == (2, 16) and g["runs"][1] == 16
assert g["successes"][1] == g["success"][1].sum()
print("e2e_anneal: replication checks passed")
PYEOF
# Stopped inside the replication (20 sweep units, then 16), resumed: the same numbers.
sweep_args=(--arms baseline,eda --seeds 10 --epochs 300 --eta 0.01 --base-noise 0.01,0.1 --replicate 16 --traces 0)
"$TOOL" "${sweep_args[@]}" --stop-after-units 27 -o sr.h5 >/dev/null 2>&1
[ $? = 130 ] || { echo "FAIL: --stop-after-units in the replication did not stop"; fail=1; }
"$TOOL" "${sweep_args[@]}" --resume -o sr.h5 >/dev/null 2>&1 || { echo "FAIL: resuming a replication"; fail=1; }
"$PY" "$SRC/tests/golden/same_numbers.py" sweep.h5 sr.h5 || { echo "FAIL: the resumed replication differs"; fail=1; }

# The network model; centers named by a published solution and by points of other files.
"$TOOL" --model network --n-hidden 3 --data xor --init-scale 4 --seeds 3 --epochs 200 --arms baseline,eda --quiet \
  -o net.h5 || { echo "FAIL: --model network"; fail=1; }
"$TOOL" --model network --data xor --center 1 --init-scale 8 --seeds 3 --epochs 100 --arms baseline,restart --quiet \
  -o center.h5 || { echo "FAIL: --center 1"; fail=1; }
"$PY" - center.h5 "$SRC/data/solution-1.txt" <<'PYEOF' || { echo "FAIL: --center draws are not within 8 of solution 1"; fail=1; }
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = [n.decode() if isinstance(n, bytes) else n for n in f["parameter_names"][()]]
values = dict(line.split("=") for line in open(sys.argv[2]) if "=" in line and not line.startswith("#"))
center = np.array([float(values[n + " "] if n + " " in values else values[n]) for n in names])
assert np.array_equal(f["center"][()], center)
assert f.attrs["center_source"].startswith("published solution 1"), f.attrs["center_source"]
assert f.attrs["hidden_activation"] == "sigmoid" and f.attrs["output_activation"] == "sigmoid"
d = f["runs/initial_parameters"][0] - center
assert d.shape == (3, 9) and (np.abs(d) <= 8).all() and (np.abs(d) > 0).all(), d
PYEOF
"$TOOL" --model network --data xor --center 3 --init-scale 1 --seeds 2 --epochs 20 --quiet -o center3.h5 || fail=1
"$PY" -c "import h5py, sys; assert 'center_note' in h5py.File('center3.h5').attrs" || { echo "FAIL: --center 3 has no center_note"; fail=1; }
"$TOOL" --model network --data xor --center center.h5:seed=2,arm=restart --init-scale 1 --seeds 2 --epochs 20 --quiet \
  -o center_file.h5 || { echo "FAIL: --center FILE.h5:seed=2,arm=restart"; fail=1; }
"$PY" - <<'PYEOF' || { echo "FAIL: the center read from an anneal file"; fail=1; }
import h5py, numpy as np
a, b = h5py.File("center.h5", "r"), h5py.File("center_file.h5", "r")
assert np.array_equal(b["center"][()], a["runs/final_parameters"][0, 1, 2]), "the center is not that run's end"
assert b.attrs["center_source"] == "center.h5:seed=2,arm=restart", b.attrs["center_source"]
PYEOF
"$BIN/xorscape-train" --seeds 1 --epochs 200 -o train.h5 2>/dev/null || fail=1
"$TOOL" --model network --data xor --center train.h5:run=0 --seeds 2 --epochs 20 --quiet -o center_train.h5 \
  || { echo "FAIL: --center train.h5:run=0"; fail=1; }
expect_status 2 "--center" "$TOOL" --model network --data xor --activation tanh --center train.h5:run=0 -o "$o"
expect_status 2 "--center" "$TOOL" --model network --data xor --center t1.h5:seed=0 -o "$o"
expect_status 2 "--center" "$TOOL" --model network --data xor --center center.h5:seed=9 -o "$o"
expect_status 2 "--center" "$TOOL" --center 1 --seeds 2 -o "$o"
expect_status 2 "--center" "$TOOL" --model network --n-hidden 3 --center 1 --seeds 2 -o "$o"

# The checkpoint contract: kill -9 or SIGTERM during periodic checkpoints, then --resume.
kill_resume anneal 2 "$TOOL" --arms all --seeds 1500 --epochs 2000 --traces 2 --quiet --threads 1
# The testing aid stops after a known number of units, as a signal would; --resume completes it.
"$TOOL" "${args[@]}" --threads 2 --stop-after-units 5 -o r.h5 2>/dev/null
status=$?
[ "$status" = 130 ] || { echo "FAIL: --stop-after-units exited $status, expected 130"; fail=1; }
[ -e r.h5 ] && { echo "FAIL: interrupted run wrote the output"; fail=1; }
[ -e r.h5.checkpoint.h5 ] || { echo "FAIL: interrupted run left no checkpoint"; fail=1; }
other=(--arms all --seeds 12 --epochs 600 --eta 0.01 --threshold 0.1 --base-noise 0.02,0.05 --traces 12 --seed 6 --quiet)
expect_status 2 "--resume" "$TOOL" "${other[@]}" --resume -o r.h5
"$TOOL" "${args[@]}" --threads 1 --resume -o r.h5 2>/dev/null || { echo "FAIL: --resume"; fail=1; }
"$PY" "$SRC/tests/golden/same_numbers.py" t1.h5 r.h5 || { echo "FAIL: the resumed run differs"; fail=1; }
[ -e r.h5.checkpoint.h5 ] && { echo "FAIL: checkpoint left after completion"; fail=1; }
# A stop reaches a single unit of 1e8 epochs within a second: status 130, a checkpoint, no output.
"$TOOL" --model network --n-hidden 64 --data xor --epochs 100000000 --seeds 1 --traces 0 --quiet -o long.h5 2>/dev/null &
pid=$!
sleep 1.5
start=$(date +%s.%N)
kill -TERM "$pid"
{ wait "$pid"; } 2>/dev/null; status=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
[ "$status" = 130 ] || { echo "FAIL: SIGTERM in a 1e8-epoch unit gave status $status"; fail=1; }
[ "$(echo "$took < 1.5" | bc)" = 1 ] || { echo "FAIL: SIGTERM in a 1e8-epoch unit took $took s"; fail=1; }
[ -e long.h5 ] && { echo "FAIL: a stopped run wrote its output"; fail=1; }
[ -e long.h5.checkpoint.h5 ] || { echo "FAIL: a stopped run left no checkpoint"; fail=1; }
"$PY" "$SRC/tests/xarray_check.py" t1.h5 net.h5 center.h5 long.h5.checkpoint.h5 || fail=1

# Every plot script renders.
figs="$work/figs"
"$PY" "$SRC/plots/anneal_success.py" t1.h5 net.h5 --label test --label network -o "$figs/anneal_success" >/dev/null \
  || { echo "FAIL: anneal_success.py"; fail=1; }
"$PY" "$SRC/plots/anneal_cdf.py" t1.h5 -o "$figs/anneal_cdf" --point 1 >/dev/null || { echo "FAIL: anneal_cdf.py"; fail=1; }
"$PY" "$SRC/plots/anneal_rescue_trace.py" t1.h5 -o "$figs/anneal_rescue_trace" >/dev/null || { echo "FAIL: anneal_rescue_trace.py"; fail=1; }
"$PY" "$SRC/plots/anneal_hyperplanes.py" t1.h5 -o "$figs/anneal_hyperplanes" >/dev/null || { echo "FAIL: anneal_hyperplanes.py"; fail=1; }
for f in success cdf rescue_trace hyperplanes; do
  for ext in png pdf; do [ -s "$figs/anneal_$f.$ext" ] || { echo "FAIL: anneal_$f.$ext missing or empty"; fail=1; }; done
  gnuplot -e "file='t1.h5'; bin='$BIN'; out='$figs/anneal_${f}_gp.png'" "$SRC/plots/anneal_$f.gp" 2>"$figs/$f.gp.err"
  [ -s "$figs/anneal_${f}_gp.png" ] || { echo "FAIL: anneal_$f.gp rendered nothing: $(head -c 300 "$figs/$f.gp.err")"; fail=1; }
done
# The protocol figures: success against base noise and initial law, the outcome histogram.
"$TOOL" --protocol article --base-noise 0.01,0.1 --arms baseline,eda --seeds 10 --traces 0 --quiet -o noise.h5 || fail=1
"$PY" "$SRC/plots/anneal_noise.py" sweep.h5 noise.h5 -o "$figs/anneal_noise" >/dev/null || { echo "FAIL: anneal_noise.py"; fail=1; }
"$PY" "$SRC/plots/anneal_init_law.py" t1.h5 article.h5 fromfile.h5 -o "$figs/anneal_init_law" >/dev/null ||
  { echo "FAIL: anneal_init_law.py"; fail=1; }
"$PY" "$SRC/plots/anneal_outcomes.py" t1.h5 article.h5 -o "$figs/anneal_outcomes" >/dev/null || { echo "FAIL: anneal_outcomes.py"; fail=1; }
gnuplot -e "file='sweep.h5'; file2='noise.h5'; bin='$BIN'; out='$figs/anneal_noise_gp.png'" "$SRC/plots/anneal_noise.gp" 2>"$figs/noise.gp.err"
gnuplot -e "files='t1.h5 article.h5 fromfile.h5'; bin='$BIN'; out='$figs/anneal_init_law_gp.png'" "$SRC/plots/anneal_init_law.gp" 2>"$figs/law.gp.err"
gnuplot -e "file='t1.h5'; file2='article.h5'; bin='$BIN'; out='$figs/anneal_outcomes_gp.png'" "$SRC/plots/anneal_outcomes.gp" 2>"$figs/outcomes.gp.err"
for f in noise init_law outcomes; do
  for ext in png pdf; do [ -s "$figs/anneal_$f.$ext" ] || { echo "FAIL: anneal_$f.$ext missing or empty"; fail=1; }; done
  [ -s "$figs/anneal_${f}_gp.png" ] || { echo "FAIL: anneal_$f.gp rendered nothing"; fail=1; }
done
"$PY" "$SRC/tests/xarray_check.py" article.h5 sweep.h5 || fail=1
[ "$fail" = 0 ] && echo "e2e_anneal: all checks passed"
exit $fail
