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
MPIRUN=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none

same() {  # same NAME A B
  if ! "$PY" "$SAME" "$2" "$3" >"$tmp/$1.diff"; then
    echo "FAIL: $1: the numbers differ from one process:"; head -n 5 "$tmp/$1.diff"; fail=1
  fi
}

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
for signal in KILL TERM; do
  out="$tmp/r_$signal.h5"
  "${MPIRUN[@]}" -np 2 "$TOOL" "${args[@]}" --threads 1 -o "$out" --checkpoint-every 0.3 >/dev/null 2>"$tmp/$signal.err" &
  pid=$! waited=0
  while [ ! -e "$out.checkpoint.h5" ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 3000 ]; do sleep 0.01; waited=$((waited + 1)); done
  if [ ! -e "$out.checkpoint.h5" ]; then wait "$pid"; echo "FAIL: SIG$signal: no checkpoint appeared"; fail=1; continue; fi
  if [ "$signal" = KILL ]; then kill -KILL "$pid"; else pkill -TERM -f "^$TOOL .*-o $out"; fi
  { wait "$pid"; } 2>/dev/null; status=$?
  if [ "$signal" = TERM ] && [ "$status" != 130 ]; then echo "FAIL: SIGTERM to the ranks gave status $status, expected 130"; fail=1; fi
  waited=0
  while pgrep -f "^$TOOL .*-o $out" >/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
  if pgrep -f "^$TOOL .*-o $out" >/dev/null; then echo "FAIL: SIG$signal: ranks still running 30 s later"; pkill -KILL -f "^$TOOL .*-o $out"; fail=1; fi
  [ -e "$out" ] && { echo "FAIL: SIG$signal: a file appeared under the output name"; fail=1; }
  if [ "$signal" = KILL ]; then resume=("${MPIRUN[@]}" -np 2 "$TOOL" "${args[@]}" --threads 1); else resume=("$TOOL" "${args[@]}" --threads 2); fi
  "${resume[@]}" -o "$out" --resume >/dev/null 2>"$tmp/$signal.resume.err" \
    || { echo "FAIL: --resume after SIG$signal: $(tail -n 3 "$tmp/$signal.resume.err")"; fail=1; continue; }
  grep -q "continuing from" "$tmp/$signal.resume.err" || { echo "FAIL: SIG$signal: the resumed run did not continue a checkpoint"; fail=1; }
  same "resume_$signal" "$tmp/alone.h5" "$out"
done

[ "$fail" = 0 ] && echo "e2e_mpi_wanglandau: ok"
exit "$fail"
