// The public LocalCluster API with real drivers: restartMaster() (the driver
// notices the lost master, registers
// again with the fresh one under the same framework id, and keeps working),
// and `master = "local"` telling the user, once, where its master is.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/local/cluster.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include <mutex>
#include <set>

#include "support/http_get.hpp"
#include "support/latch.hpp"
#include "support/log_capture.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::DoAll;
using ::testing::SaveArg;
using local::LocalCluster;
using local::LocalClusterOptions;
using mock::MockScheduler;

TEST(LocalClusterRestartTest, DriverRegistersAgainWithTheRestartedMaster) {
  LocalClusterOptions options;
  options.allocationInterval = std::chrono::milliseconds(50);
  options.agentAttributes = "rack:r7;floor:3";
  std::string error;
  std::unique_ptr<LocalCluster> cluster = LocalCluster::start(options, &error);
  ASSERT_NE(nullptr, cluster) << error;

  ::testing::NiceMock<MockScheduler> sched;
  Latch registered, disconnected, offers;
  FrameworkID first, second;
  std::vector<Offer> lastOffers;
  EXPECT_CALL(sched, registered(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&first), Notify(&registered)))
      .WillOnce(DoAll(SaveArg<1>(&second), Notify(&registered)));
  EXPECT_CALL(sched, disconnected(_)).WillOnce(Notify(&disconnected));
  EXPECT_CALL(sched, resourceOffers(_, _))
      .Times(AnyNumber())
      .WillRepeatedly(DoAll(SaveArg<1>(&lastOffers), Notify(&offers)));

  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("restart-test");
  config.master = cluster->master();
  config.registrationBackoffFactor = std::chrono::milliseconds(50);
  auto driver = std::make_unique<MesosSchedulerDriver>(config);
  ASSERT_EQ(DRIVER_RUNNING, driver->start());
  ASSERT_TRUE(registered.wait(1));
  ASSERT_TRUE(offers.wait(1));

  // Counted before the restart: the old master offers its one agent once (the
  // offer is never answered), and the new master's first offer may arrive
  // before registered() is seen.
  const int before = offers.count();
  const std::string masterBefore = cluster->master();
  ASSERT_TRUE(cluster->restartMaster(&error)) << error;
  EXPECT_EQ(masterBefore, cluster->master()) << "same address";
  ASSERT_TRUE(disconnected.wait(1));
  ASSERT_TRUE(registered.wait(2));
  EXPECT_EQ(first.value(), second.value()) << "the framework keeps its id";

  ASSERT_TRUE(offers.wait(before + 1));
  driver->stop();
  driver.reset();  // Joins the callback thread: `lastOffers` is ours now.

  // Offers carry the configured attributes.
  ASSERT_FALSE(lastOffers.empty());
  bool rack = false, floor = false;
  for (const Attribute& a : lastOffers[0].attributes()) {
    rack |= a.name() == "rack" && a.type() == Value::TEXT && a.text().value() == "r7";
    floor |= a.name() == "floor" && a.type() == Value::SCALAR && a.scalar().value() == 3;
  }
  EXPECT_TRUE(rack);
  EXPECT_TRUE(floor);
}

TEST(LocalClusterConfigTest, DriverConfigSetsTheEmbeddedClustersOptions) {
  ::testing::NiceMock<MockScheduler> sched;
  Latch offers;
  std::set<std::string> agents;
  std::mutex mutex;
  EXPECT_CALL(sched, resourceOffers(_, _))
      .WillRepeatedly(::testing::Invoke([&](SchedulerDriver*, const std::vector<Offer>& o) {
        std::lock_guard<std::mutex> lock(mutex);
        for (const Offer& offer : o) agents.insert(offer.slave_id().value());
        offers.notify();
      }));
  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("local-config-test");
  config.master = "local";
  LocalClusterOptions cluster;
  cluster.agents = 3;
  cluster.allocationInterval = std::chrono::milliseconds(50);
  config.localCluster = cluster;
  MesosSchedulerDriver driver(config);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(waitUntil([&] {
    std::lock_guard<std::mutex> lock(mutex);
    return agents.size() == 3;
  }));
  driver.stop();
}

// A framework launching on another framework's offer gets TASK_LOST (invalid
// offers); the offer stays valid for its owner.
TEST(LocalClusterOfferTest, LaunchOnAnotherFrameworksOfferIsTaskLost) {
  LocalClusterOptions options;
  options.allocationInterval = std::chrono::milliseconds(50);
  std::unique_ptr<LocalCluster> cluster = LocalCluster::start(options);
  ASSERT_NE(nullptr, cluster);

  ::testing::NiceMock<MockScheduler> owner, thief;
  Latch ownerOffer, thiefRegistered, thiefUpdate, ownerRunning;
  std::vector<Offer> offers;
  TaskStatus stolen;
  EXPECT_CALL(owner, resourceOffers(_, _))
      .WillOnce(DoAll(SaveArg<1>(&offers), Notify(&ownerOffer)));
  EXPECT_CALL(owner, statusUpdate(_, _))
      .WillRepeatedly(::testing::Invoke([&](SchedulerDriver*, const TaskStatus& s) {
        if (s.state() == TASK_RUNNING) ownerRunning.notify();
      }));
  EXPECT_CALL(thief, registered(_, _, _)).WillOnce(Notify(&thiefRegistered));
  EXPECT_CALL(thief, statusUpdate(_, _)).WillOnce(DoAll(SaveArg<1>(&stolen), Notify(&thiefUpdate)));

  auto makeConfig = [&](Scheduler* s, const char* name) {
    DriverConfig config;
    config.scheduler = s;
    config.framework.set_name(name);
    config.master = cluster->master();
    return config;
  };
  MesosSchedulerDriver ownerDriver(makeConfig(&owner, "owner"));
  ASSERT_EQ(DRIVER_RUNNING, ownerDriver.start());
  ASSERT_TRUE(ownerOffer.wait());  // The only agent's resources are now offered to `owner`.
  MesosSchedulerDriver thiefDriver(makeConfig(&thief, "thief"));
  ASSERT_EQ(DRIVER_RUNNING, thiefDriver.start());
  ASSERT_TRUE(thiefRegistered.wait());

  const Offer offer = offers.at(0);
  TaskInfo task;
  task.set_name("t");
  task.mutable_task_id()->set_value("stolen");
  *task.mutable_slave_id() = offer.slave_id();
  task.mutable_command()->set_value("true");
  Resource* cpus = task.add_resources();
  cpus->set_name("cpus");
  cpus->set_type(Value::SCALAR);
  cpus->mutable_scalar()->set_value(0.1);
  thiefDriver.launchTasks(offer.id(), {task});
  ASSERT_TRUE(thiefUpdate.wait());
  EXPECT_EQ(TASK_LOST, stolen.state());
  EXPECT_EQ(TaskStatus::REASON_INVALID_OFFERS, stolen.reason());

  task.mutable_task_id()->set_value("owned");
  ownerDriver.launchTasks(offer.id(), {task});
  EXPECT_TRUE(ownerRunning.wait());
  thiefDriver.stop();
  ownerDriver.stop();
}

// The address in a "Local cluster: master at http://127.0.0.1:PORT/ ..." line.
uint16_t portOfLogLine(const std::string& line) {
  const std::string prefix = "master at http://127.0.0.1:";
  const size_t at = line.find(prefix);
  if (at == std::string::npos) return 0;
  return static_cast<uint16_t>(std::atoi(line.c_str() + at + prefix.size()));
}

// With `master = "local"` the driver's cluster says at WARNING (shown by
// default), once, where its master answers: the state is there.
TEST(LocalClusterLogTest, LocalMasterTellsWhereItsStateIs) {
  LogCapture log;
  ::testing::NiceMock<MockScheduler> sched;
  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("log-test");
  config.master = "local";
  LocalClusterOptions options;
  options.allocationInterval = std::chrono::milliseconds(50);
  config.localCluster = options;
  auto driver = std::make_unique<MesosSchedulerDriver>(config);
  ASSERT_EQ(DRIVER_RUNNING, driver->start());
  const std::vector<std::string> parts = {"Local cluster: master at http://127.0.0.1:",
                                          "/ (state at /master/state)"};
  ASSERT_TRUE(log.warned(parts)) << log.dump();
  const std::vector<std::string> lines = log.matching(parts);
  ASSERT_EQ(1u, lines.size()) << log.dump();
  const uint16_t port = portOfLogLine(lines[0]);
  ASSERT_NE(0, port) << lines[0];
  std::string error;
  auto state = httpGet(port, "/master/state", &error);
  ASSERT_TRUE(state.has_value()) << error;
  EXPECT_EQ(200, state->first);
  EXPECT_NE(std::string::npos, state->second.find("\"leader\":\"master@127.0.0.1:" +
                                                  std::to_string(port) + "\""))
      << state->second;
  driver->stop();
  driver.reset();
  EXPECT_EQ(1u, log.matching(parts).size()) << "said once";
}

}  // namespace
}  // namespace testing
}  // namespace mesos
