// User calls on the core: what each sends in both dialects, what happens
// while disconnected, and the whole conversation in protocol time.

#include <chrono>

#include "sched/core/core_harness.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {
namespace {

class CoreCallsTest : public ::testing::TestWithParam<bool> {
 protected:
  bool legacy() const { return GetParam(); }
  std::string name(const char* call, const char* legacyMessage) const {
    return legacy() ? std::string("mesos.internal.") + legacyMessage : "mesos.scheduler.Call";
  }
};

Offer::Operation launch(const std::string& task) {
  Offer::Operation op;
  op.set_type(Offer::Operation::LAUNCH);
  TaskInfo* info = op.mutable_launch()->add_task_infos();
  info->set_name(task);
  info->mutable_task_id()->set_value(task);
  info->mutable_slave_id()->set_value("agent-1");
  return op;
}

TEST_P(CoreCallsTest, EveryCallIsDroppedWhileDisconnected) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.clear();
  const double t = h.now();
  DriverCore& c = h.core();
  OfferID offer;
  offer.set_value("o1");
  TaskID task;
  task.set_value("t1");
  c.requestResources(t, {Request()});
  c.declineOffer(t, offer, Filters());
  c.killTask(t, task);
  c.reconcileTasks(t, {});
  c.sendFrameworkMessage(t, ExecutorID(), SlaveID(), "x");
  c.reviveOffers(t, {});
  h.input([](DriverCore&, Time) {});
  EXPECT_TRUE(h.sent.empty());
}

TEST_P(CoreCallsTest, AnAcceptWhileDisconnectedLosesItsTasksAtOnce) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.clear();
  OfferID offer;
  offer.set_value("o1");
  h.input([&](DriverCore& c, Time t) {
    c.acceptOffers(t, {offer}, {launch("t1"), launch("t2")}, Filters());
  });
  EXPECT_TRUE(h.sent.empty());
  const auto updates = h.callbacksOf<Update>();
  ASSERT_EQ(updates.size(), 2u);
  for (const Update& u : updates) {
    EXPECT_EQ(u.status.state(), TASK_LOST);
    EXPECT_EQ(u.status.reason(), TaskStatus::REASON_MASTER_DISCONNECTED);
    EXPECT_EQ(u.status.timestamp(), h.now()) << "stamped with the input's time";
    EXPECT_FALSE(u.ack);
    EXPECT_FALSE(u.status.has_uuid());
  }
}

TEST_P(CoreCallsTest, APartitionAwareFrameworkGetsTaskDropped) {
  Options o = CoreHarness::defaults();
  o.framework.add_capabilities()->set_type(FrameworkInfo::Capability::PARTITION_AWARE);
  CoreHarness h(o, legacy());
  h.detect();
  h.input([&](DriverCore& c, Time t) { c.acceptOffers(t, {OfferID()}, {launch("t1")}, Filters()); });
  ASSERT_EQ(h.callbacksOf<Update>().size(), 1u);
  EXPECT_EQ(h.callbacksOf<Update>()[0].status.state(), TASK_DROPPED);
}

TEST_P(CoreCallsTest, SuppressionWhileDisconnectedTravelsWithTheNextRegistration) {
  Options o = CoreHarness::defaults();
  o.framework.add_roles("a");
  o.framework.add_roles("b");
  CoreHarness h(o, legacy());
  h.input([](DriverCore& c, Time t) { c.suppressOffers(t, {"a"}); });
  h.detect();
  ASSERT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_EQ(h.calls<Subscribe>()[0].suppressedRoles, std::vector<std::string>{"a"});
  h.registered();
  if (legacy()) {
    EXPECT_TRUE(h.calls<UpdateFramework>().empty()) << "the legacy dialect cannot say it";
  } else {
    ASSERT_EQ(h.calls<UpdateFramework>().size(), 1u);
    EXPECT_EQ(h.calls<UpdateFramework>()[0].suppressedRoles, std::vector<std::string>{"a"});
  }
}

TEST_P(CoreCallsTest, EachCallHasItsWireMessage) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.registered();
  h.clear();
  OfferID offer;
  offer.set_value("o1");
  TaskID task;
  task.set_value("t1");
  h.input([&](DriverCore& c, Time t) {
    c.declineOffer(t, offer, Filters());
    c.killTask(t, task);
    c.reviveOffers(t, {});
    TaskStatus status;
    status.mutable_task_id()->set_value("t1");
    status.set_state(TASK_RUNNING);
    c.reconcileTasks(t, {status});
    c.requestResources(t, {Request()});
    c.acceptOffers(t, {offer}, {launch("t1")}, Filters());
    c.stop(t, /*failover=*/false);
  });
  std::vector<std::string> names;
  for (const Sent& s : h.sent) names.push_back(s.wireName);
  if (legacy()) {
    EXPECT_EQ(names, (std::vector<std::string>{
                         "mesos.internal.LaunchTasksMessage", "mesos.internal.KillTaskMessage",
                         "mesos.internal.ReviveOffersMessage",
                         "mesos.internal.ReconcileTasksMessage",
                         "mesos.internal.ResourceRequestMessage",
                         "mesos.internal.LaunchTasksMessage",
                         "mesos.internal.UnregisterFrameworkMessage"}));
  } else {
    EXPECT_EQ(names, std::vector<std::string>(7, "mesos.scheduler.Call"));
  }
}

TEST_P(CoreCallsTest, AbortDeactivatesWithTheLegacyMessageInBothDialects) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.registered();
  h.clear();
  h.input([](DriverCore& c, Time t) { c.abort(t); });
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].wireName, "mesos.internal.DeactivateFrameworkMessage");
}

TEST_P(CoreCallsTest, FrameworkMessagesGoStraightToTheAgentOfALaunchedTask) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.registered();
  internal::ResourceOffersMessage m;
  Offer* offer = m.add_offers();
  offer->mutable_id()->set_value("o1");
  offer->mutable_framework_id()->set_value("framework-1");
  offer->mutable_slave_id()->set_value("agent-1");
  offer->set_hostname("h");
  m.add_pids(kAgent.toString());
  h.receive(kMaster, m);
  SlaveID agent;
  agent.set_value("agent-1");
  ExecutorID executor;
  executor.set_value("e");
  h.clear();
  h.input([&](DriverCore& c, Time t) { c.sendFrameworkMessage(t, executor, agent, "x"); });
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].to, kMaster) << "no task launched on that agent yet";
  h.input([&](DriverCore& c, Time t) {
    c.acceptOffers(t, {offer->id()}, {launch("t1")}, Filters());
    c.sendFrameworkMessage(t, executor, agent, "x");
  });
  ASSERT_EQ(h.sent.size(), 3u);
  EXPECT_EQ(h.sent[2].to, kAgent);
  EXPECT_EQ(h.sent[2].wireName, "mesos.internal.FrameworkToExecutorMessage");
}

TEST_P(CoreCallsTest, TheLegacyDialectRefusesAnAcceptItCannotExpress) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.registered();
  h.clear();
  Offer::Operation reserve;
  reserve.set_type(Offer::Operation::RESERVE);
  h.input([&](DriverCore& c, Time t) { c.acceptOffers(t, {OfferID()}, {reserve}, Filters()); });
  EXPECT_EQ(h.sent.size(), legacy() ? 0u : 1u);
}

TEST_P(CoreCallsTest, AnOperationWithAnIdAbortsTheDriver) {
  CoreHarness h(CoreHarness::defaults(), legacy());
  h.detect();
  h.registered();
  Offer::Operation op = launch("t1");
  op.mutable_id()->set_value("op");
  h.input([&](DriverCore& c, Time t) { c.acceptOffers(t, {OfferID()}, {op}, Filters()); });
  EXPECT_EQ(h.aborts.size(), 1u);
}

// The whole conversation on the core: registration with retries, offers, a
// launch, updates and their acknowledgements, a master failover and a stop,
// over several minutes of protocol time.
TEST_P(CoreCallsTest, TheWholeConversationInProtocolTime) {
  const auto started = std::chrono::steady_clock::now();
  Options o = CoreHarness::defaults();
  o.framework.set_failover_timeout(600);
  CoreHarness h(o, legacy(), seededUnitRandom(7));
  h.detect();
  h.advance(milliseconds(90 * 1000));  // The master does not answer for 90 s.
  const size_t attempts = h.calls<Subscribe>().size();
  EXPECT_GE(attempts, 3u);
  h.registered();
  h.advance(milliseconds(60 * 1000));
  EXPECT_EQ(h.calls<Subscribe>().size(), attempts);

  for (int round = 0; round < 100; ++round) {
    internal::ResourceOffersMessage m;
    Offer* offer = m.add_offers();
    offer->mutable_id()->set_value("o" + std::to_string(round));
    offer->mutable_framework_id()->set_value("framework-1");
    offer->mutable_slave_id()->set_value("agent-1");
    offer->set_hostname("h");
    m.add_pids(kAgent.toString());
    h.receive(kMaster, m);
    const std::string task = "t" + std::to_string(round);
    h.input([&](DriverCore& c, Time t) {
      c.acceptOffers(t, {offer->id()}, {launch(task)}, Filters());
    });
    internal::StatusUpdateMessage u;
    u.mutable_update()->mutable_framework_id()->set_value("framework-1");
    u.mutable_update()->mutable_slave_id()->set_value("agent-1");
    u.mutable_update()->mutable_status()->mutable_task_id()->set_value(task);
    u.mutable_update()->mutable_status()->set_state(TASK_FINISHED);
    u.mutable_update()->set_timestamp(h.now());
    u.mutable_update()->set_uuid("uuid-" + task);
    u.set_pid(kAgent.toString());
    h.receive(kMaster, u);
    const Update update = h.callbacksOf<Update>().back();
    h.input([&](DriverCore& c, Time t) {
      c.updateProcessed(t, *update.ack, update.status.task_id());
    });
    h.advance(milliseconds(1000));
  }
  EXPECT_EQ(h.callbacksOf<Offers>().size(), 100u);
  EXPECT_EQ(h.calls<Accept>().size(), 100u);
  EXPECT_EQ(h.calls<Acknowledge>().size(), 100u);

  h.detect(kRogue);  // Failover to another master, which re-registers us.
  EXPECT_EQ(h.callbacksOf<Disconnected>().size(), 1u);
  internal::FrameworkReregisteredMessage re;
  re.mutable_framework_id()->set_value("framework-1");
  re.mutable_master_info()->set_id("m2");
  re.mutable_master_info()->set_ip(kRogue.ip);
  re.mutable_master_info()->set_port(kRogue.port);
  h.receive(kRogue, re);
  EXPECT_EQ(h.callbacksOf<Reregistered>().size(), 1u);
  h.input([](DriverCore& c, Time t) { c.stop(t, false); });
  EXPECT_EQ(h.calls<Teardown>().size(), 1u);
  EXPECT_EQ(h.sent.back().to, kRogue);
  EXPECT_GE(h.elapsed(), 250.0) << "minutes of protocol time";
  EXPECT_TRUE(h.aborts.empty());
  ::testing::Test::RecordProperty(
      "real_ms", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count()));
}

INSTANTIATE_TEST_SUITE_P(Dialects, CoreCallsTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Legacy" : "Call"; });

}  // namespace
}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
