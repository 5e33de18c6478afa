// The simulated master driven by the real driver: tasks (run times, failure,
// resent status updates, invalid launches, kill) and agent removal.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// ---- Tasks ----------------------------------------------------------------------

TEST_F(LocalClusterTest, SleepCommandTakesItsDuration) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const auto launched = Clock::now();
  launch(offer, {commandTask("sleeper", offer.slave_id(), "sleep 0.5")});
  auto running = sched_.waitState("sleeper", TASK_RUNNING);
  auto finished = sched_.waitState("sleeper", TASK_FINISHED);
  ASSERT_TRUE(running && finished);
  // The run timer starts after the launch call and lasts 500 ms (not the 100 ms
  // default run time).
  EXPECT_GE(millisSince(launched, finished->at), 500);
  EXPECT_LT(millisSince(running->at, finished->at), 3000);
}

TEST_F(LocalClusterTest, FalseCommandFails) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  launch(offer, {commandTask("f", offer.slave_id(), "false")});
  auto failed = sched_.waitState("f", TASK_FAILED);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(std::vector<TaskState>({TASK_STARTING, TASK_RUNNING, TASK_FAILED}), sched_.statesOf("f"));
  EXPECT_EQ(TaskStatus::SOURCE_EXECUTOR, failed->status.source());
  EXPECT_TRUE(taskForgotten("f"));
}

// Explicit acknowledgements: an update that is not acknowledged is resent after
// statusUpdateRetry, and the next one waits behind it.
TEST_F(LocalClusterTest, UnacknowledgedUpdateIsResent) {
  startCluster();
  startRegistered(frameworkInfo(), Dialect::kCall, /*implicitAcks=*/false);
  Offer offer = nextOffer(sched_);
  launch(offer, {commandTask("t", offer.slave_id())});

  auto starting = sched_.waitState("t", TASK_STARTING);
  ASSERT_TRUE(starting.has_value());
  ASSERT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(starting->status));

  auto running = sched_.waitState("t", TASK_RUNNING);
  ASSERT_TRUE(running.has_value());
  size_t index = 0;
  {
    auto all = sched_.statuses();
    while (index < all.size() && !(all[index].status.state() == TASK_RUNNING)) ++index;
  }
  // Not acknowledged: the same update comes again after ~200 ms.
  auto resent = sched_.waitState("t", TASK_RUNNING, index + 1);
  ASSERT_TRUE(resent.has_value()) << "unacknowledged RUNNING was not resent";
  EXPECT_EQ(running->status.uuid(), resent->status.uuid());
  EXPECT_GE(millisSince(running->at, resent->at), 100);  // ~200 ms less delivery jitter.
  // The task finished long ago (100 ms), but FINISHED waits behind RUNNING.
  for (TaskState s : sched_.statesOf("t")) EXPECT_NE(TASK_FINISHED, s);

  ASSERT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(resent->status));
  auto finished = sched_.waitState("t", TASK_FINISHED);
  ASSERT_TRUE(finished.has_value());
  EXPECT_TRUE(findTask(state(), "t").has_value()) << "forgotten before its terminal ack";
  ASSERT_EQ(DRIVER_RUNNING, driver_->acknowledgeStatusUpdate(finished->status));
  EXPECT_TRUE(taskForgotten("t"));
}

TEST_F(LocalClusterTest, DuplicateTaskIdIsTaskError) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  launch(offer, {commandTask("dup", offer.slave_id(), "sleep 30")});
  ASSERT_TRUE(sched_.waitState("dup", TASK_RUNNING));
  // The leftovers are offered again (filter 0).
  Offer second = nextOffer(sched_, before, offer.slave_id().value());
  launch(second, {commandTask("dup", second.slave_id(), "sleep 30")});

  auto error = sched_.waitState("dup", TASK_ERROR);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(TaskStatus::REASON_TASK_INVALID, error->status.reason());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, error->status.source());
  EXPECT_THAT(error->status.message(), StartsWith("Task has duplicate ID"));
  EXPECT_FALSE(error->status.has_uuid());
  // The first task is untouched.
  auto task = findTask(state(), "dup");
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ("TASK_RUNNING", str(*task, "state"));
}

TEST_F(LocalClusterTest, TaskExceedingTheOfferIsTaskError) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  launch(offer, {commandTask("big", offer.slave_id(), "true", 100)});
  auto error = sched_.waitState("big", TASK_ERROR);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(TaskStatus::REASON_TASK_INVALID, error->status.reason());
  EXPECT_THAT(error->status.message(), HasSubstr("more than available"));
  EXPECT_FALSE(findTask(state(), "big").has_value());
}

TEST_F(LocalClusterTest, TaskWithoutResourcesIsTaskError) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  TaskInfo task = commandTask("empty", offer.slave_id());
  task.clear_resources();
  launch(offer, {task});
  auto error = sched_.waitState("empty", TASK_ERROR);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(TaskStatus::REASON_TASK_INVALID, error->status.reason());
  EXPECT_EQ("Task uses no resources", error->status.message());
}

TEST_F(LocalClusterTest, TaskWithCommandAndExecutorIsTaskError) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  TaskInfo task = commandTask("both", offer.slave_id());
  task.mutable_executor()->mutable_executor_id()->set_value("exec");
  task.mutable_executor()->mutable_command()->set_value("my-executor");
  launch(offer, {task});
  auto error = sched_.waitState("both", TASK_ERROR);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(TaskStatus::REASON_TASK_INVALID, error->status.reason());
  EXPECT_EQ("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present",
            error->status.message());
}

TEST_F(LocalClusterTest, UnknownOfferIdGivesTaskLost) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const std::string bogus = masterId() + "-O999999";
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->launchTasks({offerId(bogus)}, {commandTask("lost", offer.slave_id())}));
  auto lost = sched_.waitState("lost", TASK_LOST);
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(TaskStatus::REASON_INVALID_OFFERS, lost->status.reason());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, lost->status.source());
  EXPECT_EQ("Task launched with invalid offers: Offer " + bogus + " is no longer valid",
            lost->status.message());
  EXPECT_EQ(offer.slave_id().value(), lost->status.slave_id().value());
  EXPECT_FALSE(lost->status.has_uuid());
}

TEST_F(LocalClusterTest, UnknownOfferIdGivesTaskDroppedWhenPartitionAware) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  addCapability(&info, FrameworkInfo::Capability::PARTITION_AWARE);
  startRegistered(info);
  Offer offer = nextOffer(sched_);
  const std::string bogus = masterId() + "-O999999";
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->launchTasks({offerId(bogus)}, {commandTask("dropped", offer.slave_id())}));
  auto dropped = sched_.waitState("dropped", TASK_DROPPED);
  ASSERT_TRUE(dropped.has_value());
  EXPECT_EQ(TaskStatus::REASON_INVALID_OFFERS, dropped->status.reason());
  EXPECT_EQ("Task launched with invalid offers: Offer " + bogus + " is no longer valid",
            dropped->status.message());
}

TEST_F(LocalClusterTest, OffersFromTwoAgentsInOneAcceptAreInvalid) {
  startCluster(fastOptions(2));
  startRegistered();
  ASSERT_TRUE(sched_.waitFor([&] {
    std::set<std::string> agents;
    for (const auto& o : sched_.offers()) agents.insert(o.offer.slave_id().value());
    return agents.size() == 2;
  }));
  const auto offers = sched_.offers();
  const Offer& a = offers[0].offer;
  const Offer* b = nullptr;
  for (const auto& o : offers) {
    if (o.offer.slave_id().value() != a.slave_id().value()) b = &o.offer;
  }
  ASSERT_NE(nullptr, b);
  const size_t before = sched_.offerCount();
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({a.id(), b->id()}, {commandTask("x", a.slave_id())}));

  auto lost = sched_.waitState("x", TASK_LOST);
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(TaskStatus::REASON_INVALID_OFFERS, lost->status.reason());
  EXPECT_THAT(lost->status.message(), StartsWith("Task launched with invalid offers: "));
  // Both offers' resources come back at once (no filter).
  EXPECT_TRUE(sched_.waitOffer(before, [&](const Offer& o) { return o.slave_id().value() == a.slave_id().value(); }, Millis(3000)));
  EXPECT_TRUE(sched_.waitOffer(before, [&](const Offer& o) { return o.slave_id().value() == b->slave_id().value(); }, Millis(3000)));
}

TEST_F(LocalClusterTest, KillRunningTaskGivesTaskKilled) {
  startCluster();
  startRegistered();
  launchRunning(commandTask("victim", SlaveID(), "sleep 30"));
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("victim")));
  auto killed = sched_.waitState("victim", TASK_KILLED);
  ASSERT_TRUE(killed.has_value());
  EXPECT_EQ(16u, killed->status.uuid().size());  // From the agent.
  EXPECT_TRUE(taskForgotten("victim"));
}

TEST_F(LocalClusterTest, KillOfUnknownTaskGivesTaskLost) {
  startCluster();
  startRegistered();
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("ghost")));
  auto lost = sched_.waitState("ghost", TASK_LOST);
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(TaskStatus::REASON_RECONCILIATION, lost->status.reason());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, lost->status.source());
  EXPECT_EQ("Reconciliation: Task is unknown", lost->status.message());
  EXPECT_FALSE(lost->status.has_uuid());
}

// ---- Agent removal --------------------------------------------------------------

TEST_F(LocalClusterTest, RemoveAgentLosesItsTasksRescindsItsOffersAndReportsSlaveLost) {
  startCluster(fastOptions(2));
  startRegistered();
  ASSERT_TRUE(sched_.waitFor([&] { return sched_.offers().size() >= 2; }));
  const Offer first = sched_.offers()[0].offer;
  const Offer other = sched_.offers()[1].offer;
  ASSERT_NE(first.slave_id().value(), other.slave_id().value());
  const size_t before = sched_.offerCount();
  launch(first, {commandTask("doomed", first.slave_id(), "sleep 30")});
  ASSERT_TRUE(sched_.waitState("doomed", TASK_RUNNING));
  // What the task left of the agent is offered again (filter 0).
  Offer leftover = nextOffer(sched_, before, first.slave_id().value());

  // Agents are slave(1), slave(2), ... in index order.
  ASSERT_TRUE(cluster_->removeAgent(first.url().path() == "/slave(1)" ? 0 : 1));

  auto lost = sched_.waitState("doomed", TASK_LOST);
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(TaskStatus::REASON_SLAVE_REMOVED, lost->status.reason());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, lost->status.source());
  EXPECT_THAT(lost->status.message(), StartsWith("Agent "));
  ASSERT_TRUE(sched_.waitFor([&] {
    auto l = sched_.lostAgents();
    return std::find(l.begin(), l.end(), first.slave_id().value()) != l.end();
  }));
  auto rescinded = sched_.rescinded();
  EXPECT_NE(rescinded.end(), std::find(rescinded.begin(), rescinded.end(), leftover.id().value()));
  EXPECT_EQ(rescinded.end(), std::find(rescinded.begin(), rescinded.end(), other.id().value()))
      << "an offer of the remaining agent was rescinded";
  EXPECT_EQ(std::vector<std::string>({first.slave_id().value()}), sched_.lostAgents());

  const Struct s = state();
  ASSERT_EQ(1u, structs(s, "slaves").size());
  EXPECT_EQ(other.slave_id().value(), str(structs(s, "slaves")[0], "id"));
  EXPECT_FALSE(findTask(s, "doomed").has_value());
}

// An agent that is removed (shut down, as LocalCluster::removeAgent says)
// loses its tasks with TASK_LOST / REASON_SLAVE_REMOVED for every framework;
// only an agent *marked gone by the operator* gives PARTITION_AWARE frameworks
// TASK_GONE_BY_OPERATOR, and then with REASON_SLAVE_REMOVED_BY_OPERATOR.
TEST_F(LocalClusterTest, RemoveAgentGivesPartitionAwareFrameworksAConsistentStatus) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  addCapability(&info, FrameworkInfo::Capability::PARTITION_AWARE);
  startRegistered(info);
  launchRunning(commandTask("doomed", SlaveID(), "sleep 30"));
  ASSERT_TRUE(cluster_->removeAgent(0));
  auto update = sched_.waitStatus("doomed", [](const TaskStatus& s) {
    return s.source() == TaskStatus::SOURCE_MASTER;
  });
  ASSERT_TRUE(update.has_value());
  const bool lost = update->status.state() == TASK_LOST &&
                    update->status.reason() == TaskStatus::REASON_SLAVE_REMOVED;
  const bool gone = update->status.state() == TASK_GONE_BY_OPERATOR &&
                    update->status.reason() == TaskStatus::REASON_SLAVE_REMOVED_BY_OPERATOR;
  if (!lost && !gone) {
    FAIL() << "master regression: removeAgent sends a PARTITION_AWARE framework "
                 << TaskState_Name(update->status.state()) << " with "
                 << TaskStatus::Reason_Name(update->status.reason())
                 << " (expected TASK_LOST + REASON_SLAVE_REMOVED for a removed agent)";
  }
  EXPECT_TRUE(lost) << TaskState_Name(update->status.state());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
