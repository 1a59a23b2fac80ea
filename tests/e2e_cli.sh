#!/usr/bin/env bash
# Common command-line conventions, checked on xorscape-export: --help, --version, bad input -> status 2;
# and what xorscape-export prints from a small slice: --list, --attribute, string datasets, columns and
# the gnuplot nonuniform matrix.
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

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then echo "FAIL: $1: expected '$2', got '$3'"; fail=1; fi
}
"$BIN/xorscape-slice" --pair w1_11,b2_1 --resolution 3x2 --range -1:1 --threads 1 -o "$work/s.h5" >/dev/null 2>&1 ||
  { echo "FAIL: xorscape-slice did not write the test file"; exit 1; }
E="$BIN/xorscape-export"
listing=$("$E" "$work/s.h5" --list)
grep -q '^/planes/w1_11,b2_1/loss' <<<"$listing" || { echo "FAIL: --list does not name the plane's loss: $listing"; fail=1; }
check "--attribute tool" "xorscape-slice" "$("$E" "$work/s.h5" --attribute tool)"
check "--attribute n_hidden /" "2" "$("$E" "$work/s.h5" / --attribute n_hidden)"
check "x axis as a column" "$(printf -- '-1\n0\n1')" "$("$E" "$work/s.h5" /planes/w1_11,b2_1/x | grep -v '^#')"
check "string dataset" "w1_11 b2_1" "$("$E" "$work/s.h5" /parameter_names | grep -v '^#' | sed -n '1p;9p' | tr '\n' ' ' | sed 's/ $//')"
matrix=$("$E" "$work/s.h5" /planes/w1_11,b2_1/loss --format matrix | grep -v '^#')
check "matrix header (count, then x)" "3 -1 0 1" "$(head -n 1 <<<"$matrix")"
check "matrix rows (header + 2 y values)" "3" "$(wc -l <<<"$matrix")"
expect_status 2 "--attribute" "$E" "$work/s.h5" --attribute no_such_attribute
expect_status 2 "dataset" "$E" "$work/s.h5" /no/such/dataset
expect_status 2 "dataset" "$E" "$work/s.h5"
[ "$fail" = 0 ] && echo "e2e_cli: all checks passed"
exit $fail
