#!/usr/bin/env bash
# Builds the API reference from include/ with Doxygen and fails if Doxygen
# reports any warning (an undocumented public symbol, a broken reference).
# Usage: scripts/check_docs.sh [output-dir]   (default: build-docs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build-docs}
mkdir -p "$out"
cd "$root"
warnings=$out/doxygen-warnings.log
{ cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $warnings"; } \
  | doxygen - >/dev/null
if [ -s "$warnings" ]; then
  cat "$warnings" >&2
  echo "error: $(grep -c ': warning:' "$warnings" || true) Doxygen warning(s) in include/" >&2
  exit 1
fi
echo "API reference: $out/html/index.html (no Doxygen warnings)"
