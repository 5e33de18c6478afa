#!/bin/sh
# Builds one of the mesos-go interop programs under tests/interop/go/ into
# <outdir>/<program>, offline, in GOPATH mode, from the Go sources that Debian
# installs under /usr/share/gocode. <program> is
#   messenger_peer  (the default) a mesos-go v0 messenger peer
#                   (tests/interop/mesos_go_interop_test.cpp);
#   framework       a framework on mesos-go v0's scheduler driver
#                   (tests/interop/mesos_go_framework_test.cpp);
#   zk_detector     mesos-go v0's ZooKeeper master detector
#                   (tests/interop/mesos_go_zk_detector_test.cpp);
#   bench_framework the benchmark subject on mesos-go v0's scheduler driver
#                   (bench/go/bench_framework, run by bench/load_master);
#   v1_framework    a framework on mesos-go's v1 scheduler HTTP library
#                   (api/v1/lib/httpcli/httpsched; tests/interop/mesos_go_v1_framework_test.cpp);
#   bench_v1_framework the benchmark subject on that v1 library
#                   (bench/go/bench_v1_framework, subject "mesos-go-v1").
# Needs:
#   golang-go                          (the toolchain, Go >= 1.19)
#   golang-github-mesos-mesos-go-dev   (mesos-go 0.0.6) and its dependencies
#     golang-github-gogo-protobuf-dev, golang-glog-dev, golang-golang-x-net-dev,
#     golang-github-pborman-uuid-dev (and golang-github-google-uuid-dev);
#     the framework's scheduler package also pulls in
#     golang-github-samuel-go-zookeeper-dev (mesos-go's ZooKeeper detector);
#   the v1 library (api/v1/lib) also needs golang-github-pquerna-ffjson-dev
#     (its generated JSON marshallers)
# Nothing is downloaded: modules are off and GOPROXY=off.
#
# Exit status: 0 built; 77 `go` missing (the interop tests report it as a failure);
# anything else is a build failure.
set -eu

usage() { echo "usage: $0 <outdir> [messenger_peer|framework|zk_detector|bench_framework|v1_framework|bench_v1_framework]" >&2; exit 2; }
[ $# -eq 1 ] || [ $# -eq 2 ] || usage
outdir=$1
program=${2:-messenger_peer}
case "$program" in
  messenger_peer) package=v0/messenger ;;
  framework) package=v0/scheduler ;;
  zk_detector) package=v0/detector/zoo ;;
  bench_framework) package=v0/scheduler ;;
  v1_framework) package=v1/lib/httpcli/httpsched ;;
  bench_v1_framework) package=v1/lib/httpcli/httpsched ;;
  *) usage ;;
esac

GO=${GO:-go}
if ! command -v "$GO" >/dev/null 2>&1; then
  echo "build_mesos_go_peer: Go toolchain not found ('$GO' is not on PATH);" \
       "install golang-go golang-github-mesos-mesos-go-dev" >&2
  exit 77
fi

here=$(cd "$(dirname "$0")" && pwd)
src="$here/../tests/interop/go/$program"
case "$program" in bench_*) src="$here/../bench/go/$program" ;; esac
gocode=${MESOS_GO_GOCODE:-/usr/share/gocode}
if [ ! -d "$gocode/src/github.com/mesos/mesos-go/api/$package" ]; then
  echo "build_mesos_go_peer: mesos-go sources not found under $gocode/src;" \
       "install golang-github-mesos-mesos-go-dev" >&2
  exit 1
fi

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
# Private GOPATH entry first (never written to: `go build -o` installs nothing)
# and a private build cache, so the build needs no writable $HOME.
work="$outdir/$program.gowork"
mkdir -p "$work/gopath" "$work/cache"

# GOFLAGS is cleared: -mod=... is rejected outside module mode.
cd "$src"
env GO111MODULE=off \
    GOPATH="$work/gopath:$gocode" \
    GOCACHE="$work/cache" \
    GOFLAGS= \
    GOPROXY=off \
    GOTOOLCHAIN=local \
    CGO_ENABLED=0 \
    "$GO" build -o "$outdir/$program.tmp" .
mv -f "$outdir/$program.tmp" "$outdir/$program"
echo "build_mesos_go_peer: built $outdir/$program"
