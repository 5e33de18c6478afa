// System tests of the v1 scheduler HTTP API: the real driver, selected by a
// `http://` master string, against `mesos-local-master` as a separate process.
//
//   * HttpMaster...: register, tasks that finish, a kill, explicit and
//     implicit reconciliation, stop() tearing down, and never a listening
//     socket in this process (what `ss -ltnp` would show);
//   * FrozenMaster...: SIGSTOP of the master (heartbeats every second, TCP
//     connections still open) leads to disconnected() within a few seconds;
//     SIGCONT leads to a new subscription and reregistered().
//
// Synchronisation is always an event with a deadline.

#include <set>

#include "support/listening_sockets.hpp"
#include "system/system_fixture.hpp"

namespace mesos {
namespace testing {
namespace {


class HttpSystemTest : public SystemTest {
 protected:
  DriverConfig httpConfig(Recorder& recorder, const FrameworkInfo& info) const {
    DriverConfig c = config(recorder, info);
    c.master = "http://127.0.0.1:" + std::to_string(port_);
    c.registrationBackoffFactor = Millis(200);
    return c;
  }
};

TEST_F(HttpSystemTest, HttpMasterRunsKillsReconcilesAndStopsWithNoListeningSocket) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));
  ASSERT_TRUE(listeningSockets().empty()) << "the test process listens before the driver";
  Recorder recorder("http");
  recorder.queueBatch({{"echo-0", "echo hi"}, {"echo-1", "echo hi"}, {"echo-2", "echo hi"},
                       {"sleeper-0", "sleep 60"}});
  auto driver = startDriver(httpConfig(recorder, frameworkInfo("system-http")));
  ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";
  const std::string id = recorder.frameworkId();
  EXPECT_EQ(masterId_ + "-0000", id);
  EXPECT_EQ(masterId_, recorder.masterInfo().id());

  for (int i = 0; i < 3; ++i) {
    const std::string task = "echo-" + std::to_string(i);
    ASSERT_TRUE(recorder.waitState(task, TASK_FINISHED))
        << task << " did not finish; updates:\n" << recorder.describeStatuses();
    expectRanToCompletion(recorder, task);
  }
  ASSERT_TRUE(recorder.waitState("sleeper-0", TASK_RUNNING)) << recorder.describeStatuses();
  EXPECT_TRUE(listeningSockets().empty()) << "the driver opened a listening socket";

  // Explicit reconciliation of the running task, then implicit.
  TaskStatus running;
  running.mutable_task_id()->set_value("sleeper-0");
  running.set_state(TASK_RUNNING);
  ASSERT_EQ(DRIVER_RUNNING, driver->reconcileTasks({running}));
  auto reconciled = [](const TaskStatus& s) {
    return s.reason() == TaskStatus::REASON_RECONCILIATION && s.state() == TASK_RUNNING;
  };
  ASSERT_TRUE(recorder.waitStatus("sleeper-0", reconciled)) << "no explicit reconciliation";
  const size_t afterExplicit = recorder.statusesOf("sleeper-0").size();
  ASSERT_EQ(DRIVER_RUNNING, driver->reconcileTasks({}));
  ASSERT_TRUE(waitUntil([&] {
    size_t n = 0;
    for (const auto& s : recorder.statusesOf("sleeper-0")) n += reconciled(s.status) ? 1 : 0;
    return n >= 2 && recorder.statusesOf("sleeper-0").size() > afterExplicit;
  })) << "no implicit reconciliation";

  // Kill.
  TaskID sleeper;
  sleeper.set_value("sleeper-0");
  ASSERT_EQ(DRIVER_RUNNING, driver->killTask(sleeper));
  ASSERT_TRUE(recorder.waitState("sleeper-0", TASK_KILLED)) << recorder.describeStatuses();
  std::string json;
  EXPECT_TRUE(waitAllTasksAcknowledged(id, &json))
      << "the master still tracks tasks (an update was not acknowledged); /state:\n" << json;

  // Stop tears the framework down.
  EXPECT_EQ(DRIVER_STOPPED, driver->stop());
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) {
        return findFramework(s, id, "completed_frameworks").has_value() &&
               !findFramework(s, id).has_value();
      },
      &json))
      << "the framework was not torn down; /state:\n" << json;
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
  EXPECT_TRUE(listeningSockets().empty());
}

TEST_F(HttpSystemTest, FrozenMasterIsNoticedByHeartbeatsAndThawedMasterResubscribedTo) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1", "--heartbeat_interval=1secs"}));
  Recorder recorder("frozen");
  auto driver = startDriver(httpConfig(recorder, frameworkInfo("system-frozen", 3600)));
  ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";

  ASSERT_TRUE(master_->signal(SIGSTOP));
  const auto frozen = Clock::now();
  // Five missed heartbeats of one second, plus scheduling slack.
  ASSERT_TRUE(recorder.waitDisconnections(1, scaled(Millis(15000))))
      << "no disconnected() while the master was frozen";
  const long long noticed = millisBetween(frozen, recorder.disconnectedAt().front());
  std::cout << "frozen master noticed after " << noticed << " ms" << std::endl;
  EXPECT_GE(noticed, 4000);  // Not before the documented silence.

  ASSERT_TRUE(master_->signal(SIGCONT));
  ASSERT_TRUE(recorder.waitSubscriptions(2, scaled(Millis(30000))))
      << "no new subscription after SIGCONT";
  EXPECT_EQ(1, recorder.reregistrations());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
  EXPECT_EQ(DRIVER_STOPPED, driver->stop());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
