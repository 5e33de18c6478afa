// The example frameworks through failovers, run as processes against
// mesos-local-master (as a user would run them):
//
//  * a master failover (SIGUSR1 to mesos-local-master) after which the agent
//    re-sends terminal updates that were already acknowledged, as a real agent
//    does (at-least-once delivery): examples/test_framework must count each
//    task once and wait for the tasks that are really still running;
//  * examples/long_lived_framework started again with the first instance's
//    framework id: it fails over, adopts the earlier instance's tasks and keeps
//    exactly `--tasks` running.
//
// Every wait has a deadline; every server listens on 127.0.0.1.

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <functional>
#include <vector>

#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {
namespace {

using Millis = std::chrono::milliseconds;
using ::testing::HasSubstr;

class ExampleFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "example-failover-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_EQ(0, std::system(("mkdir -p '" + dir_ + "'").c_str()));
  }

  void TearDown() override {
    master_.reset();
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  void startMaster(std::vector<std::string> flags) {
    // INFO: a test reads a line of it, and its log is shown on failure.
    flags.insert(flags.begin(), {"--ip=127.0.0.1", "--port=0", "--allocation_interval=100ms",
                                 "--logging_level=INFO"});
    std::string error;
    master_ = Child::start(MESOS_LOCAL_MASTER, flags, dir_ + "/master.log", &error);
    ASSERT_TRUE(master_) << error;
    const std::optional<std::string> pid = readMasterPid(*master_, &error);
    ASSERT_TRUE(pid.has_value()) << error;
    pid_ = *pid;
    port_ = static_cast<uint16_t>(std::atoi(pid_.substr(pid_.rfind(':') + 1).c_str()));
  }

  // The master's `/master/state`, parsed; nothing (and a failure) if unreadable.
  std::optional<google::protobuf::Struct> state() {
    std::string error;
    auto response = httpGet(port_, "/master/state", &error);
    if (!response || response->first != 200) {
      ADD_FAILURE() << "GET /master/state: " << (response ? std::to_string(response->first) : error);
      return std::nullopt;
    }
    google::protobuf::Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(response->second, &parsed).ok()) {
      ADD_FAILURE() << "unparsable state: " << response->second;
      return std::nullopt;
    }
    return parsed;
  }

  // Ids of the tasks the master holds (live, or ended and not yet acknowledged).
  std::set<std::string> masterTasks() {
    std::set<std::string> ids;
    std::optional<google::protobuf::Struct> s = state();
    if (!s) return ids;
    for (const auto& framework : s->fields().at("frameworks").list_value().values()) {
      for (const auto& task :
           framework.struct_value().fields().at("tasks").list_value().values()) {
        ids.insert(task.struct_value().fields().at("id").string_value());
      }
    }
    return ids;
  }

  // Waits until `done()` holds; false after `timeout`. Every check is an HTTP
  // request to the master, so it polls every 20 ms, not every millisecond.
  static bool waitFor(Millis timeout, const std::function<bool()>& done) {
    return waitUntil(done, timeout, Millis(20));
  }

  struct Run {
    int status = -1;  // Exit status; -1 if it did not exit normally.
    std::vector<std::string> lines;
    std::string text() const {
      std::string out;
      for (const std::string& line : lines) out += line + "\n";
      return out;
    }
    size_t count(const std::string& prefix) const {
      size_t n = 0;
      for (const std::string& line : lines) n += line.rfind(prefix, 0) == 0;
      return n;
    }
  };

  // Reads the rest of `child`'s stdout into `run` and waits for its exit.
  static void finish(Child& child, Run* run) {
    bool complete = false;
    const auto deadline = Child::Clock::now() + scaled(Millis(60000));
    for (std::string& line : child.readAll(deadline, &complete)) run->lines.push_back(line);
    EXPECT_TRUE(complete) << "no EOF from the framework";
    const std::optional<int> status = child.wait(scaled(Millis(10000)));
    EXPECT_TRUE(status.has_value()) << "the framework did not exit";
    run->status = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  }

  Run runLongLived(const std::string& log, int tasks) {
    std::string error;
    auto framework = Child::start(
        MESOS_LONG_LIVED_FRAMEWORK,
        {"--master=" + pid_, "--tasks=" + std::to_string(tasks), "--run_seconds=3",
         "--framework_id_file=" + dir_ + "/framework.id"},
        dir_ + "/" + log, &error);
    Run run;
    EXPECT_TRUE(framework) << error;
    if (framework) finish(*framework, &run);
    return run;
  }

  std::string readLog(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::string dir_;
  std::unique_ptr<Child> master_;
  std::string pid_;
  uint16_t port_ = 0;
};

// After the ZooKeeper leader was killed under a real cluster, the agent re-sent
// the terminal updates of tasks 0-3 to the new master, and test_framework
// counted them again: "20/20 tasks finished (12 launched)". Here: 8 tasks on
// one agent that fits them all; tasks 0-3 end at once, 4-7 run for a while.
// Once 0-3 are acknowledged, the master fails over and the agent re-sends
// their terminal updates. The framework must still wait for 4-7.
TEST_F(ExampleFailoverTest, TestFrameworkCountsTerminalUpdatesResentAfterMasterFailoverOnce) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1", "--resources=cpus:4;mem:1024",
                                       "--failover_resend_acknowledged=10mins"}));
  std::string error;
  auto framework = Child::start(
      MESOS_TEST_FRAMEWORK,
      {"--master=" + pid_, "--num_tasks=8",
       "--command=case $MESOS_TASK_ID in 0|1|2|3) exit 0;; *) sleep 8;; esac"},
      dir_ + "/framework.log", &error);
  ASSERT_TRUE(framework) << error;

  // Tasks 0-3 finished, as the framework saw...
  Run run;
  std::set<std::string> finished;
  const auto deadline = Child::Clock::now() + scaled(Millis(30000));
  while (finished.size() < 4) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Child::Clock::now());
    std::optional<std::string> line =
        left.count() > 0 ? framework->readLine(left) : std::optional<std::string>();
    ASSERT_TRUE(line.has_value()) << "tasks 0-3 did not finish" << framework->exitNote() << "\n"
                                  << run.text();
    run.lines.push_back(*line);
    for (const char* id : {"0", "1", "2", "3"}) {
      if (line->rfind(std::string("Task ") + id + " is in state TASK_FINISHED", 0) == 0) {
        finished.insert(id);
      }
    }
  }
  // ... and acknowledged: the master forgets a task once its terminal update
  // is acknowledged. Tasks 4-7 are still running.
  ASSERT_TRUE(waitFor(Millis(20000), [&] {
    const std::set<std::string> tasks = masterTasks();
    return tasks == std::set<std::string>{"4", "5", "6", "7"};
  })) << "the master still holds tasks 0-3";

  ASSERT_TRUE(master_->signal(SIGUSR1));
  finish(*framework, &run);
  const std::string out = run.text();

  // The test did what it claims: the framework got tasks 0-3 twice.
  for (const char* id : {"0", "1", "2", "3"}) {
    EXPECT_EQ(2u, run.count(std::string("Task ") + id + " is in state TASK_FINISHED")) << out;
  }
  EXPECT_THAT(readLog("master.log"), HasSubstr("re-send 4 acknowledged terminal update(s)"));
  // Each task was counted once: the framework waited for tasks 4-7.
  for (const char* id : {"4", "5", "6", "7"}) {
    EXPECT_EQ(1u, run.count(std::string("Task ") + id + " is in state TASK_FINISHED")) << out;
  }
  EXPECT_THAT(out, HasSubstr("Summary: 8/8 tasks finished (8 launched)"));
  EXPECT_EQ(0, run.status) << out << readLog("framework.log");
}

// long_lived_framework started again with the first instance's framework id
// (read back from --framework_id_file): it fails over, and reconciliation
// reports the first instance's tasks. Run with the same flags, it keeps
// exactly --tasks running, whether offers or the reconciliation answers come
// first.
TEST_F(ExampleFailoverTest, LongLivedSecondInstanceAdoptsTheFirstInstancesTasks) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));
  Run first = runLongLived("first.log", 2);
  EXPECT_THAT(first.text(), HasSubstr("Summary: 2/2 tasks running"));
  ASSERT_EQ(0, first.status) << first.text() << readLog("first.log");

  Run second = runLongLived("second.log", 2);
  const std::string out = second.text();
  EXPECT_THAT(out, HasSubstr("Failing over to framework"));
  EXPECT_EQ(2u, second.count("Adopting task ")) << out;
  EXPECT_THAT(out, HasSubstr("Summary: 2/2 tasks running"));
  EXPECT_EQ(0, second.status) << out << readLog("second.log");
  // The master runs two tasks for the framework, not four.
  EXPECT_TRUE(waitFor(Millis(10000), [&] { return masterTasks().size() == 2; }))
      << masterTasks().size() << " tasks";
}

// The reported failure, "4/2 tasks running": the second instance counted the
// earlier instance's reconciled tasks as its own. Here the first instance ran
// 4 tasks on an agent that fits exactly 4 (so no offer is left for the second)
// and the second wants 2: it adopts the 4, kills the surplus 2 and exits 0
// with 2 running.
TEST_F(ExampleFailoverTest, LongLivedSecondInstanceDoesNotCountAdoptedTasksAsItsOwn) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1", "--resources=cpus:0.4;mem:64"}));
  Run first = runLongLived("first.log", 4);
  EXPECT_THAT(first.text(), HasSubstr("Summary: 4/4 tasks running"));
  ASSERT_EQ(0, first.status) << first.text() << readLog("first.log");

  Run second = runLongLived("second.log", 2);
  const std::string out = second.text();
  EXPECT_EQ(4u, second.count("Adopting task ")) << out;
  EXPECT_EQ(2u, second.count("Killing adopted task ")) << out;
  EXPECT_THAT(out, HasSubstr("Summary: 2/2 tasks running (2 adopted from an earlier instance)"));
  EXPECT_EQ(0, second.status) << out << readLog("second.log");
  EXPECT_TRUE(waitFor(Millis(10000), [&] { return masterTasks().size() == 2; }))
      << masterTasks().size() << " tasks";
}

}  // namespace
}  // namespace testing
}  // namespace mesos
