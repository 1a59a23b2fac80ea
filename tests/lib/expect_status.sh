# Shared by the end-to-end tests (sourced, not run): expect_status STATUS PATTERN command...
# runs the command and records a failure in $fail unless it exits with STATUS, its stderr
# contains PATTERN (when given), and, for bad input (status 2), stderr is exactly one line.
fail=${fail:-0}
expect_status() {
  local want="$1" pattern="$2"; shift 2
  local err; err=$("$@" 2>&1 >/dev/null); local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: '$*' exited $got, expected $want ($err)"; fail=1; return; fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" <<<"$err"; then echo "FAIL: '$*' said '$err', expected '$pattern'"; fail=1; fi
  if [ "$want" = 2 ] && [ "$(wc -l <<<"$err")" != 1 ]; then echo "FAIL: '$*' printed more than one line: $err"; fail=1; fi
}
