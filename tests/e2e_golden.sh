#!/usr/bin/env bash
# Refactoring guard: every tool at small scale (tests/golden/run.sh, scalar kernels) must give the
# numeric datasets recorded in tests/golden/digest-scalar.tsv bit for bit (moved datasets are
# mapped through tests/golden/renames.tsv), and every group of those files opens in xarray.
set -euo pipefail
BIN="$1"; SRC="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
bash "$SRC/tests/golden/run.sh" "$BIN" "$work/out"
/usr/bin/python3 "$SRC/tests/golden/digest.py" "$work/out" > "$work/digest.tsv"
/usr/bin/python3 "$SRC/tests/golden/compare.py" "$SRC/tests/golden/digest-scalar.tsv" "$work/digest.tsv" \
  "$SRC/tests/golden/renames.tsv"
# Every group of every file the golden run wrote opens in xarray (every axis has a dimension scale).
/usr/bin/python3 "$SRC/tests/xarray_check.py" "$work"/out/*.h5
