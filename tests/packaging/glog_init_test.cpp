// glog is the application's to initialise. A driver must work when the
// application initialises glog before constructing it, after starting it, or
// never, and must not make the application's own InitGoogleLogging() abort
// ("You called InitGoogleLogging() twice!"). glog 0.6 offers no way to undo or
// tolerate a second initialisation, so the library never initialises glog
// itself: an uninitialised glog writes to stderr, which is safe, whereas a
// library-side InitGoogleLogging() would abort any application that
// initialises glog after constructing a driver (the second case below).
// glog's state is per process, so every case runs in a child process (a death
// test that expects exit 0).

#include <cstdlib>

#include <glog/logging.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

namespace mesos {
namespace {

using ::testing::ExitedWithCode;
using ::testing::NiceMock;

class GlogInitTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Starts a driver on the embedded cluster (which logs), runs `between` while
// it runs, then stops and destroys it; returns 0 if all went as expected.
template <typename F>
int drive(F between) {
  NiceMock<mock::MockScheduler> scheduler;
  FrameworkInfo framework;
  framework.set_name("glog-init");
  DriverConfig config;
  config.scheduler = &scheduler;
  config.framework = framework;
  config.master = "local";
  config.bindIp = "127.0.0.1";
  MesosSchedulerDriver driver(std::move(config));
  if (driver.start() != DRIVER_RUNNING) return 2;
  if (int failed = between()) return failed;
  if (driver.stop() != DRIVER_STOPPED) return 3;
  if (driver.join() != DRIVER_STOPPED) return 4;
  return 0;
}

template <typename F>
void driveAndExit(F between) {
  std::exit(drive(between));
}

TEST_F(GlogInitTest, ApplicationInitialisesBeforeTheDriver) {
  EXPECT_EXIT(
      {
        FLAGS_logtostderr = true;
        google::InitGoogleLogging("glog_init_test");
        driveAndExit([] {
          LOG(INFO) << "application log line";
          return 0;
        });
      },
      ExitedWithCode(0), "Started a local simulated cluster");
}

TEST_F(GlogInitTest, ApplicationInitialisesAfterStartingTheDriver) {
  EXPECT_EXIT(
      {
        driveAndExit([] {
          FLAGS_logtostderr = true;
          google::InitGoogleLogging("glog_init_test");
          LOG(INFO) << "application log line";
          return 0;
        });
      },
      ExitedWithCode(0), "application log line");
}

TEST_F(GlogInitTest, ApplicationNeverInitialisesGlog) {
  // The driver's log lines still reach stderr.
  EXPECT_EXIT(driveAndExit([] { return 0; }), ExitedWithCode(0),
              "Started a local simulated cluster");
}

TEST_F(GlogInitTest, TwoDriversInOneProcessWithoutInitialisation) {
  EXPECT_EXIT(
      {
        driveAndExit([] {
          NiceMock<mock::MockScheduler> scheduler;
          FrameworkInfo framework;
          framework.set_name("glog-init-second");
          MesosSchedulerDriver second(&scheduler, framework, "local");
          if (second.start() != DRIVER_RUNNING) return 5;
          second.abort();
          return second.join() == DRIVER_ABORTED ? 0 : 6;
        });
      },
      ExitedWithCode(0), "");
}

}  // namespace
}  // namespace mesos
