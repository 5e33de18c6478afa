// The simulated master given input no driver produces, from a raw transport
// process (RawFramework) that subscribes with a SUBSCRIBE Call and then sends
// hand-made messages: absurd resources, huge launches, malformed bodies, calls
// from the wrong process or before registration. The master must answer what
// docs/protocol.md ("Master behaviours") says it answers, drop the rest, never
// crash, and keep a consistent /master/state (checked after every test by
// ClusterTest::TearDown).
//
// "Dropped" is shown with a sentinel: an explicit RECONCILE sent afterwards on
// the same connection. Its answer proves the master processed everything sent
// before it, so anything those messages would have caused has already arrived.

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "master_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using Call = scheduler::Call;
using internal::StatusUpdateMessage;

constexpr char kCallName[] = "mesos.scheduler.Call";
constexpr char kErrorName[] = "mesos.internal.FrameworkErrorMessage";

class BadInputTest : public ClusterTest {
 protected:
  // Starts the cluster, subscribes `raw_` and returns its first offer.
  Offer subscribedWithOffer(const LocalClusterOptions& options = fastOptions()) {
    startCluster(options);
    if (!cluster_) return Offer();
    raw_.subscribe(masterPid());
    auto offer = raw_.waitOffer();
    EXPECT_TRUE(offer.has_value()) << "no offer";
    return offer ? *offer : Offer();
  }

  // The updates of `task` received so far.
  std::vector<internal::StatusUpdate> updatesOf(const std::string& task) {
    auto all = raw_.updates();
    return all.count(task) ? all[task] : std::vector<internal::StatusUpdate>();
  }

  bool frameworkConnected(const std::string& id) {
    auto f = findFramework(state(), id);
    return f && field(*f, "connected")->bool_value() && field(*f, "active")->bool_value();
  }

  RawFramework raw_;  // Destroyed before the cluster (a base-class member).
};

// ---- Absurd resources -----------------------------------------------------------

class BadCpusTest : public BadInputTest, public ::testing::WithParamInterface<double> {};

INSTANTIATE_TEST_SUITE_P(Values, BadCpusTest,
                         ::testing::Values(-1.0, std::numeric_limits<double>::quiet_NaN(), 1e300,
                                           std::numeric_limits<double>::infinity()),
                         [](const ::testing::TestParamInfo<double>& info) -> std::string {
                           if (std::isnan(info.param)) return "NaN";
                           if (std::isinf(info.param)) return "Infinity";
                           return info.param < 0 ? "Negative" : "Huge";
                         });

TEST_P(BadCpusTest, LaunchIsTaskError) {
  const Offer offer = subscribedWithOffer();
  raw_.launch(masterPid(), offer.id(), {commandTask("bad", offer.slave_id(), "sleep 30", GetParam())});

  auto update = raw_.waitFor<StatusUpdateMessage>(
      [](const StatusUpdateMessage& m) { return m.update().status().task_id().value() == "bad"; });
  ASSERT_TRUE(update.has_value()) << "no answer to the launch";
  const TaskStatus& status = update->update().status();
  EXPECT_EQ(TASK_ERROR, status.state()) << status.message();
  EXPECT_EQ(TaskStatus::REASON_TASK_INVALID, status.reason());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, status.source());
  EXPECT_FALSE(update->update().has_uuid());
  EXPECT_EQ("@0.0.0.0:0", update->pid());

  ASSERT_TRUE(raw_.reconcileSentinel(masterPid(), "sentinel"));
  EXPECT_EQ(1u, updatesOf("bad").size()) << "the invalid task was launched after all";
  EXPECT_FALSE(findTask(state(), "bad").has_value());
}

// ---- A huge launch --------------------------------------------------------------

TEST_F(BadInputTest, TenThousandTasksInOneAcceptEachGetAnAnswer) {
  const Offer offer = subscribedWithOffer();
  constexpr size_t kTasks = 10000;
  std::vector<TaskInfo> tasks;
  tasks.reserve(kTasks);
  for (size_t i = 0; i < kTasks; ++i) {
    tasks.push_back(executorTask("t" + std::to_string(i), offer.slave_id(), "exec", 0.1));
  }
  raw_.launch(masterPid(), offer.id(), tasks);

  ASSERT_TRUE(raw_.waitUpdatedTasks(kTasks, Millis(60000)))
      << "only " << raw_.updatedTasks() << " of " << kTasks << " tasks got an answer";
  size_t launched = 0;
  size_t errors = 0;
  for (const auto& entry : raw_.updates()) {
    const TaskStatus& first = entry.second.front().status();
    if (first.state() == TASK_ERROR) {
      EXPECT_EQ(TaskStatus::REASON_TASK_INVALID, first.reason());
      ++errors;
    } else {
      EXPECT_EQ(TASK_STARTING, first.state()) << entry.first;
      ++launched;
    }
  }
  EXPECT_EQ(kTasks, launched + errors);
  // 4 cpus / 0.1: at most 40 fit.
  EXPECT_GE(launched, 1u);
  EXPECT_LE(launched, 40u);

  // The master still answers.
  auto answer = raw_.reconcileSentinel(masterPid(), "after");
  ASSERT_TRUE(answer.has_value()) << "no answer to a reconcile after the huge launch";
  EXPECT_EQ(TASK_LOST, answer->update().status().state());
  size_t listed = 0;
  for (const Struct& f : structs(state(), "frameworks")) listed += structs(f, "tasks").size();
  EXPECT_EQ(launched, listed);
}

// ---- Malformed messages ---------------------------------------------------------

TEST_F(BadInputTest, MalformedCallBodiesAreDropped) {
  const Offer offer = subscribedWithOffer();
  const std::string id = raw_.frameworkId();

  // Not protobuf at all.
  raw_.sendRaw(masterPid(), kCallName, std::string("\xff\xff\xff\xff\xff\xff", 6));
  // A length prefix running past the end.
  raw_.sendRaw(masterPid(), kCallName, std::string("\x0a\x7f\x0a", 3));
  // A TEARDOWN cut short (would remove the framework if it parsed).
  Call teardown = raw_.call(Call::TEARDOWN);
  std::string body = teardown.SerializeAsString();
  raw_.sendRaw(masterPid(), kCallName, body.substr(0, body.size() - 1));
  // A KILL whose required task_id is missing (would answer TASK_LOST).
  Call kill = raw_.call(Call::KILL);
  kill.mutable_kill();
  body.clear();
  kill.SerializePartialToString(&body);
  raw_.sendRaw(masterPid(), kCallName, body);
  // A Call without a type.
  Call untyped;
  untyped.mutable_framework_id()->set_value(id);
  raw_.send(masterPid(), untyped);
  // A malformed ACCEPT in the legacy dialect.
  raw_.sendRaw(masterPid(), "mesos.internal.LaunchTasksMessage", std::string("\x0a\xff", 2));

  ASSERT_TRUE(raw_.reconcileSentinel(masterPid(), "sentinel")) << "the master stopped answering";
  EXPECT_EQ(1u, raw_.updatedTasks()) << "a malformed call had an effect";
  EXPECT_EQ(0u, raw_.count(kErrorName));
  EXPECT_TRUE(frameworkConnected(id));
  // The offer is still usable.
  raw_.launch(masterPid(), offer.id(), {commandTask("ok", offer.slave_id())});
  auto started = raw_.waitFor<StatusUpdateMessage>([](const StatusUpdateMessage& m) {
    return m.update().status().task_id().value() == "ok";
  });
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(TASK_STARTING, started->update().status().state());
}

// Protobufs are parsed strictly; a SUBSCRIBE missing a required field
// (FrameworkInfo.user) registers nothing.
TEST_F(BadInputTest, SubscribeMissingARequiredFieldIsDropped) {
  startCluster();
  Call subscribe;
  subscribe.set_type(Call::SUBSCRIBE);
  subscribe.mutable_subscribe()->mutable_framework_info()->set_name("no user");
  std::string body;
  subscribe.SerializePartialToString(&body);
  raw_.sendRaw(masterPid(), kCallName, body);
  const std::string id = raw_.subscribe(masterPid());
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(raw_.reconcileSentinel(masterPid(), "sentinel"));
  EXPECT_EQ(1u, raw_.count("mesos.internal.FrameworkRegisteredMessage"));
  EXPECT_EQ(1u, structs(state(), "frameworks").size());
  EXPECT_EQ("raw", str(structs(state(), "frameworks")[0], "name"));
}

// The sub-message matching the type must be present; a RECONCILE without
// `reconcile` is dropped (not taken for an implicit reconciliation).
TEST_F(BadInputTest, CallWithoutItsSubMessageIsDropped) {
  const Offer offer = subscribedWithOffer();
  raw_.launch(masterPid(), offer.id(), {commandTask("live", offer.slave_id(), "sleep 30")});
  ASSERT_TRUE(raw_.waitFor<StatusUpdateMessage>([](const StatusUpdateMessage& m) {
    return m.update().status().task_id().value() == "live";
  }));
  raw_.send(masterPid(), raw_.call(Call::RECONCILE));  // No `reconcile`.
  ASSERT_TRUE(raw_.reconcileSentinel(masterPid(), "sentinel"));
  size_t answers = 0;
  for (const auto& update : updatesOf("live")) {
    answers += update.status().reason() == TaskStatus::REASON_RECONCILIATION;
  }
  if (answers > 0) {
    FAIL() << "master regression: a RECONCILE Call without 'reconcile' was processed as an "
                    "implicit reconciliation (it must be dropped)";
  }
  EXPECT_EQ(0u, answers);
}

// An ACKNOWLEDGE whose uuid is not a valid UUID is dropped, so the agent
// resends the update.
TEST_F(BadInputTest, AcknowledgementWithInvalidUuidIsDropped) {
  const Offer offer = subscribedWithOffer();
  raw_.launch(masterPid(), offer.id(), {commandTask("t", offer.slave_id(), "sleep 30")});
  auto starting = raw_.waitFor<StatusUpdateMessage>([](const StatusUpdateMessage& m) {
    return m.update().status().task_id().value() == "t";
  });
  ASSERT_TRUE(starting.has_value());
  ASSERT_EQ(TASK_STARTING, starting->update().status().state());

  Call ack = raw_.call(Call::ACKNOWLEDGE);
  *ack.mutable_acknowledge()->mutable_slave_id() = offer.slave_id();
  ack.mutable_acknowledge()->mutable_task_id()->set_value("t");
  std::string uuid = starting->update().uuid();
  uuid[6] = static_cast<char>(uuid[6] & 0x0f);  // Version nibble 0: not a UUID.
  ack.mutable_acknowledge()->set_uuid(uuid);
  raw_.send(masterPid(), ack);
  ack.mutable_acknowledge()->set_uuid("short");
  raw_.send(masterPid(), ack);

  // STARTING comes again (not acknowledged); RUNNING never came before it.
  ASSERT_TRUE(waitUntil([&] { return updatesOf("t").size() >= 2; }));
  const auto updates = updatesOf("t");
  EXPECT_EQ(TASK_STARTING, updates[1].status().state());
  EXPECT_EQ(starting->update().uuid(), updates[1].uuid());

  // A valid acknowledgement moves the stream on.
  ack.mutable_acknowledge()->set_uuid(starting->update().uuid());
  raw_.send(masterPid(), ack);
  EXPECT_TRUE(waitUntil([&] {
    for (const auto& u : updatesOf("t")) {
      if (u.status().state() == TASK_RUNNING) return true;
    }
    return false;
  }));
}

// ---- Calls from the wrong process -----------------------------------------------

// Before a framework exists, calls naming it are dropped without an error.
TEST_F(BadInputTest, CallsBeforeRegistrationAreDropped) {
  startCluster();
  const std::string predicted = str(state(), "id") + "-0000";
  for (const std::string& framework : {predicted, std::string("no-such-framework")}) {
    Call kill;
    kill.set_type(Call::KILL);
    kill.mutable_framework_id()->set_value(framework);
    kill.mutable_kill()->mutable_task_id()->set_value("early");
    raw_.send(masterPid(), kill);
    Call teardown;
    teardown.set_type(Call::TEARDOWN);
    teardown.mutable_framework_id()->set_value(framework);
    raw_.send(masterPid(), teardown);
  }
  const std::string id = raw_.subscribe(masterPid());
  EXPECT_EQ(predicted, id);
  ASSERT_TRUE(raw_.reconcileSentinel(masterPid(), "sentinel"));
  EXPECT_TRUE(updatesOf("early").empty()) << "a KILL sent before registration was answered";
  EXPECT_EQ(0u, raw_.count(kErrorName));
  EXPECT_TRUE(frameworkConnected(id));
}

// A call naming a framework but sent by another process is ignored.
TEST_F(BadInputTest, CallFromAnotherPidIsIgnored) {
  const Offer offer = subscribedWithOffer();
  const std::string victim = raw_.frameworkId();
  // A built-in executor task: a kill would end it at once (no process to wait for).
  raw_.launch(masterPid(), offer.id(), {executorTask("victim", offer.slave_id())});
  ASSERT_TRUE(raw_.waitFor<StatusUpdateMessage>([](const StatusUpdateMessage& m) {
    return m.update().status().task_id().value() == "victim";
  }));

  RawFramework intruder("scheduler(2)");
  const std::string own = intruder.subscribe(masterPid(), frameworkInfo("intruder"));
  ASSERT_NE(victim, own);
  ASSERT_NE(raw_.pid(), intruder.pid());
  Call kill;
  kill.set_type(Call::KILL);
  kill.mutable_framework_id()->set_value(victim);
  kill.mutable_kill()->mutable_task_id()->set_value("victim");
  intruder.send(masterPid(), kill);
  Call reconcile;
  reconcile.set_type(Call::RECONCILE);
  reconcile.mutable_framework_id()->set_value(victim);
  reconcile.mutable_reconcile();
  intruder.send(masterPid(), reconcile);
  Call teardown;
  teardown.set_type(Call::TEARDOWN);
  teardown.mutable_framework_id()->set_value(victim);
  intruder.send(masterPid(), teardown);
  // Its own reconciliation is answered: everything before it was processed.
  ASSERT_TRUE(intruder.reconcileSentinel(masterPid(), "sentinel"));

  auto task = findTask(state(), "victim");
  ASSERT_TRUE(task.has_value()) << "the intruder removed the framework or its task";
  EXPECT_NE("TASK_KILLED", str(*task, "state"));
  EXPECT_TRUE(frameworkConnected(victim));
  EXPECT_EQ(1u, intruder.count("mesos.internal.StatusUpdateMessage"))
      << "the intruder got answers about another framework's task";
  EXPECT_EQ(0u, intruder.count(kErrorName));
  EXPECT_EQ(0u, raw_.count(kErrorName));
}

// A KILL whose slave_id names another agent than the task's is ignored.
TEST_F(BadInputTest, KillNamingTheWrongAgentIsIgnored) {
  startCluster(fastOptions(2));
  raw_.subscribe(masterPid());
  std::optional<internal::ResourceOffersMessage> offers = raw_.waitFor<internal::ResourceOffersMessage>(
      [](const internal::ResourceOffersMessage& m) { return m.offers_size() == 2; });
  ASSERT_TRUE(offers.has_value()) << "no message with offers from both agents";
  const Offer& offer = offers->offers(0);
  const SlaveID other = offers->offers(1).slave_id();
  // A built-in executor task: a kill would end it at once (no process to wait for).
  raw_.launch(masterPid(), offer.id(), {executorTask("victim", offer.slave_id())});
  ASSERT_TRUE(raw_.waitFor<StatusUpdateMessage>([](const StatusUpdateMessage& m) {
    return m.update().status().task_id().value() == "victim";
  }));

  Call kill = raw_.call(Call::KILL);
  kill.mutable_kill()->mutable_task_id()->set_value("victim");
  *kill.mutable_kill()->mutable_slave_id() = other;
  raw_.send(masterPid(), kill);
  ASSERT_TRUE(raw_.reconcileSentinel(masterPid(), "sentinel"));

  auto task = findTask(state(), "victim");
  ASSERT_TRUE(task.has_value());
  if (str(*task, "state") == "TASK_KILLED") {
    FAIL() << "master regression: KILL with a slave_id other than the task's agent killed the "
                    "task (it must be ignored); SimulatedMaster::kill ignores kill.slave_id";
  }
  EXPECT_EQ("TASK_RUNNING", str(*task, "state"));
}

// ---- Legacy registration refusals -----------------------------------------------

TEST_F(BadInputTest, RegisterFrameworkMessageWithIdIsRefused) {
  startCluster();
  internal::RegisterFrameworkMessage registration;
  *registration.mutable_framework() = frameworkInfo("with-id");
  registration.mutable_framework()->mutable_id()->set_value("chosen-by-me");
  raw_.send(masterPid(), registration);
  auto error = raw_.waitFor<internal::FrameworkErrorMessage>();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ("Registering with 'id' already set", error->message());
  EXPECT_EQ(0u, raw_.count("mesos.internal.FrameworkRegisteredMessage"));
  EXPECT_TRUE(structs(state(), "frameworks").empty());
}

TEST_F(BadInputTest, ReregisterFrameworkMessageWithoutIdIsRefused) {
  startCluster();
  internal::ReregisterFrameworkMessage registration;
  *registration.mutable_framework() = frameworkInfo("without-id");
  registration.set_failover(false);
  raw_.send(masterPid(), registration);
  auto error = raw_.waitFor<internal::FrameworkErrorMessage>();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ("Re-registering without an 'id'", error->message());
  EXPECT_TRUE(structs(state(), "frameworks").empty());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
