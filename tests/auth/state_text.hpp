#pragma once

// Reading the simulated master's `/master/state` in the auth tests, as text:
// the master writes it without whitespace (`"principal":"alice"`). It writes the
// JSON directly (src/master/state_json.cpp), so this works in every build,
// ThreadSanitizer included.

#include <regex>
#include <string>
#include <vector>

namespace mesos {
namespace testing {

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
