#pragma once

// When and by whom this build tree was configured, and from which commit, for
// `/version` and `/master/state` (the fields a Mesos master reports as
// `build_date`, `build_time`, `build_user`, `git_sha`). The values are stamped
// by CMake when it configures the build tree (src/master/CMakeLists.txt,
// build_info.cpp.in); `SOURCE_DATE_EPOCH` fixes the date for reproducible
// builds. Not refreshed by a rebuild without a reconfigure.
//
// Thread: constants.

#include <string>

namespace mesos {
namespace internal {
namespace master {

struct BuildInfo {
  std::string date;    // UTC, `YYYY-MM-DD HH:MM:SS`.
  double time = 0;     // The same instant in seconds since the epoch.
  std::string user;    // `$USER` at configure time (may be empty).
  std::string gitSha;  // Empty outside a git checkout.
};

const BuildInfo& buildInfo();

}  // namespace master
}  // namespace internal
}  // namespace mesos
