#!/usr/bin/env bash
# Common command-line conventions, checked on xorscape-export: --help, --version, bad input -> status 2.
set -u
BIN="$1"
fail=0
expect_status() {  # expect_status STATUS PATTERN command...
  local want="$1" pattern="$2"; shift 2
  local err; err=$("$@" 2>&1 >/dev/null); local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: '$*' exited $got, expected $want ($err)"; fail=1; return; fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" <<<"$err"; then echo "FAIL: '$*' said '$err', expected '$pattern'"; fail=1; fi
  if [ "$want" = 2 ] && [ "$(wc -l <<<"$err")" != 1 ]; then echo "FAIL: '$*' printed more than one line: $err"; fail=1; fi
}
expect_status 0 "" "$BIN/xorscape-export" --help
expect_status 0 "" "$BIN/xorscape-export" --version
expect_status 2 "no-such-file.h5" "$BIN/xorscape-export" no-such-file.h5 /x
expect_status 2 "--bogus" "$BIN/xorscape-export" --bogus
expect_status 2 "--format" "$BIN/xorscape-export" --format nope a b
expect_status 2 "--threads" "$BIN/xorscape-export" --threads 0 a b
[ "$fail" = 0 ] && echo "e2e_cli: all checks passed"
exit $fail
