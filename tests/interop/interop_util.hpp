#pragma once

// What the mesos-go framework tests share (tests/interop/mesos_go_*framework_test.cpp):
// the failure text when Go is missing, files, deadlines and the /master/state JSON.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <regex>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/io_thread.hpp"

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

// Fails the test unless the Go program `what` was built: its build status file
// says 0 and the binary is executable (build_mesos_go_peer.sh writes both).
inline void expectGoProgramBuilt(const std::string& what, const std::string& binary,
                                 const std::string& statusFile, const std::string& logFile) {
  const std::string status = readFile(statusFile);
  if (status.empty()) {
    FAIL() << "the " << what << " was never built (no " << statusFile << ")";
  }
  const int code = std::atoi(status.c_str());
  if (code == 77) FAIL() << kNoGo << ": no `go` when the mesos-go program was built";
  if (code != 0) {
    FAIL() << "building the " << what << " failed (scripts/build_mesos_go_peer.sh exit " << code
           << "); build log " << logFile << ":\n"
           << readFile(logFile);
  }
  if (::access(binary.c_str(), X_OK) != 0) {
    FAIL() << "the " << what << " " << binary << " is missing or not executable";
  }
}

// Starts `mesos-local-master` (2 agents, any port) and reads its banner
// `Simulated master <id> at master@127.0.0.1:<port>`.
inline void startLocalMaster(const std::string& binary, std::unique_ptr<Child>* master,
                             std::string* upid, uint16_t* port) {
  if (::access(binary.c_str(), X_OK) != 0) {
    FAIL() << "the simulated master " << binary << " is missing or not executable";
  }
  std::string error;
  *master = Child::start(binary, {"--port=0", "--agents=2"}, "", &error);
  ASSERT_TRUE(*master) << error;
  std::optional<std::string> line = (*master)->readLine(scaled(std::chrono::seconds(20)));
  ASSERT_TRUE(line) << "no startup line from mesos-local-master within the deadline"
                    << (*master)->exitNote();
  static const std::regex banner(R"(^Simulated master (\S+) at (master@127\.0\.0\.1:(\d+))$)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(*line, match, banner))
      << "unexpected startup line from mesos-local-master: '" << *line << "'";
  *upid = match[2];
  *port = static_cast<uint16_t>(std::stoi(match[3]));
  ASSERT_NE(0, *port);
}

}  // namespace interop
}  // namespace testing
}  // namespace mesos
