// The installed testing kit and identifier helpers, used as a framework's test
// uses them: `mesos::mock::MockSchedulerDriver` returns a valid status by
// default and takes the driver API's default arguments through its own type,
// and <mesos/type_utils.hpp> compares, orders, prints and hashes ids. Built in
// the build tree and against an installed tree (tests/installed/).

#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>
#include <mesos/type_utils.hpp>

using namespace mesos;
using namespace testing;

namespace {

using mock::MockScheduler;
using mock::MockSchedulerDriver;

TaskID taskId(const std::string& value) {
  TaskID id;
  id.set_value(value);
  return id;
}

OfferID offerId(const std::string& value) {
  OfferID id;
  id.set_value(value);
  return id;
}

TEST(MockSchedulerDriverTest, EveryCallReturnsDriverRunningByDefault) {
  NiceMock<MockSchedulerDriver> driver;
  const std::vector<OfferID> offers{offerId("o1")};
  const std::vector<TaskInfo> tasks;
  ExecutorID executor;
  SlaveID agent;
  EXPECT_EQ(DRIVER_RUNNING, driver.start());
  EXPECT_EQ(DRIVER_RUNNING, driver.stop(true));
  EXPECT_EQ(DRIVER_RUNNING, driver.abort());
  EXPECT_EQ(DRIVER_RUNNING, driver.join());
  EXPECT_EQ(DRIVER_RUNNING, driver.run());
  EXPECT_EQ(DRIVER_RUNNING, driver.requestResources({}));
  EXPECT_EQ(DRIVER_RUNNING, driver.launchTasks(offers, tasks, Filters()));
  EXPECT_EQ(DRIVER_RUNNING, driver.launchTasks(offerId("o1"), tasks, Filters()));
  EXPECT_EQ(DRIVER_RUNNING, driver.killTask(taskId("t1")));
  EXPECT_EQ(DRIVER_RUNNING, driver.acceptOffers(offers, {}, Filters()));
  EXPECT_EQ(DRIVER_RUNNING, driver.declineOffer(offerId("o1"), Filters()));
  EXPECT_EQ(DRIVER_RUNNING, driver.reviveOffers());
  EXPECT_EQ(DRIVER_RUNNING, driver.reviveOffers(std::vector<std::string>{"*"}));
  EXPECT_EQ(DRIVER_RUNNING, driver.suppressOffers());
  EXPECT_EQ(DRIVER_RUNNING, driver.suppressOffers(std::vector<std::string>{"*"}));
  EXPECT_EQ(DRIVER_RUNNING, driver.acknowledgeStatusUpdate(TaskStatus()));
  EXPECT_EQ(DRIVER_RUNNING, driver.sendFrameworkMessage(executor, agent, "data"));
  EXPECT_EQ(DRIVER_RUNNING, driver.reconcileTasks({}));
  EXPECT_EQ(DRIVER_RUNNING,
            driver.updateFramework(FrameworkInfo(), {}, scheduler::OfferConstraints()));
}

TEST(MockSchedulerDriverTest, DefaultArgumentsWorkThroughTheMocksOwnType) {
  StrictMock<MockSchedulerDriver> driver;
  const std::vector<TaskInfo> tasks;
  const std::vector<OfferID> offers{offerId("o1")};
  EXPECT_CALL(driver, stop(false));
  EXPECT_CALL(driver, launchTasks(Matcher<const OfferID&>(offerId("o1")), _, _));
  EXPECT_CALL(driver, launchTasks(Matcher<const std::vector<OfferID>&>(offers), _, _));
  EXPECT_CALL(driver, acceptOffers(offers, _, _));
  EXPECT_CALL(driver, declineOffer(offerId("o2"), Property(&Filters::has_refuse_seconds, false)))
      .WillOnce(Return(DRIVER_ABORTED));
  EXPECT_EQ(DRIVER_RUNNING, driver.stop());
  EXPECT_EQ(DRIVER_RUNNING, driver.launchTasks(offerId("o1"), tasks));
  EXPECT_EQ(DRIVER_RUNNING, driver.launchTasks(offers, tasks));
  EXPECT_EQ(DRIVER_RUNNING, driver.acceptOffers(offers, {}));
  EXPECT_EQ(DRIVER_ABORTED, driver.declineOffer(offerId("o2")));
}

TEST(MockSchedulerDriverTest, CallsThroughTheBaseClassUseItsDefaults) {
  StrictMock<MockSchedulerDriver> mockDriver;
  SchedulerDriver& driver = mockDriver;
  EXPECT_CALL(mockDriver, stop(false));
  EXPECT_CALL(mockDriver, declineOffer(offerId("o1"), _));
  EXPECT_EQ(DRIVER_RUNNING, driver.stop());
  EXPECT_EQ(DRIVER_RUNNING, driver.declineOffer(offerId("o1")));
}

TEST(MockSchedulerTest, RecordsCallbacks) {
  StrictMock<MockScheduler> scheduler;
  NiceMock<MockSchedulerDriver> driver;
  EXPECT_CALL(scheduler, offerRescinded(&driver, offerId("o1")));
  scheduler.offerRescinded(&driver, offerId("o1"));
}

TEST(TypeUtilsTest, IdsCompareOrderPrintAndHash) {
  EXPECT_EQ(taskId("a"), taskId("a"));
  EXPECT_NE(taskId("a"), taskId("b"));
  EXPECT_LT(taskId("a"), taskId("b"));

  std::map<OfferID, int> byOffer{{offerId("o2"), 2}, {offerId("o1"), 1}};
  EXPECT_EQ(offerId("o1"), byOffer.begin()->first);

  std::unordered_set<TaskID> tasks{taskId("a"), taskId("a"), taskId("b")};
  EXPECT_EQ(2u, tasks.size());
  std::unordered_map<FrameworkID, int> frameworks;
  FrameworkID framework;
  framework.set_value("f");
  frameworks[framework] = 1;
  std::unordered_set<SlaveID> agents{SlaveID()};
  std::unordered_set<ExecutorID> executors{ExecutorID()};
  EXPECT_EQ(1u, frameworks.size() + agents.size() + executors.size() - 2);

  std::ostringstream out;
  out << taskId("t1") << " " << offerId("o1") << " " << framework << " " << TASK_RUNNING << " "
      << DRIVER_STOPPED;
  EXPECT_EQ("t1 o1 f TASK_RUNNING DRIVER_STOPPED", out.str());
}

}  // namespace
