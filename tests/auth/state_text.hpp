#pragma once

// Reading the simulated master's `/master/state` in the auth tests, as text:
// protobuf prints it without whitespace (`"principal":"alice"`).
//
// The master builds that JSON from google.protobuf.Struct, whose map fields
// have another layout in ThreadSanitizer-instrumented code than in the
// uninstrumented libprotobuf, so building it crashes a TSan build. Tests that
// also run under TSan check the state only when `kStateAvailable`.

#include <regex>
#include <string>
#include <vector>

namespace mesos {
namespace testing {

#if defined(__SANITIZE_THREAD__)
constexpr bool kStateAvailable = false;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kStateAvailable = false;
#else
constexpr bool kStateAvailable = true;
#endif
#else
constexpr bool kStateAvailable = true;
#endif

// The `principal` of every framework that has one.
inline std::vector<std::string> principalsInState(const std::string& json) {
  std::vector<std::string> out;
  static const std::regex principal(R"re("principal":"([^"]*)")re");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), principal);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// Whether some framework is listed as disconnected.
inline bool someFrameworkDisconnected(const std::string& json) {
  return json.find(R"("connected":false)") != std::string::npos;
}

}  // namespace testing
}  // namespace mesos
