#!/usr/bin/env bash
# xorscape-stationary end to end: bad input -> status 2 with one line; a small census whose
# file reads back with the documented layout; identical data at 1 and 2 threads; --resume
# (after SIGINT and when extending a finished file) reaching the uninterrupted result.
set -u
BIN="$1"
SRC="$2"
TOOL="$BIN/xorscape-stationary"
PY=/usr/bin/python3
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/expect_status.sh"
o="$tmp/x.h5"
expect_status 0 "" "$TOOL" --help
expect_status 2 "--starts" "$TOOL" --starts 0 -o "$o"
expect_status 2 "--mu" "$TOOL" --mu -1 -o "$o"
expect_status 2 "--mu" "$TOOL" --mu nan -o "$o"
expect_status 2 "--reduction" "$TOOL" --reduction median -o "$o"
expect_status 2 "--output-bias" "$TOOL" --output-bias maybe -o "$o"
expect_status 2 "--regularise" "$TOOL" --regularise some -o "$o"
expect_status 2 "--activation" "$TOOL" --activation cosine -o "$o"
expect_status 2 "--output-activation" "$TOOL" --output-activation cosine -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --n-hidden 0 -o "$o"
expect_status 2 "--n-hidden" "$TOOL" --n-hidden 7 -o "$o"
expect_status 2 "--data" "$TOOL" --data and -o "$o"
expect_status 2 "--tolerance" "$TOOL" --tolerance 0 -o "$o"
expect_status 2 "--distinct" "$TOOL" --distinct -0.1 -o "$o"
expect_status 2 "--radius" "$TOOL" --radius inf -o "$o"
expect_status 2 "--solves" "$TOOL" --homotopy no --solves 0 -o "$o"
expect_status 2 "--homotopy" "$TOOL" --homotopy sometimes -o "$o"
expect_status 2 "--output" "$TOOL" -o "$tmp/no/such/folder/x.h5"
expect_status 2 "--bogus" "$TOOL" --bogus
echo "not hdf5" > "$tmp/junk.h5"
expect_status 2 "--resume" "$TOOL" --resume --starts 3 -o "$tmp/junk.h5"

run() { "$TOOL" --output-bias no --solves 3 --seed 5 "$@" >/dev/null 2>"$tmp/err" || { echo "FAIL: $TOOL $* ($(cat "$tmp/err"))"; fail=1; }; }
run --starts 24 --threads 1 -o "$tmp/t1.h5"
run --starts 24 --threads 2 -o "$tmp/t2.h5"
expect_status 2 "exists" "$TOOL" --output-bias no --solves 3 --seed 5 --starts 24 -o "$tmp/t1.h5"
# Extending a finished file: 12 trials, then --resume to 24, equals 24 at once.
run --starts 12 --threads 2 -o "$tmp/r.h5"
run --starts 24 --threads 1 --resume -o "$tmp/r.h5"
expect_status 2 "--resume" "$TOOL" --output-bias yes --solves 3 --seed 5 --starts 30 --resume -o "$tmp/r.h5"
# Interrupted by SIGINT: exit 130 with a checkpoint, then --resume completes it.
"$TOOL" --output-bias no --solves 3 --seed 5 --starts 400 --threads 1 --checkpoint-every 0.001 -o "$tmp/i.h5" >/dev/null 2>"$tmp/ierr" &
pid=$!
sleep 0.5
kill -INT "$pid" 2>/dev/null
wait "$pid"; status=$?
if [ "$status" = 130 ]; then
  [ -f "$tmp/i.h5.checkpoint.h5" ] || { echo "FAIL: no checkpoint after SIGINT"; fail=1; }
  [ -f "$tmp/i.h5" ] && { echo "FAIL: output written by an interrupted run"; fail=1; }
  run --starts 400 --threads 2 --resume -o "$tmp/i.h5"
  run --starts 400 --threads 2 -o "$tmp/u.h5"
  [ -f "$tmp/i.h5.checkpoint.h5" ] && { echo "FAIL: checkpoint left after completion"; fail=1; }
else
  echo "FAIL: the SIGINT run exited $status (expected 130: still running after 0.5 s)"; fail=1
fi

"$PY" - "$tmp" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
tmp = sys.argv[1]
def same(a, b, names):
    with h5py.File(a) as f, h5py.File(b) as g:
        for n in names:
            if not np.array_equal(f[n][()], g[n][()]):
                print(f"FAIL: {n} differs between {a} and {b}"); return False
    return True
names = ["hits/point", "hits/start", "hits/class", "classes/representative", "classes/probability",
         "classes/index", "discovery/classes_found", "summary/classes_classifying_at_least", "points/coordinates"]
ok = same(f"{tmp}/t1.h5", f"{tmp}/t2.h5", names) and same(f"{tmp}/t1.h5", f"{tmp}/r.h5", names)
import os
if os.path.exists(f"{tmp}/u.h5"):
    ok = same(f"{tmp}/i.h5", f"{tmp}/u.h5", names) and ok
with h5py.File(f"{tmp}/t1.h5") as f:
    for n in ["problem", "classes/loss", "classes/eigenvalues", "classes/kind", "classes/orbit_size",
              "classes/gradient_l1_extended", "classes/figure_order", "points/class", "trials/solves",
              "summary/classes_classifying_exactly"]:
        if n not in f: print(f"FAIL: {n} missing"); ok = False
    for a in ["tool", "git_commit", "command_line", "seed", "threads", "created_utc"]:
        if a not in f.attrs: print(f"FAIL: attribute {a} missing"); ok = False
    C = f["summary"].attrs["classes"]
    ok &= C > 0 and f["classes/representative"].shape == (C, 8)
    ok &= bool(np.all(f["classes/gradient_l1"][()] < 1e-10))
    ok &= bool(np.all(np.isfinite(f["classes/eigenvalues"][()])))
    idx = f["classes/index"][()]; lam = f["classes/eigenvalues"][()]
    ok &= bool(np.all(idx == (lam < 0).sum(axis=1)))
    ok &= int(f["discovery/classes_found"][-1]) == C
    ok &= f["problem"].attrs["dimension"] == 8 and f["problem"].attrs["symmetry_order"] == 8
    p = f["classes/probability"][()]
    ok &= bool(np.all((p > 0) & (p <= 1)))
    if not ok: print("FAIL: layout or content of t1.h5")
sys.exit(0 if ok else 1)
PYEOF
# Every plot script renders a non-empty image from a small file.
"$PY" "$SRC/plots/stationary_figure2.py" "$tmp/t1.h5" "$tmp/fig2" || { echo "FAIL: stationary_figure2.py"; fail=1; }
"$PY" "$SRC/plots/stationary_discovery.py" "$tmp/disc" "$tmp/t1.h5" "$tmp/r.h5" || { echo "FAIL: stationary_discovery.py"; fail=1; }
gnuplot -e "bin='$BIN'; file='$tmp/t1.h5'; out='$tmp/fig2g.png'" "$SRC/plots/stationary_figure2.gp" 2>"$tmp/gp1" || { echo "FAIL: stationary_figure2.gp $(cat "$tmp/gp1")"; fail=1; }
gnuplot -e "bin='$BIN'; file='$tmp/t1.h5'; out='$tmp/discg.png'" "$SRC/plots/stationary_discovery.gp" 2>"$tmp/gp2" || { echo "FAIL: stationary_discovery.gp $(cat "$tmp/gp2")"; fail=1; }
for image in fig2.png fig2.pdf disc.png disc.pdf fig2g.png discg.png; do
  [ -s "$tmp/$image" ] || { echo "FAIL: $image not written"; fail=1; }
done
# The report script reads the files of the pipeline step.
mkdir -p "$tmp/out"
cp "$tmp/t1.h5" "$tmp/out/stationary-tanh-paper.h5"
rows=$("$PY" "$SRC/plots/report_stationary.py" "$tmp/out" | grep -c '^|')
[ "$rows" -ge 8 ] || { echo "FAIL: report_stationary.py printed $rows rows"; fail=1; }

[ "$fail" = 0 ] && echo "e2e_stationary: all checks passed"
exit $fail
