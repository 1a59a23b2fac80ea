# Shared by the MPI end-to-end tests (sourced): the launcher, and the checkpoint contract under
# mpirun. Needs $fail (0/1), a scratch folder $tmp and tests/golden/same_numbers.py as $SAME.
#
#   same NAME A.h5 B.h5
#     records a failure unless B holds A's numbers bit for bit.
#   mpi_kill_resume NAME REFERENCE.h5 TOOL ARGS...
#     for SIGKILL to mpirun and SIGTERM to the ranks (what a scheduler sends): run TOOL ARGS under
#     `mpirun -np 2` until its first periodic checkpoint, send the signal (SIGTERM: status 130), wait
#     for the ranks to end, then --resume — under mpirun -np 2 after SIGKILL, in one process with
#     2 threads after SIGTERM (a checkpoint does not care how many ranks wrote it) — and compare
#     with REFERENCE. ARGS must not contain --threads.
MPIRUN=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
# One machine, shared memory without the kernel's cross-process copies (not allowed in some containers).
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none

same() {
  if ! /usr/bin/python3 "$SAME" "$2" "$3" >"$tmp/$1.diff"; then
    echo "FAIL: $1: the numbers differ from one process:"; head -n 5 "$tmp/$1.diff"; fail=1
  fi
}

mpi_kill_resume() {
  local name="$1" reference="$2" tool="$3"; shift 3
  local signal
  for signal in KILL TERM; do
    local out="$tmp/${name}_$signal.h5"
    "${MPIRUN[@]}" -np 2 "$tool" "$@" --threads 1 -o "$out" --checkpoint-every 0.3 >/dev/null 2>"$tmp/$name.$signal.err" &
    local pid=$! waited=0
    while [ ! -e "$out.checkpoint.h5" ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 3000 ]; do sleep 0.01; waited=$((waited + 1)); done
    if [ ! -e "$out.checkpoint.h5" ]; then wait "$pid"; echo "FAIL: $name: SIG$signal: no checkpoint appeared (make the run longer)"; fail=1; continue; fi
    if [ "$signal" = KILL ]; then kill -KILL "$pid"; else pkill -TERM -f "^$tool .*-o $out"; fi
    { wait "$pid"; } 2>/dev/null; local status=$?
    if [ "$signal" = TERM ] && [ "$status" != 130 ]; then echo "FAIL: $name: SIGTERM to the ranks gave status $status, expected 130"; fail=1; fi
    # Without their mpirun the ranks end on their own (Open MPI notices the lost daemon in seconds).
    waited=0
    while pgrep -f "^$tool .*-o $out" >/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    if pgrep -f "^$tool .*-o $out" >/dev/null; then echo "FAIL: $name: SIG$signal: ranks still running 30 s later"; pkill -KILL -f "^$tool .*-o $out"; fail=1; fi
    [ -e "$out" ] && { echo "FAIL: $name: SIG$signal: a file appeared under the output name"; fail=1; }
    local resume=("${MPIRUN[@]}" -np 2 "$tool" "$@" --threads 1)
    [ "$signal" = TERM ] && resume=("$tool" "$@" --threads 2)
    if ! "${resume[@]}" -o "$out" --resume >/dev/null 2>"$tmp/$name.$signal.resume.err"; then
      echo "FAIL: $name: --resume after SIG$signal: $(tail -n 3 "$tmp/$name.$signal.resume.err")"; fail=1; continue
    fi
    grep -q "continuing from" "$tmp/$name.$signal.resume.err" || { echo "FAIL: $name: SIG$signal: the resumed run did not continue a checkpoint"; fail=1; }
    same "${name}_resume_$signal" "$reference" "$out"
    [ -e "$out.checkpoint.h5" ] && { echo "FAIL: $name: SIG$signal: the checkpoint stayed after --resume"; fail=1; }
  done
}
