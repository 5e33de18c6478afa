// The driver on the v1 scheduler HTTP API against a scripted master
// (support/fake_http_master.hpp): what goes on the wire (paths, headers,
// v1 bodies, stream ids, Basic credentials), the classic callbacks the events
// become, and every kind of bad input on the event stream, each of which must
// be a log line and a new subscription (or error() where the master said so),
// never a crash or a hang. The conversation with the simulated master is in
// tests/master/cluster_wires_test.cpp.

#include <fstream>
#include <set>
#include <sstream>

#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <messages/messages.pb.h>

#include "common/recordio.hpp"
#include "support/fake_http_master.hpp"
#include "sched/http_channel.hpp"
#include "support/listening_sockets.hpp"
#include "support/recording_scheduler.hpp"

namespace mesos {
namespace testing {
namespace {

using scheduler::Call;
using scheduler::Event;
using std::chrono::milliseconds;

OfferID offerId(const std::string& v) {
  OfferID id;
  id.set_value(v);
  return id;
}
ExecutorID executorId(const std::string& v) {
  ExecutorID id;
  id.set_value(v);
  return id;
}
SlaveID slaveId(const std::string& v) {
  SlaveID id;
  id.set_value(v);
  return id;
}

FrameworkInfo framework() {
  FrameworkInfo info;
  info.set_name("http-test");
  info.set_user("tester");
  return info;
}


class HttpApiTest : public ::testing::Test {
 protected:
  DriverConfig config() {
    DriverConfig c;
    c.scheduler = &sched_;
    c.framework = framework();
    c.master = master_.url();
    c.registrationBackoffFactor = milliseconds(50);  // Quick resubscriptions.
    return c;
  }

  void start(DriverConfig c) {
    driver_ = std::make_unique<MesosSchedulerDriver>(std::move(c));
    ASSERT_EQ(DRIVER_RUNNING, driver_->start());
  }

  // Started, subscribed with a heartbeat interval, registered() seen.
  std::shared_ptr<FakeHttpMaster::Stream> subscribe(DriverConfig c, double heartbeat = 15) {
    start(std::move(c));
    auto stream = master_.expectSubscribe();
    if (stream == nullptr) {
      ADD_FAILURE() << "no SUBSCRIBE";
      return nullptr;
    }
    stream->head("stream-1");
    stream->event(FakeHttpMaster::subscribed("framework-1", heartbeat));
    EXPECT_TRUE(sched_.wait(Callback::kRegistered).has_value());
    return stream;
  }

  static Event offers(const std::string& id) {
    Event e;
    e.set_type(Event::OFFERS);
    Offer* offer = e.mutable_offers()->add_offers();
    offer->mutable_id()->set_value(id);
    offer->mutable_framework_id()->set_value("framework-1");
    offer->mutable_slave_id()->set_value("agent-1");
    offer->set_hostname("localhost");
    return e;
  }

  // The driver abandoned `stream` and subscribed again (with the framework id
  // once it had one).
  void expectResubscription(const std::shared_ptr<FakeHttpMaster::Stream>& stream,
                            const std::string& frameworkId = "framework-1") {
    auto next = master_.expectSubscribe();
    ASSERT_NE(nullptr, next) << "the driver did not subscribe again";
    EXPECT_EQ(frameworkId, next->request().call.framework_id().value());
    EXPECT_TRUE(waitUntil([&] { return stream->closedByPeer(); }))
        << "the bad stream was not closed";
  }

  FakeHttpMaster master_;
  RecordingScheduler sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;
};

TEST_F(HttpApiTest, SubscribesWithV1ProtobufAndNoListeningSocket) {
  const std::set<std::string> before = listeningSockets();
  DriverConfig c = config();
  Credential credential;
  credential.set_principal("alice");
  credential.set_secret("s3cret");
  c.credential = credential;
  c.suppressedRoles = {"r1"};
  start(c);
  auto stream = master_.expectSubscribe();
  ASSERT_NE(nullptr, stream);
  const HttpCallRequest& request = stream->request();
  EXPECT_EQ("/api/v1/scheduler", request.target);
  EXPECT_EQ("application/x-protobuf", request.header("content-type"));
  EXPECT_EQ("application/x-protobuf", request.header("accept"));
  EXPECT_EQ("Basic YWxpY2U6czNjcmV0", request.header("authorization"));  // alice:s3cret
  EXPECT_EQ("", request.header("mesos-stream-id"));
  EXPECT_EQ("", request.header("libprocess-from"));
  EXPECT_EQ(std::string::npos, request.header("user-agent").find("libprocess/"));
  EXPECT_EQ(Call::SUBSCRIBE, request.call.type());
  // Field 3 holds the v1 Subscribe: roles at number 2, which v0 reads as `force`.
  google::protobuf::UnknownFieldSet fields;
  ASSERT_TRUE(fields.ParseFromString(request.body));
  std::optional<internal::V1CallSubscribe> v1;
  for (int i = 0; i < fields.field_count(); ++i) {
    if (fields.field(i).number() != 3) continue;
    v1.emplace();
    ASSERT_TRUE(v1->ParseFromString(fields.field(i).length_delimited()));
  }
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ("http-test", v1->framework_info().name());
  ASSERT_EQ(1, v1->suppressed_roles_size());
  EXPECT_EQ("r1", v1->suppressed_roles(0));
  // In HTTP mode the driver opened no listener (the fake master's own is older).
  EXPECT_EQ(before, listeningSockets());
}

TEST_F(HttpApiTest, CallsCarryTheStreamIdAndEventsBecomeCallbacks) {
  auto stream = subscribe(config());
  ASSERT_NE(nullptr, stream);
  EXPECT_EQ("framework-1", sched_.wait(Callback::kRegistered)->frameworkId.value());

  stream->event(offers("o1"));
  ASSERT_TRUE(sched_.wait(Callback::kResourceOffers).has_value());
  Filters filters;
  filters.set_refuse_seconds(7);
  driver_->declineOffer(offerId("o1"), filters);
  std::optional<HttpCallRequest> decline = master_.expectCall(Call::DECLINE);
  ASSERT_TRUE(decline.has_value());
  EXPECT_EQ("stream-1", decline->header("mesos-stream-id"));
  EXPECT_EQ("framework-1", decline->call.framework_id().value());
  EXPECT_EQ("o1", decline->call.decline().offer_ids(0).value());
  EXPECT_EQ(7, decline->call.decline().filters().refuse_seconds());

  // An update with a uuid is acknowledged after statusUpdate() returned.
  Event update;
  update.set_type(Event::UPDATE);
  TaskStatus* status = update.mutable_update()->mutable_status();
  status->mutable_task_id()->set_value("t1");
  status->set_state(TASK_RUNNING);
  status->mutable_slave_id()->set_value("agent-1");
  status->set_uuid("0123456789abcdef");
  stream->event(update);
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate).has_value());
  std::optional<HttpCallRequest> ack = master_.expectCall(Call::ACKNOWLEDGE);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ("t1", ack->call.acknowledge().task_id().value());
  EXPECT_EQ("agent-1", ack->call.acknowledge().slave_id().value());
  EXPECT_EQ("0123456789abcdef", ack->call.acknowledge().uuid());

  // Executor data goes through the master.
  driver_->sendFrameworkMessage(executorId("e1"), slaveId("agent-1"), "ping");
  std::optional<HttpCallRequest> message = master_.expectCall(Call::MESSAGE);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ("ping", message->call.message().data());

  // FAILURE without and with an executor.
  Event lost;
  lost.set_type(Event::FAILURE);
  lost.mutable_failure()->mutable_slave_id()->set_value("agent-2");
  stream->event(lost);
  Event exited = lost;
  exited.mutable_failure()->mutable_executor_id()->set_value("e1");
  exited.mutable_failure()->set_status(256);
  stream->event(exited);
  ASSERT_TRUE(sched_.wait(Callback::kSlaveLost).has_value());
  ASSERT_TRUE(sched_.wait(Callback::kExecutorLost).has_value());
  EXPECT_EQ(256, sched_.wait(Callback::kExecutorLost)->exitStatus);

  // stop() sends TEARDOWN and closes the stream only after it was answered.
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop());
  ASSERT_TRUE(master_.expectCall(Call::TEARDOWN).has_value());
  EXPECT_TRUE(waitUntil([&] { return stream->closedByPeer(); }));
}

TEST_F(HttpApiTest, ErrorEventAbortsAndCallsError) {
  auto stream = subscribe(config());
  ASSERT_NE(nullptr, stream);
  Event error;
  error.set_type(Event::ERROR);
  error.mutable_error()->set_message("Framework failed over");
  stream->event(error);
  auto e = sched_.wait(Callback::kError);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ("Framework failed over", e->message);
  EXPECT_EQ(DRIVER_ABORTED, driver_->join());
}

TEST_F(HttpApiTest, UnauthorizedIsAnErrorWithTheMastersReason) {
  start(config());
  auto stream = master_.expectSubscribe();
  ASSERT_NE(nullptr, stream);
  stream->answer(401, "WWW-Authenticate: Basic realm=\"mesos-master-scheduler\"\r\n",
                 "401 Unauthorized.");
  auto e = sched_.wait(Callback::kError);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ("Master refused authentication: 401 Unauthorized.", e->message);
}

TEST_F(HttpApiTest, RefusedCallIsALogLineNotACrash) {
  auto stream = subscribe(config());
  ASSERT_NE(nullptr, stream);
  master_.answerCalls(400, "Failed to validate scheduler::Call: no such offer");
  driver_->declineOffer(offerId("nope"), Filters());
  ASSERT_TRUE(master_.expectCall(Call::DECLINE).has_value());
  master_.answerCalls(202);
  driver_->reviveOffers();
  ASSERT_TRUE(master_.expectCall(Call::REVIVE).has_value());
  EXPECT_TRUE(driver_->connected());
  EXPECT_EQ(0u, sched_.count(Callback::kError));
}

TEST_F(HttpApiTest, MissedHeartbeatsDisconnectAndResubscribe) {
  auto stream = subscribe(config(), /*heartbeat=*/0.2);
  ASSERT_NE(nullptr, stream);
  // The master goes silent with the connection open (as when it is frozen).
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected).has_value());
  ASSERT_NO_FATAL_FAILURE(expectResubscription(stream));
}

TEST_F(HttpApiTest, HeartbeatsKeepTheSubscription) {
  auto stream = subscribe(config(), /*heartbeat=*/0.2);
  ASSERT_NE(nullptr, stream);
  // Three seconds of heartbeats every 100 ms (15 intervals of silence-limit 1 s).
  for (int i = 0; i < 30; ++i) {
    stream->event(FakeHttpMaster::heartbeat());
    std::this_thread::sleep_for(milliseconds(100));  // The master's pace, not a wait.
  }
  EXPECT_EQ(0u, sched_.count(Callback::kDisconnected));
  EXPECT_EQ(1u, master_.subscribeCount());
}

TEST_F(HttpApiTest, StreamEndIsADisconnectionAndAResubscription) {
  auto stream = subscribe(config());
  ASSERT_NE(nullptr, stream);
  stream->write("0\r\n\r\n");  // The end of the chunked body.
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected).has_value());
  auto next = master_.expectSubscribe();
  ASSERT_NE(nullptr, next);
  next->head("stream-2");
  next->event(FakeHttpMaster::subscribed("framework-1", 15));
  ASSERT_TRUE(sched_.wait(Callback::kReregistered).has_value());
  // Calls now carry the new stream's id.
  driver_->reviveOffers();
  std::optional<HttpCallRequest> revive = master_.expectCall(Call::REVIVE);
  ASSERT_TRUE(revive.has_value());
  EXPECT_EQ("stream-2", revive->header("mesos-stream-id"));
}

// A master slow to send SUBSCRIBED after its `200` is waited for: registration
// retries (every <= 50 ms here) do not fail the driver's own stream over.
TEST_F(HttpApiTest, SlowSubscribedKeepsTheAcceptedStream) {
  start(config());
  auto stream = master_.expectSubscribe();
  ASSERT_NE(nullptr, stream);
  stream->head("slow-stream");
  std::this_thread::sleep_for(milliseconds(500));  // The master's slowness under test.
  stream->event(FakeHttpMaster::subscribed("framework-1", 15));
  ASSERT_TRUE(sched_.wait(Callback::kRegistered).has_value());
  EXPECT_EQ(1u, master_.subscribeCount());
}

TEST_F(HttpApiTest, UnknownEventTypeIsSkipped) {
  auto stream = subscribe(config());
  ASSERT_NE(nullptr, stream);
  std::string unknown = FakeHttpMaster::heartbeat().SerializeAsString();
  unknown[1] = 99;  // Event.type = 99.
  std::string record;
  internal::appendRecord(record, unknown);
  stream->chunk(record);
  stream->event(offers("marker"));
  ASSERT_TRUE(sched_.wait(Callback::kResourceOffers).has_value());
  EXPECT_EQ(1u, master_.subscribeCount());
  EXPECT_EQ(0u, sched_.count(Callback::kDisconnected));
}

// ---- Bad input on the event stream: a log line and a new subscription -----------

struct BadStream {
  const char* name;
  std::string streamId;  // Of the head; empty: none.
  std::string bytes;     // Chunk(s) after SUBSCRIBED, raw.
  bool closeAfter;
};

std::string oneChunk(const std::string& payload) {
  std::ostringstream size;
  size << std::hex << payload.size();
  return size.str() + "\r\n" + payload + "\r\n";
}

class HttpApiBadStreamTest : public HttpApiTest,
                             public ::testing::WithParamInterface<BadStream> {};

TEST_P(HttpApiBadStreamTest, LogsAndSubscribesAgain) {
  const BadStream& bad = GetParam();
  DriverConfig c = config();
  c.maxMessageBytes = 4096;  // The record limit.
  auto stream = subscribe(c);
  ASSERT_NE(nullptr, stream);
  stream->write(bad.bytes);
  if (bad.closeAfter) stream->close();
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected).has_value()) << bad.name;
  ASSERT_NO_FATAL_FAILURE(expectResubscription(stream));
  EXPECT_EQ(0u, sched_.count(Callback::kError));
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop());
}

INSTANTIATE_TEST_SUITE_P(
    Records, HttpApiBadStreamTest,
    ::testing::Values(
        BadStream{"LengthNotANumber", "s", oneChunk("12x\nabcdefghijkl"), false},
        BadStream{"LengthOverTheLimit", "s", oneChunk("4097\n"), false},
        BadStream{"TruncatedRecordThenEof", "s", oneChunk("100\nabc"), true},
        BadStream{"NotProtobuf", "s", oneChunk("5\n\xff\xff\xff\xff\xff"), false},
        BadStream{"BadChunking", "s", "zz\r\nnot a chunk\r\n", false}),
    [](const ::testing::TestParamInfo<BadStream>& info) { return std::string(info.param.name); });

TEST_F(HttpApiTest, MissingStreamIdIsRefusedAndRetried) {
  start(config());
  auto stream = master_.expectSubscribe();
  ASSERT_NE(nullptr, stream);
  stream->head("");
  stream->event(FakeHttpMaster::subscribed("framework-1", 15));
  ASSERT_NO_FATAL_FAILURE(expectResubscription(stream, ""));
  EXPECT_EQ(0u, sched_.count(Callback::kRegistered));
}

TEST_F(HttpApiTest, RedirectIsFollowedToTheLeader) {
  FakeHttpMaster leader;
  start(config());
  auto standby = master_.expectSubscribe();
  ASSERT_NE(nullptr, standby);
  standby->answer(307, "Location: //127.0.0.1:" + std::to_string(leader.port()) +
                           "/master/api/v1/scheduler\r\n");
  auto stream = leader.expectSubscribe();
  ASSERT_NE(nullptr, stream);
  stream->head("leader-stream");
  stream->event(FakeHttpMaster::subscribed("framework-1", 15));
  ASSERT_TRUE(sched_.wait(Callback::kRegistered).has_value());
  driver_->reviveOffers();
  // Calls go to the leader too.
  ASSERT_TRUE(leader.expectCall(Call::REVIVE).has_value());
  EXPECT_EQ(0u, master_.callCount(Call::REVIVE));
}

TEST_F(HttpApiTest, RedirectLoopIsBrokenAndRetriedWithBackoff) {
  start(config());
  const std::string self = "Location: //127.0.0.1:" + std::to_string(master_.port()) +
                           "/master/api/v1/scheduler\r\n";
  // Four redirects are followed; the fifth ends the attempt, which is retried.
  for (int i = 0; i < 7; ++i) {
    auto stream = master_.expectSubscribe();
    ASSERT_NE(nullptr, stream) << "attempt " << i;
    stream->answer(307, self);
  }
  EXPECT_EQ(0u, sched_.count(Callback::kError));
}

TEST_F(HttpApiTest, LocationThatIsNotAUrlIsRetried) {
  start(config());
  for (const char* location : {"Location: not a url\r\n", "Location: //host-without-port\r\n",
                               "Location: ftp://127.0.0.1:1/x\r\n", ""}) {
    auto stream = master_.expectSubscribe();
    ASSERT_NE(nullptr, stream) << location;
    stream->answer(307, location);
  }
  ASSERT_NE(nullptr, master_.expectSubscribe());
  EXPECT_EQ(0u, sched_.count(Callback::kError));
}

TEST_F(HttpApiTest, UnavailableMasterIsRetried) {
  start(config());
  auto stream = master_.expectSubscribe();
  ASSERT_NE(nullptr, stream);
  stream->answer(503, "", "No leader elected");
  ASSERT_NE(nullptr, master_.expectSubscribe());
  EXPECT_EQ(0u, sched_.count(Callback::kError));
}

TEST_F(HttpApiTest, ApiSelectedByConfigAndEnvironment) {
  DriverConfig c = config();
  c.master = "127.0.0.1:" + std::to_string(master_.port());
  c.api = DriverConfig::Api::kHttp;
  start(c);
  ASSERT_NE(nullptr, master_.expectSubscribe());
  driver_.reset();

  DriverConfig e = config();
  e.master = "master@127.0.0.1:" + std::to_string(master_.port());
  ::setenv("MESOS_SCHEDULER_API", "http", 1);
  start(e);
  ::unsetenv("MESOS_SCHEDULER_API");
  ASSERT_NE(nullptr, master_.expectSubscribe());
  driver_.reset();

  DriverConfig bad = config();
  bad.master = "127.0.0.1:1";
  ::setenv("MESOS_SCHEDULER_API", "grpc", 1);
  driver_ = std::make_unique<MesosSchedulerDriver>(bad);
  EXPECT_EQ(DRIVER_ABORTED, driver_->start());
  ::unsetenv("MESOS_SCHEDULER_API");
}

}  // namespace
}  // namespace testing
}  // namespace mesos

namespace mesos {
namespace testing {
namespace {

// The channel alone: a redirect chain is cut after `maxRedirects` hops and
// reported as the end of the attempt (the core then retries with backoff).
TEST(HttpChannelTest, RedirectChainIsCutAfterTheBound) {
  FakeHttpMaster master;
  IoThread io;
  std::mutex mutex;
  std::vector<std::string> ended;
  std::unique_ptr<internal::sched::HttpChannel> channel;
  io.run([&] {
    internal::sched::HttpChannel::Options options;
    options.maxRedirects = 2;
    internal::sched::HttpChannel::Handlers handlers;
    handlers.record = [](std::string) {};
    handlers.streamEnded = [&](const std::string& why) {
      std::lock_guard<std::mutex> lock(mutex);
      ended.push_back(why);
    };
    handlers.answer = [](const std::string&, int, const std::string&) {};
    channel = std::make_unique<internal::sched::HttpChannel>(io.io(), options, handlers);
    channel->setMaster({"127.0.0.1", master.port()});
    Call subscribe;
    subscribe.set_type(Call::SUBSCRIBE);
    channel->subscribe(subscribe.SerializeAsString());
  });
  const std::string self = "Location: //127.0.0.1:" + std::to_string(master.port()) + "/x\r\n";
  for (int i = 0; i < 3; ++i) {  // The first request and two redirects.
    auto stream = master.expectSubscribe();
    ASSERT_NE(nullptr, stream) << "request " << i;
    stream->answer(307, self);
  }
  ASSERT_TRUE(waitUntil([&] {
    std::lock_guard<std::mutex> lock(mutex);
    return !ended.empty();
  }));
  EXPECT_NE(std::string::npos, ended[0].find("too many redirects")) << ended[0];
  EXPECT_EQ(3u, master.subscribeCount());
  io.run([&] { channel.reset(); });
}

}  // namespace
}  // namespace testing
}  // namespace mesos
