#pragma once

// Wall-clock time as Mesos puts it on the wire: seconds since the epoch, as a
// double (TaskStatus.timestamp, StatusUpdate.timestamp, state JSON times).

#include <chrono>

namespace mesos {
namespace internal {

inline double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace internal
}  // namespace mesos
