#!/usr/bin/env bash
# Functions longer than LIMIT lines (default 80) in the C++ sources, from universal-ctags' start and
# end lines (lambdas are counted with the function that holds them). Usage: tools/function-lengths.sh [LIMIT]
set -euo pipefail
limit="${1:-80}"
cd "$(dirname "$0")/.."
find src tools -name '*.cpp' -o -name '*.hpp' | sort |
  ctags -L - --languages=C++ --c++-kinds=f --fields=+ne -o - |
  awk -F'\t' -v limit="$limit" '$1 !~ /^__anon/ {
      start = ""; end = "";
      for (i = 4; i <= NF; ++i) { if ($i ~ /^line:/) start = substr($i, 6); if ($i ~ /^end:/) end = substr($i, 5) }
      if (start != "" && end != "" && end - start + 1 > limit) { n++; printf "%5d %s:%s %s\n", end - start + 1, $2, start, $1 }
    }
    END { printf "%d functions longer than %d lines\n", n, limit }' | sort -n
