// Registration, re-registration and master (re)detection (docs/protocol.md, "The
// driver's state machine").

#include <chrono>

#include "driver_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

TEST_F(DriverTest, SubscribesAtOnceAndCallsRegistered) {
  DriverConfig c = config();
  c.framework.clear_user();
  c.framework.clear_hostname();
  start(c);
  EXPECT_FALSE(driver_->connected());

  Call call = master_.expectCall(Call::SUBSCRIBE);
  EXPECT_EQ("driver-test", call.subscribe().framework_info().name());
  EXPECT_FALSE(call.subscribe().framework_info().user().empty()) << "user filled in";
  EXPECT_FALSE(call.subscribe().framework_info().hostname().empty()) << "hostname filled in";
  EXPECT_FALSE(call.has_framework_id());
  EXPECT_FALSE(call.subscribe().has_force());
  scheduler_ = master_.lastFrom();
  EXPECT_EQ(0u, scheduler_.id.rfind("scheduler-", 0)) << scheduler_;
  EXPECT_EQ(36u + 10u, scheduler_.id.size()) << "scheduler-<uuid>: " << scheduler_.id;

  master_.registered(scheduler_, kFrameworkId);
  std::optional<CallbackEvent> registered = sched_.wait(Callback::kRegistered);
  ASSERT_TRUE(registered);
  EXPECT_EQ(kFrameworkId, registered->frameworkId.value());
  EXPECT_EQ(master_.info().id(), registered->masterInfo.id())
      << "MasterInfo from the message, not the detector";
  EXPECT_TRUE(driver_->connected());
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

TEST_F(DriverTest, LegacyDialectRegistersWithRegisterFrameworkMessage) {
  startRegistered(Dialect::kLegacy);
  EXPECT_EQ(0u, master_.count("mesos.scheduler.Call"));
}

TEST_F(DriverTest, FrameworkWithIdSubscribesWithForce) {
  DriverConfig c = config();
  c.framework.mutable_id()->set_value(kFrameworkId);
  start(c);
  Call call = master_.expectCall(Call::SUBSCRIBE);
  EXPECT_EQ(kFrameworkId, call.framework_id().value());
  EXPECT_TRUE(call.subscribe().force()) << "a scheduler taking over fails over";
  master_.registered(master_.lastFrom(), kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
}

TEST_F(DriverTest, LegacyFrameworkWithIdSendsReregisterWithFailover) {
  DriverConfig c = config(Dialect::kLegacy);
  c.framework.mutable_id()->set_value(kFrameworkId);
  start(c);
  auto message = master_.expect<internal::ReregisterFrameworkMessage>();
  EXPECT_EQ(kFrameworkId, message.framework().id().value());
  EXPECT_TRUE(message.failover());
}

TEST_F(DriverTest, SuppressedRolesAndConstraintsTravelWithSubscribe) {
  DriverConfig c = config();
  c.framework.add_roles("a");
  c.framework.add_roles("b");
  c.suppressedRoles = {"b"};
  scheduler::OfferConstraints constraints;
  (*constraints.mutable_role_constraints())["a"].add_groups();
  c.offerConstraints = constraints;
  start(c);
  Call call = master_.expectCall(Call::SUBSCRIBE);
  ASSERT_EQ(1, call.subscribe().suppressed_roles_size());
  EXPECT_EQ("b", call.subscribe().suppressed_roles(0));
  EXPECT_EQ(1u, call.subscribe().offer_constraints().role_constraints().count("a"));
}

// The runtime's timers drive the retries until the master answers. The delays
// themselves are the core's, checked exactly in tests/sched/core/registration_test.cpp.
TEST_F(DriverTest, RetriesSubscribeUntilRegistered) {
  DriverConfig c = config();
  c.registrationBackoffFactor = std::chrono::milliseconds(20);
  start(c);
  for (int i = 0; i < 5; ++i) master_.expectCall(Call::SUBSCRIBE);
  master_.registered(master_.lastFrom(), kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
}

TEST_F(DriverTest, DuplicateRegisteredMessagesAreIgnored) {
  startRegistered();
  // A second FrameworkRegisteredMessage and a FrameworkReregisteredMessage, then an
  // offer: callbacks are ordered, so when the offer arrives a duplicate
  // registered() or reregistered() would already have run.
  master_.registered(scheduler_, kFrameworkId);
  master_.reregistered(scheduler_, kFrameworkId);
  sendOffers({makeOffer("o1")}, "slave(1)@127.0.0.1:5051");
  EXPECT_EQ(1u, sched_.count(Callback::kRegistered)) << "only startRegistered()'s";
  EXPECT_EQ(0u, sched_.count(Callback::kReregistered));
}

TEST_F(DriverTest, RegisteredFromAnotherProcessIsIgnored) {
  start(config());
  scheduler_ = expectRegistration(Dialect::kCall);
  FakeMaster impostor;  // Same id "master", another port.
  impostor.registered(scheduler_, "spoofed-0000");
  // A marker on the impostor's connection (executor messages are accepted from
  // any sender, also before registration: the sender table in
  // src/sched/scheduler_process.hpp): once its callback ran, the impostor's
  // registration has been handled, before the real one is sent.
  internal::ExecutorToFrameworkMessage marker;
  marker.mutable_slave_id()->set_value(kAgentId);
  marker.mutable_framework_id()->set_value("spoofed-0000");
  marker.mutable_executor_id()->set_value("exec");
  marker.set_data("impostor-done");
  impostor.sendAs("slave(1)", scheduler_, marker);
  ASSERT_TRUE(sched_.wait(Callback::kFrameworkMessage,
                          [](const CallbackEvent& e) { return e.data == "impostor-done"; }));
  EXPECT_FALSE(driver_->connected());
  EXPECT_EQ(0u, sched_.count(Callback::kRegistered));
  master_.registered(scheduler_, kFrameworkId);
  std::optional<CallbackEvent> registered = sched_.wait(Callback::kRegistered);
  ASSERT_TRUE(registered);
  EXPECT_EQ(1u, sched_.count(Callback::kRegistered));
  EXPECT_EQ(kFrameworkId, registered->frameworkId.value()) << "the id from the leading master";
}

TEST_F(DriverTest, LostLinkCallsDisconnectedAndReregistersWithTheSameMaster) {
  DriverConfig c = config();
  c.registrationBackoffFactor = std::chrono::milliseconds(50);
  startRegistered(c);
  const uint16_t port = master_.pid().port;

  master_.stop();
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected));
  EXPECT_FALSE(driver_->connected());

  FakeMaster restarted(port);
  Call call = restarted.expectCall(Call::SUBSCRIBE);
  EXPECT_EQ(kFrameworkId, call.framework_id().value());
  EXPECT_FALSE(call.subscribe().force()) << "same scheduler, not a failover";
  restarted.reregistered(restarted.lastFrom(), kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kReregistered));
  EXPECT_TRUE(driver_->connected());
  EXPECT_EQ(1u, sched_.count(Callback::kDisconnected));
  driver_.reset();  // Before `restarted` goes.
}

TEST_F(DriverTest, ReregisteredForAnotherFrameworkIsIgnored) {
  DriverConfig c = config();
  c.framework.mutable_id()->set_value(kFrameworkId);
  start(c);
  scheduler_ = expectRegistration(Dialect::kCall);
  master_.reregistered(scheduler_, "someone-else-0001");
  master_.reregistered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kReregistered));
  // Once the marker's callback ran, a second reregistered() would have too.
  awaitMarker();
  EXPECT_EQ(1u, sched_.count(Callback::kReregistered));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
