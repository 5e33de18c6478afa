// Inbound messages: guards, callbacks and bad input (docs/protocol.md, "The
// driver's state machine").

#include <fstream>
#include <set>
#include <utility>
#include <sstream>

#include "driver_test_util.hpp"
#include "process/decoder.hpp"
#include "process/route.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;

constexpr char kAgentPid[] = "slave(1)@127.0.0.1:5051";

std::string uuidBytes(char fill) {
  std::string uuid(16, fill);
  uuid[6] = 0x41;  // Version 4.
  return uuid;
}

TEST_F(DriverTest, OffersReachResourceOffers) {
  startRegistered();
  internal::ResourceOffersMessage message;
  *message.add_offers() = makeOffer("o1");
  *message.add_offers() = makeOffer("o2");
  message.add_pids(kAgentPid);
  message.add_pids(kAgentPid);
  master_.send(scheduler_, message);
  std::optional<CallbackEvent> received = sched_.wait(Callback::kResourceOffers);
  ASSERT_TRUE(received);
  const std::vector<Offer>& offers = received->offers;
  ASSERT_EQ(2u, offers.size());
  EXPECT_EQ("o1", offers[0].id().value());
  EXPECT_EQ("o2", offers[1].id().value());
  EXPECT_EQ(3, offers[0].resources_size());
}

TEST_F(DriverTest, EmptyOffersMessageMakesNoCallback) {
  startRegistered();
  internal::ResourceOffersMessage empty;
  master_.send(scheduler_, empty);
  // The next real offer is the first resourceOffers() call.
  internal::ResourceOffersMessage message;
  *message.add_offers() = makeOffer("real");
  message.add_pids(kAgentPid);
  master_.send(scheduler_, message);
  std::optional<CallbackEvent> received = sched_.wait(Callback::kResourceOffers);
  ASSERT_TRUE(received);
  EXPECT_EQ("real", received->offers.at(0).id().value());
}

TEST_F(DriverTest, SpoofedOffersAndUpdatesFromAnotherPortAreIgnored) {
  startRegistered();
  // Were the impostor obeyed, its offer and update would be the first
  // callbacks, and the checks below would see them.
  FakeMaster impostor;  // Also calls itself "master", on another port.
  internal::ResourceOffersMessage spoofedOffer;
  *spoofedOffer.add_offers() = makeOffer("spoofed");
  spoofedOffer.add_pids(kAgentPid);
  impostor.send(scheduler_, spoofedOffer);
  impostor.send(scheduler_, agentUpdate("t-spoofed", TASK_RUNNING, uuidBytes('s'), kAgentPid));
  // A marker on the impostor's connection: executor messages are accepted from
  // any sender (the sender table in src/sched/scheduler_process.hpp), so its
  // callback proves the two above were handled.
  internal::ExecutorToFrameworkMessage marker;
  marker.mutable_slave_id()->set_value(kAgentId);
  marker.mutable_framework_id()->set_value(kFrameworkId);
  marker.mutable_executor_id()->set_value("exec");
  marker.set_data("impostor-done");
  impostor.sendAs("slave(1)", scheduler_, marker);
  ASSERT_TRUE(sched_.wait(Callback::kFrameworkMessage,
                          [](const CallbackEvent& e) { return e.data == "impostor-done"; }));

  // The real update and the real offer are the first (and only) such callbacks.
  master_.send(scheduler_, agentUpdate("t-real", TASK_RUNNING, uuidBytes('r'), kAgentPid));
  std::optional<CallbackEvent> updated = sched_.wait(Callback::kStatusUpdate);
  ASSERT_TRUE(updated);
  EXPECT_EQ("t-real", updated->status.task_id().value());
  internal::ResourceOffersMessage real;
  *real.add_offers() = makeOffer("real");
  real.add_pids(kAgentPid);
  master_.send(scheduler_, real);
  std::optional<CallbackEvent> received = sched_.wait(Callback::kResourceOffers);
  ASSERT_TRUE(received);
  ASSERT_EQ(1u, received->offers.size());
  EXPECT_EQ("real", received->offers[0].id().value());

  // Only the real update was acknowledged: its ack is the first one.
  Call ack = master_.expectCall(Call::ACKNOWLEDGE);
  EXPECT_EQ("t-real", ack.acknowledge().task_id().value());
  EXPECT_EQ(1u, sched_.count(Callback::kStatusUpdate));
  EXPECT_EQ(1u, sched_.count(Callback::kResourceOffers));
}

TEST_F(DriverTest, MessagesBeforeRegistrationAreIgnored) {
  start(config());
  scheduler_ = expectRegistration(DriverConfig::Dialect::kCall);
  internal::ResourceOffersMessage offers;
  *offers.add_offers() = makeOffer("early");
  offers.add_pids(kAgentPid);
  master_.send(scheduler_, offers);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  awaitMarker();  // The early offer was handled before these (same connection).
  EXPECT_EQ(0u, sched_.count(Callback::kResourceOffers));
}

TEST_F(DriverTest, AgentUpdateCarriesUuidAndIsAcknowledgedAfterTheCallback) {
  startRegistered();
  const std::string uuid = uuidBytes('u');
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, uuid, kAgentPid));
  std::optional<CallbackEvent> updated = sched_.wait(Callback::kStatusUpdate);
  ASSERT_TRUE(updated);
  EXPECT_EQ(TASK_RUNNING, updated->status.state());
  EXPECT_EQ(uuid, updated->status.uuid());

  Call ack = master_.expectCall(Call::ACKNOWLEDGE);
  EXPECT_EQ(kFrameworkId, ack.framework_id().value());
  EXPECT_EQ(kAgentId, ack.acknowledge().slave_id().value());
  EXPECT_EQ("t1", ack.acknowledge().task_id().value());
  EXPECT_EQ(uuid, ack.acknowledge().uuid());
}

TEST_F(DriverTest, LegacyDialectAcknowledgesWithStatusUpdateAcknowledgementMessage) {
  startRegistered(DriverConfig::Dialect::kLegacy);
  const std::string uuid = uuidBytes('l');
  master_.send(scheduler_, agentUpdate("t1", TASK_FINISHED, uuid, kAgentPid));
  auto ack = master_.expect<internal::StatusUpdateAcknowledgementMessage>();
  EXPECT_EQ(kFrameworkId, ack.framework_id().value());
  EXPECT_EQ(kAgentId, ack.slave_id().value());
  EXPECT_EQ("t1", ack.task_id().value());
  EXPECT_EQ(uuid, ack.uuid());
}

TEST_F(DriverTest, MasterGeneratedUpdateHasNoUuidAndIsNotAcknowledged) {
  startRegistered();
  internal::StatusUpdateMessage message = agentUpdate("lost", TASK_LOST, "", "@0.0.0.0:0");
  message.mutable_update()->clear_uuid();
  message.mutable_update()->mutable_status()->clear_uuid();
  master_.send(scheduler_, message);
  // A reconciliation answer: no pid at all.
  internal::StatusUpdateMessage reconciliation = message;
  reconciliation.clear_pid();
  master_.send(scheduler_, reconciliation);
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate, 2));
  EXPECT_FALSE(sched_.events(Callback::kStatusUpdate).at(0).status.has_uuid());
  // Sentinel: an acked agent update; it must be the only ACKNOWLEDGE.
  master_.send(scheduler_, agentUpdate("t2", TASK_RUNNING, uuidBytes('x'), kAgentPid));
  Call ack = master_.expectCall(Call::ACKNOWLEDGE);
  EXPECT_EQ("t2", ack.acknowledge().task_id().value());
  EXPECT_EQ(1u, master_.count("mesos.scheduler.Call") - 1) << "SUBSCRIBE + one ACKNOWLEDGE";
}

TEST_F(DriverTest, UpdateWithUuidFromMasterPidIsPassedWithoutUuid) {
  // A uuid but no agent pid ("@0.0.0.0:0"): the callback sees no uuid, yet the
  // update is still acknowledged because it has a uuid (docs/protocol.md, "The
  // driver's state machine").
  startRegistered();
  master_.send(scheduler_, agentUpdate("t", TASK_RUNNING, uuidBytes('m'), "@0.0.0.0:0"));
  std::optional<CallbackEvent> updated = sched_.wait(Callback::kStatusUpdate);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->status.has_uuid());
  master_.expectCall(Call::ACKNOWLEDGE);
}

TEST_F(DriverTest, RescindLostSlaveExitedExecutorAndFrameworkMessageCallbacks) {
  startRegistered();
  internal::RescindResourceOfferMessage rescind;
  rescind.mutable_offer_id()->set_value("o1");
  master_.send(scheduler_, rescind);
  internal::LostSlaveMessage lost;
  lost.mutable_slave_id()->set_value(kAgentId);
  master_.send(scheduler_, lost);
  internal::ExitedExecutorMessage exited;
  exited.mutable_slave_id()->set_value(kAgentId);
  exited.mutable_framework_id()->set_value(kFrameworkId);
  exited.mutable_executor_id()->set_value("exec");
  exited.set_status(137);
  master_.send(scheduler_, exited);
  // Executor messages come straight from the agent: any sender is fine.
  FakeMaster agent(0, "slave(1)");
  internal::ExecutorToFrameworkMessage data;
  data.mutable_slave_id()->set_value(kAgentId);
  data.mutable_framework_id()->set_value(kFrameworkId);
  data.mutable_executor_id()->set_value("exec");
  data.set_data("hello");
  agent.send(scheduler_, data);

  std::optional<CallbackEvent> rescinded = sched_.wait(Callback::kOfferRescinded);
  std::optional<CallbackEvent> slaveLost = sched_.wait(Callback::kSlaveLost);
  std::optional<CallbackEvent> executorLost = sched_.wait(Callback::kExecutorLost);
  std::optional<CallbackEvent> message = sched_.wait(Callback::kFrameworkMessage);
  ASSERT_TRUE(rescinded && slaveLost && executorLost && message);
  EXPECT_EQ("o1", rescinded->offerId.value());
  EXPECT_EQ(kAgentId, slaveLost->slaveId.value());
  EXPECT_EQ("exec", executorLost->executorId.value());
  EXPECT_EQ(kAgentId, executorLost->slaveId.value());
  EXPECT_EQ(137, executorLost->exitStatus);
  EXPECT_EQ("exec", message->executorId.value());
  EXPECT_EQ("hello", message->data);
  // In the order sent, each exactly once.
  std::vector<std::string> order;
  for (const CallbackEvent& event : sched_.events()) {
    if (event.kind != Callback::kRegistered) order.push_back(callbackName(event.kind));
  }
  EXPECT_EQ(std::vector<std::string>(
                {"offerRescinded", "slaveLost", "executorLost", "frameworkMessage"}),
            order);
}

TEST_F(DriverTest, FrameworkErrorAbortsThenCallsError) {
  startRegistered();
  internal::FrameworkErrorMessage message;
  message.set_message("Framework failed over");
  master_.send(scheduler_, message);
  std::optional<CallbackEvent> error = sched_.wait(Callback::kError);
  ASSERT_TRUE(error);
  EXPECT_EQ("Framework failed over", error->message);
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
  auto deactivate = master_.expect<internal::DeactivateFrameworkMessage>();
  EXPECT_EQ(kFrameworkId, deactivate.framework_id().value());
  EXPECT_EQ(DRIVER_ABORTED, driver_->join());
}

// ---- Bad input: each is dropped with a log line; a normal exchange follows. ----

class BadInputTest : public DriverTest {
 protected:
  // Proves the driver still works: an offer round trip.
  void expectStillWorking() {
    const size_t before = sched_.count(Callback::kResourceOffers);
    internal::ResourceOffersMessage message;
    *message.add_offers() = makeOffer("after-bad-input");
    message.add_pids(kAgentPid);
    master_.send(scheduler_, message);
    std::optional<CallbackEvent> received = sched_.wait(Callback::kResourceOffers, before + 1);
    ASSERT_TRUE(received);
    EXPECT_EQ("after-bad-input", received->offers.at(0).id().value());
    EXPECT_TRUE(driver_->connected());
    EXPECT_EQ(DRIVER_RUNNING, driver_->status());
  }
};

TEST_F(BadInputTest, RegisteredMessageMissingARequiredFieldIsDropped) {
  start(config());
  scheduler_ = expectRegistration(DriverConfig::Dialect::kCall);
  internal::FrameworkRegisteredMessage incomplete;
  incomplete.mutable_framework_id()->set_value(kFrameworkId);  // No master_info.
  master_.send(scheduler_, incomplete);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  expectStillWorking();
  EXPECT_EQ(1u, sched_.count(Callback::kRegistered));
}

TEST_F(BadInputTest, OfferWithUnparseableResourcesIsDropped) {
  startRegistered();
  internal::ResourceOffersMessage message;
  Offer offer = makeOffer("broken");
  offer.mutable_resources(0)->clear_name();  // `name` is required.
  *message.add_offers() = offer;
  message.add_pids(kAgentPid);
  master_.send(scheduler_, message);
  awaitMarker();
  EXPECT_EQ(0u, sched_.count(Callback::kResourceOffers));
  expectStillWorking();
}

TEST_F(BadInputTest, StatusUpdateWithUnknownStateIsDropped) {
  startRegistered();
  internal::StatusUpdateMessage message = agentUpdate("t", TASK_RUNNING, uuidBytes('q'), kAgentPid);
  std::string body = message.SerializeAsString();
  // Rewrite the state of update.status to 99 through reflection-free surgery:
  // serialize with a stand-in enum value that is then replaced in the bytes.
  TaskStatus probe;
  probe.set_state(TASK_RUNNING);
  const std::string stateField = probe.SerializePartialAsString();  // "\x10\x01"
  ASSERT_EQ(2u, stateField.size());
  const size_t at = body.find(stateField);
  ASSERT_NE(std::string::npos, at);
  body[at + 1] = 99;
  master_.sendRaw(scheduler_, "mesos.internal.StatusUpdateMessage", body);
  awaitMarker();
  EXPECT_EQ(0u, sched_.count(Callback::kStatusUpdate));
  expectStillWorking();
  EXPECT_EQ(1u, master_.count("mesos.scheduler.Call")) << "only SUBSCRIBE; no ack";
}

TEST_F(BadInputTest, BodyThatIsNotProtobufIsDropped) {
  startRegistered();
  master_.sendRaw(scheduler_, "mesos.internal.ResourceOffersMessage", "\xff\xff\xff garbage");
  master_.sendRaw(scheduler_, "mesos.internal.FrameworkErrorMessage", "\x0a\xff");
  expectStillWorking();
}

TEST_F(BadInputTest, SixtyFourMebibyteMessageIsDropped) {
  startRegistered();
  internal::ResourceOffersMessage huge;
  *huge.add_offers() = makeOffer("huge");
  huge.add_pids(std::string(64 * 1024 * 1024, 'p'));
  master_.send(scheduler_, huge);
  expectStillWorking();
}

TEST_F(BadInputTest, EmptyMessageNameIsDropped) {
  startRegistered();
  master_.sendRaw(scheduler_, "", "x");
  expectStillWorking();
}

TEST_F(BadInputTest, UnknownMessageNameIsIgnored) {
  startRegistered();
  master_.sendRaw(scheduler_, "mesos.internal.InverseOffersMessage", "");
  master_.sendRaw(scheduler_, "no.such.Message", "abc");
  expectStillWorking();
}

TEST_F(BadInputTest, StatusUpdateForAnotherFrameworkIsDropped) {
  startRegistered();
  internal::StatusUpdateMessage message = agentUpdate("t", TASK_RUNNING, uuidBytes('f'), kAgentPid);
  message.mutable_update()->mutable_framework_id()->set_value("other-framework");
  master_.send(scheduler_, message);
  awaitMarker();
  EXPECT_EQ(0u, sched_.count(Callback::kStatusUpdate));
  expectStillWorking();
}

// ---- Golden input: the bytes a real Mesos master wrote to a scheduler. ----

std::vector<internal::process::HttpRequest> realMasterRequests() {
  std::ifstream in(std::string(MESOS_FIXTURES_DIR) + "/real-mesos/master-to-scheduler.stream",
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string stream = bytes.str();
  internal::process::RequestDecoder decoder;
  std::vector<internal::process::HttpRequest> requests;
  EXPECT_FALSE(decoder.feed(stream.data(), stream.size(), requests));
  return requests;
}

TEST_F(DriverTest, ReplaysARealMasterConversation) {
  std::vector<internal::process::HttpRequest> requests = realMasterRequests();
  ASSERT_EQ(34u, requests.size());
  // What the capture holds: 12 updates an agent produced (a uuid, acknowledged
  // by mesos-go) and 5 reconciliation answers from the master (no uuid).
  std::multiset<std::pair<std::string, std::string>> agentUpdates;  // (task id, uuid)
  int reconciliationAnswers = 0;
  for (const auto& request : requests) {
    if (internal::process::routeRequest(request).name != "mesos.internal.StatusUpdateMessage") {
      continue;
    }
    internal::StatusUpdateMessage update;
    ASSERT_TRUE(update.ParseFromString(request.body));
    if (update.update().has_uuid() && !update.update().uuid().empty()) {
      agentUpdates.emplace(update.update().status().task_id().value(), update.update().uuid());
    } else {
      ++reconciliationAnswers;
    }
  }
  ASSERT_EQ(12u, agentUpdates.size());
  ASSERT_EQ(5, reconciliationAnswers);

  start(config());
  scheduler_ = expectRegistration(DriverConfig::Dialect::kCall);
  // The real bodies, re-sent from our fake master (the captured sender was a
  // master at another address, which the driver would rightly ignore).
  for (const auto& request : requests) {
    internal::process::RoutedRequest routed = internal::process::routeRequest(request);
    ASSERT_EQ(internal::process::RoutedRequest::Kind::kMessage, routed.kind);
    master_.sendRaw(scheduler_, routed.name, request.body);
  }
  std::optional<CallbackEvent> registered = sched_.wait(Callback::kRegistered);
  ASSERT_TRUE(registered);
  const std::string frameworkId = "67f5bb78-7b54-4fb2-9218-f1ece620ca5a-0000";
  EXPECT_EQ(frameworkId, registered->frameworkId.value());
  ASSERT_TRUE(sched_.wait(Callback::kResourceOffers, 16));
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate, 17));

  // A sentinel update after the capture: acknowledgements go out in order on one
  // connection, so once its ACKNOWLEDGE is here, every earlier one is too.
  internal::StatusUpdateMessage sentinel =
      agentUpdate("sentinel", TASK_RUNNING, uuidBytes('z'), kAgentPid);
  sentinel.mutable_update()->mutable_framework_id()->set_value(frameworkId);
  master_.send(scheduler_, sentinel);
  std::optional<CallbackEvent> sentinelSeen = sched_.wait(Callback::kStatusUpdate, 18);
  ASSERT_TRUE(sentinelSeen);
  EXPECT_EQ("sentinel", sentinelSeen->status.task_id().value());
  // Every callback of the capture came before the sentinel's, exactly once.
  EXPECT_EQ(1u, sched_.count(Callback::kRegistered));
  EXPECT_EQ(16u, sched_.count(Callback::kResourceOffers));
  EXPECT_EQ(18u, sched_.count(Callback::kStatusUpdate)) << "17 and the sentinel's";
  std::multiset<std::pair<std::string, std::string>> acknowledged;
  for (int i = 0; i < 30; ++i) {
    Call ack = master_.expectCall(Call::ACKNOWLEDGE);
    if (!ack.has_acknowledge()) break;  // expectCall() has reported the failure.
    EXPECT_EQ(frameworkId, ack.framework_id().value());
    if (ack.acknowledge().task_id().value() == "sentinel") break;
    acknowledged.emplace(ack.acknowledge().task_id().value(), ack.acknowledge().uuid());
  }
  // Exactly one acknowledgement per agent-generated update, none for the
  // reconciliation answers, nothing else.
  EXPECT_EQ(agentUpdates, acknowledged);
  EXPECT_EQ(1u + 12u + 1u, master_.count("mesos.scheduler.Call"))
      << "SUBSCRIBE, 12 acknowledgements, the sentinel's";
}

}  // namespace
}  // namespace testing
}  // namespace mesos
