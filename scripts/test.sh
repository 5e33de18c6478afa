#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is missing,
# then builds and tests
#   1. the plain configuration (warnings are errors), every test, including the
#      web view in headless Chromium (label `browser`),
#      then, from that build, the packaging: install, the out-of-tree consumer
#      (find_package and pkg-config), the Debian packages (scripts/package_check.sh),
#      and the API reference with no undocumented public symbol (scripts/check_docs.sh),
#   2. AddressSanitizer + UndefinedBehaviorSanitizer (every test),
#   3. ThreadSanitizer (the thread-heavy driver, transport and detector tests;
#      only the programs those tests run are built),
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
configure() {
  local dir=$1
  shift
  cmake -S "$root" -B "$root/$dir" -G Ninja -DMESOS_WERROR=ON "${launcher[@]}" "$@" >/dev/null
}
build() {
  configure "$@"
  cmake --build "$root/$1" -j "$jobs"
}
# Seconds per stage, printed at the end.
times=()
started=$SECONDS
stage_done() {
  times+=("$1: $((SECONDS - started)) s")
  started=$SECONDS
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
stage_done "release build, tests, packaging, docs"

build build-asan -DCMAKE_BUILD_TYPE=Debug -DMESOS_SANITIZE=address -DMESOS_INSTALL=OFF
# The layering checks compile headers at test time, the same in every
# configuration: the release stage runs them.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_tests build-asan -LE '^layers$'
stage_done "AddressSanitizer + UBSan build and tests"

tsan_labels='driver|process|detector|zookeeper'
configure build-tsan -DCMAKE_BUILD_TYPE=Debug -DMESOS_SANITIZE=thread -DMESOS_BUILD_EXAMPLES=OFF -DMESOS_INSTALL=OFF
programs=$(python3 "$root/scripts/test_programs.py" "$root/build-tsan" "$tsan_labels")
mapfile -t tsan_programs <<<"$programs"
echo "=== ThreadSanitizer: building the ${#tsan_programs[@]} programs its tests run"
ninja -C "$root/build-tsan" -j "$jobs" "${tsan_programs[@]}"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
  run_tests build-tsan -L "$tsan_labels"
stage_done "ThreadSanitizer build and tests"

if [ -x "$root/scripts/run_fuzz.sh" ]; then
  "$root/scripts/run_fuzz.sh" "${FUZZ_SECONDS:-120}"
  stage_done "fuzz build and runs"
fi
printf '=== stage time: %s\n' "${times[@]}"

# The closing line, for readers of the log: every stage above exits non-zero on
# any failure, so reaching here means all of them passed.
echo "test.sh: all stages passed"
