// Calls about the framework itself (docs/protocol.md, "Calls while not
// registered" and "Stop, abort and failover"): updateFramework, stop and abort,
// and every call made while disconnected (here: before the first registration),
// which sends nothing; in both dialects (the sentinel: calls_test_util.hpp).

#include <chrono>
#include <string>
#include <vector>

#include "calls_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

class SessionCallsTest : public CallsTest {};

// ---- updateFramework ----------------------------------------------------------

FrameworkInfo updatedInfo() {
  FrameworkInfo info;
  info.set_name("driver-test-renamed");
  info.set_user("tester");
  info.set_hostname("test-host");
  info.mutable_id()->set_value(kFrameworkId);
  info.add_roles("web");
  info.add_roles("batch");
  info.set_failover_timeout(60);
  return info;
}

scheduler::OfferConstraints webConstraints() {
  scheduler::OfferConstraints constraints;
  auto* group = (*constraints.mutable_role_constraints())["web"].add_groups();
  auto* attribute = group->add_attribute_constraints();
  attribute->mutable_selector()->set_attribute_name("rack");
  attribute->mutable_predicate()->mutable_text_equals()->set_value("r1");
  return constraints;
}

void expectUpdateFramework(const Call& call) {
  EXPECT_EQ(kFrameworkId, call.framework_id().value());
  EXPECT_THAT(call.update_framework().framework_info(), EqualsProto(updatedInfo()));
  ASSERT_EQ(1, call.update_framework().suppressed_roles_size());
  EXPECT_EQ("batch", call.update_framework().suppressed_roles(0));
  EXPECT_THAT(call.update_framework().offer_constraints(), EqualsProto(webConstraints()));
}

TEST_P(SessionCallsTest, UpdateFrameworkSendsInfoSuppressedRolesAndConstraintsButNothingInLegacy) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->updateFramework(updatedInfo(), {"batch"}, webConstraints()));

  if (legacy()) {
    sentinel();
    EXPECT_EQ(0u, master_.count(kCallName)) << "UPDATE_FRAMEWORK has no legacy message";
  } else {
    expectUpdateFramework(master_.expectCall(Call::UPDATE_FRAMEWORK));
  }
}

// Called while disconnected, UPDATE_FRAMEWORK goes out right after re-registering.
TEST_P(SessionCallsTest, UpdateFrameworkWhileDisconnectedIsSentAfterTheNextRegistration) {
  DriverConfig c = dialectConfig();
  c.registrationBackoffFactor = std::chrono::milliseconds(50);
  startRegistered(c);
  const uint16_t port = master_.pid().port;

  master_.stop();
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected));
  ASSERT_EQ(DRIVER_RUNNING, driver_->updateFramework(updatedInfo(), {"batch"}, webConstraints()));

  FakeMaster restarted(port);
  if (legacy()) {
    auto reregister = restarted.expect<internal::ReregisterFrameworkMessage>();
    EXPECT_EQ("driver-test-renamed", reregister.framework().name());
  } else {
    Call subscribe = restarted.expectCall(Call::SUBSCRIBE);
    EXPECT_EQ("driver-test-renamed", subscribe.subscribe().framework_info().name());
  }
  restarted.reregistered(restarted.lastFrom(), kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kReregistered));

  if (legacy()) {
    ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("sentinel")));
    restarted.expect<internal::KillTaskMessage>();
    EXPECT_EQ(0u, restarted.count(kCallName));
  } else {
    expectUpdateFramework(restarted.expectCall(Call::UPDATE_FRAMEWORK));
  }
  driver_.reset();  // Before `restarted` goes.
}

// ---- stop / abort -------------------------------------------------------------

TEST_P(SessionCallsTest, StopSendsTeardown) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());

  if (legacy()) {
    auto message = master_.expect<internal::UnregisterFrameworkMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
  } else {
    Call call = master_.expectCall(Call::TEARDOWN);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
  }
}

// No sentinel can follow a stopped driver, so this one waits a bounded time after
// the driver was destroyed (which first flushes what it had queued).
TEST_P(SessionCallsTest, StopWithFailoverSendsNothing) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop(true));
  driver_.reset();
  if (legacy()) {
    EXPECT_FALSE(master_.received("mesos.internal.UnregisterFrameworkMessage",
                                  std::chrono::milliseconds(200)));
  } else {
    EXPECT_FALSE(waitUntil([&] { return untakenCalls(Call::TEARDOWN) > 0; },
                           std::chrono::milliseconds(200)));
  }
}

TEST_P(SessionCallsTest, AbortSendsDeactivateAndALaterStopStillSendsTeardown) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_ABORTED, driver_->abort());
  auto deactivate = master_.expect<internal::DeactivateFrameworkMessage>();
  EXPECT_EQ(kFrameworkId, deactivate.framework_id().value());

  EXPECT_EQ(DRIVER_ABORTED, driver_->stop());
  if (legacy()) {
    auto message = master_.expect<internal::UnregisterFrameworkMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
  } else {
    Call call = master_.expectCall(Call::TEARDOWN);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
  }
}

// ---- While disconnected (here: before the first registration) ----------------

// Every launched task gets a local TASK_LOST; nothing is sent, nothing acked.
TEST_P(SessionCallsTest, LaunchWhileDisconnectedDeliversLocalTaskLost) {
  startUnregistered(dialectConfig());
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->launchTasks({offerId("o1")}, {taskWithData("t1"), taskWithData("t2")}));
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate, 2));

  const std::vector<CallbackEvent> updates = sched_.events(Callback::kStatusUpdate);
  ASSERT_EQ(2u, updates.size());
  for (size_t i = 0; i < updates.size(); ++i) {
    const TaskStatus& status = updates[i].status;
    EXPECT_EQ("t" + std::to_string(i + 1), status.task_id().value());
    EXPECT_EQ(TASK_LOST, status.state());
    EXPECT_EQ(TaskStatus::SOURCE_MASTER, status.source());
    EXPECT_EQ(TaskStatus::REASON_MASTER_DISCONNECTED, status.reason());
    EXPECT_EQ("Master disconnected", status.message());
    EXPECT_FALSE(status.has_uuid());
    EXPECT_FALSE(status.has_slave_id());
    EXPECT_GT(status.timestamp(), 0);
  }

  completeRegistration();
  sentinel();
  if (legacy()) {
    EXPECT_EQ(0u, master_.count("mesos.internal.LaunchTasksMessage"));
    EXPECT_EQ(0u, master_.count(kAckName));
  } else {
    EXPECT_EQ(0u, untakenCalls(Call::ACCEPT));
    EXPECT_EQ(0u, untakenCalls(Call::ACKNOWLEDGE));
  }
  EXPECT_EQ(2u, sched_.count(Callback::kStatusUpdate));
}

TEST_P(SessionCallsTest, LaunchWhileDisconnectedDeliversTaskDroppedToPartitionAwareFrameworks) {
  DriverConfig c = dialectConfig();
  c.framework.add_capabilities()->set_type(FrameworkInfo::Capability::PARTITION_AWARE);
  startUnregistered(c);
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o1")}, {taskWithData("t1")}));
  std::optional<CallbackEvent> dropped = sched_.wait(Callback::kStatusUpdate);
  ASSERT_TRUE(dropped);
  const TaskStatus& status = dropped->status;

  EXPECT_EQ("t1", status.task_id().value());
  EXPECT_EQ(TASK_DROPPED, status.state());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, status.source());
  EXPECT_EQ(TaskStatus::REASON_MASTER_DISCONNECTED, status.reason());
  EXPECT_EQ("Master disconnected", status.message());
  EXPECT_FALSE(status.has_uuid());

  completeRegistration();
  sentinel();
  if (legacy()) {
    EXPECT_EQ(0u, master_.count("mesos.internal.LaunchTasksMessage"));
    EXPECT_EQ(0u, master_.count(kAckName));
  } else {
    EXPECT_EQ(0u, untakenCalls(Call::ACCEPT));
    EXPECT_EQ(0u, untakenCalls(Call::ACKNOWLEDGE));
  }
  EXPECT_EQ(1u, sched_.count(Callback::kStatusUpdate));
}

// Calls that need a master are dropped while disconnected, not queued for later.
TEST_P(SessionCallsTest, CallsWhileDisconnectedSendNothing) {
  DriverConfig c = dialectConfig();
  c.implicitAcknowledgements = false;  // So that acknowledgeStatusUpdate() is allowed.
  startUnregistered(c);
  ExecutorID executor;
  executor.set_value("e1");
  SlaveID slave;
  slave.set_value(kAgentId);
  TaskStatus ackable = statusOf("t1", /*withSlave=*/true);
  ackable.set_uuid(uuidBytes('\x44'));
  EXPECT_EQ(DRIVER_RUNNING, driver_->requestResources({Request()}));
  EXPECT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("t1")));
  EXPECT_EQ(DRIVER_RUNNING, driver_->declineOffer(offerId("o1")));
  EXPECT_EQ(DRIVER_RUNNING, driver_->sendFrameworkMessage(executor, slave, "ping"));
  EXPECT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({}));
  EXPECT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(ackable));
  // Calls run on the I/O thread in order: once this launch's local TASK_LOST is
  // delivered, every call above has been handled while still disconnected.
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o2")}, {taskWithData("t2")}));
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate));

  completeRegistration();
  sentinel();
  if (legacy()) {
    EXPECT_EQ(0u, master_.count("mesos.internal.ResourceRequestMessage"));
    EXPECT_EQ(1u, master_.count("mesos.internal.KillTaskMessage")) << "only the sentinel";
    EXPECT_EQ(0u, master_.count("mesos.internal.LaunchTasksMessage"));
    EXPECT_EQ(0u, master_.count("mesos.internal.FrameworkToExecutorMessage"));
    EXPECT_EQ(0u, master_.count("mesos.internal.ReconcileTasksMessage"));
    EXPECT_EQ(0u, master_.count(kAckName));
    EXPECT_EQ(0u, master_.count(kCallName));
  } else {
    for (Call::Type type : {Call::REQUEST, Call::KILL, Call::DECLINE, Call::MESSAGE,
                            Call::RECONCILE, Call::ACKNOWLEDGE, Call::ACCEPT}) {
      EXPECT_EQ(0u, untakenCalls(type)) << Call::Type_Name(type);
    }
  }
  EXPECT_EQ(1u, sched_.count(Callback::kStatusUpdate)) << "only the second launch's TASK_LOST";
}

INSTANTIATE_TEST_SUITE_P(Dialects, SessionCallsTest, bothDialects(), dialectName);

}  // namespace
}  // namespace testing
}  // namespace mesos
