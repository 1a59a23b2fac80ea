#!/usr/bin/env bash
# xorscape-simplesample and xorscape-wanglandau end to end: bad input -> status 2 with one line
# naming the option; real small runs read back (h5py and xarray); same seed -> same numbers at 1
# and 2 threads; points named in their files; the checkpoint contract of both tools (kill -9 and
# SIGTERM, then --resume, which also continues on another thread count); a stop honoured within
# seconds while the walkers discover a million bins; plots render.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "${2:-$(dirname "$0")/..}" && pwd)
PY=/usr/bin/python3
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$SRC/tests/lib/expect_status.sh"
source "$SRC/tests/lib/kill_resume.sh"
SS="$BIN/xorscape-simplesample"
WL="$BIN/xorscape-wanglandau"
for tool in "$SS" "$WL"; do
  expect_status 0 "" "$tool" --help
  expect_status 2 "--n-hidden" "$tool" --n-hidden 0 -o "$work/x.h5"
  expect_status 2 "--activation" "$tool" --activation cosine -o "$work/x.h5"
  expect_status 2 "--output-activation" "$tool" --output-activation relu -o "$work/x.h5"
  expect_status 2 "--data" "$tool" --data nand -o "$work/x.h5"
  expect_status 2 "--box" "$tool" --box -3 -o "$work/x.h5"
  expect_status 2 "--box" "$tool" --box nan -o "$work/x.h5"
  expect_status 2 "--box" "$tool" --box 1e308 -o "$work/x.h5"
  expect_status 2 "--box" "$tool" --box 10,w2=1e308 -o "$work/x.h5"
  expect_status 2 "w9_11" "$tool" --box 10,w9_11=3 -o "$work/x.h5"
  expect_status 2 "--bins" "$tool" --bins 1 -o "$work/x.h5"
  expect_status 2 "--bins" "$tool" --bins 2000000000 -o "$work/x.h5"
  expect_status 2 "--fine-until" "$tool" --fine-bins 10 --fine-until 2 -o "$work/x.h5"
  expect_status 2 "--output" "$tool" -o "$work/no-such-folder/x.h5"
  expect_status 2 "--threads" "$tool" --threads 0 -o "$work/x.h5"
  expect_status 2 "--resume" "$tool" --resume -o "$work/x.h5"
done
expect_status 2 "--samples" "$SS" --samples 0 -o "$work/x.h5"
expect_status 2 "--samples" "$SS" --samples 1.5 -o "$work/x.h5"
expect_status 2 "--block" "$SS" --block 2000000000 -o "$work/x.h5"
expect_status 2 "--flatness" "$WL" --flatness 1.2 -o "$work/x.h5"
expect_status 2 "--lnf-final" "$WL" --lnf-final 2 -o "$work/x.h5"
expect_status 2 "--lnf-final" "$WL" --lnf-final inf -o "$work/x.h5"
expect_status 2 "--schedule" "$WL" --schedule 1/t2 -o "$work/x.h5"
expect_status 2 "--overlap" "$WL" --overlap 1 -o "$work/x.h5"
expect_status 2 "--windows" "$WL" --windows 0 -o "$work/x.h5"
expect_status 2 "--windows" "$WL" --windows 30 --bins 100 -o "$work/x.h5"
expect_status 2 "--runs" "$WL" --runs 0 -o "$work/x.h5"
expect_status 2 "--runs" "$WL" --runs 1000000000 -o "$work/x.h5"
[ -n "$(ls -A "$work")" ] && { echo "FAIL: rejected commands left files: $(ls -A "$work")"; fail=1; }

# Simple sampling: the same numbers at 1 and 2 threads; layout read back.
"$SS" --samples 200000 --bins 100 --threads 1 -o "$work/ss1.h5" 2>/dev/null || { echo "FAIL: simplesample run"; fail=1; }
"$SS" --samples 200000 --bins 100 --threads 2 -o "$work/ss2.h5" 2>/dev/null || { echo "FAIL: simplesample run"; fail=1; }
expect_status 2 "exists" "$SS" --samples 1000 -o "$work/ss1.h5"
$PY "$SRC/tests/golden/same_numbers.py" "$work/ss1.h5" "$work/ss2.h5" || { echo "FAIL: --threads changed simple sampling"; fail=1; }
$PY - "$work/ss1.h5" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
a = h5py.File(sys.argv[1], "r")
assert a["bins/counts"][:].sum() == 200000 == a.attrs["samples"]
assert a["bins/counts"].dims[0][0].name == "/bins/centre"
S, V = a["entropy/S"][:], a.attrs["ln_box_volume"]
w = np.diff(a["bins/edges"][:])[a["entropy/bin"][:]]
assert abs(np.log(np.sum(np.exp(S - V) * w))) < 1e-9, "g does not integrate to the box volume"
assert np.all(np.isfinite(S)) and a.attrs["min_loss"] >= 0
assert a["min_point"].dims[0][0].name == "/parameter_names" and a.attrs["n_hidden"] == 2
PYEOF

# Wang-Landau: 1 and 2 threads; layout read back.
WLARGS=(--bins 40 --lnf-final 1e-7 --production-sweeps 1e5 --runs 2 --windows 2 --round-steps 20000 --seed 7)
"$WL" "${WLARGS[@]}" --threads 1 -o "$work/wl1.h5" 2>/dev/null || { echo "FAIL: wanglandau run"; fail=1; }
"$WL" "${WLARGS[@]}" --threads 2 -o "$work/wl2.h5" 2>/dev/null || { echo "FAIL: wanglandau run"; fail=1; }
$PY "$SRC/tests/golden/same_numbers.py" "$work/wl1.h5" "$work/wl2.h5" || { echo "FAIL: --threads changed Wang-Landau"; fail=1; }
expect_status 0 "complete" "$WL" "${WLARGS[@]}" -o "$work/wl1.h5" --resume
$PY - "$work/wl1.h5" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
a = h5py.File(sys.argv[1], "r")
S, L = a["entropy/S"][:], a["entropy/loss"][:]
assert np.all(np.isfinite(S)) and len(S) == len(L) > 30
assert a["entropy/S_runs"].shape == (2, len(L))
assert [d[0].name for d in a["entropy/S_runs"].dims] == ["/run", "/entropy/loss"]
assert a["runs/min_state"].shape == (2, 9) and a["runs/min_state"].dims[1][0].name == "/parameter_names"
assert a.attrs["converged"] == 1 and a.attrs["lowest_loss"] < 0.05
assert set(a["analysis/features/kind"].asstr()[:]) <= {"S_maximum", "S_minimum", "beta_maximum", "beta_minimum",
                                                       "gamma_maximum", "gamma_minimum"}
assert a["entropy/S"].attrs["meaning"]
assert len(a["windows/run"]) == 4 and len(a["windows/exchanges_tried"]) == 2
PYEOF
$PY "$SRC/tests/xarray_check.py" "$work/ss1.h5" "$work/wl1.h5" >/dev/null || { echo "FAIL: xarray cannot open every group"; $PY "$SRC/tests/xarray_check.py" "$work/ss1.h5" "$work/wl1.h5" | head -n 5; fail=1; }

# Points named in these files, used by another tool (the network is checked).
"$BIN/xorscape-converge" --center "$work/wl1.h5:run=1" --parameters b2_1 --resolution 2 --range -1:1 --runs 1 \
  --epochs 10 -o "$work/c1.h5" 2>/dev/null || { echo "FAIL: --center wl1.h5:run=1"; fail=1; }
"$BIN/xorscape-converge" --center "$work/ss1.h5:min" --parameters b2_1 --resolution 2 --range -1:1 --runs 1 \
  --epochs 10 -o "$work/c2.h5" 2>/dev/null || { echo "FAIL: --center ss1.h5:min"; fail=1; }
expect_status 2 "--center" "$BIN/xorscape-converge" --center "$work/wl1.h5:run=7" -o "$work/c3.h5"
expect_status 2 "--center" "$BIN/xorscape-converge" --n-hidden 3 --center "$work/ss1.h5" -o "$work/c3.h5"

# The checkpoint contract: kill -9 and SIGTERM at a periodic checkpoint, then --resume.
kill_resume simplesample 8 "$SS" --samples 6e7 --bins 200 --threads 1 --seed 3
kill_resume wanglandau 6 "$WL" --bins 60 --lnf-final 1e-5 --production-sweeps 3e5 --runs 2 --windows 2 \
  --round-steps 20000 --threads 1 --seed 9
# A checkpoint continues on another thread count, and only with the settings it was made with.
"$WL" "${WLARGS[@]}" --threads 1 -o "$work/wl3.h5" --checkpoint-every 0.05 2>/dev/null &
pid=$!
for _ in $(seq 1 500); do [ -e "$work/wl3.h5.checkpoint.h5" ] && break; sleep 0.02; done
kill -TERM $pid 2>/dev/null
wait $pid
status=$?
if [ "$status" = 130 ]; then
  expect_status 2 "--resume" "$WL" "${WLARGS[@]}" --smooth 0.03 -o "$work/wl3.h5" --resume
  "$WL" "${WLARGS[@]}" --threads 2 -o "$work/wl3.h5" --resume 2>/dev/null || { echo "FAIL: resume on 2 threads"; fail=1; }
  $PY "$SRC/tests/golden/same_numbers.py" "$work/wl1.h5" "$work/wl3.h5" || { echo "FAIL: resumed on 2 threads, other numbers"; fail=1; }
else
  echo "FAIL: the run to be stopped exited $status before SIGTERM reached it"; fail=1
fi
[ -e "$work/wl3.h5.checkpoint.h5" ] && { echo "FAIL: checkpoint left after completion"; fail=1; }

# A stop is honoured within seconds while a walker discovers a million bins (each new bin costs
# O(bins)): SIGTERM two seconds in, status 130 and a checkpoint well within the limit.
"$WL" --bins 1000000 --runs 1 --windows 1 --threads 1 -o "$work/big.h5" 2>/dev/null &
pid=$!
sleep 2
start=$(date +%s%N)
kill -TERM $pid 2>/dev/null
wait $pid
status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$status" = 130 ] || { echo "FAIL: a million bins: SIGTERM gave status $status"; fail=1; }
[ "$elapsed_ms" -lt 5000 ] || { echo "FAIL: a million bins: the run took $elapsed_ms ms to stop after SIGTERM"; fail=1; }
[ -e "$work/big.h5.checkpoint.h5" ] || { echo "FAIL: a million bins: no checkpoint after SIGTERM"; fail=1; }
$PY "$SRC/tests/xarray_check.py" "$work/big.h5.checkpoint.h5" >/dev/null || { echo "FAIL: xarray cannot open the checkpoint"; fail=1; }
rm -f "$work/big.h5.checkpoint.h5"

# Plots: Python (PNG + PDF) and gnuplot (PNG) render from these files.
mkdir -p "$work/fig"
$PY "$SRC/plots/entropy_figures.py" "$work/wl1.h5" "$work/ss1.h5" -o "$work/fig/entropy" >/dev/null \
  || { echo "FAIL: entropy_figures.py"; fail=1; }
for f in entropy_fig8 entropy_wl_vs_ss entropy_beta entropy_convergence; do
  for ext in png pdf; do [ -s "$work/fig/$f.$ext" ] || { echo "FAIL: $f.$ext missing"; fail=1; }; done
done
if command -v gnuplot >/dev/null; then
  bash "$SRC/plots/entropy_figures.sh" "$BIN" "$work/fig" "$work/ss1.h5" "$work/wl1.h5" >/dev/null 2>&1 \
    || { echo "FAIL: gnuplot figures"; fail=1; }
  for f in entropy_fig8_gp entropy_wl_vs_ss_gp entropy_beta_gp entropy_convergence_gp; do
    [ -s "$work/fig/$f.png" ] || { echo "FAIL: $f.png missing"; fail=1; }
  done
fi
[ "$fail" = 0 ] && echo "e2e_entropy: all checks passed"
exit $fail
