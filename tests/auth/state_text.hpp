#pragma once

// Reading the simulated master's `/master/state` as text. Under
// ThreadSanitizer, protobuf's map fields (as in google.protobuf.Struct, which
// tests/master parses the state into) have a different layout in instrumented
// code than in the uninstrumented libprotobuf, so these tests, which also run
// under TSan, do not parse the state into a Struct. Protobuf prints it without
// whitespace: `"principal":"alice"`.

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
