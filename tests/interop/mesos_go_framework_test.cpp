// Interop with a third-party scheduler driver: a framework written on mesos-go
// 0.0.6's MesosSchedulerDriver (tests/interop/go/framework) runs against our
// simulated master (`mesos-local-master`, src/master/main.cpp), both as child
// processes. Proves, end to end across processes:
//   * mesos-go's standalone detector finds the master through `GET /state`
//     (`leader`), and registers with the legacy RegisterFrameworkMessage;
//   * offers reach it (ResourceOffersMessage with one agent pid per offer), its
//     LaunchTasksMessages (launches and declines) are honoured;
//   * status updates from the master's pid are accepted and acknowledged
//     (StatusUpdateAcknowledgementMessage), so every task reaches TASK_FINISHED;
//   * its Stop(false) (UnregisterFrameworkMessage) tears the framework down: the
//     master's `/state` lists it under `completed_frameworks` with no task left.
//
// The framework prints `REGISTERED <id>`, `LAUNCHED <task>`,
// `STATUS <task> <state>` and `DONE <n>` on stdout, and exits 0 on success, 1 on
// error or after its --timeout. `Child` (support/child_process.hpp) kills and
// reaps both processes however the test ends.

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "interop/interop_util.hpp"
#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kTasks = 5;
using google::protobuf::Struct;
using google::protobuf::Value;
using interop::kNoGo;
using interop::left;
using interop::readFile;
using interop::str;
using interop::structs;

class MesosGoFrameworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if !MESOS_GO_FOUND
    FAIL() << kNoGo << ": no `go` when the build was configured";
#endif
    interop::expectGoProgramBuilt("mesos-go framework", MESOS_GO_FRAMEWORK, MESOS_GO_FRAMEWORK_STATUS,
                                  MESOS_GO_FRAMEWORK_LOG);
  }

  void TearDown() override {
    // Framework first (it talks to the master), then the master.
    framework_.reset();
    master_.reset();
    if (!frameworkLog_.empty()) ::unlink(frameworkLog_.c_str());
  }

  // Starts the master and reads `Simulated master <id> at master@127.0.0.1:<port>`.
  void startMaster() {
    interop::startLocalMaster(MESOS_LOCAL_MASTER, &master_, &masterUpid_, &masterPort_);
  }

  std::string frameworkStderr() const {
    return frameworkLog_.empty() ? "" : readFile(frameworkLog_);
  }

  std::unique_ptr<Child> master_;
  std::unique_ptr<Child> framework_;
  std::string masterUpid_;
  uint16_t masterPort_ = 0;
  std::string frameworkLog_;
};

TEST_F(MesosGoFrameworkTest, RunsTasksToCompletionAgainstSimulatedMaster) {
  ASSERT_NO_FATAL_FAILURE(startMaster());

  // The framework's stderr (glog) goes to a file, shown when something fails.
  std::string logTemplate = ::testing::TempDir() + "mesos_go_framework.XXXXXX";
  const int logFd = ::mkstemp(logTemplate.data());
  ASSERT_GE(logFd, 0) << "mkstemp: " << std::strerror(errno);
  ::close(logFd);
  frameworkLog_ = logTemplate;

  const milliseconds frameworkTimeout = scaled(seconds(60));
  std::string error;
  framework_ = Child::start(MESOS_GO_FRAMEWORK,
                            {"--master=127.0.0.1:" + std::to_string(masterPort_),
                             "--tasks=" + std::to_string(kTasks),
                             "--timeout=" + std::to_string(frameworkTimeout.count()) + "ms"},
                            frameworkLog_, &error);
  ASSERT_TRUE(framework_) << error;

  // It exits by itself (success, failure, or its own --timeout); give it a margin.
  const Clock::time_point deadline = Clock::now() + frameworkTimeout + scaled(seconds(20));
  bool complete = false;
  const std::vector<std::string> lines = framework_->readAll(deadline, &complete);
  std::string output;
  for (const std::string& line : lines) output += "  " + line + "\n";
  const std::optional<int> status = framework_->wait(left(deadline) + scaled(seconds(5)));
  ASSERT_TRUE(complete && status) << "the mesos-go framework did not exit in time; stdout:\n"
                                  << output << "stderr:\n" << frameworkStderr();
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << "the mesos-go framework " << Child::describe(*status) << "; stdout:\n"
      << output << "stderr:\n" << frameworkStderr();

  // REGISTERED first, then 5 distinct LAUNCHED, 5 TASK_FINISHED, DONE 5 last.
  ASSERT_FALSE(lines.empty());
  static const std::regex registered(R"(^REGISTERED (\S+)$)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(lines.front(), match, registered))
      << "first line is not REGISTERED; stdout:\n" << output;
  const std::string frameworkId = match[1];
  EXPECT_EQ("DONE " + std::to_string(kTasks), lines.back()) << "stdout:\n" << output;

  std::map<std::string, int> launched;
  std::map<std::string, int> finished;
  static const std::regex statusLine(R"(^STATUS (\S+) (TASK_\w+)$)");
  for (const std::string& line : lines) {
    if (line.rfind("LAUNCHED ", 0) == 0) {
      ++launched[line.substr(9)];
    } else if (std::regex_match(line, match, statusLine)) {
      EXPECT_TRUE(launched.count(match[1])) << "status for a task never launched: " << line;
      const std::string state = match[2];
      EXPECT_TRUE(state == "TASK_STARTING" || state == "TASK_RUNNING" || state == "TASK_FINISHED")
          << "unexpected state: " << line;
      if (state == "TASK_FINISHED") ++finished[match[1]];
    }
  }
  EXPECT_EQ(static_cast<size_t>(kTasks), launched.size()) << "stdout:\n" << output;
  EXPECT_EQ(static_cast<size_t>(kTasks), finished.size()) << "stdout:\n" << output;
  for (const auto& entry : launched) EXPECT_EQ(1, entry.second) << entry.first << " launched twice";
  for (const auto& entry : finished) EXPECT_EQ(1, entry.second) << entry.first << " finished twice";

  // The master saw the framework tear down (mesos-go's Stop(false) sent
  // UnregisterFrameworkMessage and waited 2 s): it is a completed framework,
  // and no task is left anywhere.
  std::optional<std::pair<int, std::string>> response = httpGet(masterPort_, "/state", &error);
  ASSERT_TRUE(response) << "GET /state: " << error << master_->exitNote();
  ASSERT_EQ(200, response->first) << response->second;
  Struct state;
  const auto parsed = google::protobuf::util::JsonStringToMessage(response->second, &state);
  ASSERT_TRUE(parsed.ok()) << "/state is not JSON: " << parsed.ToString() << "\n" << response->second;
  EXPECT_EQ(masterUpid_, str(state, "leader"));

  bool completed = false;
  for (const Struct& fw : structs(state, "completed_frameworks")) {
    completed = completed || str(fw, "id") == frameworkId;
  }
  EXPECT_TRUE(completed) << "framework " << frameworkId
                         << " is not in completed_frameworks; /state:\n" << response->second;
  for (const Struct& fw : structs(state, "frameworks")) {
    EXPECT_NE(frameworkId, str(fw, "id")) << "the framework is still registered; /state:\n"
                                          << response->second;
    for (const Struct& task : structs(fw, "tasks")) {
      const std::string taskState = str(task, "state");
      EXPECT_TRUE(taskState == "TASK_FINISHED" || taskState == "TASK_FAILED" ||
                  taskState == "TASK_KILLED" || taskState == "TASK_LOST")
          << "task " << str(task, "id") << " of " << str(fw, "id") << " is still " << taskState;
    }
  }

  // The master is still healthy; it shuts down cleanly on SIGTERM (TearDown).
  EXPECT_EQ("", master_->exitNote());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
