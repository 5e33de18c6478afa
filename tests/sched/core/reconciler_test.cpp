// The reconciliation helper (src/sched/core/reconciler.hpp): alone with a
// fake clock, then inside the driver core (registration, updates, timers,
// a lost master).

#include <chrono>
#include <set>

#include "sched/core/core_harness.hpp"
#include "sched/core/reconciler.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TaskStatus task(const std::string& id, const std::string& agent = "") {
  TaskStatus s;
  s.mutable_task_id()->set_value(id);
  if (!agent.empty()) s.mutable_slave_id()->set_value(agent);
  return s;
}
TaskID taskId(const std::string& id) {
  TaskID t;
  t.set_value(id);
  return t;
}
std::set<std::string> ids(const std::vector<TaskStatus>& statuses) {
  std::set<std::string> out;
  for (const TaskStatus& s : statuses) out.insert(s.task_id().value());
  return out;
}

// Drives a Reconciler with a fake clock and records its outputs.
class Driver {
 public:
  explicit Driver(ReconcilePolicy policy = {}, double fraction = 1.0)
      : r_(policy, [fraction] { return fraction; }) {}
  Reconciler& r() { return r_; }
  double now = 0;

  void collect() {
    for (Reconciler::Output& o : r_.take()) {
      if (auto* send = std::get_if<Reconciler::SendReconcile>(&o)) {
        sends.push_back(send->statuses);
        sendTimes.push_back(now);
      } else if (auto* arm = std::get_if<Reconciler::ArmRetry>(&o)) {
        armed = *arm;
        delays.push_back(arm->delay);
      } else if (std::holds_alternative<Reconciler::CancelRetry>(o)) {
        armed.reset();
      } else if (auto* done = std::get_if<Reconciler::Reconciled>(&o)) {
        dones.push_back(*done);
      }
    }
  }
  void registered(std::vector<TaskStatus> tasks) {
    r_.registered(now, std::move(tasks));
    collect();
  }
  void seen(const std::string& id) {
    r_.updateSeen(now, taskId(id));
    collect();
  }
  // Fires the armed retry (advancing the clock to it); false if none.
  bool fire() {
    if (!armed) return false;
    now += std::chrono::duration<double>(armed->delay).count();
    const uint64_t seq = armed->seq;
    armed.reset();
    r_.timerFired(now, seq);
    collect();
    return true;
  }

  std::vector<std::vector<TaskStatus>> sends;
  std::vector<double> sendTimes;
  std::vector<milliseconds> delays;
  std::optional<Reconciler::ArmRetry> armed;
  std::vector<Reconciler::Reconciled> dones;

 private:
  Reconciler r_;
};

TEST(ReconcilerTest, ExplicitFirstThenImplicitOnceEveryTaskAnswered) {
  Driver d;
  d.registered({task("a", "agent-1"), task("b")});
  ASSERT_EQ(1u, d.sends.size());
  EXPECT_EQ((std::set<std::string>{"a", "b"}), ids(d.sends[0]));
  // The agent is named where known; the required state is filled in.
  for (const TaskStatus& s : d.sends[0]) {
    EXPECT_TRUE(s.has_state());
    EXPECT_EQ(s.task_id().value() == "a" ? "agent-1" : "", s.slave_id().value());
  }
  EXPECT_TRUE(d.armed.has_value());
  d.seen("a");
  EXPECT_EQ(1u, d.sends.size());
  EXPECT_TRUE(d.dones.empty());
  d.seen("b");
  ASSERT_EQ(2u, d.sends.size());
  EXPECT_TRUE(d.sends[1].empty()) << "the second RECONCILE must be implicit";
  EXPECT_FALSE(d.armed.has_value()) << "no retry after every task answered";
  ASSERT_EQ(1u, d.dones.size());
  EXPECT_EQ(2u, d.dones[0].tasks);
  EXPECT_EQ(1, d.dones[0].explicitRounds);
  EXPECT_EQ(Reconciler::Phase::kDone, d.r().phase());
}

TEST(ReconcilerTest, OnlyUnansweredTasksAreAskedAgain) {
  Driver d;
  d.registered({task("a"), task("b"), task("c")});
  d.seen("b");  // Answered before the retry: not asked again.
  ASSERT_TRUE(d.fire());
  ASSERT_EQ(2u, d.sends.size());
  EXPECT_EQ((std::set<std::string>{"a", "c"}), ids(d.sends[1]));
  d.seen("c");
  ASSERT_TRUE(d.fire());
  ASSERT_EQ(3u, d.sends.size());
  EXPECT_EQ((std::set<std::string>{"a"}), ids(d.sends[2]));
  d.seen("a");
  ASSERT_EQ(4u, d.sends.size());
  EXPECT_TRUE(d.sends[3].empty());
  ASSERT_EQ(1u, d.dones.size());
  EXPECT_EQ(3, d.dones[0].explicitRounds);
}

TEST(ReconcilerTest, RetryDelaysGrowAndCap) {
  ReconcilePolicy policy;
  policy.retryDelay = seconds(1);
  policy.maxRetryDelay = seconds(10);
  Driver d(policy, /*fraction=*/1.0);  // Always the top of the range.
  d.registered({task("a")});
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(d.fire());
  // 1 s + 1, 2, 4, 8 capped at 9: never more than the maximum.
  const std::vector<milliseconds> expected{seconds(2), seconds(3), seconds(5), seconds(9),
                                           seconds(10), seconds(10), seconds(10)};
  EXPECT_EQ(expected, d.delays);
  EXPECT_EQ(7u, d.sends.size());
  EXPECT_TRUE(d.dones.empty()) << "never done while a task is unanswered";
}

TEST(ReconcilerTest, RetryDelaysAreJitteredAboveTheFirstDelay) {
  Driver low(ReconcilePolicy{}, /*fraction=*/0.0);
  low.registered({task("a")});
  ASSERT_TRUE(low.fire());
  ASSERT_TRUE(low.fire());
  // Bottom of the range: the first delay, however many retries.
  EXPECT_EQ((std::vector<milliseconds>{seconds(1), seconds(1), seconds(1)}), low.delays);
  Driver mid(ReconcilePolicy{}, /*fraction=*/0.5);
  mid.registered({task("a")});
  ASSERT_TRUE(mid.fire());
  EXPECT_EQ((std::vector<milliseconds>{milliseconds(1500), seconds(2)}), mid.delays);
}

TEST(ReconcilerTest, NoTasksMeansImplicitAtOnce) {
  Driver d;
  d.registered({});
  ASSERT_EQ(1u, d.sends.size());
  EXPECT_TRUE(d.sends[0].empty());
  EXPECT_FALSE(d.armed.has_value());
  EXPECT_EQ(1u, d.dones.size());
}

TEST(ReconcilerTest, DoneIsSignalledOncePerRegistration) {
  Driver d;
  d.registered({task("a")});
  d.seen("a");
  d.seen("a");  // A second update for the task (e.g. the implicit answer).
  d.seen("x");
  EXPECT_FALSE(d.fire());
  EXPECT_EQ(1u, d.dones.size());
  EXPECT_EQ(2u, d.sends.size());
}

TEST(ReconcilerTest, ARegistrationStartsOverWithTheTasksKnownThen) {
  Driver d;
  d.registered({task("a"), task("b")});
  d.seen("a");
  const uint64_t stale = d.armed->seq;
  d.registered({task("b"), task("c")});  // A new master before the end.
  ASSERT_EQ(2u, d.sends.size());
  EXPECT_EQ((std::set<std::string>{"b", "c"}), ids(d.sends[1]));
  // The old round's retry is dead.
  d.r().timerFired(d.now, stale);
  d.collect();
  EXPECT_EQ(2u, d.sends.size());
  // And the backoff starts from the first delay again.
  EXPECT_EQ(d.delays.front(), d.delays.back());
  d.seen("b");
  d.seen("c");
  EXPECT_EQ(1u, d.dones.size());
  // After done, a re-registration reconciles again and signals again.
  d.registered({task("c")});
  d.seen("c");
  EXPECT_EQ(2u, d.dones.size());
}

TEST(ReconcilerTest, ALostMasterStopsTheRetries) {
  Driver d;
  d.registered({task("a")});
  const uint64_t seq = d.armed->seq;
  d.r().disconnected(d.now);
  d.collect();
  EXPECT_FALSE(d.armed.has_value());
  d.r().timerFired(d.now + 5, seq);
  d.seen("a");
  EXPECT_EQ(1u, d.sends.size());
  EXPECT_TRUE(d.dones.empty());
  EXPECT_EQ(Reconciler::Phase::kIdle, d.r().phase());
}

TEST(ReconcilerTest, TasksWithoutIdAreDroppedAndDuplicatesCountOnce) {
  Driver d;
  d.registered({task(""), task("a"), task("a", "agent-2")});
  ASSERT_EQ(1u, d.sends.size());
  ASSERT_EQ(1u, d.sends[0].size());
  EXPECT_EQ("agent-2", d.sends[0][0].slave_id().value());
  d.seen("a");
  EXPECT_EQ(1u, d.dones.size());
}

// ---- Inside the driver core ----------------------------------------------------

Options withReconcile(std::vector<TaskStatus>* tasks) {
  Options o = CoreHarness::defaults();
  o.reconcile = Options::Reconcile{[tasks] { return *tasks; }, ReconcilePolicy{}};
  return o;
}

internal::StatusUpdateMessage update(const std::string& id, TaskState state,
                                     const std::string& uuid = "") {
  internal::StatusUpdateMessage m;
  internal::StatusUpdate* u = m.mutable_update();
  u->mutable_framework_id()->set_value("framework-1");
  u->mutable_slave_id()->set_value("agent-1");
  u->mutable_status()->mutable_task_id()->set_value(id);
  u->mutable_status()->set_state(state);
  u->set_timestamp(1);
  if (!uuid.empty()) u->set_uuid(uuid);
  if (!uuid.empty()) m.set_pid(kAgent.toString());
  return m;
}

TEST(CoreReconcileTest, RegistrationReconcilesAfterTheRegisteredCallback) {
  std::vector<TaskStatus> tasks{task("a", "agent-1"), task("gone")};
  CoreHarness h(withReconcile(&tasks));
  h.detect();
  h.registered();
  auto reconciles = h.calls<Reconcile>();
  ASSERT_EQ(1u, reconciles.size());
  EXPECT_EQ((std::set<std::string>{"a", "gone"}), ids(reconciles[0].statuses));
  ASSERT_TRUE(reconciles[0].frameworkId.has_value());
  EXPECT_EQ("framework-1", reconciles[0].frameworkId->value());
  ASSERT_TRUE(h.armed(Timer::kReconcile).has_value());
  EXPECT_EQ(seconds(2), *h.armed(Timer::kReconcile));  // 1 s + the full 1 s (fixed 1.0).

  // The master answers "a" with its state and "gone" (unknown to it) with
  // TASK_LOST; both reach the scheduler, and then the done signal.
  h.clear();
  h.receive(kMaster, update("a", TASK_RUNNING));
  EXPECT_EQ(0u, h.calls<Reconcile>().size());
  h.receive(kMaster, update("gone", TASK_LOST));
  reconciles = h.calls<Reconcile>();
  ASSERT_EQ(1u, reconciles.size());
  EXPECT_TRUE(reconciles[0].statuses.empty()) << "then one implicit reconciliation";
  ASSERT_EQ(3u, h.callbacks.size());
  EXPECT_TRUE(std::holds_alternative<Update>(h.callbacks[0]));
  EXPECT_TRUE(std::holds_alternative<Update>(h.callbacks[1]));
  ASSERT_TRUE(std::holds_alternative<ReconcileDone>(h.callbacks[2]))
      << "done comes after the last answer's statusUpdate()";
  EXPECT_EQ(2u, std::get<ReconcileDone>(h.callbacks[2]).tasks);
  EXPECT_FALSE(h.armed(Timer::kReconcile).has_value());
}

TEST(CoreReconcileTest, UnansweredTasksAreRetriedOnTheCoreTimer) {
  std::vector<TaskStatus> tasks{task("a"), task("b")};
  CoreHarness h(withReconcile(&tasks));
  h.detect();
  h.registered();
  h.receive(kMaster, update("b", TASK_RUNNING));
  h.clear();
  h.advance(seconds(2));
  auto reconciles = h.calls<Reconcile>();
  ASSERT_EQ(1u, reconciles.size());
  EXPECT_EQ((std::set<std::string>{"a"}), ids(reconciles[0].statuses));
  EXPECT_EQ(seconds(3), *h.armed(Timer::kReconcile));
}

TEST(CoreReconcileTest, ReregistrationStartsOverAndALostMasterStopsRetries) {
  std::vector<TaskStatus> tasks{task("a")};
  CoreHarness h(withReconcile(&tasks));
  h.detect();
  h.registered();
  h.clear();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  EXPECT_FALSE(h.armed(Timer::kReconcile).has_value());
  // An update while away counts for nothing: the next registration asks anew.
  tasks.push_back(task("b"));
  h.advance(seconds(120));  // Reconnects and registers again (retries ignored).
  EXPECT_EQ(0u, h.calls<Reconcile>().size());
  internal::FrameworkReregisteredMessage m;
  m.mutable_framework_id()->set_value("framework-1");
  m.mutable_master_info()->set_id("master-id");
  m.mutable_master_info()->set_ip(kMaster.ip);
  m.mutable_master_info()->set_port(kMaster.port);
  h.receive(kMaster, m);
  auto reconciles = h.calls<Reconcile>();
  ASSERT_EQ(1u, reconciles.size());
  EXPECT_EQ((std::set<std::string>{"a", "b"}), ids(reconciles[0].statuses));
}

TEST(CoreReconcileTest, LocalUpdatesAreNoAnswerAndStopEndsTheRetries) {
  std::vector<TaskStatus> tasks{task("a")};
  CoreHarness h(withReconcile(&tasks));
  h.detect();
  h.registered();
  ASSERT_TRUE(h.armed(Timer::kReconcile).has_value());
  h.input([](DriverCore& c, Time t) { c.stop(t, /*failover=*/true); });
  EXPECT_FALSE(h.armed(Timer::kReconcile).has_value());
  EXPECT_TRUE(h.callbacksOf<ReconcileDone>().empty());
}

TEST(CoreReconcileTest, WithNoTasksTheSignalFollowsTheRegisteredCallback) {
  std::vector<TaskStatus> none;
  CoreHarness h(withReconcile(&none));
  h.detect();
  h.registered();
  ASSERT_EQ(2u, h.callbacks.size());
  EXPECT_TRUE(std::holds_alternative<Registered>(h.callbacks[0]));
  EXPECT_TRUE(std::holds_alternative<ReconcileDone>(h.callbacks[1]));
  auto reconciles = h.calls<Reconcile>();
  ASSERT_EQ(1u, reconciles.size());
  EXPECT_TRUE(reconciles[0].statuses.empty());
  EXPECT_FALSE(h.armed(Timer::kReconcile).has_value());
}

TEST(CoreReconcileTest, OffByDefault) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  EXPECT_TRUE(h.calls<Reconcile>().empty());
  EXPECT_TRUE(h.callbacksOf<ReconcileDone>().empty());
}

TEST(CoreReconcileTest, AThrowingTaskListReconcilesImplicitlyOnly) {
  Options o = CoreHarness::defaults();
  o.reconcile = Options::Reconcile{[]() -> std::vector<TaskStatus> { throw std::runtime_error("x"); },
                                   ReconcilePolicy{}};
  CoreHarness h(o);
  h.detect();
  h.registered();
  auto reconciles = h.calls<Reconcile>();
  ASSERT_EQ(1u, reconciles.size());
  EXPECT_TRUE(reconciles[0].statuses.empty());
  EXPECT_EQ(1u, h.callbacksOf<ReconcileDone>().size());
}

// ---- Starting afresh when the master removed the framework ---------------------

TEST(CoreStartFreshTest, ARemovedFrameworkRegistersAnewWithoutError) {
  for (const char* text : {"Framework has been removed",
                           "Completed framework attempted to re-register"}) {
    Options o = CoreHarness::defaults();
    o.framework.mutable_id()->set_value("old-id");
    o.startFreshWhenRemoved = true;
    CoreHarness h(o);
    h.detect();
    ASSERT_EQ(1u, h.calls<Subscribe>().size());
    EXPECT_EQ("old-id", h.calls<Subscribe>()[0].framework.id().value());
    h.clear();
    internal::FrameworkErrorMessage error;
    error.set_message(text);
    h.receive(kMaster, error);
    EXPECT_TRUE(h.aborts.empty()) << text;
    EXPECT_EQ(1, h.forgets) << text;
    auto subscribes = h.calls<Subscribe>();
    ASSERT_EQ(1u, subscribes.size()) << text;
    EXPECT_FALSE(subscribes[0].framework.has_id()) << text;
    EXPECT_FALSE(subscribes[0].force) << text;
    h.registered("new-id");
    EXPECT_EQ("new-id", h.core().framework().id().value());
    ASSERT_EQ(1u, h.callbacksOf<Registered>().size());
  }
}

TEST(CoreStartFreshTest, OtherErrorsAndTheDefaultPolicyAbort) {
  {
    Options o = CoreHarness::defaults();
    o.framework.mutable_id()->set_value("old-id");
    CoreHarness h(o);  // kError: as Mesos.
    h.detect();
    internal::FrameworkErrorMessage error;
    error.set_message("Framework has been removed");
    h.receive(kMaster, error);
    EXPECT_EQ(std::vector<std::string>{"Framework has been removed"}, h.aborts);
    EXPECT_EQ(0, h.forgets);
  }
  {
    Options o = CoreHarness::defaults();
    o.framework.mutable_id()->set_value("old-id");
    o.startFreshWhenRemoved = true;
    CoreHarness h(o);
    h.detect();
    internal::FrameworkErrorMessage error;
    error.set_message("Framework failed over");
    h.receive(kMaster, error);
    EXPECT_EQ(std::vector<std::string>{"Framework failed over"}, h.aborts);
    EXPECT_EQ(0, h.forgets);
  }
}

}  // namespace
}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
