#!/usr/bin/env bash
# The benchmark suite, from a fresh Debian 12 machine: installs what is missing,
# builds the benchmarks in Release (build-bench/), runs every workload against
# our driver (on libprocess and on the v1 scheduler HTTP API), mesos-go 0.0.6
# (its v0 driver and its v1 HTTP library) and the raw transport in alternation,
# and writes docs/PERFORMANCE.md and docs/performance.png. Takes about fifteen minutes.
# Usage: scripts/bench.sh [--reps N] [--quick]   (see bench/README.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install-deps.sh"
# The report's plot and its profiles (perf); only this script needs them.
missing=()
for package in python3-matplotlib linux-perf; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    python3 "${missing[@]}"
fi

cmake -S "$root" -B "$root/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMESOS_BUILD_BENCH=ON -DMESOS_BUILD_TESTS=OFF -DMESOS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$root/build-bench" -j "${JOBS:-2}" --target \
  load_master bench_framework raw_client codec_bench scale_bench mesos-local-master \
  bench_go_subject bench_go_v1_subject
# Debian's interpreter, which has python3-matplotlib (not one from PATH).
/usr/bin/python3 "$root/bench/run_bench.py" --build "$root/build-bench" \
  --out "$root/docs/PERFORMANCE.md" --plot "$root/docs/performance.png" "$@"
