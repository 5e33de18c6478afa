// Outbound calls (docs/protocol.md, "The wire" and "The driver's state
// machine"): every driver call puts exactly the expected message on the wire,
// in both dialects, and nothing while disconnected.
//
// "Nothing sent" is proven with a sentinel, never a fixed wait: after the call
// under test the test makes one that does send (a KILL), and once that arrives
// everything sent before it has arrived too (messages on one connection arrive in
// order), so absence can be checked at once.

#include <chrono>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "driver_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

constexpr char kAckName[] = "mesos.internal.StatusUpdateAcknowledgementMessage";
constexpr char kCallName[] = "mesos.scheduler.Call";
constexpr char kAgentPid[] = "slave(1)@127.0.0.1:5051";

MATCHER_P(EqualsProto, expected, "equals " + expected.ShortDebugString()) {
  return google::protobuf::util::MessageDifferencer::Equals(arg, expected);
}

// 16 bytes with a version-4 nibble, as a Mesos agent puts in a status update.
std::string uuidBytes(char fill) {
  std::string uuid(16, fill);
  uuid[6] = static_cast<char>(0x40 | (fill & 0x0f));
  uuid[8] = static_cast<char>(0x80 | (fill & 0x0f));
  return uuid;
}

// A task whose `data` holds a NUL byte, to prove bytes survive the encoding.
TaskInfo makeTask(const std::string& id) {
  TaskInfo task = testing::makeTask(id, "sleep 10");
  task.set_data(std::string("d\0ta", 4));
  return task;
}

Filters filters(double refuseSeconds) {
  Filters f;
  f.set_refuse_seconds(refuseSeconds);
  return f;
}

TaskStatus statusOf(const std::string& task, bool withSlave) {
  TaskStatus status;
  status.mutable_task_id()->set_value(task);
  status.set_state(TASK_RUNNING);
  if (withSlave) status.mutable_slave_id()->set_value(kAgentId);
  return status;
}

class CallsTest : public DriverTest, public ::testing::WithParamInterface<Dialect> {
 protected:
  bool legacy() const { return GetParam() == Dialect::kLegacy; }

  DriverConfig dialectConfig() { return config(GetParam()); }

  // Starts the driver and takes its registration request, without answering it.
  void startUnregistered(DriverConfig c) {
    start(std::move(c));
    scheduler_ = expectRegistration(GetParam());
  }

  // Answers the registration taken by startUnregistered() and waits for registered().
  void completeRegistration() {
    master_.registered(scheduler_, kFrameworkId);
    ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  }

  // The sentinel: a KILL of task "sentinel", waited for at the master.
  void sentinel() {
    ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("sentinel")));
    if (legacy()) {
      auto kill = master_.expect<internal::KillTaskMessage>();
      EXPECT_EQ("sentinel", kill.task_id().value());
    } else {
      Call kill = master_.expectCall(Call::KILL);
      EXPECT_EQ("sentinel", kill.kill().task_id().value());
    }
  }

  // Sends an agent-generated update for `task` and returns the status the
  // statusUpdate() callback saw.
  TaskStatus deliverUpdate(const std::string& task, const std::string& uuid) {
    const size_t before = sched_.count(Callback::kStatusUpdate);
    master_.send(scheduler_, agentUpdate(task, TASK_RUNNING, uuid, kAgentPid));
    std::optional<CallbackEvent> updated = sched_.wait(Callback::kStatusUpdate, before + 1);
    EXPECT_TRUE(updated) << "no statusUpdate() for " << task;
    return updated ? updated->status : TaskStatus();
  }

  // Waits for the acknowledgement of (kAgentId, `task`, `uuid`) in this dialect.
  void expectAck(const std::string& task, const std::string& uuid) {
    if (legacy()) {
      auto ack = master_.expect<internal::StatusUpdateAcknowledgementMessage>();
      EXPECT_EQ(kAgentId, ack.slave_id().value());
      EXPECT_EQ(kFrameworkId, ack.framework_id().value());
      EXPECT_EQ(task, ack.task_id().value());
      EXPECT_EQ(uuid, ack.uuid());
    } else {
      Call ack = master_.expectCall(Call::ACKNOWLEDGE);
      EXPECT_EQ(kFrameworkId, ack.framework_id().value());
      EXPECT_EQ(kAgentId, ack.acknowledge().slave_id().value());
      EXPECT_EQ(task, ack.acknowledge().task_id().value());
      EXPECT_EQ(uuid, ack.acknowledge().uuid());
    }
  }

  // Acknowledgements received (legacy) or not yet taken (Call); see untakenCalls().
  size_t acksReceived() {
    return legacy() ? master_.count(kAckName) : untakenCalls(Call::ACKNOWLEDGE);
  }
};

// ---- requestResources ---------------------------------------------------------

TEST_P(CallsTest, RequestResourcesSendsTheRequests) {
  startRegistered(GetParam());
  std::vector<Request> requests(2);
  requests[0].mutable_slave_id()->set_value(kAgentId);
  Resource* mem = requests[0].add_resources();
  mem->set_name("mem");
  mem->set_type(Value::SCALAR);
  mem->mutable_scalar()->set_value(64);
  *requests[1].add_resources() = *mem;
  ASSERT_EQ(DRIVER_RUNNING, driver_->requestResources(requests));

  if (legacy()) {
    auto message = master_.expect<internal::ResourceRequestMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.requests_size());
    EXPECT_THAT(message.requests(0), EqualsProto(requests[0]));
    EXPECT_THAT(message.requests(1), EqualsProto(requests[1]));
  } else {
    Call call = master_.expectCall(Call::REQUEST);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.request().requests_size());
    EXPECT_THAT(call.request().requests(0), EqualsProto(requests[0]));
    EXPECT_THAT(call.request().requests(1), EqualsProto(requests[1]));
  }
}

// ---- launchTasks / acceptOffers / declineOffer --------------------------------

TEST_P(CallsTest, LaunchTasksSendsAnAcceptWithOneLaunch) {
  startRegistered(GetParam());
  const std::vector<TaskInfo> tasks = {makeTask("t1"), makeTask("t2")};
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->launchTasks({offerId("o1"), offerId("o2")}, tasks, filters(7)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    EXPECT_EQ("o2", message.offer_ids(1).value());
    ASSERT_EQ(2, message.tasks_size());
    EXPECT_THAT(message.tasks(0), EqualsProto(tasks[0]));
    EXPECT_THAT(message.tasks(1), EqualsProto(tasks[1]));
    EXPECT_EQ(7, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    EXPECT_EQ("o2", call.accept().offer_ids(1).value());
    ASSERT_EQ(1, call.accept().operations_size());
    const Offer::Operation& launch = call.accept().operations(0);
    EXPECT_EQ(Offer::Operation::LAUNCH, launch.type());
    EXPECT_FALSE(launch.has_id());
    ASSERT_EQ(2, launch.launch().task_infos_size());
    EXPECT_THAT(launch.launch().task_infos(0), EqualsProto(tasks[0]));
    EXPECT_THAT(launch.launch().task_infos(1), EqualsProto(tasks[1]));
    EXPECT_EQ(7, call.accept().filters().refuse_seconds());
  }
}

TEST_P(CallsTest, SingleOfferLaunchTasksSendsTheSameAccept) {
  startRegistered(GetParam());
  const TaskInfo task = makeTask("t1");
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks(offerId("o1"), {task}, filters(3)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(1, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    ASSERT_EQ(1, message.tasks_size());
    EXPECT_THAT(message.tasks(0), EqualsProto(task));
    EXPECT_EQ(3, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(1, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    ASSERT_EQ(1, call.accept().operations_size());
    EXPECT_EQ(Offer::Operation::LAUNCH, call.accept().operations(0).type());
    ASSERT_EQ(1, call.accept().operations(0).launch().task_infos_size());
    EXPECT_THAT(call.accept().operations(0).launch().task_infos(0), EqualsProto(task));
    EXPECT_EQ(3, call.accept().filters().refuse_seconds());
  }
}

// An empty task list is still sent: as an ACCEPT with an empty LAUNCH (the master
// declines the offers with the filters), legacy as a LaunchTasksMessage without tasks.
TEST_P(CallsTest, LaunchTasksWithNoTasksSendsAnEmptyLaunch) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o1")}, {}, filters(11)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(1, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    EXPECT_EQ(0, message.tasks_size());
    EXPECT_EQ(11, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(1, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    ASSERT_EQ(1, call.accept().operations_size());
    EXPECT_EQ(Offer::Operation::LAUNCH, call.accept().operations(0).type());
    EXPECT_TRUE(call.accept().operations(0).has_launch());
    EXPECT_EQ(0, call.accept().operations(0).launch().task_infos_size());
    EXPECT_EQ(11, call.accept().filters().refuse_seconds());
  }
}

// Call: every operation as given. Legacy: only the LAUNCH tasks are expressible.
TEST_P(CallsTest, AcceptOffersSendsOperationsAndFilters) {
  startRegistered(GetParam());
  Offer::Operation reserve;
  reserve.set_type(Offer::Operation::RESERVE);
  Resource* cpus = reserve.mutable_reserve()->add_resources();
  cpus->set_name("cpus");
  cpus->set_type(Value::SCALAR);
  cpus->mutable_scalar()->set_value(1);
  Resource::ReservationInfo* reservation = cpus->add_reservations();
  reservation->set_type(Resource::ReservationInfo::DYNAMIC);
  reservation->set_role("web");
  Offer::Operation launch;
  launch.set_type(Offer::Operation::LAUNCH);
  *launch.mutable_launch()->add_task_infos() = makeTask("t1");
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->acceptOffers({offerId("o1"), offerId("o2")}, {reserve, launch}, filters(2)));

  if (legacy()) {
    // A LaunchTasksMessage cannot carry the RESERVE: the call is refused and
    // nothing is sent (a partial launch, or an empty one that the master would
    // read as a decline, is not what was asked). The revive is sent after it,
    // on the same connection.
    ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());
    master_.expect<internal::ReviveOffersMessage>();
    EXPECT_EQ(0u, master_.count("mesos.internal.LaunchTasksMessage"));
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    EXPECT_EQ("o2", call.accept().offer_ids(1).value());
    ASSERT_EQ(2, call.accept().operations_size());
    EXPECT_THAT(call.accept().operations(0), EqualsProto(reserve));
    EXPECT_THAT(call.accept().operations(1), EqualsProto(launch));
    EXPECT_EQ(2, call.accept().filters().refuse_seconds());
  }
}

TEST_P(CallsTest, DeclineOfferSendsADeclineWithFilters) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offerId("o1"), filters(42)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(1, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    EXPECT_EQ(0, message.tasks_size());
    EXPECT_EQ(42, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::DECLINE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(1, call.decline().offer_ids_size());
    EXPECT_EQ("o1", call.decline().offer_ids(0).value());
    EXPECT_EQ(42, call.decline().filters().refuse_seconds());
  }
}

// ---- killTask -----------------------------------------------------------------

TEST_P(CallsTest, KillTaskSendsAKill) {
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

// ---- reviveOffers / suppressOffers --------------------------------------------

TEST_P(CallsTest, ReviveOffersSendsAReviveWithoutRoles) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());

  if (legacy()) {
    auto message = master_.expect<internal::ReviveOffersMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    EXPECT_EQ(0, message.roles_size());
  } else {
    Call call = master_.expectCall(Call::REVIVE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_FALSE(call.has_revive()) << "as Mesos: no Revive part means all roles";
  }
}

TEST_P(CallsTest, ReviveOffersForRolesSendsAReviveWithThoseRoles) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers({"web", "batch"}));

  if (legacy()) {
    auto message = master_.expect<internal::ReviveOffersMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.roles_size());
    EXPECT_EQ("web", message.roles(0));
    EXPECT_EQ("batch", message.roles(1));
  } else {
    Call call = master_.expectCall(Call::REVIVE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.revive().roles_size());
    EXPECT_EQ("web", call.revive().roles(0));
    EXPECT_EQ("batch", call.revive().roles(1));
  }
}

TEST_P(CallsTest, ReviveAndSuppressWithAnEmptyRoleListSendNothing) {
  startRegistered(GetParam());
  EXPECT_EQ(DRIVER_RUNNING, driver_->reviveOffers(std::vector<std::string>{}));
  EXPECT_EQ(DRIVER_RUNNING, driver_->suppressOffers(std::vector<std::string>{}));
  sentinel();
  if (legacy()) {
    EXPECT_EQ(0u, master_.count("mesos.internal.ReviveOffersMessage"));
    EXPECT_EQ(0u, master_.count(kCallName));
  } else {
    EXPECT_EQ(0u, untakenCalls(Call::REVIVE));
    EXPECT_EQ(0u, untakenCalls(Call::SUPPRESS));
  }
}

TEST_P(CallsTest, SuppressOffersSendsASuppressWithoutRolesButNothingInLegacy) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->suppressOffers());

  if (legacy()) {
    sentinel();
    EXPECT_EQ(0u, master_.count(kCallName)) << "SUPPRESS has no legacy message";
  } else {
    Call call = master_.expectCall(Call::SUPPRESS);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_FALSE(call.has_suppress()) << "as Mesos: no Suppress part means all roles";
  }
}

TEST_P(CallsTest, SuppressOffersForRolesSendsASuppressWithThoseRolesButNothingInLegacy) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->suppressOffers({"web", "batch"}));

  if (legacy()) {
    sentinel();
    EXPECT_EQ(0u, master_.count(kCallName)) << "SUPPRESS has no legacy message";
  } else {
    Call call = master_.expectCall(Call::SUPPRESS);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.suppress().roles_size());
    EXPECT_EQ("web", call.suppress().roles(0));
    EXPECT_EQ("batch", call.suppress().roles(1));
  }
}

// ---- Acknowledgements ---------------------------------------------------------

TEST_P(CallsTest, ExplicitAcknowledgeSendsSlaveTaskAndUuid) {
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

TEST_P(CallsTest, ExplicitAcknowledgeOfAStatusWithoutUuidOrSlaveIdSendsNothing) {
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
TEST_P(CallsTest, ImplicitAcknowledgementIsSentOnlyAfterTheCallbackReturns) {
  startRegistered(GetParam());
  Latch entered;
  Latch release;
  sched_.on(Callback::kStatusUpdate, [&](SchedulerDriver*, const CallbackEvent&) {
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

TEST_P(CallsTest, FrameworkMessageForAnUnknownAgentGoesThroughTheMaster) {
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
TEST_P(CallsTest, FrameworkMessageGoesDirectlyToTheAgentOfALaunchedTask) {
  FakeMaster agent(0, "slave(1)");
  startRegistered(GetParam());
  sendOffers({makeOffer("o1")}, agent.address());
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o1")}, {makeTask("t1")}));
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

TEST_P(CallsTest, ExplicitReconciliationSendsTheTasks) {
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

TEST_P(CallsTest, ImplicitReconciliationSendsNoTasks) {
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

TEST_P(CallsTest, UpdateFrameworkSendsInfoSuppressedRolesAndConstraintsButNothingInLegacy) {
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
TEST_P(CallsTest, UpdateFrameworkWhileDisconnectedIsSentAfterTheNextRegistration) {
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

TEST_P(CallsTest, StopSendsTeardown) {
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
TEST_P(CallsTest, StopWithFailoverSendsNothing) {
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

TEST_P(CallsTest, AbortSendsDeactivateAndALaterStopStillSendsTeardown) {
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
TEST_P(CallsTest, LaunchWhileDisconnectedDeliversLocalTaskLost) {
  startUnregistered(dialectConfig());
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->launchTasks({offerId("o1")}, {makeTask("t1"), makeTask("t2")}));
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

TEST_P(CallsTest, LaunchWhileDisconnectedDeliversTaskDroppedToPartitionAwareFrameworks) {
  DriverConfig c = dialectConfig();
  c.framework.add_capabilities()->set_type(FrameworkInfo::Capability::PARTITION_AWARE);
  startUnregistered(c);
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o1")}, {makeTask("t1")}));
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
TEST_P(CallsTest, CallsWhileDisconnectedSendNothing) {
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
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o2")}, {makeTask("t2")}));
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

INSTANTIATE_TEST_SUITE_P(Dialects, CallsTest,
                         ::testing::Values(Dialect::kCall, Dialect::kLegacy),
                         [](const ::testing::TestParamInfo<Dialect>& info) {
                           return info.param == Dialect::kCall ? "Call" : "Legacy";
                         });

}  // namespace
}  // namespace testing
}  // namespace mesos
