# Shared by the end-to-end tests (sourced): the checkpoint contract of a long tool, as a user
# meets it. Needs $fail (0/1) and a scratch folder $work.
#
#   kill_resume NAME EXPECTED_SECONDS TOOL ARGS...
#     1. TOOL ARGS -o NAME_whole.h5 runs uninterrupted (the reference);
#     2. TOOL ARGS -o NAME.h5 --checkpoint-every 0.2 runs until its first periodic checkpoint
#        exists, then gets SIGKILL: nothing may appear under NAME.h5;
#     3. TOOL ARGS -o NAME.h5 --resume continues from the last periodic checkpoint: status 0,
#        the same numbers as the reference (tests/golden/same_numbers.py), no checkpoint and no
#        temporary file left in the folder;
#     4. the same once more with SIGTERM instead of SIGKILL: status 130 and a checkpoint.
# ARGS must make a run last well over a second (EXPECTED_SECONDS: about how long the whole run takes).
kill_resume() {
  local name="$1" expected="$2"; shift 2
  local here; here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local whole="$work/${name}_whole.h5" out="$work/$name.h5"
  if ! "$@" -o "$whole" >/dev/null 2>"$work/$name.whole.err"; then
    echo "FAIL: $name: the uninterrupted run failed: $(tail -n 2 "$work/$name.whole.err")"; fail=1; return
  fi
  local signal
  for signal in KILL TERM; do
    rm -f "$out" "$out.checkpoint.h5"
    "$@" -o "$out" --checkpoint-every 0.2 >/dev/null 2>"$work/$name.$signal.err" &
    local pid=$! waited=0
    while [ ! -e "$out.checkpoint.h5" ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $(( 100 * expected + 3000 )) ]; do
      sleep 0.01; waited=$(( waited + 1 ))
    done
    if [ ! -e "$out.checkpoint.h5" ]; then
      wait "$pid"; echo "FAIL: $name: no periodic checkpoint appeared before the run ended (make the run longer)"; fail=1; return
    fi
    kill -"$signal" "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null; local status=$?
    if [ "$signal" = TERM ] && [ "$status" != 130 ]; then
      echo "FAIL: $name: SIGTERM gave status $status, expected 130 ($(tail -n 1 "$work/$name.$signal.err"))"; fail=1
    fi
    if [ -e "$out" ]; then echo "FAIL: $name: a file appeared under the output name after SIG$signal"; fail=1; fi
    if [ ! -e "$out.checkpoint.h5" ]; then echo "FAIL: $name: no checkpoint after SIG$signal"; fail=1; continue; fi
    if ! "$@" -o "$out" --resume >/dev/null 2>"$work/$name.resume.err"; then
      echo "FAIL: $name: --resume after SIG$signal failed: $(tail -n 2 "$work/$name.resume.err")"; fail=1; continue
    fi
    if ! /usr/bin/python3 "$here/golden/same_numbers.py" "$whole" "$out" >"$work/$name.diff"; then
      echo "FAIL: $name: resumed after SIG$signal, the numbers differ from the uninterrupted run:"; head -n 5 "$work/$name.diff"; fail=1
    fi
    local left; left=$(ls -A "$work" | grep -E "^\.$name\.h5.*\.tmp[0-9]+$|^$name\.h5\.checkpoint\.h5$" || true)
    if [ -n "$left" ]; then echo "FAIL: $name: left behind after --resume: $left"; fail=1; fi
  done
}
