#include "support/fixtures.hpp"
#include "process/decoder.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "process/route.hpp"

namespace mesos {
namespace internal {
namespace process {
namespace {

using mesos::testing::readFixture;
std::vector<HttpRequest> decodeAll(const std::string& bytes, size_t step) {
  RequestDecoder decoder;
  std::vector<HttpRequest> out;
  for (size_t pos = 0; pos < bytes.size(); pos += step) {
    auto ec = decoder.feed(bytes.data() + pos, std::min(step, bytes.size() - pos), out);
    EXPECT_FALSE(ec) << ec.message() << " at byte " << pos;
    if (ec) break;
  }
  EXPECT_FALSE(decoder.midRequest());
  return out;
}

TEST(DecoderTest, DecodesARealMasterStreamToTheScheduler) {
  // Real libprocess bytes: chunked bodies, libprocess User-Agent, pipelined.
  const std::string stream = readFixture("master-to-scheduler.stream");
  std::vector<HttpRequest> requests = decodeAll(stream, stream.size());
  ASSERT_EQ(34u, requests.size());

  size_t registered = 0, offers = 0, updates = 0;
  for (const HttpRequest& request : requests) {
    RoutedRequest routed = routeRequest(request);
    ASSERT_EQ(RoutedRequest::Kind::kMessage, routed.kind) << routed.reason;
    EXPECT_EQ("master", routed.from.id);
    EXPECT_EQ(5050, routed.from.port);
    EXPECT_TRUE(request.keepAlive);
    EXPECT_FALSE(request.body.empty());
    registered += routed.name == "mesos.internal.FrameworkRegisteredMessage";
    offers += routed.name == "mesos.internal.ResourceOffersMessage";
    updates += routed.name == "mesos.internal.StatusUpdateMessage";
  }
  EXPECT_EQ(1u, registered);
  EXPECT_EQ(16u, offers);
  EXPECT_EQ(17u, updates);
}

TEST(DecoderTest, DecodesMesosGoStyleContentLengthRequests) {
  // mesos-go: Content-Length bodies, Libprocess-From, Go's User-Agent.
  const std::string stream = readFixture("scheduler-to-master.stream");
  std::vector<HttpRequest> requests = decodeAll(stream, stream.size());
  ASSERT_EQ(34u, requests.size());
  for (const HttpRequest& request : requests) {
    EXPECT_TRUE(request.libprocessFrom.has_value());
    RoutedRequest routed = routeRequest(request);
    ASSERT_EQ(RoutedRequest::Kind::kMessage, routed.kind) << routed.reason;
    EXPECT_EQ("master", routed.receiverId);
    EXPECT_EQ(0u, routed.name.rfind("mesos.", 0)) << routed.name;
  }
}

TEST(DecoderTest, ByteByByteGivesTheSameRequests) {
  for (const char* name : {"master-to-scheduler.stream", "scheduler-to-master.stream",
                           "master-to-agent.stream"}) {
    const std::string stream = readFixture(name);
    std::vector<HttpRequest> whole = decodeAll(stream, stream.size());
    std::vector<HttpRequest> split = decodeAll(stream, 1);
    ASSERT_EQ(whole.size(), split.size()) << name;
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(whole[i].target, split[i].target);
      EXPECT_EQ(whole[i].body, split[i].body);
      EXPECT_EQ(whole[i].libprocessFrom, split[i].libprocessFrom);
    }
  }
}

TEST(DecoderTest, TenPipelinedRequestsInOneRead) {
  std::string bytes;
  for (int i = 0; i < 10; ++i) {
    const std::string body = "body-" + std::to_string(i);
    bytes += "POST /p/n" + std::to_string(i) +
             " HTTP/1.1\r\nLibprocess-From: s@127.0.0.1:1\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  RequestDecoder decoder;
  std::vector<HttpRequest> out;
  ASSERT_FALSE(decoder.feed(bytes.data(), bytes.size(), out));
  ASSERT_EQ(10u, out.size());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ("/p/n" + std::to_string(i), out[i].target);
    EXPECT_EQ("body-" + std::to_string(i), out[i].body);
  }
}

TEST(DecoderTest, ReportsPartialRequests) {
  RequestDecoder decoder;
  std::vector<HttpRequest> out;
  const std::string head = "POST /p/n HTTP/1.1\r\nContent-Length: 4\r\n\r\nab";
  ASSERT_FALSE(decoder.feed(head.data(), head.size(), out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(decoder.midRequest());
  ASSERT_FALSE(decoder.feed("cd", 2, out));
  ASSERT_EQ(1u, out.size());
  EXPECT_EQ("abcd", out[0].body);
  EXPECT_FALSE(decoder.midRequest());
}

TEST(RouteTest, FollowsLibprocessRules) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/slave%281%29/mesos.internal.RunTaskMessage";
  request.userAgent = "libprocess/master@10.0.0.1:5050";
  RoutedRequest routed = routeRequest(request);
  ASSERT_EQ(RoutedRequest::Kind::kMessage, routed.kind);
  EXPECT_EQ("slave(1)", routed.receiverId);
  EXPECT_EQ("mesos.internal.RunTaskMessage", routed.name);
  EXPECT_EQ("master@10.0.0.1:5050", routed.from.toString());

  // Not a message without the identifying headers, or without POST.
  request.userAgent = "curl/8";
  EXPECT_EQ(RoutedRequest::Kind::kHttp, routeRequest(request).kind);
  request.libprocessFrom = "master@10.0.0.1:5050";
  request.method = "GET";
  EXPECT_EQ(RoutedRequest::Kind::kHttp, routeRequest(request).kind);

  // Libprocess-From wins over the User-Agent and is trimmed.
  request.method = "POST";
  request.userAgent = "libprocess/other@10.0.0.9:1";
  request.libprocessFrom = "  master@10.0.0.1:5050 ";
  EXPECT_EQ("master@10.0.0.1:5050", routeRequest(request).from.toString());

  request.target = "/a%zz/name";
  EXPECT_EQ(500, routeRequest(request).status);
  request.target = "relative/name";
  EXPECT_EQ(400, routeRequest(request).status);
  request.target = "/onlyid";
  EXPECT_EQ(RoutedRequest::Kind::kReject, routeRequest(request).kind);
  request.target = "/a+b/name";
  EXPECT_EQ("a b", routeRequest(request).receiverId);
  request.libprocessFrom = "garbage";
  EXPECT_EQ(400, routeRequest(request).status);
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
