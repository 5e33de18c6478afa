// mesos_scheduler, the driver with the embedded simulated cluster: the master
// string `local` starts a cluster owned by the driver with no call by the
// program (the launcher is linked in, src/CMakeLists.txt), configured by
// DriverConfig::localCluster or the environment. tests/sched/driver_only_test.cpp
// is the same program against mesos_scheduler_driver.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "support/latch.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::DoAll;
using ::testing::SaveArg;
using mock::MockScheduler;

TEST(LocalMasterTest, LocalStartsAClusterOwnedByTheDriver) {
  ::testing::NiceMock<MockScheduler> sched;
  Latch registered, offered;
  MasterInfo master;
  std::vector<Offer> offers;
  EXPECT_CALL(sched, error(_, _)).Times(0);
  EXPECT_CALL(sched, registered(_, _, _)).WillOnce(DoAll(SaveArg<2>(&master), Notify(&registered)));
  EXPECT_CALL(sched, resourceOffers(_, _))
      .Times(AnyNumber())
      .WillRepeatedly(DoAll(SaveArg<1>(&offers), Notify(&offered)));

  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("local-master");
  config.master = "local";
  local::LocalClusterOptions cluster;
  cluster.agents = 2;
  cluster.allocationInterval = std::chrono::milliseconds(50);
  config.localCluster = cluster;
  auto driver = std::make_unique<MesosSchedulerDriver>(config);
  ASSERT_EQ(DRIVER_RUNNING, driver->start());
  ASSERT_TRUE(registered.wait());
  ASSERT_TRUE(offered.wait());
  EXPECT_EQ(DRIVER_STOPPED, driver->stop());
  EXPECT_EQ(DRIVER_STOPPED, driver->join());
  driver.reset();  // Joins the callback thread: `master` and `offers` are ours now.

  // The embedded cluster's master, on loopback (LocalClusterOptions::ip).
  EXPECT_EQ("127.0.0.1", master.address().ip());
  EXPECT_FALSE(offers.empty());
}

// `local` with the HTTP API: the embedded master serves /api/v1/scheduler too,
// and the driver opens no listening socket of its own.
TEST(LocalMasterTest, LocalWithTheHttpApi) {
  ::testing::NiceMock<MockScheduler> sched;
  Latch registered, offered;
  EXPECT_CALL(sched, error(_, _)).Times(0);
  EXPECT_CALL(sched, registered(_, _, _)).WillOnce(Notify(&registered));
  EXPECT_CALL(sched, resourceOffers(_, _)).Times(AnyNumber()).WillRepeatedly(Notify(&offered));
  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("local-master-http");
  config.master = "local";
  config.api = DriverConfig::Api::kHttp;
  local::LocalClusterOptions cluster;
  cluster.allocationInterval = std::chrono::milliseconds(50);
  config.localCluster = cluster;
  auto driver = std::make_unique<MesosSchedulerDriver>(config);
  ASSERT_EQ(DRIVER_RUNNING, driver->start());
  ASSERT_TRUE(registered.wait());
  ASSERT_TRUE(offered.wait());
  EXPECT_EQ(DRIVER_STOPPED, driver->stop());
}

TEST(LocalMasterTest, LocalFollowsTheEnvironmentWithoutOptions) {
  ::testing::NiceMock<MockScheduler> sched;
  Latch registered;
  EXPECT_CALL(sched, error(_, _)).Times(0);
  EXPECT_CALL(sched, registered(_, _, _)).WillOnce(Notify(&registered));
  ASSERT_EQ(0, setenv("MESOS_NUM_SLAVES", "1", 1));
  FrameworkInfo framework;
  framework.set_name("local-master-env");
  MesosSchedulerDriver driver(&sched, framework, "local");
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  EXPECT_TRUE(registered.wait());
  EXPECT_EQ(DRIVER_STOPPED, driver.stop());
  unsetenv("MESOS_NUM_SLAVES");
}

}  // namespace
}  // namespace testing
}  // namespace mesos
