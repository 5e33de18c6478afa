#!/usr/bin/env bash
# Fuzzes the inbound libprocess path (fuzz/decoder_fuzz.cpp) for a bounded time.
# Usage: scripts/run_fuzz.sh [seconds]   (default 60)
# Configures and builds the clang/libFuzzer build in build-fuzz/ if needed. The
# seeds in fuzz/seeds/decoder/ are copied to a temporary corpus and never
# modified. Exits non-zero on any crash, leak, timeout or sanitizer finding; the
# reproducer is kept in build-fuzz/fuzz-artifacts/.
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds]  (a positive whole number, default 60)" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DMESOS_BUILD_FUZZ=ON \
    -DMESOS_BUILD_TESTS=OFF -DMESOS_BUILD_EXAMPLES=OFF
fi
ninja -C "$build" -j 2 decoder_fuzz

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/fuzz/seeds/decoder" "$work/corpus"
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

status=0
"$build/fuzz/decoder_fuzz" "$work/corpus" -max_total_time="$seconds" -rss_limit_mb=2048 \
  -timeout=30 -print_final_stats=1 -artifact_prefix="$artifacts/" || status=$?
if [[ $status -ne 0 ]]; then
  echo "decoder_fuzz failed (exit $status); reproducers in $artifacts:" >&2
  ls -l "$artifacts" >&2 || true
  exit "$status"
fi
echo "decoder_fuzz: no crash in ${seconds}s"
