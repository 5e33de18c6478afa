// The simulated master's v1 scheduler HTTP API: the status code of each
// request-level rule (docs/protocol.md, "The v1 scheduler HTTP API"), stream
// id rules, HTTP Basic authentication, bad input, and a libprocess framework
// beside an HTTP one.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <google/protobuf/stubs/strutil.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include "http_api_fixture.hpp"
#include "support/latch.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::Invoke;

std::string basic(const std::string& principal, const std::string& secret) {
  std::string encoded;
  google::protobuf::Base64Escape(principal + ":" + secret, &encoded);
  return "Basic " + encoded;
}

TEST_F(HttpApiTest, RequestLevelStatusCodes) {
  startMaster();
  const std::string subscribe = v1SubscribeBody(frameworkInfo());

  HttpResult get = httpRequest(port_, "GET", "/api/v1/scheduler", "", "");
  EXPECT_EQ(405, get.status);
  EXPECT_EQ("POST", get.header("Allow"));

  HttpResult noType = httpRequest(port_, "POST", "/api/v1/scheduler", "", subscribe);
  EXPECT_EQ(400, noType.status);
  EXPECT_EQ("Expecting 'Content-Type' to be present", noType.body);

  // An exact match only: no parameters.
  EXPECT_EQ(415, httpRequest(port_, "POST", "/api/v1/scheduler", "application/json; charset=utf-8",
                             "{}").status);
  EXPECT_EQ(415, httpRequest(port_, "POST", "/api/v1/scheduler", "text/plain", subscribe).status);

  HttpResult garbage = httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, "\xff\xff\xff");
  EXPECT_EQ(400, garbage.status);
  EXPECT_EQ("Failed to parse body into Call protobuf", garbage.body);

  HttpResult badJson = httpRequest(port_, "POST", "/api/v1/scheduler", kJson, "{\"type\":");
  EXPECT_EQ(400, badJson.status);
  EXPECT_EQ(0u, badJson.body.find("Failed to parse body into JSON")) << badJson.body;
  HttpResult wrongJson = httpRequest(port_, "POST", "/api/v1/scheduler", kJson, "{\"type\":[1]}");
  EXPECT_EQ(400, wrongJson.status);
  EXPECT_EQ(0u, wrongJson.body.find("Failed to convert JSON into Call protobuf")) << wrongJson.body;

  Call noId;
  noId.set_type(Call::REVIVE);
  HttpResult invalid = postCall(port_, noId);
  EXPECT_EQ(400, invalid.status);
  EXPECT_EQ("Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
            invalid.body);

  EXPECT_EQ(406, httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, subscribe,
                             {{"Accept", "text/html"}}).status);
  EXPECT_EQ(406, httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, subscribe,
                             {{"Accept", "application/*;q=0"}}).status);
  EXPECT_EQ(400, httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, subscribe,
                             {{"Mesos-Stream-Id", "x"}}).status);

  FrameworkID unknown;
  unknown.set_value("no-such-framework");
  HttpResult notFound = postCall(port_, callFor(unknown, Call::REVIVE), {{"Mesos-Stream-Id", "x"}});
  EXPECT_EQ(400, notFound.status);
  EXPECT_EQ("Framework cannot be found", notFound.body);
}

TEST_F(HttpApiTest, StreamIdRules) {
  startMaster();
  FrameworkID id;
  auto stream = subscribe(&id);
  HttpResult missing = postCall(port_, callFor(id, Call::REVIVE));
  EXPECT_EQ(400, missing.status);
  EXPECT_EQ("All non-subscribe calls should include the 'Mesos-Stream-Id' header", missing.body);
  HttpResult foreign = postCall(port_, callFor(id, Call::REVIVE), {{"Mesos-Stream-Id", "other"}});
  EXPECT_EQ(400, foreign.status);
  EXPECT_NE(std::string::npos, foreign.body.find("didn't match")) << foreign.body;
  EXPECT_EQ(202, postCall(port_, callFor(id, Call::REVIVE), streamHeader(*stream)).status);

  Call unknownType = callFor(id, Call::UNKNOWN);
  EXPECT_EQ(501, postCall(port_, unknownType, streamHeader(*stream)).status);

  // UPDATE_FRAMEWORK is answered at once: 200, or 400 for an invalid update.
  Call update = callFor(id, Call::UPDATE_FRAMEWORK);
  *update.mutable_update_framework()->mutable_framework_info() = frameworkInfo("renamed");
  *update.mutable_update_framework()->mutable_framework_info()->mutable_id() = id;
  EXPECT_EQ(200, postCall(port_, update, streamHeader(*stream)).status);
  update.mutable_update_framework()->add_suppressed_roles("not-a-role-of-it");
  EXPECT_EQ(400, postCall(port_, update, streamHeader(*stream)).status);
  EXPECT_NE(std::string::npos, state().find("\"name\":\"renamed\""));
}

TEST_F(HttpApiTest, BadInputNeverCrashes) {
  MasterOptions options = fastMasterOptions();
  startMaster(options);
  // A body over the transport's limit, announced by its length: 413.
  {
    boost::asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
    setReadTimeout(socket, scaled(std::chrono::seconds(10)));
    const std::string head =
        "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
        "Content-Length: 100000000000\r\n\r\nabc";
    boost::asio::write(socket, boost::asio::buffer(head));
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    boost::system::error_code ec;
    http::read(socket, buffer, response, ec);
    EXPECT_EQ(413, response.result_int());
  }
  // A subscription whose FrameworkInfo is refused: 200, then ERROR and the end.
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(-1);
  EventStream refused(port_, kProtobuf, v1SubscribeBody(info), {{"Accept", kProtobuf}});
  EXPECT_EQ(200, refused.status());
  std::optional<Event> error = refused.nextEvent();
  ASSERT_TRUE(error);
  EXPECT_EQ(Event::ERROR, error->type());
  EXPECT_TRUE(refused.waitEnd());
  // Random bytes of every size: 4xx, and the master still serves.
  for (size_t size : {1u, 7u, 100u, 4096u}) {
    std::string junk(size, '\0');
    for (size_t i = 0; i < size; ++i) junk[i] = static_cast<char>((i * 131 + size) & 0xff);
    const int status = httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, junk).status;
    EXPECT_GE(status, 400);
    EXPECT_LT(status, 500);
    EXPECT_EQ(400, httpRequest(port_, "POST", "/api/v1/scheduler", kJson, junk).status);
  }
  FrameworkID id;
  subscribe(&id);
}

TEST_F(HttpApiTest, BasicAuthentication) {
  MasterOptions options = fastMasterOptions();
  options.authenticateHttpFrameworks = true;
  Credential credential;
  credential.set_principal("alice");
  credential.set_secret("s3cret");
  options.credentials.push_back(credential);
  startMaster(options);
  const std::string body = v1SubscribeBody(frameworkInfo());

  for (const Headers& headers :
       {Headers{}, Headers{{"Authorization", basic("alice", "wrong")}},
        Headers{{"Authorization", basic("bob", "s3cret")}},
        Headers{{"Authorization", "Bearer abc"}}, Headers{{"Authorization", "Basic !!!"}}}) {
    HttpResult result = httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, body, headers);
    EXPECT_EQ(401, result.status);
    EXPECT_EQ("Basic realm=\"mesos-master-scheduler\"", result.header("WWW-Authenticate"));
  }
  // Every request, not only SUBSCRIBE.
  EXPECT_EQ(401, httpRequest(port_, "GET", "/api/v1/scheduler", "", "").status);

  FrameworkInfo other = frameworkInfo();
  other.set_principal("carol");
  EXPECT_EQ(400, httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf, v1SubscribeBody(other),
                             {{"Authorization", basic("alice", "s3cret")}}).status);

  FrameworkID id;
  auto stream = subscribe(&id, frameworkInfo(),
                          {{"Accept", kProtobuf}, {"Authorization", basic("alice", "s3cret")}});
  EXPECT_NE(std::string::npos, state().find("\"principal\":\"alice\""));
  EXPECT_EQ(401, postCall(port_, callFor(id, Call::REVIVE), streamHeader(*stream)).status);
  Headers authorized = streamHeader(*stream);
  authorized.emplace_back("Authorization", basic("alice", "s3cret"));
  EXPECT_EQ(202, postCall(port_, callFor(id, Call::REVIVE), authorized).status);
}

TEST_F(HttpApiTest, LibprocessAndHttpFrameworksSideBySide) {
  MasterOptions options = fastMasterOptions();
  options.numAgents = 2;
  startMaster(options);
  const std::string pid = io_.run([this] { return master_->pid().toString(); });

  mock::MockScheduler sched;
  Latch registered;
  Latch offered;
  std::mutex mutex;
  FrameworkID driverId;
  EXPECT_CALL(sched, registered(_, _, _))
      .WillOnce(Invoke([&](SchedulerDriver*, const FrameworkID& id, const MasterInfo&) {
        std::lock_guard<std::mutex> lock(mutex);
        driverId = id;
        registered.notify();
      }));
  EXPECT_CALL(sched, resourceOffers(_, _))
      .Times(AnyNumber())
      .WillRepeatedly(Invoke([&](SchedulerDriver* d, const std::vector<Offer>& offers) {
        // Declined for long: the HTTP framework gets them next.
        Filters filters;
        filters.set_refuse_seconds(3600);
        for (const Offer& offer : offers) d->declineOffer(offer.id(), filters);
        offered.notify();
      }));
  EXPECT_CALL(sched, offerRescinded(_, _)).Times(AnyNumber());
  EXPECT_CALL(sched, disconnected(_)).Times(AnyNumber());
  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("libprocess-framework");
  config.master = pid;
  auto driver = std::make_unique<MesosSchedulerDriver>(config);
  ASSERT_EQ(DRIVER_RUNNING, driver->start());
  ASSERT_TRUE(registered.wait(1));

  FrameworkID id;
  auto stream = subscribe(&id);
  EXPECT_NE(id.value(), driverId.value());
  // Both are offered resources.
  EXPECT_TRUE(offered.wait(1));
  EXPECT_TRUE(stream->waitFor(Event::OFFERS));

  // The libprocess framework cannot be driven over HTTP.
  HttpResult refused = postCall(port_, callFor(driverId, Call::REVIVE), streamHeader(*stream));
  EXPECT_EQ(403, refused.status);
  EXPECT_EQ("Framework is not connected via HTTP", refused.body);
  driver->stop();
  driver->join();
}

}  // namespace
}  // namespace testing
}  // namespace mesos
