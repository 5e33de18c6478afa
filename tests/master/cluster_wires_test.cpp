// Every classic call and callback of the driver against the simulated master,
// on each of the three wires (legacy messages, Calls, the v1 HTTP API), and on
// the last two over TLS with mutual verification: the same framework code must
// see the same behaviour whichever wire it speaks.
// The calls the legacy messages cannot express (SUPPRESS, UPDATE_FRAMEWORK)
// run on the other two.

#include <set>
#include <string>
#include <vector>

#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Wires, WireTest,
                         ::testing::Values(kLegacyWire, kCallWire, kHttpWire, kCallTlsWire,
                                           kHttpsWire),
                         wireName);
INSTANTIATE_TEST_SUITE_P(Wires, CallWireTest,
                         ::testing::Values(kCallWire, kHttpWire, kCallTlsWire, kHttpsWire),
                         wireName);

ExecutorID executorId(const std::string& value) {
  ExecutorID id;
  id.set_value(value);
  return id;
}

// registered(): the first framework id and the master's MasterInfo.
TEST_P(WireTest, RegisteredGivesFirstFrameworkIdAndMasterInfo) {
  startCluster();
  startOnWire();

  const Struct s = state();
  const std::string id = str(s, "id");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(sched_.frameworkId().has_value());
  EXPECT_EQ(id + "-0000", sched_.frameworkId()->value());

  const MasterInfo info = sched_.masterInfo();
  EXPECT_EQ(cluster_->master(), info.pid());
  EXPECT_EQ(id, info.id());
  EXPECT_EQ(masterPid().port, info.port());
  EXPECT_EQ("127.0.0.1", info.address().ip());
  EXPECT_EQ(16777343u, info.ip());  // 127.0.0.1's network-order bytes as a native uint32.

  auto framework = findFramework(s, id + "-0000");
  ASSERT_TRUE(framework.has_value());
  EXPECT_TRUE(field(*framework, "connected")->bool_value());
  EXPECT_TRUE(field(*framework, "active")->bool_value());
  EXPECT_TRUE(driver_->connected());
}

// resourceOffers(), launchTasks(), statusUpdate() with implicit acknowledgements.
TEST_P(WireTest, LaunchedTaskGoesStartingRunningFinishedAndIsForgotten) {
  startCluster();
  startOnWire();
  Offer offer = nextOffer(sched_);
  launch(offer, {commandTask("t", offer.slave_id())});

  auto finished = sched_.waitState("t", TASK_FINISHED);
  ASSERT_TRUE(finished.has_value());
  EXPECT_EQ(std::vector<TaskState>({TASK_STARTING, TASK_RUNNING, TASK_FINISHED}), sched_.statesOf("t"));
  for (const auto& update : sched_.statuses()) {
    EXPECT_EQ(TaskStatus::SOURCE_EXECUTOR, update.status.source());
    EXPECT_EQ(offer.slave_id().value(), update.status.slave_id().value());
    EXPECT_EQ(16u, update.status.uuid().size());  // Agent updates need acknowledging.
  }
  // The driver acknowledged every update: the master forgets the task.
  EXPECT_TRUE(taskForgotten("t"));
  // Nothing was resent (a resend would mean an acknowledgement went missing).
  EXPECT_EQ(3u, sched_.statesOf("t").size());
}

// acknowledgeStatusUpdate(): explicit acknowledgements.
TEST_P(WireTest, ExplicitAcknowledgementsLetTheMasterForgetTheTask) {
  startCluster();
  startOnWire(frameworkInfo(), /*implicitAcks=*/false);
  Offer offer = nextOffer(sched_);
  launch(offer, {commandTask("t", offer.slave_id())});
  // The agent sends a task's next update only once the last one was acknowledged.
  for (TaskState state : {TASK_STARTING, TASK_RUNNING, TASK_FINISHED}) {
    auto update = sched_.waitState("t", state);
    ASSERT_TRUE(update.has_value()) << "no " << TaskState_Name(state);
    ASSERT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(update->status));
  }
  EXPECT_TRUE(taskForgotten("t"));
}

// sendFrameworkMessage() and frameworkMessage(): the agent's executor echoes.
TEST_P(WireTest, FrameworkMessageIsEchoedByTheAgent) {
  startCluster(fastOptions(2));
  startOnWire();
  Offer offer = nextOffer(sched_);
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->sendFrameworkMessage(executorId("exec"), offer.slave_id(), "ping"));
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.messages().empty(); }));
  const auto message = sched_.messages().front();
  EXPECT_EQ("ping", message.data);
  EXPECT_EQ("exec", message.executor.value());
  EXPECT_EQ(offer.slave_id().value(), message.slave.value());
}

// killTask().
TEST_P(WireTest, KillTaskKillsARunningTask) {
  startCluster();
  startOnWire();
  launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("t")));
  ASSERT_TRUE(sched_.waitState("t", TASK_KILLED).has_value()) << "no TASK_KILLED";
  EXPECT_TRUE(taskForgotten("t"));
}

// reconcileTasks(): explicit, then implicit.
TEST_P(WireTest, ReconcileTasksAnswersExplicitlyAndImplicitly) {
  startCluster();
  startOnWire();
  launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const size_t before = sched_.statusCount();
  TaskStatus status;
  *status.mutable_task_id() = taskId("t");
  status.set_state(TASK_STAGING);
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({status}));
  auto explicitAnswer = sched_.waitStatus("t", [](const TaskStatus& s) {
    return s.reason() == TaskStatus::REASON_RECONCILIATION;
  }, before);
  ASSERT_TRUE(explicitAnswer.has_value()) << "no answer to explicit reconciliation";
  EXPECT_EQ(TASK_RUNNING, explicitAnswer->status.state());
  EXPECT_FALSE(explicitAnswer->status.has_uuid());  // Reconciliation needs no ack.

  const size_t afterExplicit = sched_.statusCount();
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({}));
  auto implicitAnswer = sched_.waitStatus("t", [](const TaskStatus& s) {
    return s.reason() == TaskStatus::REASON_RECONCILIATION;
  }, afterExplicit);
  ASSERT_TRUE(implicitAnswer.has_value()) << "no answer to implicit reconciliation";
}

// declineOffer() with a long filter, then reviveOffers() clears it.
TEST_P(WireTest, DeclinedOfferComesBackOnlyAfterRevive) {
  startCluster();
  startOnWire();
  Offer first = nextOffer(sched_);
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(first.id(), refuseFor(3600)));
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());
  Offer again = nextOffer(sched_, 1);
  EXPECT_EQ(first.slave_id().value(), again.slave_id().value());
  EXPECT_NE(first.id().value(), again.id().value());
}

// requestResources(): accepted and ignored, as by Mesos's allocator; the
// framework stays registered and keeps getting offers.
TEST_P(WireTest, RequestResourcesIsHarmless) {
  startCluster();
  startOnWire();
  Offer offer = nextOffer(sched_);
  Request request;
  *request.mutable_slave_id() = offer.slave_id();
  ASSERT_EQ(DRIVER_RUNNING, driver_->requestResources({request}));
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(0)));
  nextOffer(sched_, 1);
  EXPECT_TRUE(sched_.errors().empty());
  EXPECT_TRUE(driver_->connected());
}

// offerRescinded(): a held offer times out.
TEST_P(WireTest, HeldOfferIsRescinded) {
  LocalClusterOptions options = fastOptions();
  options.offerTimeout = Millis(300);
  startCluster(options);
  startOnWire();
  Offer offer = nextOffer(sched_);
  ASSERT_TRUE(sched_.waitFor([&] {
    const auto rescinded = sched_.rescinded();
    return std::find(rescinded.begin(), rescinded.end(), offer.id().value()) != rescinded.end();
  })) << "offer " << offer.id().value() << " was not rescinded";
}

// slaveLost(): the agent is removed.
TEST_P(WireTest, RemovedAgentIsReportedLost) {
  startCluster(fastOptions(2));
  startOnWire();
  Offer offer = nextOffer(sched_);
  ASSERT_TRUE(cluster_->removeAgent(0));
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.lostAgents().empty(); })) << "no slaveLost()";
  EXPECT_EQ(1u, sched_.lostAgents().size());
}

// executorLost(): a custom executor exits once its last task is done.
TEST_P(WireTest, ExecutorEndIsReportedLost) {
  startCluster();
  startOnWire();
  Offer offer = nextOffer(sched_);
  launch(offer, {executorTask("t", offer.slave_id(), "exec")});
  ASSERT_TRUE(sched_.waitState("t", TASK_RUNNING).has_value());
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("t")));
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.executorsLost().empty(); }))
      << "no executorLost()";
  EXPECT_EQ("exec", sched_.executorsLost()[0].executor.value());
  EXPECT_EQ(offer.slave_id().value(), sched_.executorsLost()[0].slave.value());
}

// stop(): the framework is torn down.
TEST_P(WireTest, StopTearsTheFrameworkDown) {
  startCluster();
  startOnWire();
  launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const std::string id = sched_.frameworkId()->value();
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    return findFramework(s, id, "completed_frameworks").has_value() &&
           !findFramework(s, id).has_value();
  })) << "not torn down";
  EXPECT_FALSE(findTask(state(), "t").has_value());
}

// stop(true): the master keeps the framework (for its failover timeout) once
// the scheduler is gone. (A libprocess driver tells the master nothing: the
// framework is disconnected when the driver's connection closes; an HTTP driver
// closes its stream.)
TEST_P(WireTest, StopForFailoverKeepsTheFramework) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  startOnWire(info);
  launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const std::string id = sched_.frameworkId()->value();
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop(/*failover=*/true));
  driver_.reset();
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto framework = findFramework(s, id);
    return framework && !field(*framework, "connected")->bool_value();
  })) << "the framework did not stay, disconnected";
  EXPECT_TRUE(findTask(state(), "t").has_value()) << "its task went with it";
}

// error(): a second scheduler with the same id takes the framework over.
TEST_P(WireTest, SecondSchedulerTakesOverAndTheFirstGetsAnError) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  startOnWire(info);
  const std::string id = sched_.frameworkId()->value();

  Recorder second;
  info.mutable_id()->set_value(id);
  auto driver2 = startDriver(wireConfig(second, info));
  ASSERT_TRUE(second.waitRegistered()) << "the second scheduler did not register";
  EXPECT_EQ(id, second.frameworkId()->value());
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.errors().empty(); })) << "no error()";
  EXPECT_EQ("Framework failed over", sched_.errors().front());
  EXPECT_EQ(DRIVER_ABORTED, driver_->join());
  // The new scheduler gets the offers now.
  nextOffer(second);
}

// disconnected(), then registered again with the same id: the master restarts
// on the same port and knows nothing. (The simulated master answers a
// libprocess re-registration it cannot match with FrameworkRegisteredMessage;
// on the HTTP API SUBSCRIBED with a known id means reregistered().)
TEST_P(WireTest, MasterRestartDisconnectsThenRegistersAgainWithTheSameId) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  startOnWire(info);
  const std::string id = sched_.frameworkId()->value();
  const std::string oldMaster = masterId();
  std::string error;
  ASSERT_TRUE(cluster_->restartMaster(&error)) << error;
  ASSERT_TRUE(sched_.waitFor([&] { return sched_.disconnections() >= 1; })) << "no disconnected()";
  ASSERT_TRUE(sched_.waitFor([&] { return sched_.registrations() + sched_.reregistrations() >= 2; },
                             Millis(30000)))
      << "not registered again";
  EXPECT_EQ(id, sched_.frameworkId()->value());
  EXPECT_EQ(GetParam().http ? 1 : 0, sched_.reregistrations());
  // And it works: offers come from the new master. (Offer ids start with the
  // id of the master that made them; the new master's first offer may be
  // recorded before registered() is seen, so it is not counted from here.)
  const std::string newMaster = masterId();
  ASSERT_NE(oldMaster, newMaster);
  EXPECT_TRUE(sched_.waitOffer(0, [&](const Offer& o) {
                return o.id().value().rfind(newMaster + "-", 0) == 0;
              }).has_value())
      << "no offer from the new master " << newMaster;
}

// abort(): the driver stops, run()/join() return DRIVER_ABORTED.
TEST_P(WireTest, AbortEndsTheDriver) {
  startCluster();
  startOnWire();
  nextOffer(sched_);
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
  EXPECT_EQ(DRIVER_ABORTED, driver_->join());
  EXPECT_FALSE(driver_->connected());
  EXPECT_EQ(DRIVER_ABORTED, driver_->stop());
}

// suppressOffers(): while suppressed, another framework (declining at once)
// keeps getting the agent and this one gets nothing; reviveOffers() resumes.
TEST_P(CallWireTest, SuppressStopsOffersAndReviveResumes) {
  startCluster();
  startOnWire();
  Offer offer = nextOffer(sched_);
  ASSERT_EQ(DRIVER_RUNNING, driver_->suppressOffers());
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(0)));
  // The decline (sent after the suppress) has been processed once none is held.
  const std::string a = sched_.frameworkId()->value();
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto f = findFramework(s, a);
    return f && structs(*f, "offers").empty();
  }));
  const size_t aOffers = sched_.offerCount();

  Recorder other;
  other.onOffers = [](SchedulerDriver* d, const std::vector<Offer>& offers) {
    for (const Offer& o : offers) d->declineOffer(o.id(), refuseFor(0));
  };
  auto driverB = startDriver(wireConfig(other, frameworkInfo("other")));
  ASSERT_TRUE(other.waitFor([&] { return other.offers().size() >= 6; }))
      << "the other framework stopped getting offers";
  EXPECT_EQ(aOffers, sched_.offerCount()) << "a suppressed framework got offers";

  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());
  EXPECT_TRUE(sched_.waitOffer(aOffers).has_value()) << "revive did not resume offers";
}

// updateFramework(): the master takes the new FrameworkInfo.
TEST_P(CallWireTest, UpdateFrameworkRenamesTheFramework) {
  startCluster();
  startOnWire();
  FrameworkInfo info = frameworkInfo();
  *info.mutable_id() = *sched_.frameworkId();
  info.set_name("renamed");
  ASSERT_EQ(DRIVER_RUNNING, driver_->updateFramework(info, {}, {}));
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto framework = findFramework(s, info.id().value());
    return framework && str(*framework, "name") == "renamed";
  })) << "the name did not change";
}

}  // namespace
}  // namespace testing
}  // namespace mesos
