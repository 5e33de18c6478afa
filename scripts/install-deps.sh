#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs, if any are missing.
# Runs apt-get as root (directly, or through sudo when available).
set -euo pipefail

packages=(
  cmake ninja-build g++ clang pkg-config ccache
  libprotobuf-dev protobuf-compiler
  libboost-dev libgoogle-glog-dev libgflags-dev libgtest-dev libgmock-dev libbenchmark-dev
  libzookeeper-mt-dev libsasl2-dev libsasl2-modules libssl-dev
  golang-go golang-github-mesos-mesos-go-dev golang-github-pquerna-ffjson-dev
  zookeeper default-jre-headless
  doxygen dpkg-dev
  # scripts/test.sh lists the programs the ThreadSanitizer stage builds with it.
  python3
  # Tests only: the web view's browser test (tests/system/webui_browser_test.cpp).
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: run as root to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
