# Every dependency comes from a Debian 12 package (see README.md for the list).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(Boost 1.74 REQUIRED)
# gflags: mesos-local-master's flags (glog is built with it; target `gflags`).
find_package(gflags REQUIRED CONFIG)
find_package(glog REQUIRED)
find_package(ZooKeeper REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SASL2 REQUIRED IMPORTED_TARGET libsasl2)
find_package(OpenSSL REQUIRED)
if(MESOS_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
