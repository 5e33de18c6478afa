#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds
# the example framework, and runs it on the embedded simulated cluster
# (`--master=local`, 3 agents, 20 tasks). Extra arguments go to the framework,
# e.g. `scripts/run-example.sh --num_tasks=50 --v=1`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMESOS_BUILD_TESTS=OFF >/dev/null
cmake --build "$root/build-example" -j "${JOBS:-2}" --target test_framework mesos-local-master
export MESOS_NUM_SLAVES=${MESOS_NUM_SLAVES:-3}
exec "$root/build-example/examples/test_framework" --master=local --num_tasks=20 "$@"
