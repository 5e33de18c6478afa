// The protocol core on the v1 HTTP API's codec (docs/protocol.md, "The v1
// scheduler HTTP API"): SUBSCRIBED becomes registered() or reregistered(),
// silence is noticed by missed heartbeats, a bad record restarts the stream,
// answers of the master map to error() or log lines, and the credential
// travels with the requests instead of a handshake. Fake clock, no sockets.

#include <google/protobuf/unknown_field_set.h>
#include <mesos/scheduler/scheduler.pb.h>

#include "sched/core/core_harness.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {
namespace {

using scheduler::Event;

std::string subscribedRecord(const std::string& id, double interval = 1) {
  Event e;
  e.set_type(Event::SUBSCRIBED);
  e.mutable_subscribed()->mutable_framework_id()->set_value(id);
  e.mutable_subscribed()->set_heartbeat_interval_seconds(interval);
  e.mutable_subscribed()->mutable_master_info()->set_id("master-id");
  e.mutable_subscribed()->mutable_master_info()->set_ip(kMaster.ip);
  e.mutable_subscribed()->mutable_master_info()->set_port(kMaster.port);
  return e.SerializeAsString();
}

std::string heartbeatRecord() {
  Event e;
  e.set_type(Event::HEARTBEAT);
  return e.SerializeAsString();
}

std::string updateRecord(const std::string& task, const std::string& uuid) {
  Event e;
  e.set_type(Event::UPDATE);
  TaskStatus* status = e.mutable_update()->mutable_status();
  status->mutable_task_id()->set_value(task);
  status->set_state(TASK_RUNNING);
  status->mutable_slave_id()->set_value("agent-1");
  if (!uuid.empty()) status->set_uuid(uuid);
  return e.SerializeAsString();
}

class HttpWire : public ::testing::Test {
 protected:
  explicit HttpWire(Options options = CoreHarness::defaults())
      : h_(std::move(options), makeHttpCodec()) {}

  // Detected, subscribed and told registered().
  void subscribe(double interval = 1) {
    h_.detect();
    ASSERT_EQ(1u, h_.calls<Subscribe>().size());
    h_.record(subscribedRecord("framework-1", interval));
    ASSERT_TRUE(h_.core().connected());
  }

  CoreHarness h_;
};

TEST_F(HttpWire, FirstSubscribedIsRegisteredThenReregistered) {
  subscribe();
  ASSERT_EQ(1u, h_.callbacksOf<Registered>().size());
  EXPECT_EQ("framework-1", h_.callbacksOf<Registered>()[0].frameworkId.value());
  EXPECT_TRUE(h_.callbacksOf<Reregistered>().empty());

  // The stream ends; the next subscription carries the id and is a re-registration.
  h_.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  EXPECT_EQ(1u, h_.callbacksOf<Disconnected>().size());
  h_.clear();
  ASSERT_TRUE(h_.fireNext());  // Reconnect.
  ASSERT_EQ(1u, h_.calls<Subscribe>().size());
  EXPECT_EQ("framework-1", h_.calls<Subscribe>()[0].framework.id().value());
  h_.record(subscribedRecord("framework-1"));
  EXPECT_EQ(1u, h_.callbacksOf<Reregistered>().size());
  EXPECT_TRUE(h_.callbacksOf<Registered>().empty());
}

TEST_F(HttpWire, FailingOverFrameworkGetsRegistered) {
  Options o = CoreHarness::defaults();
  o.framework.mutable_id()->set_value("framework-1");
  CoreHarness h(o, makeHttpCodec());
  h.detect();
  h.record(subscribedRecord("framework-1"));
  EXPECT_EQ(1u, h.callbacksOf<Registered>().size());
  EXPECT_TRUE(h.callbacksOf<Reregistered>().empty());
}

TEST_F(HttpWire, SilenceForMissedHeartbeatsRestartsTheStream) {
  subscribe(/*interval=*/1);
  ASSERT_EQ(milliseconds(5000), h_.armed(Timer::kHeartbeat));
  // Heartbeats every second keep it alive for as long as they come.
  for (int i = 0; i < 30; ++i) {
    h_.advance(milliseconds(900));
    h_.record(heartbeatRecord());
  }
  EXPECT_TRUE(h_.core().connected());
  EXPECT_EQ(0, h_.unlinks);
  // Then the master goes silent (frozen, TCP still open).
  h_.advance(milliseconds(4990));
  EXPECT_TRUE(h_.core().connected());
  h_.advance(milliseconds(20));
  EXPECT_FALSE(h_.core().connected());
  EXPECT_EQ(1, h_.unlinks);
  EXPECT_EQ(1u, h_.callbacksOf<Disconnected>().size());
  // And subscribes again after the reconnect backoff.
  h_.clear();
  ASSERT_TRUE(h_.armed(Timer::kReconnect).has_value());
  ASSERT_TRUE(h_.fireNext());
  EXPECT_EQ(1u, h_.calls<Subscribe>().size());
  EXPECT_EQ(1u, h_.links.size());
}

TEST_F(HttpWire, AnyEventCountsAsLife) {
  subscribe(/*interval=*/1);
  for (int i = 0; i < 10; ++i) {
    h_.advance(milliseconds(4000));
    h_.record(updateRecord("t" + std::to_string(i), ""));
  }
  EXPECT_TRUE(h_.core().connected());
}

TEST_F(HttpWire, NoHeartbeatWatchWithoutAnInterval) {
  subscribe(/*interval=*/0);
  EXPECT_FALSE(h_.armed(Timer::kHeartbeat).has_value());
}

TEST_F(HttpWire, UndecodableRecordRestartsTheStream) {
  subscribe();
  h_.record("\xff\xff\xff garbage");
  EXPECT_FALSE(h_.core().connected());
  EXPECT_EQ(1, h_.unlinks);
  EXPECT_TRUE(h_.armed(Timer::kReconnect).has_value());
}

TEST_F(HttpWire, RecordWithoutTypeOrPayloadRestartsTheStream) {
  subscribe();
  Event e;
  e.set_type(Event::OFFERS);  // No `offers`.
  h_.record(e.SerializeAsString());
  EXPECT_FALSE(h_.core().connected());
}

TEST_F(HttpWire, UnknownEventTypeIsSkipped) {
  subscribe();
  Event e;
  e.set_type(Event::HEARTBEAT);
  std::string bytes = e.SerializeAsString();
  bytes[1] = 99;  // Field 1, varint 99: a type no schema here knows.
  h_.record(bytes);
  Event inverse;
  inverse.set_type(Event::INVERSE_OFFERS);
  inverse.mutable_inverse_offers();
  h_.record(inverse.SerializeAsString());
  EXPECT_TRUE(h_.core().connected());
  EXPECT_EQ(0, h_.unlinks);
}

TEST_F(HttpWire, UpdateIsAcknowledgedIffItHasAUuid) {
  subscribe();
  h_.record(updateRecord("acked", "0123456789abcdef"));
  h_.record(updateRecord("not-acked", ""));
  std::vector<Update> updates = h_.callbacksOf<Update>();
  ASSERT_EQ(2u, updates.size());
  ASSERT_TRUE(updates[0].ack.has_value());
  EXPECT_EQ("agent-1", updates[0].ack->slaveId.value());
  EXPECT_EQ("0123456789abcdef", updates[0].status.uuid());
  EXPECT_FALSE(updates[1].ack.has_value());
  EXPECT_FALSE(updates[1].status.has_uuid());

  h_.input([&](DriverCore& c, Time t) {
    c.updateProcessed(t, *updates[0].ack, updates[0].status.task_id());
  });
  ASSERT_EQ(1u, h_.calls<Acknowledge>().size());
  // ACKNOWLEDGE goes to the master, as a v1 Call.
  scheduler::Call call;
  ASSERT_TRUE(call.ParseFromString(h_.codec().encode(h_.sent.back().call)->body));
  EXPECT_EQ(scheduler::Call::ACKNOWLEDGE, call.type());
  EXPECT_EQ("agent-1", call.acknowledge().slave_id().value());
  EXPECT_EQ("acked", call.acknowledge().task_id().value());
  EXPECT_EQ("framework-1", call.framework_id().value());
}

TEST_F(HttpWire, ErrorEventAbortsWithTheMastersMessage) {
  subscribe();
  Event e;
  e.set_type(Event::ERROR);
  e.mutable_error()->set_message("Framework has been removed");
  h_.record(e.SerializeAsString());
  ASSERT_EQ(1u, h_.aborts.size());
  EXPECT_EQ("Framework has been removed", h_.aborts[0]);
}

TEST_F(HttpWire, UnauthorizedAbortsWithTheReason) {
  h_.detect();
  h_.input([](DriverCore& c, Time t) { c.answerReceived(t, "SUBSCRIBE", 401, "401 Unauthorized."); });
  ASSERT_EQ(1u, h_.aborts.size());
  EXPECT_EQ("Master refused authentication: 401 Unauthorized.", h_.aborts[0]);
}

TEST_F(HttpWire, RefusedSubscribeAbortsButUnavailableMasterIsRetried) {
  h_.detect();
  h_.input([](DriverCore& c, Time t) { c.answerReceived(t, "SUBSCRIBE", 503, "No leader elected"); });
  EXPECT_TRUE(h_.aborts.empty());
  EXPECT_TRUE(h_.armed(Timer::kReconnect).has_value());
  h_.clear();
  ASSERT_TRUE(h_.fireNext());
  EXPECT_EQ(1u, h_.calls<Subscribe>().size());
  h_.input([](DriverCore& c, Time t) {
    c.answerReceived(t, "SUBSCRIBE", 400, "Failed to validate scheduler::Call");
  });
  ASSERT_EQ(1u, h_.aborts.size());
  EXPECT_NE(std::string::npos, h_.aborts[0].find("Failed to validate"));
}

TEST_F(HttpWire, RefusedCallIsOnlyALogLine) {
  subscribe();
  h_.input([](DriverCore& c, Time t) { c.answerReceived(t, "ACCEPT", 400, "bad offer"); });
  h_.input([](DriverCore& c, Time t) { c.answerReceived(t, "KILL", 403, "not subscribed"); });
  EXPECT_TRUE(h_.aborts.empty());
  EXPECT_TRUE(h_.core().connected());
}

TEST_F(HttpWire, CredentialNeedsNoHandshake) {
  Options o = CoreHarness::defaults();
  Credential credential;
  credential.set_principal("p");
  credential.set_secret("s");
  o.credential = credential;
  CoreHarness h(o, makeHttpCodec());
  h.detect();
  EXPECT_TRUE(h.authentications.empty());
  EXPECT_EQ(1u, h.calls<Subscribe>().size());
}

TEST_F(HttpWire, AbortSendsNothingAndStopTearsDown) {
  subscribe();
  h_.clear();
  h_.input([](DriverCore& c, Time t) { c.abort(t); });
  EXPECT_TRUE(h_.sent.empty());
  h_.input([](DriverCore& c, Time t) { c.stop(t, false); });
  ASSERT_EQ(1u, h_.calls<Teardown>().size());
  EXPECT_EQ(1, h_.unlinks);
}

TEST_F(HttpWire, SubscribeUsesTheV1Numbering) {
  Options o = CoreHarness::defaults();
  o.framework.mutable_id()->set_value("framework-1");
  o.suppressedRoles = {"role1", "*"};
  CoreHarness h(o, makeHttpCodec());
  h.detect();
  ASSERT_EQ(1u, h.sent.size());
  Try<WireMessage> wire = h.codec().encode(h.sent[0].call);
  ASSERT_TRUE(wire.isSome()) << wire.error();
  scheduler::Call call;
  // Parsed as v0, the roles would land in `force`'s number; read field 3 raw.
  ASSERT_TRUE(call.ParsePartialFromString(wire->body));
  EXPECT_EQ(scheduler::Call::SUBSCRIBE, call.type());
  EXPECT_EQ("framework-1", call.framework_id().value());
  scheduler::Call bare;
  bare.set_type(scheduler::Call::SUBSCRIBE);
  *bare.mutable_framework_id() = call.framework_id();
  std::string rest = wire->body.substr(bare.SerializeAsString().size());
  google::protobuf::UnknownFieldSet fields;
  ASSERT_TRUE(fields.ParseFromString(rest));
  ASSERT_EQ(1, fields.field_count());
  EXPECT_EQ(3, fields.field(0).number());
  V1CallSubscribe subscribe;
  ASSERT_TRUE(subscribe.ParseFromString(fields.field(0).length_delimited()));
  EXPECT_EQ("core-test", subscribe.framework_info().name());
  ASSERT_EQ(2, subscribe.suppressed_roles_size());
  EXPECT_EQ("*", subscribe.suppressed_roles(0));  // Sorted by the core.
  EXPECT_EQ("role1", subscribe.suppressed_roles(1));
}

TEST_F(HttpWire, ExecutorMessagesGoThroughTheMaster) {
  subscribe();
  h_.clear();
  h_.input([](DriverCore& c, Time t) {
    ExecutorID e;
    e.set_value("e");
    SlaveID s;
    s.set_value("agent-1");
    c.sendFrameworkMessage(t, e, s, "data");
  });
  ASSERT_EQ(1u, h_.sent.size());
  EXPECT_EQ(kMaster, h_.sent[0].to);
  scheduler::Call call;
  ASSERT_TRUE(call.ParseFromString(h_.codec().encode(h_.sent[0].call)->body));
  EXPECT_EQ(scheduler::Call::MESSAGE, call.type());
}

}  // namespace
}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
