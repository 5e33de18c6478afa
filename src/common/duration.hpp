#pragma once

// Mesos duration strings ("2secs", "500ms", "1mins", "1.5hrs") as used by the
// `MESOS_*` environment flags.

#include <chrono>
#include <string>

#include "common/try.hpp"

namespace mesos {
namespace internal {

Try<std::chrono::milliseconds> parseDuration(const std::string& text);

// Reads environment variable `name` as a duration; unset -> `fallback`.
Try<std::chrono::milliseconds> durationFromEnv(const char* name, std::chrono::milliseconds fallback);

}  // namespace internal
}  // namespace mesos
