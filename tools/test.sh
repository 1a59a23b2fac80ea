#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest), then builds and runs the
# suite once more under AddressSanitizer + UndefinedBehaviorSanitizer.
# Usage: tools/test.sh [--no-sanitize]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/install-deps.sh
jobs=$(nproc)
sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

if [ "$sanitize" = 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
  # Without MPI: Open MPI's memory hooks and the sanitizers do not mix; this build checks the
  # one-process side of core/ranks.cpp, the release build the MPI side (e2e_mpi_*).
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXORSCAPE_SANITIZE=ON -DXORSCAPE_MPI=OFF >/dev/null
  cmake --build build-sanitize -j"$jobs"
  # Long scientific end-to-end checks are skipped here (label "slow"): the release run covers them.
  (cd build-sanitize && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -LE slow)
fi
