#!/usr/bin/env bash
# Wang-Landau across processes (core/ranks.hpp) with Open MPI: the exact density of states of
# E = |x|^2 through the MPI path (alone, -np 2, -np 4: within the one-process tolerances and bit
# for bit the same); xorscape-wanglandau under mpirun -np 2 and -np 3 writes the numbers of one
# process with 2 threads; kill -9 of mpirun and SIGTERM to the ranks, then --resume (under mpirun,
# or alone: a checkpoint does not care how many ranks wrote it) end with the uninterrupted numbers.
# Registered only in a build with MPI (tests/CMakeLists.txt).
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
TOOL="$BIN/xorscape-wanglandau"
DOS="$BIN/tests/xorscape-mpi-exact-density"
PY=/usr/bin/python3
SAME="$SRC/tests/golden/same_numbers.py"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$SRC/tests/lib/mpi.sh"

# 1. The exact density through the MPI path.
"$DOS" 2 >"$tmp/dos1.txt" 2>"$tmp/dos1.err" || { echo "FAIL: exact density alone: $(cat "$tmp/dos1.err")"; fail=1; }
for np in 2 4; do
  "${MPIRUN[@]}" -np "$np" "$DOS" 1 >"$tmp/dos$np.txt" 2>"$tmp/dos$np.err" \
    || { echo "FAIL: exact density under mpirun -np $np: $(grep -v '^-' "$tmp/dos$np.err" | head -n 4)"; fail=1; }
  grep -q "^$np ranks" "$tmp/dos$np.err" || { echo "FAIL: -np $np did not run on $np ranks"; fail=1; }
  cmp -s "$tmp/dos1.txt" "$tmp/dos$np.txt" || { echo "FAIL: exact density: -np $np differs from one process"; fail=1; }
done
[ "$(wc -l <"$tmp/dos1.txt")" -gt 80 ] || { echo "FAIL: exact density printed too little"; fail=1; }

# 2. The tool: windows x runs over the ranks.
args=(--bins 60 --lnf-final 1e-6 --runs 2 --windows 3 --production-sweeps 20000 --round-steps 20000 --seed 23)
"$TOOL" "${args[@]}" --threads 2 -o "$tmp/alone.h5" >/dev/null 2>"$tmp/alone.err" || { echo "FAIL: one process: $(cat "$tmp/alone.err")"; fail=1; }
for np in 2 3; do
  "${MPIRUN[@]}" -np "$np" "$TOOL" "${args[@]}" --threads 1 -o "$tmp/np$np.h5" >/dev/null 2>"$tmp/np$np.err" \
    || { echo "FAIL: mpirun -np $np: $(tail -n 3 "$tmp/np$np.err")"; fail=1; continue; }
  same "np$np" "$tmp/alone.h5" "$tmp/np$np.h5"
done

# 3. Checkpoints under MPI.
mpi_kill_resume wanglandau "$tmp/alone.h5" "$TOOL" "${args[@]}"

[ "$fail" = 0 ] && echo "e2e_mpi_wanglandau: ok"
exit "$fail"
