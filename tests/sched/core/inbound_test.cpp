// Inbound guards (sender, connected, stopped/aborted, size, parsing) and the
// acknowledgement rules, on the core alone.

#include "sched/core/core_harness.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {
namespace {

Offer makeOffer(const std::string& id) {
  Offer offer;
  offer.mutable_id()->set_value(id);
  offer.mutable_framework_id()->set_value("framework-1");
  offer.mutable_slave_id()->set_value("agent-1");
  offer.set_hostname("agent-host");
  return offer;
}

internal::ResourceOffersMessage offers(const std::string& id) {
  internal::ResourceOffersMessage m;
  *m.add_offers() = makeOffer(id);
  m.add_pids(kAgent.toString());
  return m;
}

internal::StatusUpdateMessage update(const std::string& task, const std::string& uuid,
                                     const std::string& framework = "framework-1") {
  internal::StatusUpdateMessage m;
  internal::StatusUpdate* u = m.mutable_update();
  u->mutable_framework_id()->set_value(framework);
  u->mutable_slave_id()->set_value("agent-1");
  u->mutable_status()->mutable_task_id()->set_value(task);
  u->mutable_status()->set_state(TASK_RUNNING);
  u->set_timestamp(1);
  if (!uuid.empty()) u->set_uuid(uuid);
  m.set_pid(kAgent.toString());
  return m;
}

// One message of every master-only type.
std::vector<std::unique_ptr<google::protobuf::Message>> everyMasterOnlyMessage() {
  std::vector<std::unique_ptr<google::protobuf::Message>> out;
  auto registered = std::make_unique<internal::FrameworkRegisteredMessage>();
  registered->mutable_framework_id()->set_value("forged");
  registered->mutable_master_info()->set_id("x");
  registered->mutable_master_info()->set_ip(1);
  registered->mutable_master_info()->set_port(1);
  out.push_back(std::move(registered));
  auto reregistered = std::make_unique<internal::FrameworkReregisteredMessage>();
  reregistered->mutable_framework_id()->set_value("framework-1");
  *reregistered->mutable_master_info() = static_cast<internal::FrameworkRegisteredMessage&>(
      *out[0]).master_info();
  out.push_back(std::move(reregistered));
  out.push_back(std::make_unique<internal::ResourceOffersMessage>(offers("o1")));
  auto rescind = std::make_unique<internal::RescindResourceOfferMessage>();
  rescind->mutable_offer_id()->set_value("o1");
  out.push_back(std::move(rescind));
  out.push_back(std::make_unique<internal::StatusUpdateMessage>(update("t1", "u1")));
  auto lost = std::make_unique<internal::LostSlaveMessage>();
  lost->mutable_slave_id()->set_value("agent-1");
  out.push_back(std::move(lost));
  auto exited = std::make_unique<internal::ExitedExecutorMessage>();
  exited->mutable_slave_id()->set_value("agent-1");
  exited->mutable_executor_id()->set_value("e");
  exited->mutable_framework_id()->set_value("framework-1");
  exited->set_status(1);
  out.push_back(std::move(exited));
  auto error = std::make_unique<internal::FrameworkErrorMessage>();
  error->set_message("forged");
  out.push_back(std::move(error));
  return out;
}

TEST(CoreInboundTest, EveryMasterOnlyMessageFromAnotherProcessIsIgnored) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.clear();
  for (const auto& message : everyMasterOnlyMessage()) {
    h.receive(kRogue, *message);
    EXPECT_TRUE(h.callbacks.empty()) << message->GetTypeName();
    EXPECT_TRUE(h.aborts.empty()) << message->GetTypeName();
    EXPECT_TRUE(h.sent.empty()) << message->GetTypeName();
  }
  EXPECT_TRUE(h.connected);
  EXPECT_EQ(h.core().framework().id().value(), "framework-1");
}

TEST(CoreInboundTest, EveryMasterOnlyMessageFromTheMasterIsObeyed) {
  // The positive twin of the test above: the same messages from the leading
  // master each have an effect, so the test above is not passing vacuously.
  for (size_t i = 0; i < everyMasterOnlyMessage().size(); ++i) {
    CoreHarness h(CoreHarness::defaults());
    h.detect();
    if (i != 0) h.registered();  // Registered needs a disconnected driver.
    if (i == 1) {
      h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
      ASSERT_TRUE(h.fireNext());
    }
    h.clear();
    h.receive(kMaster, *everyMasterOnlyMessage()[i]);
    EXPECT_EQ(h.callbacks.size() + h.aborts.size(), 1u) << "message " << i;
  }
}

TEST(CoreInboundTest, MasterMessagesBeforeRegistrationAreIgnoredButErrorsAreNot) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.receive(kMaster, offers("o1"));
  h.receive(kMaster, update("t1", "u1"));
  EXPECT_TRUE(h.callbacks.empty());
  internal::FrameworkErrorMessage error;
  error.set_message("Framework is not authenticated");
  h.receive(kRogue, error);
  EXPECT_TRUE(h.aborts.empty());
  h.receive(kMaster, error);
  EXPECT_EQ(h.aborts, std::vector<std::string>{"Framework is not authenticated"});
}

// The master says it lost its connection to this scheduler: it keeps the
// framework for its failover timeout, so the driver registers again rather
// than abort (with reconnectOnLinkLoss; without it, Mesos's abort).
TEST(CoreInboundTest, FrameworkDisconnectedFromTheMasterMeansRegisterAgain) {
  internal::FrameworkErrorMessage error;
  error.set_message("Framework disconnected");
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.clear();
  h.receive(kMaster, error);
  EXPECT_TRUE(h.aborts.empty());
  EXPECT_FALSE(h.connected);
  EXPECT_EQ(h.callbacksOf<Disconnected>().size(), 1u);
  ASSERT_TRUE(h.fireNext());  // The reconnection, after its backoff.
  ASSERT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_EQ(h.calls<Subscribe>()[0].framework.id().value(), "framework-1");

  Options strict = CoreHarness::defaults();
  strict.reconnectOnLinkLoss = false;
  CoreHarness mesos(strict);
  mesos.detect();
  mesos.registered();
  mesos.receive(kMaster, error);
  EXPECT_EQ(mesos.aborts, std::vector<std::string>{"Framework disconnected"});
}

// What the core counts for the metrics: events by kind, dropped messages.
TEST(CoreInboundTest, EventsAndDroppedMessagesAreCounted) {
  Options options = CoreHarness::defaults();
  options.stats = std::make_shared<CoreStats>();
  std::shared_ptr<CoreStats> stats = options.stats;
  CoreHarness h(options);
  h.detect();
  h.registered();
  h.receive(kMaster, offers("o1"));
  h.receive(kMaster, offers("o2"));
  h.receive(kRogue, offers("o3"));  // Dropped by the sender rule.
  h.input([](DriverCore& c, Time t) {
    c.messageReceived(t, kMaster, "mesos.internal.StatusUpdateMessage", "not protobuf");
  });
  size_t offersIndex = 0;
  while (std::string(eventMetricName(offersIndex)) != "offers") ++offersIndex;
  EXPECT_EQ(stats->events[offersIndex].get(), 3u);
  EXPECT_EQ(stats->dropped.get(), 2u);
}

TEST(CoreInboundTest, ExecutorMessagesAreAcceptedFromAnyProcess) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  internal::ExecutorToFrameworkMessage m;
  m.mutable_slave_id()->set_value("agent-1");
  m.mutable_framework_id()->set_value("framework-1");
  m.mutable_executor_id()->set_value("e");
  m.set_data("hello");
  h.receive(kAgent, m);
  ASSERT_EQ(h.callbacksOf<ExecutorData>().size(), 1u);
  EXPECT_EQ(h.callbacksOf<ExecutorData>()[0].data, "hello");
}

TEST(CoreInboundTest, NothingIsAcceptedAfterAbortOrStop) {
  for (bool stop : {false, true}) {
    CoreHarness h(CoreHarness::defaults());
    h.detect();
    h.registered();
    h.input([stop](DriverCore& c, Time t) {
      if (stop) {
        c.stop(t, false);
      } else {
        c.abort(t);
      }
    });
    h.clear();
    for (const auto& message : everyMasterOnlyMessage()) h.receive(kMaster, *message);
    h.registered();
    EXPECT_TRUE(h.callbacks.empty());
    EXPECT_TRUE(h.aborts.empty());
    EXPECT_TRUE(h.sent.empty());
  }
}

TEST(CoreInboundTest, OversizedMalformedAndUnknownMessagesAreDropped) {
  Options o = CoreHarness::defaults();
  o.maxMessageBytes = 128;
  CoreHarness h(o);
  h.detect();
  h.registered();
  h.clear();
  internal::ResourceOffersMessage big = offers("o1");
  big.mutable_offers(0)->set_hostname(std::string(200, 'x'));
  h.receive(kMaster, big);
  h.input([](DriverCore& c, Time t) {
    c.messageReceived(t, kMaster, "mesos.internal.ResourceOffersMessage", "\xff\xff");
    c.messageReceived(t, kMaster, "mesos.internal.StatusUpdateMessage", "");
    c.messageReceived(t, kMaster, "mesos.internal.Unknown", "");
  });
  EXPECT_TRUE(h.callbacks.empty());
  h.receive(kMaster, offers("o2"));
  EXPECT_EQ(h.callbacksOf<Offers>().size(), 1u) << "a small valid message still passes";
}

TEST(CoreInboundTest, DuplicateAndForeignRegistrationsAreIgnored) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered("framework-1");
  h.registered("framework-2");
  EXPECT_EQ(h.callbacksOf<Registered>().size(), 1u);
  EXPECT_EQ(h.core().framework().id().value(), "framework-1");
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  ASSERT_TRUE(h.fireNext());
  internal::FrameworkReregisteredMessage other;
  other.mutable_framework_id()->set_value("framework-2");
  other.mutable_master_info()->set_id("m");
  other.mutable_master_info()->set_ip(1);
  other.mutable_master_info()->set_port(1);
  h.receive(kMaster, other);
  EXPECT_TRUE(h.callbacksOf<Reregistered>().empty());
  EXPECT_FALSE(h.connected);
}

TEST(CoreInboundTest, UpdatesForAnotherFrameworkAreDropped) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.receive(kMaster, update("t1", "u1", "framework-2"));
  EXPECT_TRUE(h.callbacksOf<Update>().empty());
}

// ---- Acknowledgements ---------------------------------------------------------

TEST(CoreAckTest, AnAgentsUpdateIsAcknowledgedOnlyAfterItsCallbackReturned) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.clear();
  h.receive(kMaster, update("t1", "u1"));
  ASSERT_EQ(h.callbacksOf<Update>().size(), 1u);
  const Update u = h.callbacksOf<Update>()[0];
  ASSERT_TRUE(u.ack);
  EXPECT_EQ(u.status.uuid(), "u1");
  EXPECT_TRUE(h.sent.empty()) << "not before the callback returned";
  h.input([&](DriverCore& c, Time t) { c.updateProcessed(t, *u.ack, u.status.task_id()); });
  ASSERT_EQ(h.calls<Acknowledge>().size(), 1u);
  const Acknowledge ack = h.calls<Acknowledge>()[0];
  EXPECT_EQ(ack.uuid, "u1");
  EXPECT_EQ(ack.taskId.value(), "t1");
  EXPECT_EQ(ack.slaveId.value(), "agent-1");
  EXPECT_EQ(ack.frameworkId->value(), "framework-1");
}

TEST(CoreAckTest, MasterGeneratedUpdatesCarryNoUuidAndNeedNoAck) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  internal::StatusUpdateMessage m = update("t1", "");
  m.set_pid("@0.0.0.0:0");
  h.receive(kMaster, m);
  ASSERT_EQ(h.callbacksOf<Update>().size(), 1u);
  EXPECT_FALSE(h.callbacksOf<Update>()[0].ack);
  EXPECT_FALSE(h.callbacksOf<Update>()[0].status.has_uuid());
}

TEST(CoreAckTest, ExplicitAcknowledgementsAreTheCallersJob) {
  Options o = CoreHarness::defaults();
  o.implicitAcknowledgements = false;
  CoreHarness h(o);
  h.detect();
  h.registered();
  h.clear();
  h.receive(kMaster, update("t1", "u1"));
  const Update u = h.callbacksOf<Update>()[0];
  EXPECT_FALSE(u.ack);
  EXPECT_EQ(u.status.uuid(), "u1") << "the caller needs it to acknowledge";
  TaskStatus status = u.status;
  status.mutable_slave_id()->set_value("agent-1");
  h.input([&](DriverCore& c, Time t) { c.acknowledgeStatusUpdate(t, status); });
  ASSERT_EQ(h.calls<Acknowledge>().size(), 1u);
  status.clear_uuid();
  h.input([&](DriverCore& c, Time t) { c.acknowledgeStatusUpdate(t, status); });
  EXPECT_EQ(h.calls<Acknowledge>().size(), 1u) << "nothing to acknowledge without a uuid";
}

TEST(CoreAckTest, NoAcknowledgementAfterStop) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.receive(kMaster, update("t1", "u1"));
  const Update u = h.callbacksOf<Update>()[0];
  h.input([](DriverCore& c, Time t) { c.stop(t, true); });
  h.clear();
  h.input([&](DriverCore& c, Time t) { c.updateProcessed(t, *u.ack, u.status.task_id()); });
  EXPECT_TRUE(h.sent.empty());
}

}  // namespace
}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
