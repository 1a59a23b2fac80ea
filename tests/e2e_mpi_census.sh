#!/usr/bin/env bash
# Runs across processes (core/ranks.hpp) with Open MPI, as a user meets them: a census under
# `mpirun -np 2` and `-np 4` (oversubscribed) holds the same numbers, bit for bit, as one process
# with 2 threads; the completeness rule stops at the same trial; kill -9 of mpirun and SIGTERM to
# the ranks leave a checkpoint that --resume (under mpirun, or alone) continues to the same numbers; a tool
# that does not spread its work refuses to start under mpirun (status 2, its one line, no file);
# --version names the MPI library. Registered only in a build with MPI (tests/CMakeLists.txt).
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
TOOL="$BIN/xorscape-stationary"
PY=/usr/bin/python3
SAME="$SRC/tests/golden/same_numbers.py"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$SRC/tests/lib/mpi.sh"

if ! "$TOOL" --version | grep -q "MPI: Open MPI"; then
  echo "FAIL: --version does not name the MPI library: $("$TOOL" --version)"; fail=1
fi

# 1. The same census alone and over 2 and 4 ranks (trials 0..63, blocks of 32 shared out).
args=(--starts 64 --complete-after 0 --seed 28 --checkpoint-every 3600)
"$TOOL" "${args[@]}" --threads 2 -o "$tmp/alone.h5" >/dev/null 2>"$tmp/alone.err" || { echo "FAIL: one process: $(cat "$tmp/alone.err")"; fail=1; }
for np in 2 4; do
  if ! "${MPIRUN[@]}" -np "$np" "$TOOL" "${args[@]}" --threads 1 -o "$tmp/np$np.h5" >"$tmp/np$np.out" 2>"$tmp/np$np.err"; then
    echo "FAIL: mpirun -np $np: $(tail -n 3 "$tmp/np$np.err")"; fail=1; continue
  fi
  same "np$np" "$tmp/alone.h5" "$tmp/np$np.h5"
  # One summary (rank 0), not one per rank.
  n=$(grep -c "^completeness:" "$tmp/np$np.out")
  [ "$n" = 1 ] || { echo "FAIL: mpirun -np $np printed $n summaries, expected 1"; fail=1; }
  ranks=$("$BIN/xorscape-export" "$tmp/np$np.h5" --attribute ranks 2>/dev/null || true)
  [ "$ranks" = "$np" ] || { echo "FAIL: mpirun -np $np: the file records ranks '$ranks'"; fail=1; }
done

# 2. The completeness rule (decided from the gathered record) stops at the same trial.
rule=(--starts 400 --complete-after 64 --seed 3 --checkpoint-every 3600)
"$TOOL" "${rule[@]}" --threads 2 -o "$tmp/rule1.h5" >/dev/null 2>&1
"${MPIRUN[@]}" -np 2 "$TOOL" "${rule[@]}" --threads 1 -o "$tmp/rule2.h5" >/dev/null 2>"$tmp/rule2.err" \
  || { echo "FAIL: mpirun with the stopping rule: $(tail -n 3 "$tmp/rule2.err")"; fail=1; }
same rule "$tmp/rule1.h5" "$tmp/rule2.h5"

# 3. Checkpoints under MPI: kill -9 of mpirun, then SIGTERM to the ranks (as a scheduler sends it).
long=(--starts 128 --complete-after 0 --seed 5)
"$TOOL" "${long[@]}" --threads 1 -o "$tmp/long_alone.h5" >/dev/null 2>&1
mpi_kill_resume census "$tmp/long_alone.h5" "$TOOL" "${long[@]}"

# 4. A tool that runs in one process refuses several ranks before any work.
"${MPIRUN[@]}" -np 2 "$BIN/xorscape-train" -o "$tmp/train.h5" >/dev/null 2>"$tmp/train.err"; status=$?
[ "$status" = 2 ] || { echo "FAIL: xorscape-train under mpirun -np 2 exited $status, expected 2"; fail=1; }
n=$(grep -c "^xorscape-train: mpirun: xorscape-train runs in one process" "$tmp/train.err")
[ "$n" = 1 ] || { echo "FAIL: expected one refusal line (rank 0), got $n: $(head -n 3 "$tmp/train.err")"; fail=1; }
[ -e "$tmp/train.h5" ] && { echo "FAIL: xorscape-train wrote a file under mpirun"; fail=1; }
# Bad input under MPI: status 2 and one line from rank 0.
"${MPIRUN[@]}" -np 2 "$TOOL" --starts 0 -o "$tmp/bad.h5" >/dev/null 2>"$tmp/bad.err"; status=$?
[ "$status" = 2 ] || { echo "FAIL: --starts 0 under mpirun exited $status, expected 2"; fail=1; }
n=$(grep -c "^xorscape-stationary: --starts" "$tmp/bad.err")
[ "$n" = 1 ] || { echo "FAIL: expected one --starts line, got $n"; fail=1; }

[ "$fail" = 0 ] && echo "e2e_mpi_census: ok"
exit "$fail"
