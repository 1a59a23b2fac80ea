#!/usr/bin/env bash
# xorscape-simplesample and xorscape-wanglandau end to end: bad input -> status 2 with one line
# naming the option; real small runs read back; same seed -> same data at 1 and 2 threads;
# a run stopped by SIGINT and resumed equals an uninterrupted one; plots render.
set -u
BIN="$1"
SRC="${2:-$(cd "$(dirname "$0")/.." && pwd)}"
PY=/usr/bin/python3
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib/expect_status.sh"
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
  expect_status 2 "w9_11" "$tool" --box 10,w9_11=3 -o "$work/x.h5"
  expect_status 2 "--bins" "$tool" --bins 1 -o "$work/x.h5"
  expect_status 2 "--fine-until" "$tool" --fine-bins 10 --fine-until 2 -o "$work/x.h5"
  expect_status 2 "--output" "$tool" -o "$work/no-such-folder/x.h5"
  expect_status 2 "--threads" "$tool" --threads 0 -o "$work/x.h5"
done
expect_status 2 "--samples" "$SS" --samples 0 -o "$work/x.h5"
expect_status 2 "--samples" "$SS" --samples 1.5 -o "$work/x.h5"
expect_status 2 "--flatness" "$WL" --flatness 1.2 -o "$work/x.h5"
expect_status 2 "--lnf-final" "$WL" --lnf-final 2 -o "$work/x.h5"
expect_status 2 "--lnf-final" "$WL" --lnf-final inf -o "$work/x.h5"
expect_status 2 "--schedule" "$WL" --schedule 1/t2 -o "$work/x.h5"
expect_status 2 "--overlap" "$WL" --overlap 1 -o "$work/x.h5"
expect_status 2 "--windows" "$WL" --windows 0 -o "$work/x.h5"
expect_status 2 "--windows" "$WL" --windows 30 --bins 100 -o "$work/x.h5"
expect_status 2 "--runs" "$WL" --runs 0 -o "$work/x.h5"
[ -e "$work/x.h5" ] && { echo "FAIL: a rejected command left $work/x.h5"; fail=1; }

# Simple sampling: same file content at 1 and 2 threads; layout read back.
"$SS" --samples 200000 --bins 100 --threads 1 -o "$work/ss1.h5" 2>/dev/null || { echo "FAIL: simplesample run"; fail=1; }
"$SS" --samples 200000 --bins 100 --threads 2 -o "$work/ss2.h5" 2>/dev/null || { echo "FAIL: simplesample run"; fail=1; }
expect_status 2 "exists" "$SS" --samples 1000 -o "$work/ss1.h5"
$PY - "$work/ss1.h5" "$work/ss2.h5" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for name in ["counts", "entropy/S", "entropy/S_error", "entropy/loss", "min_point"]:
    assert np.array_equal(a[name][:], b[name][:]), name + " differs between thread counts"
assert a["counts"][:].sum() == 200000 == a.attrs["samples"]
S, V = a["entropy/S"][:], a.attrs["ln_box_volume"]
w = np.diff(a["bins/edges"][:])[a["entropy/bin"][:]]
assert abs(np.log(np.sum(np.exp(S - V) * w))) < 1e-9, "g does not integrate to the box volume"
assert np.all(np.isfinite(S)) and a.attrs["min_loss"] >= 0
PYEOF

# Wang-Landau: a run on 1 thread, stopped by SIGINT and resumed on 2 threads, equals an
# uninterrupted run on 1 thread (the unit tests check 1 vs 2 threads directly as well).
WLARGS=(--bins 40 --lnf-final 1e-7 --production-sweeps 1e5 --runs 2 --windows 2 --round-steps 20000)
WLARGS1=("${WLARGS[@]}" --seed 7)
"$WL" "${WLARGS1[@]}" --threads 1 -o "$work/wl1.h5" 2>/dev/null || { echo "FAIL: wanglandau run"; fail=1; }
"$WL" "${WLARGS1[@]}" --threads 1 -o "$work/wl3.h5" --checkpoint-every 0.01 2>/dev/null &
pid=$!
# Interrupt once the first periodic checkpoint exists: the handlers are installed and work remains.
for _ in $(seq 1 500); do [ -e "$work/wl3.h5.checkpoint" ] && break; sleep 0.02; done
kill -INT $pid 2>/dev/null
wait $pid
status=$?
if [ "$status" = 130 ]; then
  [ -e "$work/wl3.h5.checkpoint" ] || { echo "FAIL: no checkpoint after SIGINT"; fail=1; }
  [ -e "$work/wl3.h5" ] && { echo "FAIL: an interrupted run wrote its output"; fail=1; }
  "$WL" "${WLARGS1[@]}" --threads 2 -o "$work/wl3.h5" --resume 2>/dev/null || { echo "FAIL: resume"; fail=1; }
else
  echo "FAIL: the run to be interrupted exited $status before SIGINT reached it"; fail=1
fi
[ -e "$work/wl3.h5.checkpoint" ] && { echo "FAIL: checkpoint left after completion"; fail=1; }
expect_status 0 "complete" "$WL" "${WLARGS1[@]}" -o "$work/wl3.h5" --resume
expect_status 2 "--checkpoint" "$WL" "${WLARGS[@]}" --seed 8 -o "$work/wl4.h5" --checkpoint "$work/wl1.h5" --resume
$PY - "$work/wl1.h5" "$work/wl3.h5" <<'PYEOF' || fail=1
import sys, h5py, numpy as np
a, c = (h5py.File(p, "r") for p in sys.argv[1:])
for name in ["entropy/S", "entropy/S_runs", "entropy/S_wang_landau", "entropy/S_production", "analysis/beta",
             "runs/min_loss", "convergence/ln_f"]:
    assert np.array_equal(a[name][:], c[name][:]), name + " differs after SIGINT + --resume on 2 threads"
assert a.attrs["total_steps"] == c.attrs["total_steps"]
S, L = a["entropy/S"][:], a["entropy/loss"][:]
assert np.all(np.isfinite(S)) and len(S) == len(L) > 30
assert a["entropy/S_runs"].shape == (2, len(L))
assert a.attrs["converged"] == 1 and a.attrs["lowest_loss"] < 0.05
w = np.diff(a["bins/edges"][:])
assert set(a["analysis/features/kind"].asstr()[:]) <= {"S_maximum", "S_minimum", "beta_maximum", "beta_minimum",
                                                       "gamma_maximum", "gamma_minimum"}
assert a["entropy/S"].attrs["meaning"]
PYEOF

# Plots: Python (PNG + PDF) and gnuplot (PNG) render from these files.
mkdir -p "$work/fig"
$PY "$SRC/plots/entropy_figures.py" --wanglandau "$work/wl1.h5" --simplesample "$work/ss1.h5" --out "$work/fig" >/dev/null \
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
