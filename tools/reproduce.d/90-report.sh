#!/usr/bin/env bash
# Last step: REPORT.md from the HDF5 files of the earlier steps (one row per paper claim).
# seconds: 5 10
set -euo pipefail
"$PY" "$root/tools/make-report.py" "$OUT"
