// Leading-master failover through ZooKeeper, end to end: a real ZooKeeper server
// (started by the test on a free loopback port), two or more `mesos-local-master`
// processes contending with `--zk`, and the real driver with a `zk://` master.
//
//   * LeaderKilled...: SIGKILL of the leader; the standby is elected once the
//     dead master's session times out; the driver calls disconnected(),
//     re-registers with the new leader (which answers registered(), as a Mesos
//     master that took over does) and runs a task there. The kill-to-
//     registered() time is printed (MESOS_ZK_FAILOVER_KILLS=N repeats the
//     kill N times and prints the median);
//   * LeaderFlapping...: 20 leaders in a row, each stopped as soon as the driver
//     is registered with it;
//   * ZooKeeperRestarted...: the ZooKeeper server restarts under a running
//     driver and masters; nothing is lost, and a later failover still works;
//   * DriverSessionExpired...: the driver's ZooKeeper session expires during an
//     outage; it calls disconnected(), and with a new session re-registers with
//     the same master (reregistered()) and keeps working;
//   * ZooKeeperDownAtStart...: the driver starts before ZooKeeper and registers
//     once ZooKeeper and a master are up.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/zookeeper_server.hpp"
#include "system/recorder.hpp"

namespace mesos {
namespace testing {
namespace {

struct Master {
  std::unique_ptr<Child> process;
  std::string upid;
  uint16_t port = 0;
  std::string log;
};

class ZooKeeperFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    zk_ = ZooKeeperServer::start(&error);
    ASSERT_TRUE(zk_) << error;
    url_ = "zk://" + zk_->connectString() + "/mesos";
  }

  void TearDown() override {
    for (Master& master : masters_) {
      if (HasFailure()) {
        std::string text = readFile(master.log);
        if (text.size() > 8000) text = "...\n" + text.substr(text.size() - 8000);
        std::cerr << "---- " << master.upid << " log ----\n" << text << "---- end ----\n";
      }
      master.process.reset();
      ::unlink(master.log.c_str());
    }
  }

  // Starts a contending master; returns its index in masters_.
  size_t startMaster(const std::string& sessionTimeout = "1secs") {
    Master master;
    master.log = ::testing::TempDir() + "zk_master_" + std::to_string(masters_.size()) + ".log";
    std::string error;
    master.process = Child::start(MESOS_LOCAL_MASTER,
                                  {"--ip=127.0.0.1", "--port=0", "--allocation_interval=100ms",
                                   "--zk=" + url_, "--zk_session_timeout=" + sessionTimeout},
                                  master.log, &error);
    EXPECT_TRUE(master.process) << error;
    if (master.process) {
      const std::optional<std::string> line = master.process->readLine(scaled(Millis(20000)));
      static const std::regex banner(R"(^Simulated master \S+ at (master@127\.0\.0\.1:(\d+))$)");
      std::smatch match;
      if (line && std::regex_match(*line, match, banner)) {
        master.upid = match[1];
        master.port = static_cast<uint16_t>(std::stoi(match[2]));
      } else {
        ADD_FAILURE() << "no banner from mesos-local-master" << master.process->exitNote();
      }
    }
    masters_.push_back(std::move(master));
    return masters_.size() - 1;
  }

  // What master `index` says in `/state` about who leads ("" if nobody).
  std::string leaderSeenBy(size_t index) {
    std::string error;
    const auto response = httpGet(masters_[index].port, "/state", &error);
    if (!response || response->first != 200) return "";
    static const std::regex leader(R"re("leader":"([^"]+)")re");
    std::smatch match;
    return std::regex_search(response->second, match, leader) ? std::string(match[1]) : "";
  }

  bool waitLeader(size_t leader, const std::vector<size_t>& observers) {
    return waitUntil(
        [&] {
          for (size_t i : observers) {
            if (leaderSeenBy(i) != masters_[leader].upid) return false;
          }
          return true;
        },
        Millis(30000));
  }

  DriverConfig config(Recorder& recorder) const {
    DriverConfig c;
    c.scheduler = &recorder;
    c.framework = frameworkInfo("zk failover", 3600);
    c.master = url_;
    c.bindIp = "127.0.0.1";
    return c;
  }

  std::unique_ptr<ZooKeeperServer> zk_;
  std::string url_;
  std::vector<Master> masters_;
};

TEST_F(ZooKeeperFailoverTest, LeaderKilledDriverReregistersWithTheNextAndKeepsWorking) {
  int kills = 1;
  if (const char* env = std::getenv("MESOS_ZK_FAILOVER_KILLS")) kills = std::max(1, std::atoi(env));

  size_t leader = startMaster();
  ASSERT_TRUE(waitLeader(leader, {leader}));
  size_t standby = startMaster();
  ASSERT_TRUE(waitLeader(leader, {standby}));

  Recorder recorder("zk");
  recorder.queueTasks("before", 1, "true");
  MesosSchedulerDriver driver(config(recorder));
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(recorder.waitRegistrations(1, Millis(30000)));
  EXPECT_EQ(masters_[leader].upid, recorder.masterInfo().pid());
  ASSERT_TRUE(recorder.waitState("before-0", TASK_FINISHED, Millis(30000)))
      << recorder.describeStatuses();

  std::vector<long long> times;
  for (int kill = 1; kill <= kills; ++kill) {
    recorder.queueTasks("after-" + std::to_string(kill), 1, "true");
    const size_t subscriptions = recorder.subscriptions();
    const auto killedAt = Clock::now();
    ASSERT_TRUE(masters_[leader].process->signal(SIGKILL));
    ASSERT_TRUE(recorder.waitDisconnections(static_cast<size_t>(kill), Millis(30000)));
    ASSERT_TRUE(recorder.waitSubscriptions(subscriptions + 1, Millis(30000)))
        << "the driver did not re-register with the standby";
    // A master that took over knows the framework only as "recovered", and
    // answers with FrameworkRegisteredMessage, as Mesos does.
    std::vector<Clock::time_point> subscribed = recorder.registeredAt();
    const auto again = recorder.reregisteredAt();
    subscribed.insert(subscribed.end(), again.begin(), again.end());
    const auto latest = *std::max_element(subscribed.begin(), subscribed.end());
    times.push_back(millisBetween(killedAt, latest));
    EXPECT_EQ(recorder.masterInfo().pid(), masters_[standby].upid);
    std::cout << "ZooKeeper failover " << kill << ": leader killed -> (re)registered() in "
              << times.back() << " ms" << std::endl;

    // The new leader works: offers, a launch, updates acknowledged.
    const std::string task = "after-" + std::to_string(kill) + "-0";
    ASSERT_TRUE(recorder.waitState(task, TASK_FINISHED, Millis(30000)))
        << recorder.describeStatuses();
    expectRanToCompletion(recorder, task);

    leader = standby;
    standby = startMaster();
    ASSERT_TRUE(waitLeader(leader, {leader, standby}));
  }
  std::sort(times.begin(), times.end());
  std::cout << "ZooKeeper failover: median " << times[times.size() / 2] << " ms over "
            << times.size() << " kill(s) (masters' --zk_session_timeout=1secs)" << std::endl;
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
  driver.stop();
}

TEST_F(ZooKeeperFailoverTest, LeaderFlapping20TimesDriverFollowsEveryLeader) {
  size_t leader = startMaster();
  ASSERT_TRUE(waitLeader(leader, {leader}));
  Recorder recorder("flap");
  MesosSchedulerDriver driver(config(recorder));
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(recorder.waitRegistrations(1, Millis(30000)));

  for (int flap = 1; flap <= 20; ++flap) {
    const size_t next = startMaster();
    ASSERT_TRUE(waitLeader(leader, {next}));
    // A clean stop: its member goes at once, so the next leader follows at once.
    ASSERT_TRUE(masters_[leader].process->signal(SIGTERM));
    ASSERT_TRUE(recorder.waitSubscriptions(static_cast<size_t>(flap) + 1, Millis(30000)))
        << "flap " << flap << ": the driver did not follow to " << masters_[next].upid;
    masters_[leader].process.reset();
    leader = next;
  }
  EXPECT_EQ(20u, recorder.disconnectedAt().size());
  EXPECT_TRUE(recorder.errors().empty());
  // The last leader knows the framework.
  std::string error;
  const auto state = httpGet(masters_[leader].port, "/state", &error);
  ASSERT_TRUE(state) << error;
  EXPECT_NE(std::string::npos, state->second.find(recorder.frameworkId()));
  driver.stop();
}

TEST_F(ZooKeeperFailoverTest, ZooKeeperRestartedUnderARunningDriverLosesNothing) {
  // Sessions outlive the restart (10 s), so no one loses a leader.
  const size_t leader = startMaster("10secs");
  ASSERT_TRUE(waitLeader(leader, {leader}));
  const size_t standby = startMaster("10secs");
  ASSERT_TRUE(waitLeader(leader, {standby}));
  Recorder recorder("zk restart");
  MesosSchedulerDriver driver(config(recorder));
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(recorder.waitRegistrations(1, Millis(30000)));

  std::string error;
  ASSERT_TRUE(zk_->restart(&error)) << error;
  recorder.queueTasks("during", 1, "true");
  driver.reviveOffers();  // Earlier offers were declined for a minute.
  ASSERT_TRUE(recorder.waitState("during-0", TASK_FINISHED, Millis(30000)))
      << recorder.describeStatuses();
  EXPECT_TRUE(recorder.disconnectedAt().empty()) << "a ZooKeeper restart is not a master change";

  // Detection still works after the restart: stop the leader, follow the standby.
  ASSERT_TRUE(masters_[leader].process->signal(SIGTERM));
  ASSERT_TRUE(recorder.waitSubscriptions(2, Millis(30000)));
  EXPECT_EQ(1u, recorder.disconnectedAt().size());
  EXPECT_EQ(masters_[standby].upid, leaderSeenBy(standby));
  driver.stop();
}

TEST_F(ZooKeeperFailoverTest, DriverSessionExpiredDriverReregistersWithTheSameMaster) {
  // The master's session (10 s) outlives the outage; the driver's (1 s) does
  // not, so the driver expires it, loses its master, and with a new session
  // finds the same leader again.
  const size_t leader = startMaster("10secs");
  ASSERT_TRUE(waitLeader(leader, {leader}));
  Recorder recorder("zk expiry");
  DriverConfig c = config(recorder);
  c.zkSessionTimeout = Millis(1000);
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(recorder.waitRegistrations(1, Millis(30000)));

  zk_->stop();
  ASSERT_TRUE(recorder.waitDisconnections(1, Millis(20000)))
      << "the driver did not give up its master when its session expired";
  std::string error;
  ASSERT_TRUE(zk_->restart(&error)) << error;
  ASSERT_TRUE(recorder.waitSubscriptions(2, Millis(40000)))
      << "the driver did not re-register after a new session";
  // The same master knows the framework: it answers reregistered().
  EXPECT_EQ(1, recorder.reregistrations());
  EXPECT_EQ(masters_[leader].upid, recorder.masterInfo().pid());
  recorder.queueTasks("after", 1, "true");
  driver.reviveOffers();
  ASSERT_TRUE(recorder.waitState("after-0", TASK_FINISHED, Millis(30000)))
      << recorder.describeStatuses();
  driver.stop();
}

TEST_F(ZooKeeperFailoverTest, ZooKeeperDownAtStartDriverRegistersOnceItIsUp) {
  zk_->stop();
  Recorder recorder("zk late");
  DriverConfig c = config(recorder);
  c.zkSessionTimeout = Millis(2000);
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  EXPECT_FALSE(recorder.waitRegistrations(1, Millis(500)));

  std::string error;
  ASSERT_TRUE(zk_->restart(&error)) << error;
  const size_t leader = startMaster();
  ASSERT_TRUE(recorder.waitRegistrations(1, Millis(40000)))
      << "the driver did not find the master once ZooKeeper was up";
  EXPECT_EQ(masters_[leader].upid, recorder.masterInfo().pid());
  driver.stop();
}

}  // namespace
}  // namespace testing
}  // namespace mesos
