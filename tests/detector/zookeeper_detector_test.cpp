// The ZooKeeper master detector against a real ZooKeeper server (started by the
// test on a free loopback port): leader choice, failover to the next member,
// bad members, a real Mesos znode, a missing path, a server that is not up yet,
// a server restart, a forced session expiry, digest credentials and a leader
// that flaps. Members are written by the test's own ZooKeeper client, exactly
// as masters write them; what is checked is what the detector reports.

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "detector/detector.hpp"
#include "detector/zookeeper_format.hpp"
#include "support/io_thread.hpp"
#include "support/zookeeper_server.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::Try;
using internal::detector::DetectorOptions;
namespace process = internal::process;
using internal::detector::MasterDetector;
using Millis = std::chrono::milliseconds;

// Every report of a detector, in order.
class Reports {
 public:
  void add(const std::optional<MasterInfo>& leader) {
    std::lock_guard<std::mutex> lock(mutex_);
    pids_.push_back(leader ? leader->pid() : "");
    if (leader) last_ = *leader;
    changed_.notify_all();
  }
  // Waits until the latest report names `pid` ("" = no leader).
  bool waitLatest(const std::string& pid, Millis timeout = Millis(20000)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout),
                             [&] { return !pids_.empty() && pids_.back() == pid; });
  }
  std::vector<std::string> pids() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pids_;
  }
  MasterInfo last() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_;
  }
  std::string describe() const {
    std::string text;
    for (const std::string& pid : pids()) text += " [" + (pid.empty() ? "none" : pid) + "]";
    return text.empty() ? " (no report)" : text;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> pids_;
  MasterInfo last_;
};

std::string masterAt(uint16_t port) { return "master@127.0.0.1:" + std::to_string(port); }

std::string jsonInfo(uint16_t port) {
  Try<process::UPID> upid = process::UPID::parse(masterAt(port));
  return internal::detector::masterInfoJson(internal::detector::masterInfoFromUpid(upid.get()));
}

class ZooKeeperDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = ZooKeeperServer::start(&error);
    ASSERT_TRUE(server_) << error;
    client_ = ZooKeeperClient::connect(server_->connectString());
    ASSERT_TRUE(client_) << "cannot connect to the test's ZooKeeper server";
  }

  void TearDown() override {
    if (detector_) io_.run([&] { detector_->stop(); });
    detector_.reset();
  }

  std::string url(const std::string& path = "/mesos", const std::string& credentials = "") const {
    return "zk://" + credentials + server_->connectString() + path;
  }

  void detect(const std::string& master, Millis sessionTimeout = Millis(10000)) {
    DetectorOptions options;
    options.zkSessionTimeout = sessionTimeout;
    auto created = internal::detector::createMasterDetector(master, io_.io(), options);
    ASSERT_FALSE(created.isError()) << created.error();
    detector_ = created.get();
    io_.run([&] {
      detector_->start([this](const std::optional<MasterInfo>& leader) { reports_.add(leader); },
                       [this](const std::string& why) {
                         std::lock_guard<std::mutex> lock(failureMutex_);
                         failure_ = why;
                       });
    });
  }

  // A master's member: an ephemeral sequential `json.info_` znode.
  std::string join(uint16_t port, const std::string& path = "/mesos") {
    std::optional<std::string> created =
        client_->create(path + "/json.info_", jsonInfo(port), ZOO_EPHEMERAL_SEQUENTIAL);
    EXPECT_TRUE(created) << "could not create a member under " << path;
    return created.value_or("");
  }

  std::string failure() {
    std::lock_guard<std::mutex> lock(failureMutex_);
    return failure_;
  }

  IoThread io_;
  std::unique_ptr<ZooKeeperServer> server_;
  std::unique_ptr<ZooKeeperClient> client_;
  std::shared_ptr<MasterDetector> detector_;
  Reports reports_;
  std::mutex failureMutex_;
  std::string failure_;
};

TEST_F(ZooKeeperDetectorTest, LeaderIsLowestSequenceAndNextTakesOverWhenItGoes) {
  const std::string first = join(5001);
  const std::string second = join(5002);
  detect(url());
  ASSERT_TRUE(reports_.waitLatest(masterAt(5001))) << reports_.describe();

  ASSERT_TRUE(client_->remove(first));
  ASSERT_TRUE(reports_.waitLatest(masterAt(5002))) << reports_.describe();

  ASSERT_TRUE(client_->remove(second));
  ASSERT_TRUE(reports_.waitLatest("")) << reports_.describe();
  // Nothing but changes is reported.
  EXPECT_EQ(std::vector<std::string>({masterAt(5001), masterAt(5002), ""}), reports_.pids());
  EXPECT_EQ("", failure());
}

TEST_F(ZooKeeperDetectorTest, GarbageMemberIsSkippedAndOtherFormatsAreRead) {
  // Lowest sequences first: garbage JSON, then a label nobody knows, then the
  // replicated log's node (not a member at all), then a real one.
  ASSERT_TRUE(client_->create("/mesos/json.info_", "{not json", ZOO_EPHEMERAL_SEQUENTIAL));
  ASSERT_TRUE(client_->create("/mesos/weird_", jsonInfo(5009), ZOO_EPHEMERAL_SEQUENTIAL));
  ASSERT_TRUE(client_->create("/mesos/log_replicas", ""));
  const std::string real = join(5003);
  detect(url());
  ASSERT_TRUE(reports_.waitLatest(masterAt(5003))) << reports_.describe();
  EXPECT_EQ("", failure()) << "bad members must not fail detection";

  // The binary `info_` format (Mesos 0.17-0.23) and the bare UPID (<= 0.16),
  // behind the current leader, take over in sequence order.
  Try<process::UPID> upid = process::UPID::parse(masterAt(5004));
  const std::string binary = internal::detector::masterInfoFromUpid(upid.get()).SerializeAsString();
  ASSERT_TRUE(client_->create("/mesos/info_", binary, ZOO_EPHEMERAL_SEQUENTIAL));
  ASSERT_TRUE(client_->create("/mesos/", masterAt(5005), ZOO_EPHEMERAL_SEQUENTIAL));
  ASSERT_TRUE(client_->remove(real));
  ASSERT_TRUE(reports_.waitLatest(masterAt(5004))) << reports_.describe();
  for (const std::string& child : client_->children("/mesos")) {
    if (child.rfind("info_", 0) == 0) {
      ASSERT_TRUE(client_->remove("/mesos/" + child));
    }
  }
  ASSERT_TRUE(reports_.waitLatest(masterAt(5005))) << reports_.describe();
}

TEST_F(ZooKeeperDetectorTest, ReadsTheZnodeOfARealMesosMaster) {
  std::ifstream in(std::string(MESOS_FIXTURES_DIR) + "/zookeeper/json.info", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  ASSERT_FALSE(bytes.str().empty());
  ASSERT_TRUE(client_->create("/mesos/json.info_", bytes.str(), ZOO_EPHEMERAL_SEQUENTIAL));
  detect(url());
  ASSERT_TRUE(reports_.waitLatest("master@10.0.0.1:5050")) << reports_.describe();
  const MasterInfo info = reports_.last();
  EXPECT_EQ("b5a1c0de-6f7e-4a51-9c84-0d2a77d1f3e2", info.id());
  EXPECT_EQ(16777226u, info.ip());
  EXPECT_EQ(5050u, info.port());
  EXPECT_EQ("m1.example", info.address().hostname());
  EXPECT_EQ("1.11.0", info.version());
  ASSERT_EQ(3, info.capabilities_size());
  EXPECT_EQ(MasterInfo::Capability::QUOTA_V2, info.capabilities(2).type());
  // And what our masters write is byte for byte what a Mesos master writes.
  EXPECT_EQ(bytes.str(), internal::detector::masterInfoJson(info));
}

TEST_F(ZooKeeperDetectorTest, MissingPathIsCreatedAndWatched) {
  detect(url("/deep/er/mesos"));
  ASSERT_TRUE(waitUntil([&] { return client_->get("/deep/er/mesos").has_value(); },
                        Millis(20000)))
      << "the detector did not create the group's path";
  join(5006, "/deep/er/mesos");
  ASSERT_TRUE(reports_.waitLatest(masterAt(5006))) << reports_.describe();
}

TEST_F(ZooKeeperDetectorTest, ZooKeeperThatIsDownAtStartIsWaitedFor) {
  join(5007);
  server_->stop();
  // A short session timeout: the detector replaces its handle while it waits.
  detect(url(), Millis(1500));
  std::string error;
  ASSERT_TRUE(server_->restart(&error)) << error;
  // The test client's session (and so its member) survived the outage.
  ASSERT_TRUE(reports_.waitLatest(masterAt(5007), Millis(30000))) << reports_.describe();
}

TEST_F(ZooKeeperDetectorTest, ServerRestartKeepsSessionAndWatches) {
  const std::string first = join(5010);
  // The client reconnects every third of the timeout: keep it short, but longer
  // than the server's restart.
  detect(url(), Millis(12000));
  ASSERT_TRUE(reports_.waitLatest(masterAt(5010))) << reports_.describe();
  std::string error;
  ASSERT_TRUE(server_->restart(&error)) << error;
  // Reconnected within the session timeout: the session and its watch live on,
  // and a change made after the restart is seen.
  // The test's own client reconnects to its session too (its member lives on).
  ASSERT_TRUE(waitUntil(
      [&] {
        return client_->create("/mesos/json.info_", jsonInfo(5011), ZOO_EPHEMERAL_SEQUENTIAL)
            .has_value();
      },
      Millis(30000)));
  ASSERT_TRUE(client_->remove(first));
  ASSERT_TRUE(reports_.waitLatest(masterAt(5011), Millis(30000))) << reports_.describe();
  EXPECT_EQ(std::vector<std::string>({masterAt(5010), masterAt(5011)}), reports_.pids())
      << "a restart within the session timeout must not look like a lost leader";
}

TEST_F(ZooKeeperDetectorTest, ExpiredSessionMeansNoLeaderThenANewSession) {
  join(5012);
  detect(url());
  ASSERT_TRUE(reports_.waitLatest(masterAt(5012))) << reports_.describe();
  std::optional<std::pair<int64_t, std::string>> session;
  ASSERT_TRUE(waitUntil([&] { return (session = detector_->zkSession()).has_value(); }));
  // A takeover races with the detector's own reconnection (whoever reconnects
  // last owns the session, and a close from a non-owner is refused), so take
  // over until the session really ends; each try is bounded. A takeover that
  // fails because the session has just expired is fine.
  bool expired = false;
  for (int attempt = 0; attempt < 6 && !expired; ++attempt) {
    ZooKeeperClient::expire(server_->connectString(), *session);
    expired = waitUntil(
        [&] {
          const auto pids = reports_.pids();
          return pids.size() >= 2 && pids[1].empty();
        },
        Millis(5000));  // The client notices at its next ping: a third of 10 s.
  }
  ASSERT_TRUE(expired) << "could not expire the detector's session:" << reports_.describe();

  // The view empties, then a new session finds the same leader again.
  ASSERT_TRUE(waitUntil(
      [&] {
        const auto pids = reports_.pids();
        return pids.size() >= 3 && pids[1].empty() && pids.back() == masterAt(5012);
      },
      Millis(30000)))
      << reports_.describe();
  std::optional<std::pair<int64_t, std::string>> renewed = detector_->zkSession();
  ASSERT_TRUE(renewed);
  EXPECT_NE(session->first, renewed->first);
}

TEST_F(ZooKeeperDetectorTest, DigestCredentialsAreUsed) {
  detect(url("/secured", "alice:secret@"));
  ASSERT_TRUE(waitUntil([&] { return client_->get("/secured").has_value(); }, Millis(20000)));
  join(5013, "/secured");
  ASSERT_TRUE(reports_.waitLatest(masterAt(5013))) << reports_.describe();
}

TEST_F(ZooKeeperDetectorTest, LeaderFlapping20TimesEndsOnTheLastLeader) {
  std::string current = join(6000);
  detect(url());
  ASSERT_TRUE(reports_.waitLatest(masterAt(6000))) << reports_.describe();
  for (int i = 1; i <= 20; ++i) {
    const std::string next = join(static_cast<uint16_t>(6000 + i));
    ASSERT_TRUE(client_->remove(current));
    current = next;
    ASSERT_TRUE(reports_.waitLatest(masterAt(static_cast<uint16_t>(6000 + i))))
        << "flap " << i << ":" << reports_.describe();
  }
  EXPECT_EQ(21u, reports_.pids().size()) << reports_.describe();
}

TEST(ZooKeeperDetectorUrlTest, BadUrlsAreErrorsAtCreation) {
  IoThread io;
  for (const char* bad : {"zk://127.0.0.1:2181", "zk://127.0.0.1:2181/", "zk:///mesos",
                                "zk://user@127.0.0.1:2181/mesos"}) {
    auto created = internal::detector::createMasterDetector(bad, io.io());
    EXPECT_TRUE(created.isError()) << bad;
  }
}

TEST(ZooKeeperDetectorUrlTest, FileHoldingAZooKeeperUrlIsFollowed) {
  const std::string path = ::testing::TempDir() + "zk_master_file";
  std::ofstream(path) << "  zk://127.0.0.1:1/mesos \n";
  IoThread io;
  auto created = internal::detector::createMasterDetector("file://" + path, io.io());
  ASSERT_FALSE(created.isError()) << created.error();
  io.run([&] { created.get()->stop(); });
  std::remove(path.c_str());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
