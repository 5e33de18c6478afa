#pragma once

// A local cluster whose command tasks run as real processes in sandboxes under
// a temporary work dir, for the web view's tests: a framework registered with
// the real driver, tasks run to their end, and plain HTTP requests to the
// master's port (http_api_client.hpp).

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "http_api_client.hpp"
#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {

namespace fs = std::filesystem;

class WebViewTest : public LocalClusterTest {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "webui_test.XXXXXX").string();
    ASSERT_NE(nullptr, ::mkdtemp(pattern.data()));
    workDir_ = pattern;
  }
  void TearDown() override {
    if (driver_) {
      driver_->stop();
      driver_.reset();
    }
    LocalClusterTest::TearDown();
    cluster_.reset();
    std::error_code ignored;
    fs::remove_all(workDir_, ignored);
  }

  void startWithWorkDir() {
    LocalClusterOptions options = fastOptions();
    options.workDir = workDir_.string();
    ASSERT_NO_FATAL_FAILURE(startCluster(options));
    port_ = masterPid().port;
  }

  // Launches `task` on the next offer and waits for its terminal `state`.
  TaskStatus runToEnd(TaskInfo task, TaskState state = TASK_FINISHED) {
    Offer offer = nextOffer(sched_);
    *task.mutable_slave_id() = offer.slave_id();
    launch(offer, {task});
    auto end = sched_.waitState(task.task_id().value(), state);
    EXPECT_TRUE(end.has_value()) << "no " << TaskState_Name(state) << " for "
                                 << task.task_id().value();
    return end ? end->status : TaskStatus();
  }

  // The sandbox a terminal update's message names: "... (sandbox: <path>)".
  static std::string sandboxOf(const TaskStatus& status) {
    const std::string& message = status.message();
    const std::string marker = " (sandbox: ";
    const size_t at = message.rfind(marker);
    if (at == std::string::npos || message.empty() || message.back() != ')') return "";
    return message.substr(at + marker.size(), message.size() - at - marker.size() - 1);
  }

  HttpResult get(const std::string& target, const std::string& method = "GET") {
    return httpRequest(port_, method, target, "", "");
  }

  static void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  fs::path workDir_;
  uint16_t port_ = 0;
};

// Percent-encodes a query value (as the page's links do).
inline std::string encoded(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// The first object of the list `key` of `s` (an empty one if none).
inline Struct firstOf(const Struct& s, const std::string& key) {
  const std::vector<Struct> all = structs(s, key);
  return all.empty() ? Struct() : all.front();
}

inline size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace testing
}  // namespace mesos
