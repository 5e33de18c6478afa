#!/usr/bin/env bash
# Fuzzes every decoder of network or file input (the targets in fuzz/, listed in
# fuzz/README.md) for a bounded time.
# Usage: scripts/run_fuzz.sh [seconds] [target...]
#   seconds  the total budget, split evenly across the targets run (default 120)
#   target   e.g. decoder_fuzz; default: all of them
# Configures and builds the clang/libFuzzer build in build-fuzz/ if needed. Each
# target starts from a temporary copy of its seeds, fuzz/seeds/<name>/ (for
# <name>_fuzz), which are never modified, with fuzz/dicts/<name>.dict if there is
# one. Every target runs even after one fails; the script then exits non-zero if
# any found a crash, leak, timeout, sanitizer report or broken oracle. Reproducers
# and each target's full log are kept in build-fuzz/fuzz-artifacts/.
set -euo pipefail

all_targets=(decoder_fuzz driver_core_fuzz event_stream_fuzz zookeeper_format_fuzz credentials_fuzz
  crammd5_client_fuzz crammd5_server_fuzz tls_fuzz files_query_fuzz)

seconds="${1:-120}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds] [target...]  (seconds: a positive whole number, default 120)" >&2
  exit 2
fi
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=("${all_targets[@]}"); fi
for target in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $target "* ]]; then
    echo "unknown target '$target' (known: ${all_targets[*]})" >&2
    exit 2
  fi
done
per_target=$((seconds / ${#targets[@]}))
if [[ $per_target -lt 1 ]]; then per_target=1; fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DMESOS_BUILD_FUZZ=ON \
    -DMESOS_BUILD_TESTS=OFF -DMESOS_BUILD_EXAMPLES=OFF
fi
ninja -C "$build" -j "${JOBS:-2}" "${targets[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

failed=()
for target in "${targets[@]}"; do
  name="${target%_fuzz}"
  corpus="$work/$name"
  cp -r "$root/fuzz/seeds/$name" "$corpus"
  options=(-max_total_time="$per_target" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1
    -artifact_prefix="$artifacts/$target-")
  if [[ -f "$root/fuzz/dicts/$name.dict" ]]; then options+=(-dict="$root/fuzz/dicts/$name.dict"); fi
  log="$artifacts/$target.log"
  echo "=== $target: ${per_target}s from $(ls "$corpus" | wc -l) seeds"
  status=0
  "$build/fuzz/$target" "$corpus" "${options[@]}" >"$log" 2>&1 || status=$?
  if [[ $status -ne 0 ]]; then
    tail -n 60 "$log" >&2
    echo "$target failed (exit $status); log $log, reproducers in $artifacts:" >&2
    ls -l "$artifacts" | grep -F -- "$target-" >&2 || true
    failed+=("$target")
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "$target: no crash in ${per_target}s ($runs executions, $rate/s)"
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzzing failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} target(s), no crash"
