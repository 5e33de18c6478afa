// The simulated master driven by the real driver: explicit and implicit
// reconciliation, and framework messages echoed by an agent.

#include <map>
#include <string>
#include <vector>

#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

// ---- Reconciliation -------------------------------------------------------------

TaskStatus reconcileEntry(const std::string& task, const std::string& agent = "") {
  TaskStatus status;
  status.mutable_task_id()->set_value(task);
  status.set_state(TASK_STAGING);
  if (!agent.empty()) status.mutable_slave_id()->set_value(agent);
  return status;
}

TEST_F(LocalClusterTest, ExplicitReconciliationOfKnownTaskGivesLatestState) {
  startCluster();
  startRegistered();
  Offer offer = launchRunning(commandTask("known", SlaveID(), "sleep 30"));
  const size_t before = sched_.statusCount();
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({reconcileEntry("known", offer.slave_id().value())}));
  auto answer = sched_.waitStatus(
      "known", [](const TaskStatus& s) { return s.reason() == TaskStatus::REASON_RECONCILIATION; },
      before);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(TASK_RUNNING, answer->status.state());
  EXPECT_EQ("Reconciliation: Latest task state", answer->status.message());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, answer->status.source());
  EXPECT_EQ(offer.slave_id().value(), answer->status.slave_id().value());
  EXPECT_FALSE(answer->status.has_uuid());
}

TEST_F(LocalClusterTest, ExplicitReconciliationOfUnknownTaskOnRegisteredAgent) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({reconcileEntry("nope", offer.slave_id().value())}));
  auto answer = sched_.waitStatus("nope");
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(TASK_LOST, answer->status.state());
  EXPECT_EQ(TaskStatus::REASON_RECONCILIATION, answer->status.reason());
  EXPECT_EQ("Reconciliation: Task is unknown to the agent", answer->status.message());
  EXPECT_EQ(offer.slave_id().value(), answer->status.slave_id().value());
}

TEST_F(LocalClusterTest, ExplicitReconciliationOfUnknownTaskWithoutAgent) {
  startCluster();
  startRegistered();
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({reconcileEntry("nope")}));
  auto answer = sched_.waitStatus("nope");
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(TASK_LOST, answer->status.state());
  EXPECT_EQ(TaskStatus::REASON_RECONCILIATION, answer->status.reason());
  EXPECT_EQ("Reconciliation: Task is unknown", answer->status.message());
  EXPECT_FALSE(answer->status.has_slave_id());
}

TEST_F(LocalClusterTest, ExplicitReconciliationOfUnknownTaskIsUnknownWhenPartitionAware) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  addCapability(&info, FrameworkInfo::Capability::PARTITION_AWARE);
  startRegistered(info);
  Offer offer = nextOffer(sched_);
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({reconcileEntry("gone", offer.slave_id().value()),
                                                     reconcileEntry("unknown")}));
  auto gone = sched_.waitStatus("gone");
  auto unknown = sched_.waitStatus("unknown");
  ASSERT_TRUE(gone && unknown);
  EXPECT_EQ(TASK_GONE, gone->status.state());
  EXPECT_EQ(TASK_UNKNOWN, unknown->status.state());
}

// Implicit reconciliation answers for every live task and not for a finished,
// acknowledged one; an explicit reconciliation sent afterwards is the sentinel.
TEST_F(LocalClusterTest, ImplicitReconciliationListsLiveTasks) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  launch(offer, {commandTask("a", offer.slave_id(), "sleep 30"), commandTask("b", offer.slave_id(), "sleep 30"),
                 commandTask("done", offer.slave_id(), "true")});
  ASSERT_TRUE(sched_.waitState("a", TASK_RUNNING));
  ASSERT_TRUE(sched_.waitState("b", TASK_RUNNING));
  ASSERT_TRUE(sched_.waitState("done", TASK_FINISHED));
  ASSERT_TRUE(taskForgotten("done"));

  const size_t before = sched_.statusCount();
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({}));
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({reconcileEntry("sentinel")}));
  ASSERT_TRUE(sched_.waitStatus("sentinel", {}, before));

  std::map<std::string, TaskStatus> answers;
  for (const auto& s : sched_.statuses()) {
    if (s.status.reason() == TaskStatus::REASON_RECONCILIATION && s.status.task_id().value() != "sentinel") {
      answers[s.status.task_id().value()] = s.status;
    }
  }
  ASSERT_EQ(2u, answers.size());
  for (const char* t : {"a", "b"}) {
    ASSERT_EQ(1u, answers.count(t)) << t;
    EXPECT_EQ(TASK_RUNNING, answers[t].state());
    EXPECT_EQ("Reconciliation: Latest task state", answers[t].message());
    EXPECT_EQ(offer.slave_id().value(), answers[t].slave_id().value());
  }
}

// Answers carry executor_id when the task has one.
TEST_F(LocalClusterTest, ReconciliationAnswerCarriesExecutorId) {
  startCluster();
  startRegistered(frameworkInfo(), Dialect::kCall, /*implicitAcks=*/false);
  Offer offer = nextOffer(sched_);
  TaskInfo task;
  task.set_name("with executor");
  task.mutable_task_id()->set_value("e");
  *task.mutable_slave_id() = offer.slave_id();
  *task.add_resources() = scalar("cpus", 0.5);
  task.mutable_executor()->mutable_executor_id()->set_value("exec-1");
  task.mutable_executor()->mutable_command()->set_value("my-executor");
  launch(offer, {task});
  auto starting = sched_.waitState("e", TASK_STARTING);  // Left unacknowledged: the task stays known.
  ASSERT_TRUE(starting.has_value());
  EXPECT_EQ("exec-1", starting->status.executor_id().value());

  const size_t before = sched_.statusCount();
  ASSERT_EQ(DRIVER_RUNNING, driver_->reconcileTasks({reconcileEntry("e", offer.slave_id().value())}));
  auto answer = sched_.waitStatus(
      "e", [](const TaskStatus& s) { return s.reason() == TaskStatus::REASON_RECONCILIATION; }, before);
  ASSERT_TRUE(answer.has_value());
  if (!answer->status.has_executor_id()) {
    FAIL() << "master regression: reconciliation answers omit executor_id; "
              "SimulatedMaster::sendMasterUpdate never sets it";
  }
  EXPECT_EQ("exec-1", answer->status.executor_id().value());
}

// ---- Framework messages ---------------------------------------------------------

TEST_F(LocalClusterTest, FrameworkMessageToAgentOfALaunchedTaskIsEchoedDirectly) {
  startCluster();
  startRegistered();
  Offer offer = launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  ExecutorID executor;
  executor.set_value("t");
  ASSERT_EQ(DRIVER_RUNNING, driver_->sendFrameworkMessage(executor, offer.slave_id(), "direct"));
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.messages().empty(); }));
  const auto message = sched_.messages().front();
  EXPECT_EQ("direct", message.data);
  EXPECT_EQ("t", message.executor.value());
  EXPECT_EQ(offer.slave_id().value(), message.slave.value());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
