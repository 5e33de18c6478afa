# What `cmake --install` puts where (GNUInstallDirs), and the CMake package and
# pkg-config files that let a framework find it.
#
# The in-tree build keeps one library per layer (src/CMakeLists.txt; the tests
# link them one by one). For installation, the objects of mesos_scheduler (the
# driver with the simulated cluster) and of every layer it links go into one
# library, built twice from the same position-independent objects:
#   libmesos-scheduler.so.<version> (SONAME libmesos-scheduler.so.<soversion>)
#   libmesos-scheduler.a
# Both carry the simulated cluster too: the driver starts one for
# `master = "local"` with no call by the program, and `mesos/local/cluster.hpp`
# (mesos::local) is public. The driver-only mesos_scheduler_driver is an
# in-tree target and is not installed.

# The examples' sources and the license go to the -dev package's doc directory.
if(NOT DEFINED CMAKE_INSTALL_DOCDIR)
  set(CMAKE_INSTALL_DOCDIR "share/doc/libmesos-scheduler-dev" CACHE PATH
      "Documentation root (DATAROOTDIR/doc/libmesos-scheduler-dev)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Bump on every ABI break (with 0.x, each minor release may break it).
set(MESOS_SOVERSION 0)
set(MESOS_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/MesosSchedulerDriver")

# mesos_sched holds the driver's objects and mesos_scheduler's own object the
# launcher of `local` (src/CMakeLists.txt); mesos_scheduler_driver's launcher
# stays out: one definition of localLauncher() per library.
set(_mesos_layers
  mesos_common mesos_proto mesos_process mesos_detector mesos_auth_client mesos_auth_proto
  mesos_auth_server mesos_master mesos_sched_core mesos_sched_codec mesos_sched mesos_scheduler)
set(_mesos_objects)
foreach(_layer IN LISTS _mesos_layers)
  list(APPEND _mesos_objects "$<TARGET_OBJECTS:${_layer}>")
endforeach()

# What the objects need at link time. Boost is used header-only (Asio, Beast):
# nothing to link. Only protobuf is visible in the public headers.
set(_mesos_private_deps
  glog::glog ZooKeeper::zookeeper_mt PkgConfig::SASL2 OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

add_library(mesos_scheduler_shared SHARED ${_mesos_objects})
add_library(mesos_scheduler_static STATIC ${_mesos_objects})
foreach(_lib mesos_scheduler_shared mesos_scheduler_static)
  set_target_properties(${_lib} PROPERTIES OUTPUT_NAME mesos-scheduler)
  target_include_directories(${_lib} PUBLIC
    "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
    "$<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/proto/gen>"
    "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  target_compile_features(${_lib} PUBLIC cxx_std_17)
  target_link_libraries(${_lib} PUBLIC protobuf::libprotobuf PRIVATE ${_mesos_private_deps})
endforeach()
set_target_properties(mesos_scheduler_shared PROPERTIES
  VERSION "${PROJECT_VERSION}" SOVERSION "${MESOS_SOVERSION}" EXPORT_NAME scheduler_shared)
set_target_properties(mesos_scheduler_static PROPERTIES EXPORT_NAME scheduler_static)

# Headers: the public ones and the generated protobuf headers they include
# (<mesos/mesos.pb.h>, <mesos/scheduler/scheduler.pb.h>; the authentication
# schema comes along for frameworks that want it). `messages/` is internal.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/mesos"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT dev
        FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_BINARY_DIR}/proto/gen/mesos"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT dev
        FILES_MATCHING PATTERN "*.pb.h")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/proto/mesos"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT dev
        FILES_MATCHING PATTERN "*.proto")

install(TARGETS mesos_scheduler_shared EXPORT MesosSchedulerDriverTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime
          NAMELINK_COMPONENT dev)
install(TARGETS mesos_scheduler_static EXPORT MesosSchedulerDriverStaticTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev)
# `cmake --install --strip` (and cpack) strips the shared library and the binary;
# the archive keeps its symbols and loses only its debug information, as
# Debian's own packages do.
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:mesos_scheduler_static>\")
  endif()" COMPONENT dev)
install(TARGETS mesos-local-master EXPORT MesosSchedulerDriverToolsTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT tools)

install(EXPORT MesosSchedulerDriverTargets NAMESPACE mesos::
        DESTINATION "${MESOS_CMAKE_DIR}" COMPONENT dev)
install(EXPORT MesosSchedulerDriverStaticTargets NAMESPACE mesos::
        DESTINATION "${MESOS_CMAKE_DIR}" COMPONENT dev)
# Goes with the binary: the config loads it only if it is installed.
install(EXPORT MesosSchedulerDriverToolsTargets NAMESPACE mesos::
        DESTINATION "${MESOS_CMAKE_DIR}" COMPONENT tools)

# 0.x: minor releases are incompatible with each other; from 1.0 on, majors.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_compat SameMinorVersion)
else()
  set(_compat SameMajorVersion)
endif()
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/MesosSchedulerDriverConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/MesosSchedulerDriverConfig.cmake"
  INSTALL_DESTINATION "${MESOS_CMAKE_DIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/MesosSchedulerDriverConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY ${_compat})
install(FILES
  "${PROJECT_BINARY_DIR}/MesosSchedulerDriverConfig.cmake"
  "${PROJECT_BINARY_DIR}/MesosSchedulerDriverConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/FindZooKeeper.cmake"
  DESTINATION "${MESOS_CMAKE_DIR}" COMPONENT dev)

# pkg-config: relocatable (prefix relative to the .pc file's directory).
set(_pcdir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH MESOS_PC_PREFIX_FROM_PCDIR "/_p/${_pcdir}" "/_p")
string(REGEX REPLACE "/$" "" MESOS_PC_PREFIX_FROM_PCDIR "${MESOS_PC_PREFIX_FROM_PCDIR}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/mesos-scheduler.pc.in"
               "${PROJECT_BINARY_DIR}/mesos-scheduler.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/mesos-scheduler.pc"
        DESTINATION "${_pcdir}" COMPONENT dev)

# The examples' sources, and the out-of-tree consumer project, for reading.
install(FILES
  "${PROJECT_SOURCE_DIR}/examples/hello_framework.cpp"
  "${PROJECT_SOURCE_DIR}/examples/test_framework.cpp"
  "${PROJECT_SOURCE_DIR}/examples/long_lived_framework.cpp"
  "${PROJECT_SOURCE_DIR}/examples/scheduler_logic_test.cpp"
  "${PROJECT_SOURCE_DIR}/examples/example_flags.hpp"
  "${PROJECT_SOURCE_DIR}/examples/test_scheduler.hpp"
  "${PROJECT_SOURCE_DIR}/examples/long_lived_scheduler.hpp"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples" COMPONENT dev)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/examples/consumer"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples" COMPONENT dev
        FILES_MATCHING PATTERN "CMakeLists.txt" PATTERN "*.cpp")
install(FILES "${PROJECT_SOURCE_DIR}/README.md"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT dev)

# Debian wants /usr/share/doc/<package>/copyright in every package.
foreach(_c runtime dev tools)
  if(_c STREQUAL "runtime")
    set(_pkg "libmesos-scheduler${MESOS_SOVERSION}")
  elseif(_c STREQUAL "dev")
    set(_pkg "libmesos-scheduler-dev")
  else()
    set(_pkg "mesos-local-master")
  endif()
  install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" RENAME copyright
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${_pkg}" COMPONENT ${_c})
endforeach()
