#!/usr/bin/env bash
# The framework author's path, checked end to end from an already built tree:
#   1. `cmake --install` into a scratch prefix;
#   2. examples/consumer built out of tree against it with find_package (shared
#      and static) and with pkg-config, each run on `master=local`, one against
#      a `mesos-local-master` process on a loopback port; tests/installed (a
#      framework's GoogleTest file as Mesos users write it, and the installed
#      mock header) built against it and run;
#   3. the Debian packages built with cpack and checked with dpkg-deb;
#   4. (as root) the packages installed with `apt-get install ./*.deb`, the
#      consumer built against the system install with find_package (shared,
#      run against /usr/bin/mesos-local-master, and static); the packages are
#      purged afterwards.
# Usage: scripts/package_check.sh [build-dir]   (default: build-release)
# The build directory must be configured with -DCMAKE_INSTALL_PREFIX=/usr
# (for the packages' paths) and built. SKIP_APT_INSTALL=1 skips step 4.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build-release}" && pwd)
jobs=${JOBS:-2}
scratch=$(mktemp -d /tmp/mesos-package-check.XXXXXX)
packages=(libmesos-scheduler0 libmesos-scheduler-dev mesos-local-master)
master_pid=
apt_installed=0

cleanup() {
  if [ -n "$master_pid" ]; then kill "$master_pid" 2>/dev/null || true; fi
  if [ "$apt_installed" = 1 ]; then purge_packages; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

purge_packages() {
  local present=()
  for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      present+=("$p")
    fi
  done
  if [ ${#present[@]} -gt 0 ]; then
    echo "--- removing ${present[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 purge -y -qq \
      "${present[@]}" >/dev/null
  fi
}

# Starts `mesos-local-master` on an ephemeral loopback port; sets $master.
start_master() {
  local binary=$1 log=$scratch/master.log
  "$binary" --ip=127.0.0.1 --port=0 --agents=2 >"$log" 2>&1 &
  master_pid=$!
  for _ in $(seq 1 100); do
    master=$(sed -n 's/^Simulated master .* at master@\(127\.0\.0\.1:[0-9]*\)$/\1/p' "$log")
    [ -n "$master" ] && { echo "--- $binary listening at $master"; return 0; }
    kill -0 "$master_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  echo "error: $binary did not start" >&2
  return 1
}
stop_master() {
  kill "$master_pid"
  wait "$master_pid" || true
  master_pid=
}

# consumer <name> <master> <cmake args...>: configure, build and run it.
consumer() {
  local name=$1 on=$2
  shift 2
  local dir=$scratch/consumer-$name
  cmake -S "$root/examples/consumer" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" "$@" | grep -E '^-- (Mesos|mesos)' || true
  cmake --build "$dir" -j "$jobs" >/dev/null
  echo "--- consumer ($name) --master=$on"
  timeout 60 "$dir/consumer" --master="$on" --num_tasks=2
}

echo "=== package: cmake --install into a scratch prefix"
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(cd "$prefix" && dirname "$(find . -name 'libmesos-scheduler.so' | head -1)")
libdir=${libdir#./}
for f in "include/mesos/scheduler.hpp" "include/mesos/mesos.pb.h" \
         "include/mesos/version.hpp" "include/mesos/type_utils.hpp" \
         "include/mesos/testing/mock_scheduler.hpp" \
         "include/mesos/scheduler/scheduler.pb.h" "include/mesos/testing/local_cluster.hpp" \
         "include/mesos/local/cluster.hpp" "include/mesos/local/options.hpp" \
         "bin/mesos-local-master" "$libdir/libmesos-scheduler.a" \
         "$libdir/cmake/MesosSchedulerDriver/MesosSchedulerDriverConfig.cmake" \
         "$libdir/pkgconfig/mesos-scheduler.pc" \
         "share/doc/libmesos-scheduler-dev/examples/hello_framework.cpp"; do
  [ -e "$prefix/$f" ] || { echo "error: $f not installed" >&2; exit 1; }
done
soname=$(objdump -p "$prefix/$libdir/libmesos-scheduler.so" | awk '/SONAME/ {print $2}')
echo "installed: $(cd "$prefix/$libdir" && ls libmesos-scheduler.*) (SONAME $soname)"
[ "$soname" = "libmesos-scheduler.so.0" ]

echo "=== package: consumer against the scratch prefix (find_package, pkg-config)"
consumer find-package local -DCMAKE_PREFIX_PATH="$prefix"
consumer find-package-static local -DCMAKE_PREFIX_PATH="$prefix" -DCONSUMER_STATIC=ON
PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" \
  consumer pkg-config local -DCONSUMER_USE_PKG_CONFIG=ON
start_master "$prefix/bin/mesos-local-master"
timeout 60 "$scratch/consumer-pkg-config/consumer" --master="$master" --num_tasks=2
timeout 60 "$scratch/consumer-find-package-static/consumer" --master="$master" --num_tasks=2
stop_master
# A framework's own test suite against the installed headers: the Mesos-style
# GoogleTest file and the installed mock header (tests/installed/).
for linkage in shared static; do
  echo "=== package: Mesos-style framework tests against the scratch prefix ($linkage)"
  dir=$scratch/installed-tests-$linkage
  cmake -S "$root/tests/installed" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" -DCMAKE_PREFIX_PATH="$prefix" \
    -DINSTALLED_TESTS_STATIC=$([ $linkage = static ] && echo ON || echo OFF) \
    | grep -E '^-- (Mesos|mesos)' || true
  cmake --build "$dir" -j "$jobs" >/dev/null
  ctest --test-dir "$dir" --output-on-failure --timeout 120
done
# A framework needing a newer minor release must be refused (0.x: same minor).
mkdir -p "$scratch/too-new"
printf '%s\n' 'cmake_minimum_required(VERSION 3.16)' 'project(too_new CXX)' \
  'find_package(MesosSchedulerDriver 0.2 CONFIG REQUIRED)' >"$scratch/too-new/CMakeLists.txt"
if cmake -S "$scratch/too-new" -B "$scratch/too-new/build" -DCMAKE_PREFIX_PATH="$prefix" \
     >/dev/null 2>&1; then
  echo "error: find_package(MesosSchedulerDriver 0.2) accepted version 0.1" >&2
  exit 1
fi

echo "=== package: Debian packages (cpack -G DEB)"
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >/dev/null)
debs=("$build"/packages/*.deb)
for deb in "${debs[@]}"; do
  echo "--- $(basename "$deb")"
  dpkg-deb --info "$deb" | grep -E '^ (Package|Version|Architecture|Depends|Section):'
  dpkg-deb --contents "$deb" | awk '{print "    " $6 ($7 ? " " $7 " " $8 : "")}' \
    | grep -v '/$'
done
runtime_contents=$(dpkg-deb --contents "$build"/packages/libmesos-scheduler0_*.deb)
grep -q 'usr/lib/.*/libmesos-scheduler.so.0 -> libmesos-scheduler.so.0.1.0' <<<"$runtime_contents" \
  || { echo "error: the runtime package lacks the SONAME link" >&2; exit 1; }
dev_depends=$(dpkg-deb --field "$build"/packages/libmesos-scheduler-dev_*.deb Depends)
grep -q 'libmesos-scheduler0 (= ' <<<"$dev_depends" \
  || { echo "error: the -dev package does not depend on the runtime package" >&2; exit 1; }

if [ "${SKIP_APT_INSTALL:-0}" = 1 ] || [ "$(id -u)" -ne 0 ]; then
  echo "=== package: apt install skipped (SKIP_APT_INSTALL=1 or not root)"
else
  echo "=== package: apt-get install ./*.deb, consumer against the system install"
  purge_packages  # a copy left by an interrupted run
  apt_installed=1
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${debs[@]}" >/dev/null
  dpkg-query -W "${packages[@]}"
  consumer system local
  consumer system-static local -DCONSUMER_STATIC=ON
  start_master /usr/bin/mesos-local-master
  timeout 60 "$scratch/consumer-system/consumer" --master="$master" --num_tasks=2
  stop_master
  ldd "$scratch/consumer-system/consumer" | grep -E 'libmesos-scheduler.so.0 => /(usr/)?lib/'
  purge_packages
  apt_installed=0
fi

echo "package_check.sh: all passed"
