// LocalCluster::restartMaster(): the driver notices the lost master, registers
// again with the fresh one under the same framework id, and keeps working.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/local_cluster.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include <mutex>
#include <set>

#include "support/latch.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::DoAll;
using ::testing::SaveArg;

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

  const std::string masterBefore = cluster->master();
  ASSERT_TRUE(cluster->restartMaster(&error)) << error;
  EXPECT_EQ(masterBefore, cluster->master()) << "same address";
  ASSERT_TRUE(disconnected.wait(1));
  ASSERT_TRUE(registered.wait(2));
  EXPECT_EQ(first.value(), second.value()) << "the framework keeps its id";

  const int before = offers.count();
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

}  // namespace
}  // namespace testing
}  // namespace mesos
