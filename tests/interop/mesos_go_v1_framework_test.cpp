// Interop with a third-party v1 scheduler HTTP client: a framework written on
// mesos-go's v1 library (api/v1/lib/httpcli/httpsched, scheduler/calls;
// tests/interop/go/v1_framework) runs against our simulated master
// (`mesos-local-master`) on `http://127.0.0.1:<port>/api/v1/scheduler`, both as
// child processes. Proves, end to end across processes and once per encoding
// mesos-go offers (protobuf, its default, and JSON):
//   * SUBSCRIBE is answered 200 with a Mesos-Stream-Id and a RecordIO event
//     stream in the negotiated type whose first event is SUBSCRIBED;
//   * OFFERS reach it, its ACCEPT (LAUNCH) and DECLINE calls, sent on a second
//     connection with the stream id, are accepted (202);
//   * UPDATE events carry a uuid, its explicit ACKNOWLEDGE calls are accepted,
//     and every task reaches TASK_FINISHED;
//   * TEARDOWN is accepted, the master ends the event stream, and `/master/state`
//     lists the framework under `completed_frameworks` only, with no live task.
//
// The framework prints `SUBSCRIBED <id> <stream id> <heartbeat s>`,
// `LAUNCHED <task> <agent>`, `STATUS <task> <state> acked|noack` and finally one
// `SUMMARY key=value ...` line on stdout; it exits 0 on success and 1 (reason on
// stderr) on any failure or after its --timeout. `Child`
// (support/child_process.hpp) kills and reaps both processes however the test ends.

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
#include <set>
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

// `SUMMARY k=v k=v ...` -> {k: v}; empty if the line is not a summary.
std::map<std::string, std::string> parseSummary(const std::string& line) {
  std::map<std::string, std::string> out;
  std::istringstream in(line);
  std::string word;
  if (!(in >> word) || word != "SUMMARY") return out;
  while (in >> word) {
    const size_t eq = word.find('=');
    if (eq != std::string::npos) out[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return out;
}

class MesosGoV1FrameworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if !MESOS_GO_FOUND
    FAIL() << kNoGo << ": no `go` when the build was configured";
#endif
    interop::expectGoProgramBuilt("mesos-go v1 framework", MESOS_GO_V1_FRAMEWORK, MESOS_GO_V1_FRAMEWORK_STATUS,
                                  MESOS_GO_V1_FRAMEWORK_LOG);
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

  // Runs the Go framework with `--codec=<codec>` to completion and checks its
  // output and the master's state afterwards.
  void runTasksToCompletion(const std::string& codec);

  std::unique_ptr<Child> master_;
  std::unique_ptr<Child> framework_;
  std::string masterUpid_;
  uint16_t masterPort_ = 0;
  std::string frameworkLog_;
};

void MesosGoV1FrameworkTest::runTasksToCompletion(const std::string& codec) {
  ASSERT_NO_FATAL_FAILURE(startMaster());

  // The framework's stderr goes to a file, shown when something fails.
  std::string logTemplate = ::testing::TempDir() + "mesos_go_v1_framework.XXXXXX";
  const int logFd = ::mkstemp(logTemplate.data());
  ASSERT_GE(logFd, 0) << "mkstemp: " << std::strerror(errno);
  ::close(logFd);
  frameworkLog_ = logTemplate;

  const std::string name = "mesos-go v1 interop (" + codec + ")";
  const milliseconds frameworkTimeout = scaled(seconds(60));
  std::string error;
  framework_ = Child::start(MESOS_GO_V1_FRAMEWORK,
                            {"--master=http://127.0.0.1:" + std::to_string(masterPort_),
                             "--tasks=" + std::to_string(kTasks), "--command=true",
                             "--name=" + name, "--codec=" + codec,
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
  ASSERT_TRUE(complete && status) << "the mesos-go v1 framework did not exit in time; stdout:\n"
                                  << output << "stderr:\n" << frameworkStderr();
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << "the mesos-go v1 framework " << Child::describe(*status) << "; stdout:\n"
      << output << "stderr:\n" << frameworkStderr();

  // SUBSCRIBED first: the framework id, a UUID stream id (h.5), 15 s heartbeats (h.6).
  ASSERT_FALSE(lines.empty());
  static const std::regex subscribed(R"(^SUBSCRIBED (\S+) (\S+) (\S+)$)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(lines.front(), match, subscribed))
      << "first line is not SUBSCRIBED; stdout:\n" << output;
  const std::string frameworkId = match[1];
  static const std::regex uuid(
      R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)");
  EXPECT_TRUE(std::regex_match(std::string(match[2]), uuid))
      << "Mesos-Stream-Id is not a UUID: '" << match[2] << "'";
  EXPECT_EQ("15", match[3]) << "heartbeat_interval_seconds";

  // kTasks distinct LAUNCHED, each reaching TASK_FINISHED once; every update
  // carried a uuid and was acknowledged.
  std::map<std::string, int> launched;
  std::map<std::string, int> finished;
  int statusLines = 0;
  static const std::regex statusLine(R"(^STATUS (\S+) (TASK_\w+) (acked|noack)$)");
  for (const std::string& line : lines) {
    if (line.rfind("LAUNCHED ", 0) == 0) {
      std::istringstream in(line.substr(9));
      std::string task;
      in >> task;
      ++launched[task];
    } else if (std::regex_match(line, match, statusLine)) {
      ++statusLines;
      EXPECT_TRUE(launched.count(match[1])) << "status for a task never launched: " << line;
      const std::string state = match[2];
      EXPECT_TRUE(state == "TASK_STARTING" || state == "TASK_RUNNING" || state == "TASK_FINISHED")
          << "unexpected state: " << line;
      EXPECT_EQ("acked", match[3]) << "an update without a uuid: " << line;
      if (state == "TASK_FINISHED") ++finished[match[1]];
    }
  }
  EXPECT_EQ(static_cast<size_t>(kTasks), launched.size()) << "stdout:\n" << output;
  EXPECT_EQ(static_cast<size_t>(kTasks), finished.size()) << "stdout:\n" << output;
  for (const auto& entry : launched) EXPECT_EQ(1, entry.second) << entry.first << " launched twice";
  for (const auto& entry : finished) EXPECT_EQ(1, entry.second) << entry.first << " finished twice";

  // The summary is the last line and agrees.
  std::map<std::string, std::string> summary = parseSummary(lines.back());
  ASSERT_FALSE(summary.empty()) << "last line is not SUMMARY; stdout:\n" << output;
  EXPECT_EQ(frameworkId, summary["framework_id"]);
  EXPECT_EQ(codec, summary["codec"]);
  EXPECT_EQ(std::to_string(kTasks), summary["launched"]);
  EXPECT_EQ(std::to_string(kTasks), summary["finished"]);
  EXPECT_EQ(std::to_string(statusLines), summary["updates"]);
  EXPECT_EQ(std::to_string(statusLines), summary["acks"]);
  EXPECT_GE(std::atoi(summary["heartbeats"].c_str()), 1)
      << "no HEARTBEAT after SUBSCRIBED (h.6); stdout:\n" << output;
  // After TEARDOWN the master ends the stream with the last chunk (h.5, h.9).
  EXPECT_EQ("eof", summary["stream_end"]);

  // The master removed the framework on TEARDOWN: it is a completed framework,
  // no longer a registered one, and no task is left anywhere.
  std::optional<std::pair<int, std::string>> response =
      httpGet(masterPort_, "/master/state", &error);
  ASSERT_TRUE(response) << "GET /master/state: " << error << master_->exitNote();
  ASSERT_EQ(200, response->first) << response->second;
  Struct state;
  const auto parsed = google::protobuf::util::JsonStringToMessage(response->second, &state);
  ASSERT_TRUE(parsed.ok()) << "/master/state is not JSON: " << parsed.ToString() << "\n"
                           << response->second;

  bool completed = false;
  for (const Struct& fw : structs(state, "completed_frameworks")) {
    if (str(fw, "id") == frameworkId) {
      completed = true;
      EXPECT_EQ(name, str(fw, "name"));
    }
  }
  EXPECT_TRUE(completed) << "framework " << frameworkId
                         << " is not in completed_frameworks; /master/state:\n"
                         << response->second;
  for (const Struct& fw : structs(state, "frameworks")) {
    EXPECT_NE(frameworkId, str(fw, "id")) << "the framework is still registered; /master/state:\n"
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

TEST_F(MesosGoV1FrameworkTest, ProtobufRunsTasksToCompletionAgainstSimulatedMaster) {
  runTasksToCompletion("protobuf");
}

// mesos-go's JSON decoder (encoding/json over ffjson-generated code) is strict
// about types: a 64-bit integer field (an offer's port range `begin`/`end`,
// uint64) must be a JSON number, as Mesos's own JSON writer prints it; a quoted
// number fails the whole event.
TEST_F(MesosGoV1FrameworkTest, JsonRunsTasksToCompletionAgainstSimulatedMaster) {
  runTasksToCompletion("json");
}

}  // namespace
}  // namespace testing
}  // namespace mesos
