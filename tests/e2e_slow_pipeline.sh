#!/usr/bin/env bash
# The main job at tiny scale (seconds): tools/reproduce.sh --tiny with the tools of this build
# into a temporary folder, then tests/pipeline_check.py: every expected HDF5 file and figure
# exists and is non-empty, and REPORT.md has a row with a verdict for every paper claim.
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! bash "$SRC/tools/reproduce.sh" --tiny --bin "$BIN" --out "$work/out" >"$work/log" 2>&1; then
  echo "FAIL: tools/reproduce.sh --tiny failed:"; tail -n 40 "$work/log"
  for log in "$work"/out/logs/*.log; do echo "--- $log"; tail -n 5 "$log"; done
  exit 1
fi
/usr/bin/python3 "$SRC/tests/pipeline_check.py" "$work/out"
