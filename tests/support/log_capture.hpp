#pragma once

// Every glog line logged while a LogCapture is installed, from any thread,
// for tests that check what a user is told.

#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <glog/logging.h>

#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

// Records every glog line logged while it is installed (from any thread).
class LogCapture : public google::LogSink {
 public:
  LogCapture() { google::AddLogSink(this); }
  ~LogCapture() override { google::RemoveLogSink(this); }

  using google::LogSink::send;
  void send(google::LogSeverity severity, const char*, const char*, int,
            const google::LogMessageTime&, const char* message, size_t length) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.emplace_back(severity, std::string(message, length));
  }

  // Waits until a WARNING line containing every one of `parts` was logged.
  bool warned(const std::vector<std::string>& parts) {
    return waitUntil([&] { return !matching(parts).empty(); }, std::chrono::seconds(10));
  }
  // WARNING lines containing every one of `parts`.
  std::vector<std::string> matching(const std::vector<std::string>& parts) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> found;
    for (const auto& [severity, text] : lines_) {
      bool all = severity == google::GLOG_WARNING;
      for (const std::string& part : parts) all = all && text.find(part) != std::string::npos;
      if (all) found.push_back(text);
    }
    return found;
  }
  std::string dump() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const auto& [severity, text] : lines_) {
      out += "  [" + std::to_string(severity) + "] " + text + "\n";
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<google::LogSeverity, std::string>> lines_;
};

}  // namespace testing
}  // namespace mesos
