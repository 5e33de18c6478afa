#pragma once

// What the mesos-go framework tests share (tests/interop/mesos_go_*framework_test.cpp):
// the failure text when Go is missing, files, deadlines and the /master/state JSON.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>

namespace mesos {
namespace testing {
namespace interop {

using Clock = std::chrono::steady_clock;

// A missing dependency is a failure, not a skip: scripts/install-deps.sh (the
// README's install step) installs the packages.
constexpr const char* kNoGo =
    "Go toolchain not found; install golang-go golang-github-mesos-mesos-go-dev "
    "(scripts/install-deps.sh)";

inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::chrono::milliseconds left(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

inline std::vector<google::protobuf::Struct> structs(const google::protobuf::Struct& s,
                                                     const std::string& key) {
  std::vector<google::protobuf::Struct> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end() || !it->second.has_list_value()) return out;
  for (const google::protobuf::Value& item : it->second.list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

inline std::string str(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it != s.fields().end() && it->second.has_string_value() ? it->second.string_value() : "";
}

}  // namespace interop
}  // namespace testing
}  // namespace mesos
