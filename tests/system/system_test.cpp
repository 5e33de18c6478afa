// System tests: the real driver (MesosSchedulerDriver, the library frameworks
// link) against the simulated master `mesos-local-master` (src/master/main.cpp)
// running as a separate process, whose agents run command tasks as real child
// processes. Each TEST starts its own master (`--allocation_interval=100ms`) and
// shows one behaviour end to end:
//
//   * FullLifecycle...: register, offers, 5 `echo hi` tasks each go
//     STARTING -> RUNNING -> FINISHED and are acknowledged, stop() tears the
//     framework down (`/state` lists it under completed_frameworks);
//   * FrameworkFailover...: a second driver with the same FrameworkInfo.id takes
//     the framework over; the first gets error("Framework failed over");
//   * MasterKilledAndRestarted...: SIGKILL of the master, a new master on the same
//     port; the driver calls disconnected(), registers again with the same id and
//     keeps working (the kill-to-registration time is printed);
//   * HeldOfferIsRescinded...: `--offer_timeout` rescinds an offer that is held;
//   * SlowScheduler...: one framework's statusUpdate() blocks for 2 s while another
//     framework runs tasks to completion; the slow one loses no update;
//   * TwoFrameworks...: two frameworks share a 2-agent cluster;
//   * LegacyDialect...: the same lifecycle with legacy `mesos.internal.*` messages;
//   * WorkDirKeeps...: with `--work_dir`, a task's sandbox and output outlive the
//     master.
//
// Agent loss needs fault injection inside the master process
// (SimulatedMaster::removeAgent), so it is covered in-process by
// tests/master/cluster_tasks_test.cpp, not here.
//
// Synchronisation is always an event with a deadline (Recorder::wait*, polling
// `/state`); the only sleep is the slow scheduler's, which is the behaviour under
// test. `Child` kills and reaps every master process however a test ends.

#include "system/system_fixture.hpp"

namespace mesos {
namespace testing {
namespace {


// ---- 1. Full lifecycle ----------------------------------------------------------

TEST_F(SystemTest, FullLifecycleRunsEchoTasksAndTearsDown) { runLifecycle(Dialect::kCall); }

// ---- 2. Framework failover to a second driver -----------------------------------

TEST_F(SystemTest, FrameworkFailoverToSecondDriverKeepsRunningTask) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));

  Recorder first("first");
  first.queueTasks("long", 1, "sleep 30");
  auto driverA = startDriver(config(first, frameworkInfo("system-failover", 30)));
  ASSERT_TRUE(first.waitRegistrations(1)) << "A: no registered()";
  const std::string id = first.frameworkId();
  ASSERT_TRUE(first.waitState("long-0", TASK_RUNNING)) << "A: the task is not running; updates:\n"
                                                       << first.describeStatuses();

  // B takes over with the same id: SUBSCRIBE with force (its failover flag).
  Recorder second("second");
  FrameworkInfo info = frameworkInfo("system-failover", 30);
  info.mutable_id()->set_value(id);
  auto driverB = startDriver(config(second, info));
  ASSERT_TRUE(second.waitRegistrations(1)) << "B: no registered()";
  EXPECT_EQ(id, second.frameworkId());
  EXPECT_EQ(0, second.reregistrations());

  ASSERT_TRUE(first.waitErrors(1)) << "A: no error()";
  EXPECT_EQ("Framework failed over", first.errors().front());
  EXPECT_EQ(DRIVER_ABORTED, driverA->status());
  EXPECT_EQ(1u, first.registeredAt().size());

  // B learns the state of the task A launched.
  ASSERT_EQ(DRIVER_RUNNING, driverB->reconcileTasks({}));
  const auto reconciled = second.waitStatus("long-0", [](const TaskStatus& s) {
    return s.reason() == TaskStatus::REASON_RECONCILIATION;
  });
  ASSERT_TRUE(reconciled) << "B: no reconciliation answer; updates:\n" << second.describeStatuses();
  EXPECT_EQ(TASK_RUNNING, reconciled->status.state());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, reconciled->status.source());
  EXPECT_TRUE(second.errors().empty()) << second.errors().front();

  std::string json;
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) {
        const std::optional<Struct> framework = findFramework(s, id);
        if (!framework) return false;
        const std::vector<Struct> tasks = structs(*framework, "tasks");
        return tasks.size() == 1 && str(tasks[0], "state") == "TASK_RUNNING";
      },
      &json))
      << "/state:\n"
      << json;

  // B tears the framework down; the master kills `sleep 30`.
  EXPECT_EQ(DRIVER_STOPPED, driverB->stop());
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) { return findFramework(s, id, "completed_frameworks").has_value(); },
      &json))
      << "/state:\n"
      << json;
}

// ---- 3. Master killed and restarted on the same port ----------------------------

TEST_F(SystemTest, MasterKilledAndRestartedDriverRegistersAgainAndKeepsWorking) {
  const std::vector<std::string> flags = {"--agents=1"};
  const uint16_t wanted = nonEphemeralPort();
  std::string why;
  bool started = false;
  for (int attempt = 0; attempt < 5 && !started; ++attempt) {
    started = tryStartMaster(flags, attempt == 0 ? wanted : nonEphemeralPort(), &why);
  }
  ASSERT_TRUE(started) << why;
  const uint16_t port = port_;
  const std::string firstMasterId = masterId_;

  constexpr Millis kBackoff{100};
  Recorder recorder("master-failover");
  recorder.queueTasks("before", 1, "echo hi");
  DriverConfig c = config(recorder, frameworkInfo("system-master-failover"));
  c.registrationBackoffFactor = kBackoff;  // Also paces reconnection attempts.
  auto driver = startDriver(std::move(c));
  ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";
  const std::string id = recorder.frameworkId();
  ASSERT_TRUE(recorder.waitState("before-0", TASK_FINISHED)) << "updates:\n"
                                                             << recorder.describeStatuses();
  std::string json;
  ASSERT_TRUE(waitAllTasksAcknowledged(id, &json)) << "/state:\n" << json;

  const Clock::time_point killedAt = Clock::now();
  ASSERT_TRUE(master_->signal(SIGKILL));
  const std::optional<int> status = master_->wait(scaled(Millis(5000)));
  ASSERT_TRUE(status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
      << "the master did not die of SIGKILL";
  killedMasterIds_.push_back(firstMasterId);
  master_.reset();

  ASSERT_TRUE(recorder.waitDisconnections(1)) << "no disconnected() after the master died";
  const Clock::time_point disconnectedAt = recorder.disconnectedAt().front();
  EXPECT_FALSE(driver->connected());
  EXPECT_EQ(DRIVER_RUNNING, driver->status());

  // Offers can only come from the new master, after it registered the framework.
  recorder.queueTasks("after", 1, "echo hi");
  ASSERT_TRUE(tryStartMaster(flags, port, &why)) << "restarting on port " << port << ": " << why;
  const Clock::time_point restartedAt = Clock::now();
  EXPECT_NE(firstMasterId, masterId_);

  ASSERT_TRUE(recorder.waitRegistrations(2)) << "no registered() with the new master";
  const Clock::time_point registeredAt = recorder.registeredAt()[1];
  // The new master does not know the framework: it "recovers" the id and
  // answers with FrameworkRegisteredMessage, so registered() fires again.
  EXPECT_EQ(id, recorder.frameworkId());
  EXPECT_EQ(masterId_, recorder.masterInfo().id());
  EXPECT_EQ(0, recorder.reregistrations());
  EXPECT_TRUE(driver->connected());

  std::cout << "[ TIMING   ] master SIGKILL -> disconnected(): "
            << millisBetween(killedAt, disconnectedAt)
            << " ms; -> new master up: " << millisBetween(killedAt, restartedAt)
            << " ms; -> registered(): " << millisBetween(killedAt, registeredAt)
            << " ms (new master up -> registered(): " << millisBetween(restartedAt, registeredAt)
            << " ms; registration backoff factor " << kBackoff.count() << " ms)" << std::endl;
  RecordProperty("kill_to_reregistration_ms",
                 std::to_string(millisBetween(killedAt, registeredAt)));

  // It keeps working: offers from the new master, a task that finishes.
  ASSERT_TRUE(recorder.waitState("after-0", TASK_FINISHED)) << "updates:\n"
                                                            << recorder.describeStatuses();
  expectRanToCompletion(recorder, "after-0");
  EXPECT_TRUE(waitAllTasksAcknowledged(id, &json)) << "/state:\n" << json;
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
  EXPECT_EQ(1u, recorder.disconnectedAt().size());
}

// ---- 5. Offer rescind -----------------------------------------------------------

TEST_F(SystemTest, HeldOfferIsRescindedAfterOfferTimeout) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1", "--offer_timeout=300ms"}));
  Recorder recorder("rescind");
  recorder.holdOffers();
  auto driver = startDriver(config(recorder, frameworkInfo("system-rescind")));
  ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";
  ASSERT_TRUE(recorder.waitOffers(1)) << "no offer";
  const auto offered = recorder.offers().front();
  const std::string offerId = offered.second.id().value();

  const std::optional<Clock::time_point> rescindedAt = recorder.waitRescinded(offerId);
  ASSERT_TRUE(rescindedAt) << "offer " << offerId << " was never rescinded";
  // The master's timer started when it sent the offer, a little before it arrived.
  EXPECT_GE(millisBetween(offered.first, *rescindedAt), 200);

  // The resources came back: the master no longer lists the offer and offers
  // them again.
  std::string json;
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) {
        for (const Struct& framework : structs(s, "frameworks")) {
          for (const Struct& offer : structs(framework, "offers")) {
            if (str(offer, "id") == offerId) return false;
          }
        }
        return true;
      },
      &json))
      << "/state:\n"
      << json;
  EXPECT_TRUE(recorder.waitOffers(2)) << "the rescinded resources were not offered again";
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
}

// ---- 6. Slow scheduler ----------------------------------------------------------

TEST_F(SystemTest, SlowSchedulerLosesNoUpdatesWhileAnotherFrameworkProceeds) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));
  constexpr int kTasks = 3;
  constexpr Millis kSlowCallback{2000};

  Recorder slow("slow");
  slow.queueTasks("slow", kTasks, "echo hi");
  Latch sleeping;
  std::atomic<bool> slept{false};
  std::atomic<bool> awake{false};
  slow.onStatus = [&](SchedulerDriver*, const TaskStatus&) {
    if (slept.exchange(true)) return;
    sleeping.notify();
    std::this_thread::sleep_for(kSlowCallback);  // The behaviour under test.
    awake = true;
  };
  auto driverA = startDriver(config(slow, frameworkInfo("system-slow")));
  ASSERT_TRUE(slow.waitRegistrations(1)) << "A: no registered()";
  ASSERT_TRUE(sleeping.wait()) << "A: no status update; updates:\n" << slow.describeStatuses();

  // While A's callback sleeps, B registers, launches and finishes its tasks.
  Recorder fast("fast");
  fast.queueTasks("fast", kTasks, "echo hi");
  const Clock::time_point fastStart = Clock::now();
  auto driverB = startDriver(config(fast, frameworkInfo("system-fast")));
  ASSERT_TRUE(fast.waitRegistrations(1)) << "B: no registered()";
  for (int i = 0; i < kTasks; ++i) {
    const std::string task = "fast-" + std::to_string(i);
    ASSERT_TRUE(fast.waitState(task, TASK_FINISHED))
        << "B: " << task << " did not finish; updates:\n"
        << fast.describeStatuses();
  }
  const Clock::time_point fastDone = Clock::now();
  EXPECT_FALSE(awake.load()) << "B needed " << millisBetween(fastStart, fastDone)
                             << " ms: it did not finish while A's callback was blocked";
  for (int i = 0; i < kTasks; ++i) expectRanToCompletion(fast, "fast-" + std::to_string(i));

  // A, once awake, gets every update of every task and acknowledges each.
  for (int i = 0; i < kTasks; ++i) {
    const std::string task = "slow-" + std::to_string(i);
    ASSERT_TRUE(slow.waitState(task, TASK_FINISHED))
        << "A: " << task << " did not finish; updates:\n"
        << slow.describeStatuses();
    expectRanToCompletion(slow, task);
  }
  EXPECT_TRUE(awake.load());
  std::string json;
  EXPECT_TRUE(waitAllTasksAcknowledged(slow.frameworkId(), &json))
      << "A: the master still tracks tasks (an update was not acknowledged); /state:\n"
      << json;
  EXPECT_TRUE(waitAllTasksAcknowledged(fast.frameworkId(), &json)) << "B: /state:\n" << json;
  EXPECT_TRUE(slow.errors().empty()) << slow.errors().front();
  EXPECT_TRUE(fast.errors().empty()) << fast.errors().front();
}

// ---- 7. Two frameworks sharing the cluster --------------------------------------

TEST_F(SystemTest, TwoFrameworksShareTwoAgentsAndRunTasksToCompletion) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=2"}));
  constexpr int kTasks = 3;
  Recorder x("x");
  Recorder y("y");
  x.queueTasks("x", kTasks, "echo hi");
  y.queueTasks("y", kTasks, "echo hi");
  auto driverX = startDriver(config(x, frameworkInfo("system-share-x")));
  auto driverY = startDriver(config(y, frameworkInfo("system-share-y")));
  ASSERT_TRUE(x.waitRegistrations(1)) << "X: no registered()";
  ASSERT_TRUE(y.waitRegistrations(1)) << "Y: no registered()";
  EXPECT_NE(x.frameworkId(), y.frameworkId());

  for (auto* recorder : {&x, &y}) {
    const std::string prefix = recorder == &x ? "x" : "y";
    EXPECT_TRUE(recorder->waitOffers(1)) << prefix << ": no offer";
    for (int i = 0; i < kTasks; ++i) {
      const std::string task = prefix + "-" + std::to_string(i);
      ASSERT_TRUE(recorder->waitState(task, TASK_FINISHED)) << task << " did not finish; updates:\n"
                                                            << recorder->describeStatuses();
      expectRanToCompletion(*recorder, task);
    }
    std::string json;
    EXPECT_TRUE(waitAllTasksAcknowledged(recorder->frameworkId(), &json)) << "/state:\n" << json;
    EXPECT_TRUE(recorder->errors().empty()) << recorder->errors().front();
  }

  std::string json;
  const std::optional<Struct> s = state(&json);
  ASSERT_TRUE(s) << json;
  EXPECT_EQ(2u, structs(*s, "slaves").size());
  EXPECT_TRUE(findFramework(*s, x.frameworkId()).has_value());
  EXPECT_TRUE(findFramework(*s, y.frameworkId()).has_value());
}

// ---- 8. Legacy dialect ----------------------------------------------------------

TEST_F(SystemTest, LegacyDialectFrameworkRunsTasksToCompletion) { runLifecycle(Dialect::kLegacy); }

// ---- 9. Sandboxes under --work_dir ----------------------------------------------

// A task's sandbox, named in its terminal update, is under --work_dir and is
// still there, with the task's output, after the master has exited.
TEST_F(SystemTest, WorkDirKeepsTaskSandboxesAfterTheMasterExits) {
  std::string dir = ::testing::TempDir() + "system_work_dir.XXXXXX";
  ASSERT_NE(nullptr, ::mkdtemp(dir.data()));
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1", "--work_dir=" + dir}));
  Recorder recorder("work-dir");
  recorder.queueTasks("hello", 1, "echo hello");
  auto driver = startDriver(config(recorder, frameworkInfo("system-work-dir")));
  ASSERT_TRUE(recorder.waitState("hello-0", TASK_FINISHED)) << recorder.describeStatuses();
  std::string message;
  for (const auto& s : recorder.statusesOf("hello-0")) {
    if (s.status.state() == TASK_FINISHED) message = s.status.message();
  }
  const std::string marker = "(sandbox: " + dir + "/agents/";
  const size_t at = message.find(marker);
  ASSERT_NE(std::string::npos, at) << message;
  const std::string sandbox = message.substr(at + 10, message.size() - at - 11);
  driver->stop();
  driver.reset();
  ASSERT_TRUE(master_->signal(SIGTERM));
  const std::optional<int> status = master_->wait(scaled(Millis(5000)));
  EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  EXPECT_EQ("hello\n", readFile(sandbox + "/stdout")) << sandbox;
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
