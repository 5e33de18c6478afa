// mesos_scheduler_driver, the driver without the embedded simulated cluster:
// this program links no simulator (tests/sched/CMakeLists.txt), and the master
// string `local` fails start() with an error() that names the library to link.
// tests/sched/local_master_test.cpp is the same program against mesos_scheduler.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include <string>

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SaveArg;
using mock::MockScheduler;

class DriverOnlyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DriverOnlyTest, LocalMasterAbortsTheDriverNamingTheLibraryToLink) {
  ::testing::StrictMock<MockScheduler> sched;
  std::string message;
  EXPECT_CALL(sched, error(_, _)).WillOnce(SaveArg<1>(&message));
  FrameworkInfo framework;
  framework.set_name("driver-only");
  MesosSchedulerDriver driver(&sched, framework, GetParam());
  // As for every failed start, error() has run when start() returns.
  EXPECT_EQ(DRIVER_ABORTED, driver.start());
  EXPECT_THAT(message, AllOf(HasSubstr("'" + GetParam() + "'"), HasSubstr("mesos_scheduler_driver"),
                             HasSubstr("link mesos_scheduler ")));
  EXPECT_EQ(DRIVER_ABORTED, driver.status());
  EXPECT_EQ(DRIVER_ABORTED, driver.join());
  EXPECT_EQ(DRIVER_ABORTED, driver.run());
}

INSTANTIATE_TEST_SUITE_P(MasterStrings, DriverOnlyTest, ::testing::Values("local", "localquiet"));

}  // namespace
}  // namespace testing
}  // namespace mesos
