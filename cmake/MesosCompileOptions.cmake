# Warnings and sanitizer flags shared by every target of the project.
add_library(mesos_warnings INTERFACE)
target_compile_options(mesos_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(MESOS_WERROR)
  target_compile_options(mesos_warnings INTERFACE -Werror)
endif()

if(MESOS_SANITIZE STREQUAL "address")
  # ASan and UBSan together; UBSan findings abort so ctest sees them.
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options(${_san})
  add_link_options(${_san})
elseif(MESOS_SANITIZE STREQUAL "thread")
  set(_san -fsanitize=thread -fno-omit-frame-pointer)
  add_compile_options(${_san})
  # Asio's fenced blocks use std::atomic_thread_fence, which GCC warns TSan
  # cannot model. Asio's scheduler synchronises through its mutexes anyway, so
  # the warning is silenced rather than the fence removed.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-tsan)
  endif()
  add_link_options(${_san})
elseif(NOT MESOS_SANITIZE STREQUAL "")
  message(FATAL_ERROR "MESOS_SANITIZE must be '', 'address' or 'thread', not '${MESOS_SANITIZE}'")
endif()
