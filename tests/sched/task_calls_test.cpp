// Task and executor calls (docs/protocol.md, "The two dialects" and "Status
// updates and acknowledgements"): killTask, acknowledgements (explicit and
// implicit), sendFrameworkMessage and reconcileTasks, in both dialects (the
// sentinel: calls_test_util.hpp).

#include <string>
#include <vector>

#include "calls_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

class TaskCallsTest : public CallsTest {};

// ---- killTask -----------------------------------------------------------------

TEST_P(TaskCallsTest, KillTaskSendsAKill) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("t1")));

  if (legacy()) {
    auto message = master_.expect<internal::KillTaskMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    EXPECT_EQ("t1", message.task_id().value());
  } else {
    Call call = master_.expectCall(Call::KILL);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_EQ("t1", call.kill().task_id().value());
    EXPECT_FALSE(call.kill().has_slave_id());
  }
}

// ---- Acknowledgements ---------------------------------------------------------

TEST_P(TaskCallsTest, ExplicitAcknowledgeSendsSlaveTaskAndUuid) {
  DriverConfig c = dialectConfig();
  c.implicitAcknowledgements = false;
  startRegistered(c);
  const std::string uuid = uuidBytes('\x11');
  const TaskStatus status = deliverUpdate("t1", uuid);
  ASSERT_EQ(uuid, status.uuid()) << "an agent update must be acknowledged";

  // Nothing goes out on its own with explicit acknowledgements.
  sentinel();
  EXPECT_EQ(0u, acksReceived());

  ASSERT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(status));
  expectAck("t1", uuid);
}

TEST_P(TaskCallsTest, ExplicitAcknowledgeOfAStatusWithoutUuidOrSlaveIdSendsNothing) {
  DriverConfig c = dialectConfig();
  c.implicitAcknowledgements = false;
  startRegistered(c);
  TaskStatus noUuid = statusOf("t1", /*withSlave=*/true);
  TaskStatus noSlave = statusOf("t2", /*withSlave=*/false);
  noSlave.set_uuid(uuidBytes('\x22'));
  EXPECT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(noUuid));
  EXPECT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(noSlave));
  sentinel();
  EXPECT_EQ(0u, acksReceived());
}

// The implicit ack goes out only once statusUpdate() has returned: while the
// callback blocks, the sentinel arrives but no ack; after the release, the ack.
TEST_P(TaskCallsTest, ImplicitAcknowledgementIsSentOnlyAfterTheCallbackReturns) {
  startRegistered(GetParam());
  Latch entered;
  Latch release;
  sched_.once(Callback::kStatusUpdate, [&](SchedulerDriver*, const CallbackEvent&) {
    entered.notify();
    release.wait();
  });
  const std::string uuid = uuidBytes('\x33');
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, uuid, kAgentPid));
  ASSERT_TRUE(entered.wait());

  // Anything the driver sent while handling the update precedes the sentinel.
  sentinel();
  EXPECT_EQ(0u, acksReceived()) << "acknowledged before the callback returned";
  release.notify();
  expectAck("t1", uuid);
}

// ---- sendFrameworkMessage -----------------------------------------------------

TEST_P(TaskCallsTest, FrameworkMessageForAnUnknownAgentGoesThroughTheMaster) {
  startRegistered(GetParam());
  ExecutorID executor;
  executor.set_value("e1");
  SlaveID slave;
  slave.set_value(kAgentId);
  const std::string data("hello\0world", 11);
  ASSERT_EQ(DRIVER_RUNNING, driver_->sendFrameworkMessage(executor, slave, data));

  if (legacy()) {
    auto message = master_.expect<internal::FrameworkToExecutorMessage>();
    EXPECT_EQ(kAgentId, message.slave_id().value());
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    EXPECT_EQ("e1", message.executor_id().value());
    EXPECT_EQ(data, message.data());
  } else {
    Call call = master_.expectCall(Call::MESSAGE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_EQ(kAgentId, call.message().slave_id().value());
    EXPECT_EQ("e1", call.message().executor_id().value());
    EXPECT_EQ(data, call.message().data());
  }
}

// Once a task was launched on an offer from an agent whose pid came with the
// offer, framework messages to that agent go to it directly, bypassing the master.
TEST_P(TaskCallsTest, FrameworkMessageGoesDirectlyToTheAgentOfALaunchedTask) {
  FakeMaster agent(0, "slave(1)");
  startRegistered(GetParam());
  sendOffers({makeOffer("o1")}, agent.address());
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o1")}, {taskWithData("t1")}));
  if (legacy()) {
    master_.expect<internal::LaunchTasksMessage>();
  } else {
    master_.expectCall(Call::ACCEPT);
  }

  ExecutorID executor;
  executor.set_value("e1");
  SlaveID slave;
  slave.set_value(kAgentId);
  ASSERT_EQ(DRIVER_RUNNING, driver_->sendFrameworkMessage(executor, slave, "ping"));
  auto message = agent.expect<internal::FrameworkToExecutorMessage>();
  EXPECT_EQ(scheduler_, agent.lastFrom());
  EXPECT_EQ(kAgentId, message.slave_id().value());
  EXPECT_EQ(kFrameworkId, message.framework_id().value());
  EXPECT_EQ("e1", message.executor_id().value());
  EXPECT_EQ("ping", message.data());

  sentinel();
  EXPECT_EQ(0u, master_.count("mesos.internal.FrameworkToExecutorMessage"));
  if (!legacy()) {
    EXPECT_EQ(0u, untakenCalls(Call::MESSAGE));
  }
  driver_.reset();  // Before `agent` goes.
}

// ---- reconcileTasks -----------------------------------------------------------

TEST_P(TaskCallsTest, ExplicitReconciliationSendsTheTasks) {
  startRegistered(GetParam());
  const std::vector<TaskStatus> statuses = {statusOf("t1", /*withSlave=*/true),
                                            statusOf("t2", /*withSlave=*/false)};
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks(statuses));

  if (legacy()) {
    auto message = master_.expect<internal::ReconcileTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.statuses_size());
    EXPECT_THAT(message.statuses(0), EqualsProto(statuses[0]));
    EXPECT_THAT(message.statuses(1), EqualsProto(statuses[1]));
  } else {
    Call call = master_.expectCall(Call::RECONCILE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.reconcile().tasks_size());
    EXPECT_EQ("t1", call.reconcile().tasks(0).task_id().value());
    EXPECT_EQ(kAgentId, call.reconcile().tasks(0).slave_id().value());
    EXPECT_EQ("t2", call.reconcile().tasks(1).task_id().value());
    EXPECT_FALSE(call.reconcile().tasks(1).has_slave_id());
  }
}

TEST_P(TaskCallsTest, ImplicitReconciliationSendsNoTasks) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({}));

  if (legacy()) {
    auto message = master_.expect<internal::ReconcileTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    EXPECT_EQ(0, message.statuses_size());
  } else {
    Call call = master_.expectCall(Call::RECONCILE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_TRUE(call.has_reconcile());
    EXPECT_EQ(0, call.reconcile().tasks_size());
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, TaskCallsTest, bothDialects(), dialectName);

}  // namespace
}  // namespace testing
}  // namespace mesos
