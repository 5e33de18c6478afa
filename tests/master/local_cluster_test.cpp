// The simulated master (src/master) driven by the real driver:
// a LocalCluster started by each test with short intervals, a
// MesosSchedulerDriver per framework and a recording MockScheduler. Where only a
// hand-made message can show a behaviour, a RawFramework speaks the protocol
// directly. Every test ends by checking that /master/state is consistent.
//
// Waiting is always for an event with a deadline (Recorder::wait*, waitForState).
// Where a test must show that something does *not* happen, it either measures
// when the next event comes (filters) or uses a sentinel that is known to be
// processed after the call under test (a second framework's offers, an explicit
// reconciliation answered on the same connection).

#include <set>
#include <string>
#include <vector>

#include "master_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Dialect = DriverConfig::Dialect;
using Call = scheduler::Call;

class LocalClusterTest : public ClusterTest {
 protected:
  DriverConfig config(Recorder& recorder, const FrameworkInfo& info = frameworkInfo(),
                      Dialect dialect = Dialect::kCall, bool implicitAcks = true) {
    DriverConfig c;
    c.scheduler = recorder.scheduler();
    c.framework = info;
    c.master = cluster_->master();
    c.dialect = dialect;
    c.implicitAcknowledgements = implicitAcks;
    c.bindIp = "127.0.0.1";
    return c;
  }

  std::unique_ptr<MesosSchedulerDriver> startDriver(DriverConfig c) {
    auto driver = std::make_unique<MesosSchedulerDriver>(std::move(c));
    EXPECT_EQ(DRIVER_RUNNING, driver->start());
    return driver;
  }

  // Starts `driver_` for `sched_` and waits for registered().
  void startRegistered(const FrameworkInfo& info = frameworkInfo(), Dialect dialect = Dialect::kCall,
                       bool implicitAcks = true) {
    driver_ = startDriver(config(sched_, info, dialect, implicitAcks));
    ASSERT_TRUE(sched_.waitRegistered()) << "no registered()";
  }

  // The first offer (index >= from) of `recorder`, optionally from `agent`.
  Offer nextOffer(Recorder& recorder, size_t from = 0, const std::string& agent = "") {
    auto offer = recorder.waitOffer(from, [&](const Offer& o) {
      return agent.empty() || o.slave_id().value() == agent;
    });
    EXPECT_TRUE(offer.has_value()) << "no offer" << (agent.empty() ? "" : " from " + agent);
    return offer ? offer->offer : Offer();
  }

  void launch(const Offer& offer, const std::vector<TaskInfo>& tasks, Filters filters = refuseFor(0)) {
    ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offer.id()}, tasks, filters));
  }

  // Launches `task` on the first offer and waits until it is RUNNING.
  Offer launchRunning(const TaskInfo& taskOnAnyAgent, size_t from = 0) {
    Offer offer = nextOffer(sched_, from);
    TaskInfo task = taskOnAnyAgent;
    *task.mutable_slave_id() = offer.slave_id();
    launch(offer, {task});
    EXPECT_TRUE(sched_.waitState(task.task_id().value(), TASK_RUNNING).has_value());
    return offer;
  }

  std::string masterId() const { return str(state(), "id"); }

  bool taskForgotten(const std::string& task) {
    return waitForState(*cluster_, [&](const Struct& s) { return !findTask(s, task).has_value(); });
  }

  Recorder sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;  // Destroyed before sched_.
};

// ---- Both dialects --------------------------------------------------------------

class DialectTest : public LocalClusterTest, public ::testing::WithParamInterface<Dialect> {};

INSTANTIATE_TEST_SUITE_P(Dialects, DialectTest, ::testing::Values(Dialect::kCall, Dialect::kLegacy),
                         [](const ::testing::TestParamInfo<Dialect>& info) {
                           return info.param == Dialect::kCall ? "Call" : "Legacy";
                         });

TEST_P(DialectTest, RegistrationGivesFirstFrameworkIdAndMasterInfo) {
  startCluster();
  startRegistered(frameworkInfo(), GetParam());

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
}

TEST_P(DialectTest, LaunchedTaskGoesStartingRunningFinishedAndIsForgotten) {
  startCluster();
  startRegistered(frameworkInfo(), GetParam());
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

// Sent straight to the agent when the driver knows its pid from a launch,
// through the master otherwise; here no task ran on the agent, so via the master.
TEST_P(DialectTest, FrameworkMessageViaMasterIsEchoedByTheAgent) {
  startCluster(fastOptions(2));
  startRegistered(frameworkInfo(), GetParam());
  Offer offer = nextOffer(sched_);

  ExecutorID executor;
  executor.set_value("exec");
  ASSERT_EQ(DRIVER_RUNNING, driver_->sendFrameworkMessage(executor, offer.slave_id(), "via-master"));
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.messages().empty(); }));
  const auto message = sched_.messages().front();
  EXPECT_EQ("via-master", message.data);
  EXPECT_EQ("exec", message.executor.value());
  EXPECT_EQ(offer.slave_id().value(), message.slave.value());
}

// ---- Offers ---------------------------------------------------------------------

TEST_F(LocalClusterTest, OffersComeFromEveryAgent) {
  startCluster(fastOptions(3));
  startRegistered();
  ASSERT_TRUE(sched_.waitFor([&] {
    std::set<std::string> agents;
    for (const auto& o : sched_.offers()) agents.insert(o.offer.slave_id().value());
    return agents.size() == 3;
  }));

  const Struct s = state();
  std::map<std::string, std::string> pids;  // Agent id -> pid.
  for (const Struct& agent : structs(s, "slaves")) pids[str(agent, "id")] = str(agent, "pid");
  ASSERT_EQ(3u, pids.size());

  std::set<std::string> paths;
  for (const auto& timed : sched_.offers()) {
    const Offer& offer = timed.offer;
    SCOPED_TRACE(offer.ShortDebugString());
    EXPECT_EQ(sched_.frameworkId()->value(), offer.framework_id().value());
    EXPECT_THAT(offer.id().value(), StartsWith(str(s, "id") + "-O"));
    EXPECT_THAT(offer.slave_id().value(), StartsWith(str(s, "id") + "-S"));
    ASSERT_EQ(1u, pids.count(offer.slave_id().value()));
    // The agent's pid is `slave(N)@ip:port`; the offer's url names the same.
    const std::string& pid = pids[offer.slave_id().value()];
    EXPECT_THAT(pid, StartsWith("slave("));
    EXPECT_EQ(pid, offer.url().path().substr(1) + "@" + offer.url().address().ip() + ":" +
                       std::to_string(offer.url().address().port()));
    paths.insert(offer.url().path());
    double cpus = 0;
    for (const Resource& r : offer.resources()) {
      if (r.name() == "cpus") cpus += r.scalar().value();
    }
    EXPECT_DOUBLE_EQ(4, cpus);
  }
  EXPECT_EQ(std::set<std::string>({"/slave(1)", "/slave(2)", "/slave(3)"}), paths);
}

// ResourceOffersMessage.pids[i] is the UPID of offers[i]'s agent (the driver
// hides it, so a raw framework looks).
TEST_F(LocalClusterTest, OfferMessagePidsNameEachOffersAgent) {
  startCluster(fastOptions(3));
  RawFramework raw;
  raw.subscribe(masterPid());
  ASSERT_TRUE(waitUntil([&] {
    std::set<std::string> agents;
    for (const auto& m : raw.all<internal::ResourceOffersMessage>()) {
      for (const Offer& o : m.offers()) agents.insert(o.slave_id().value());
    }
    return agents.size() == 3;
  }));
  std::map<std::string, std::string> pids;
  for (const Struct& agent : structs(state(), "slaves")) pids[str(agent, "id")] = str(agent, "pid");
  std::set<std::string> seen;
  for (const auto& m : raw.all<internal::ResourceOffersMessage>()) {
    ASSERT_EQ(m.offers_size(), m.pids_size());
    for (int i = 0; i < m.offers_size(); ++i) {
      EXPECT_EQ(pids[m.offers(i).slave_id().value()], m.pids(i));
      seen.insert(m.pids(i).substr(0, m.pids(i).find('@')));
    }
  }
  EXPECT_EQ(std::set<std::string>({"slave(1)", "slave(2)", "slave(3)"}), seen);
}

TEST_F(LocalClusterTest, DeclineFiltersTheAgentForRefuseSeconds) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto declined = Clock::now();
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(0.3)));

  auto again = sched_.waitOffer(before);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(offer.slave_id().value(), again->offer.slave_id().value());
  EXPECT_NE(offer.id().value(), again->offer.id().value());
  const long long waited = millisSince(declined, again->at);
  EXPECT_GE(waited, 300) << "offered again inside the 0.3 s filter";
  EXPECT_LT(waited, 2300) << "the filter outlived its 0.3 s";
}

TEST_F(LocalClusterTest, DeclineWithoutFiltersRefusesForFiveSeconds) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto declined = Clock::now();
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id()));  // Filters(): 5 s.

  auto again = sched_.waitOffer(before, {}, Millis(15000));
  ASSERT_TRUE(again.has_value());
  const long long waited = millisSince(declined, again->at);
  EXPECT_GE(waited, 5000) << "offered again inside the default 5 s filter";
  EXPECT_LT(waited, 8000);
}

// What an ACCEPT leaves unused is declined with the call's filters, and a
// negative refuse_seconds means the default 5 s (as for DECLINE).
TEST_F(LocalClusterTest, AcceptWithNegativeRefuseSecondsFiltersLeftoversForFiveSeconds) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto accepted = Clock::now();
  launch(offer, {commandTask("t", offer.slave_id(), "sleep 30")}, refuseFor(-1));
  auto again = sched_.waitOffer(before, {}, Millis(15000));
  ASSERT_TRUE(again.has_value());
  const long long waited = millisSince(accepted, again->at);
  if (waited < 4000) {
    FAIL() << "master regression: leftovers of an ACCEPT with refuse_seconds=-1 were offered again "
                 << waited << " ms later (no filter instead of the default 5 s)";
  }
  EXPECT_GE(waited, 5000);
  EXPECT_LT(waited, 8000);
}

TEST_F(LocalClusterTest, ReviveClearsFilters) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto declined = Clock::now();
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(3600)));
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());

  auto again = sched_.waitOffer(before);
  ASSERT_TRUE(again.has_value()) << "revive did not clear the one-hour filter";
  EXPECT_EQ(offer.slave_id().value(), again->offer.slave_id().value());
  EXPECT_LT(millisSince(declined, again->at), 5000);
}

// While A is suppressed, B (declining everything at once) keeps getting the
// agent; A gets nothing until it revives.
TEST_F(LocalClusterTest, SuppressStopsOffersAndReviveResumes) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  ASSERT_EQ(DRIVER_RUNNING, driver_->suppressOffers());
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(0)));
  // The decline (sent after the suppress) has been processed once A holds no offer.
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
  auto driverB = startDriver(config(other, frameworkInfo("other")));
  ASSERT_TRUE(other.waitFor([&] { return other.offers().size() >= 6; }))
      << "the other framework stopped getting offers";
  EXPECT_EQ(aOffers, sched_.offerCount()) << "a suppressed framework got offers";

  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());
  EXPECT_TRUE(sched_.waitOffer(aOffers).has_value()) << "revive did not resume offers";
}

TEST_F(LocalClusterTest, OfferTimeoutRescindsTheOffer) {
  LocalClusterOptions options = fastOptions();
  options.offerTimeout = Millis(200);
  startCluster(options);
  const auto started = Clock::now();  // Before the first offer was made.
  startRegistered();
  auto first = sched_.waitOffer(0);
  ASSERT_TRUE(first.has_value());
  const std::string id = first->offer.id().value();

  ASSERT_TRUE(sched_.waitFor([&] {
    auto r = sched_.rescinded();
    return std::find(r.begin(), r.end(), id) != r.end();
  }));
  EXPECT_GE(millisSince(started, sched_.rescindedAt(id)), 200);
  EXPECT_LT(millisSince(first->at, sched_.rescindedAt(id)), 3000);
  // The resources come back in a new offer.
  auto again = sched_.waitOffer(1);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(id, again->offer.id().value());
}

TEST_F(LocalClusterTest, TwoFrameworksShareTheCluster) {
  startCluster(fastOptions(2));
  auto decliner = [](SchedulerDriver* d, const std::vector<Offer>& offers) {
    for (const Offer& o : offers) d->declineOffer(o.id(), refuseFor(0.05));
  };
  sched_.onOffers = decliner;
  Recorder other;
  other.onOffers = decliner;
  startRegistered();
  auto driverB = startDriver(config(other, frameworkInfo("other")));
  ASSERT_TRUE(other.waitRegistered());

  ASSERT_TRUE(sched_.waitFor([&] { return sched_.offers().size() >= 3; }));
  ASSERT_TRUE(other.waitFor([&] { return other.offers().size() >= 3; }));
  const std::string a = sched_.frameworkId()->value();
  const std::string b = other.frameworkId()->value();
  EXPECT_EQ(masterId() + "-0000", a);
  EXPECT_EQ(masterId() + "-0001", b);
  for (const auto& o : sched_.offers()) EXPECT_EQ(a, o.offer.framework_id().value());
  for (const auto& o : other.offers()) EXPECT_EQ(b, o.offer.framework_id().value());
  EXPECT_EQ(2u, structs(state(), "frameworks").size());
}

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

// ---- Framework lifecycle --------------------------------------------------------

TEST_F(LocalClusterTest, StopTearsTheFrameworkDown) {
  startCluster();
  startRegistered();
  launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const std::string id = sched_.frameworkId()->value();
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    return findFramework(s, id, "completed_frameworks").has_value();
  })) << "not in completed_frameworks";
  const Struct s = state();
  EXPECT_FALSE(findFramework(s, id).has_value()) << "still in frameworks";
  EXPECT_FALSE(findTask(s, "t").has_value());
  EXPECT_EQ(0, num(sub(structs(s, "slaves")[0], "used_resources"), "cpus"));
}

TEST_F(LocalClusterTest, SecondSchedulerWithSameIdTakesOver) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(10);
  startRegistered(info);
  const std::string id = sched_.frameworkId()->value();
  const std::string pidA = str(*findFramework(state(), id), "pid");

  Recorder b;
  info.mutable_id()->set_value(id);
  auto driverB = startDriver(config(b, info));
  ASSERT_TRUE(b.waitRegistered());
  EXPECT_EQ(id, b.frameworkId()->value());
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.errors().empty(); }));
  EXPECT_EQ(std::vector<std::string>({"Framework failed over"}), sched_.errors());
  EXPECT_TRUE(b.errors().empty());

  auto framework = findFramework(state(), id);
  ASSERT_TRUE(framework.has_value());
  EXPECT_NE(pidA, str(*framework, "pid"));
  EXPECT_TRUE(field(*framework, "connected")->bool_value());
  // B gets the offers now.
  EXPECT_TRUE(b.waitOffer(0).has_value());
}

TEST_F(LocalClusterTest, SchedulerExitWithZeroFailoverTimeoutRemovesTheFramework) {
  startCluster();
  startRegistered();  // failover_timeout unset: 0.
  const std::string id = sched_.frameworkId()->value();
  driver_.reset();  // No stop(): the master only sees the link break.
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    return findFramework(s, id, "completed_frameworks").has_value() && !findFramework(s, id);
  }));
}

TEST_F(LocalClusterTest, SchedulerExitWithFailoverTimeoutKeepsTheFrameworkDisconnected) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  startRegistered(info);
  const std::string id = sched_.frameworkId()->value();
  driver_.reset();
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto f = findFramework(s, id);
    return f && !field(*f, "connected")->bool_value();
  }));
  auto f = findFramework(state(), id);
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(field(*f, "active")->bool_value());
  EXPECT_TRUE(structs(*f, "offers").empty()) << "a disconnected framework holds offers";
}

// ---- /master/state --------------------------------------------------------------

TEST_F(LocalClusterTest, StateJsonDescribesAgentsFrameworksTasksAndOffers) {
  startCluster(fastOptions(2));
  startRegistered();
  Offer offer = launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const std::string id = sched_.frameworkId()->value();
  // The task's leftovers are offered again: two outstanding offers.
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto f = findFramework(s, id);
    return f && structs(*f, "offers").size() == 2;
  }));
  const Struct s = state();
  EXPECT_EQ(cluster_->master(), str(s, "leader"));
  EXPECT_EQ(sched_.masterInfo().id(), str(s, "id"));

  std::set<std::string> agents;
  for (const Struct& a : structs(s, "slaves")) agents.insert(str(a, "id"));
  EXPECT_EQ(2u, agents.size());

  auto f = findFramework(s, id);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ("local-cluster-test", str(*f, "name"));
  const auto tasks = structs(*f, "tasks");
  ASSERT_EQ(1u, tasks.size());
  EXPECT_EQ("t", str(tasks[0], "id"));
  EXPECT_EQ("TASK_RUNNING", str(tasks[0], "state"));
  EXPECT_EQ(offer.slave_id().value(), str(tasks[0], "slave_id"));
  EXPECT_DOUBLE_EQ(0.5, num(sub(tasks[0], "resources"), "cpus"));

  std::set<std::string> received;
  for (const auto& o : sched_.offers()) received.insert(o.offer.id().value());
  std::set<std::string> offerAgents;
  for (const Struct& o : structs(*f, "offers")) {
    EXPECT_EQ(1u, received.count(str(o, "id"))) << "state lists an offer the framework never got";
    EXPECT_NE(offer.id().value(), str(o, "id")) << "the used offer is still listed";
    offerAgents.insert(str(o, "slave_id"));
  }
  EXPECT_EQ(agents, offerAgents);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
