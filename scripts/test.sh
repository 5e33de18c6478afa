#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is missing,
# then builds and tests
#   1. the plain configuration (warnings are errors), every test, including the
#      web view in headless Chromium (label `browser`),
#      then, from that build, the packaging: install, the out-of-tree consumer
#      (find_package and pkg-config), the Debian packages (scripts/package_check.sh),
#      and the API reference with no undocumented public symbol (scripts/check_docs.sh),
#   2. AddressSanitizer + UndefinedBehaviorSanitizer (every test),
#   3. ThreadSanitizer (the thread-heavy driver, transport and detector tests),
#   4. the libFuzzer targets of every decoder of network or file input, for a
#      bounded total time (scripts/run_fuzz.sh splits it between them).
# Usage: scripts/test.sh            (FUZZ_SECONDS=120 by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install-deps.sh"

jobs=${JOBS:-2}
# ccache (installed by install-deps.sh) makes a rebuild of unchanged sources
# nearly free, also across clones: paths are hashed relative to the checkout.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
build() {
  local dir=$1
  shift
  cmake -S "$root" -B "$root/$dir" -G Ninja -DMESOS_WERROR=ON "${launcher[@]}" "$@" >/dev/null
  cmake --build "$root/$dir" -j "$jobs"
}
run_tests() {
  local dir=$1
  shift
  echo "=== ctest in $dir $*"
  ctest --test-dir "$root/$dir" -j "$jobs" --output-on-failure --timeout 600 "$@"
}

build build-release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESOS_BUILD_BENCH=ON \
  -DCMAKE_INSTALL_PREFIX=/usr
run_tests build-release
"$root/scripts/package_check.sh" "$root/build-release"
echo "=== docs: Doxygen over include/"
"$root/scripts/check_docs.sh" "$root/build-release/docs"

build build-asan -DCMAKE_BUILD_TYPE=Debug -DMESOS_SANITIZE=address -DMESOS_INSTALL=OFF
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_tests build-asan

build build-tsan -DCMAKE_BUILD_TYPE=Debug -DMESOS_SANITIZE=thread -DMESOS_BUILD_EXAMPLES=OFF -DMESOS_INSTALL=OFF
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
  run_tests build-tsan -L 'driver|process|detector|zookeeper'

if [ -x "$root/scripts/run_fuzz.sh" ]; then
  "$root/scripts/run_fuzz.sh" "${FUZZ_SECONDS:-120}"
fi

# The closing line, for readers of the log: every stage above exits non-zero on
# any failure, so reaching here means all of them passed.
echo "test.sh: all stages passed"
