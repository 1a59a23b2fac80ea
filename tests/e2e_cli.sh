#!/usr/bin/env bash
# Common command-line conventions, checked on xorscape-export: --help, --version, bad input -> status 2.
set -u
BIN="$1"
fail=0
source "$(dirname "${BASH_SOURCE[0]}")/lib/expect_status.sh"
expect_status 0 "" "$BIN/xorscape-export" --help
expect_status 0 "" "$BIN/xorscape-export" --version
expect_status 2 "no-such-file.h5" "$BIN/xorscape-export" no-such-file.h5 /x
expect_status 2 "--bogus" "$BIN/xorscape-export" --bogus
expect_status 2 "--format" "$BIN/xorscape-export" --format nope a b
expect_status 2 "--threads" "$BIN/xorscape-export" --threads 0 a b
[ "$fail" = 0 ] && echo "e2e_cli: all checks passed"
exit $fail
