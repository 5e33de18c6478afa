// The v1 scheduler API on a master that does not lead: a standby redirects to
// the leader it knows (a real ZooKeeper server, tests/support), and without a
// known leader answers 503.

#include <gtest/gtest.h>

#include <string>

#include "http_api_fixture.hpp"
#include "support/zookeeper_server.hpp"

namespace mesos {
namespace testing {
namespace {

TEST_F(HttpApiTest, NoLeaderKnownIs503) {
  MasterOptions options = fastMasterOptions();
  options.zk = "zk://127.0.0.1:1/mesos";  // Nothing listens there: never elected.
  startMaster(options);
  HttpResult result = postCall(port_, Call());
  EXPECT_EQ(503, result.status);
  EXPECT_EQ("No leader elected", result.body);
  EXPECT_EQ(503, httpRequest(port_, "GET", "/master/redirect", "", "").status);
}

TEST_F(HttpApiTest, StandbyRedirectsToTheLeader) {
  std::string error;
  auto zk = ZooKeeperServer::start(&error);
  ASSERT_TRUE(zk) << error;
  MasterOptions options = fastMasterOptions();
  options.zk = "zk://" + zk->connectString() + "/mesos";

  IoThread leaderIo;
  auto leader = std::make_unique<SimulatedMaster>(leaderIo.io(), options);
  ASSERT_FALSE(leaderIo.run([&] { return leader->start().isError(); }));
  const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(30));
  while (!leaderIo.run([&] { return leader->leading(); }) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // Polling a condition.
  }
  ASSERT_TRUE(leaderIo.run([&] { return leader->leading(); }));
  const uint16_t leaderPort = leaderIo.run([&] { return leader->pid().port; });

  startMaster(options);  // The standby.
  const std::string expected =
      "//127.0.0.1:" + std::to_string(leaderPort) + "/master/api/v1/scheduler";
  HttpResult result;
  do {
    result = httpRequest(port_, "POST", "/api/v1/scheduler", kProtobuf,
                         v1SubscribeBody(frameworkInfo()));
  } while (result.status == 503 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(307, result.status);
  EXPECT_EQ(expected, result.header("Location"));
  HttpResult redirect = httpRequest(port_, "GET", "/master/redirect", "", "");
  EXPECT_EQ(307, redirect.status);
  EXPECT_EQ("//127.0.0.1:" + std::to_string(leaderPort), redirect.header("Location"));

  // The leader serves the API itself.
  EventStream stream(leaderPort, kProtobuf, v1SubscribeBody(frameworkInfo()),
                     {{"Accept", kProtobuf}});
  EXPECT_EQ(200, stream.status());
  leaderIo.run([&] {
    leader.reset();
    return 0;
  });
}

}  // namespace
}  // namespace testing
}  // namespace mesos
