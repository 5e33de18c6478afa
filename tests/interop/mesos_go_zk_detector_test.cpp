// Interop: mesos-go 0.0.6's ZooKeeper master detector (tests/interop/go/
// zk_detector, built offline from Debian's sources) finds our simulated master
// as the leader in a real ZooKeeper (started by the test on a free loopback
// port). That proves the `json.info_` member our masters write is the format
// third-party clients read. A standby master is started too, so the Go side
// must pick the leader, not just any member.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/child_process.hpp"
#include "support/zookeeper_server.hpp"

namespace mesos {
namespace testing {
namespace {

using std::chrono::seconds;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts `mesos-local-master --zk=<url>`; its UPID from the banner.
std::string startMaster(const std::string& url, std::unique_ptr<Child>* out) {
  std::string error;
  *out = Child::start(MESOS_LOCAL_MASTER, {"--ip=127.0.0.1", "--port=0", "--zk=" + url}, "", &error);
  EXPECT_TRUE(*out) << error;
  if (!*out) return "";
  const std::optional<std::string> line = (*out)->readLine(scaled(seconds(20)));
  static const std::regex banner(R"(^Simulated master (\S+) at (master@127\.0\.0\.1:\d+)$)");
  std::smatch match;
  if (!line || !std::regex_match(*line, match, banner)) {
    ADD_FAILURE() << "no banner from mesos-local-master" << (*out)->exitNote();
    return "";
  }
  return match[1].str() + " " + match[2].str();
}

TEST(MesosGoZooKeeperDetectorTest, SeesOurSimulatedMasterAsLeader) {
  // A missing dependency is a failure, not a skip: scripts/install-deps.sh (the
  // README's install step) installs Go, mesos-go and ZooKeeper.
#if !MESOS_GO_FOUND
  FAIL() << "Go toolchain not found when the build was configured; install golang-go "
            "golang-github-mesos-mesos-go-dev (scripts/install-deps.sh)";
#endif
  const std::string status = readFile(MESOS_GO_ZK_DETECTOR_STATUS);
  ASSERT_FALSE(status.empty()) << "the mesos-go zk_detector was never built";
  ASSERT_NE(77, std::atoi(status.c_str()))
      << "Go toolchain not found when the zk_detector was built; install golang-go "
         "golang-github-mesos-mesos-go-dev (scripts/install-deps.sh)";
  ASSERT_EQ(0, std::atoi(status.c_str())) << "building the mesos-go zk_detector failed:\n"
                                          << readFile(MESOS_GO_ZK_DETECTOR_LOG);

  std::string error;
  auto zk = ZooKeeperServer::start(&error);
  ASSERT_TRUE(zk) << error;
  const std::string url = "zk://" + zk->connectString() + "/mesos";
  std::unique_ptr<Child> leader;
  std::unique_ptr<Child> standby;
  const std::string leaderIdAndPid = startMaster(url, &leader);
  ASSERT_FALSE(leaderIdAndPid.empty());
  // The leader's member exists before the standby's: wait for it in ZooKeeper.
  auto client = ZooKeeperClient::connect(zk->connectString());
  ASSERT_TRUE(client);
  ASSERT_TRUE(waitUntil([&] { return client->children("/mesos").size() == 1; }, seconds(20)));
  ASSERT_FALSE(startMaster(url, &standby).empty());
  ASSERT_TRUE(waitUntil([&] { return client->children("/mesos").size() == 2; }, seconds(20)));

  auto go = Child::start(MESOS_GO_ZK_DETECTOR, {url}, "", &error);
  ASSERT_TRUE(go) << error;
  std::optional<std::string> line;
  do {
    line = go->readLine(scaled(seconds(60)));
  } while (line && *line == "none");
  ASSERT_TRUE(line) << "mesos-go detected no leader" << go->exitNote();
  // mesos-go prints "<pid> <id>"; our banner says "<id> <pid>".
  const size_t space = leaderIdAndPid.find(' ');
  EXPECT_EQ(leaderIdAndPid.substr(space + 1) + " " + leaderIdAndPid.substr(0, space), *line);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
