# Debian packages, built with `cpack -G DEB` in a build directory configured
# with -DCMAKE_INSTALL_PREFIX=/usr (so that libraries land in the multiarch
# directory). Three packages, as Debian splits libraries:
#   libmesos-scheduler0      the shared library (runtime dependencies found
#                            by dpkg-shlibdeps)
#   libmesos-scheduler-dev   headers, the .so link, the static library, the
#                            CMake and pkg-config files, the examples' sources
#   mesos-local-master       the simulated cluster binary
# `apt install ./libmesos-scheduler*.deb ./mesos-local-master*.deb` installs
# them with what they depend on.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libmesos-scheduler)
set(CPACK_PACKAGE_VENDOR "mesos-scheduler-driver")
set(CPACK_PACKAGE_CONTACT "mesos-scheduler-driver maintainers <maintainers@mesos-scheduler-driver.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "standalone Apache Mesos scheduler driver for C++")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")

set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "libmesos-scheduler${MESOS_SOVERSION}")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
  "standalone Apache Mesos scheduler driver - shared library
 A callback-based Mesos scheduler driver, source-compatible with Apache
 Mesos's <mesos/scheduler.hpp>, with an embedded simulated cluster.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmesos-scheduler-dev)
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
# The public headers include protobuf's; the static library needs the rest.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "libprotobuf-dev, libgoogle-glog-dev, libzookeeper-mt-dev, libsasl2-dev, libssl-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "cmake | pkg-config, g++, mesos-local-master")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libgmock-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
  "standalone Apache Mesos scheduler driver - development files
 Headers (including the generated Mesos protobuf headers), the static
 library, CMake package (find_package(MesosSchedulerDriver)), pkg-config
 file (mesos-scheduler) and the examples' sources.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME mesos-local-master)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION net)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
  "simulated Mesos master and agents for developing frameworks
 Runs one master and N agents on one machine, speaking the libprocess wire
 protocol, for developing and testing Mesos frameworks without a cluster.")

include(CPack)
