#pragma once

// A local cluster whose command tasks run as real processes in sandboxes
// under a temporary work dir (removed after each test): tasks run to their
// end, and the sandbox a terminal update names. Shared by the command-task
// tests (cluster_commands_test.cpp) and the web view's (webui_fixture.hpp).

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {

class SandboxClusterTest : public LocalClusterTest {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sandbox_cluster.XXXXXX").string();
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
    std::filesystem::remove_all(workDir_, ignored);
  }

  LocalClusterOptions withWorkDir() const {
    LocalClusterOptions options = fastOptions();
    options.workDir = workDir_.string();
    return options;
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

  std::filesystem::path workDir_;
};

}  // namespace testing
}  // namespace mesos
