# The public headers (include/mesos) are what every framework compiles against:
#   - only headers under mesos/testing/ may include a testing header
#     (mesos/testing/..., GoogleTest, GoogleMock), so that <mesos/scheduler.hpp>
#     never drags test-only code into a production build;
#   - none declares a namespace named `testing`: the library's own names are in
#     mesos::local and mesos::mock, because a mesos::testing would collide with
#     GoogleTest's ::testing in a file that says
#     `using namespace mesos; using namespace testing;` (tests/compat/).
# Usage: cmake -DINCLUDE_DIR=<repository>/include -P check_public_headers.cmake
if(NOT INCLUDE_DIR OR NOT IS_DIRECTORY "${INCLUDE_DIR}/mesos")
  message(FATAL_ERROR "INCLUDE_DIR must name the repository's include/ directory")
endif()
file(GLOB_RECURSE _headers RELATIVE "${INCLUDE_DIR}" "${INCLUDE_DIR}/*.hpp" "${INCLUDE_DIR}/*.h")
set(_problems)
foreach(_h IN LISTS _headers)
  file(READ "${INCLUDE_DIR}/${_h}" _text)
  if(NOT _h MATCHES "^mesos/testing/")
    if(_text MATCHES "#[ \t]*include[ \t]*[<\"](mesos/testing/|gtest/|gmock/)")
      list(APPEND _problems "${_h}: includes a testing header (${CMAKE_MATCH_1}...)")
    endif()
  endif()
  if(_text MATCHES "(^|[^A-Za-z0-9_])namespace[ \t\r\n]+([A-Za-z0-9_]+::)*testing[ \t\r\n]*[{=]")
    list(APPEND _problems "${_h}: declares a namespace named `testing`")
  endif()
endforeach()
list(LENGTH _headers _count)
if(_problems)
  list(JOIN _problems "\n  " _text)
  message(FATAL_ERROR "public headers:\n  ${_text}")
endif()
message(STATUS "public headers: ${_count} checked, no testing include outside mesos/testing/, "
               "no namespace testing")
