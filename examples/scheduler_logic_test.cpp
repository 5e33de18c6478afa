// How a framework author unit-tests scheduler logic with the testing kit:
// a MockSchedulerDriver stands in for the driver, so no master is needed. Its
// calls return DRIVER_RUNNING unless an expectation says otherwise.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/testing/mock_scheduler.hpp>

#include "long_lived_scheduler.hpp"
#include "test_scheduler.hpp"

namespace {

using ::mesos::mock::MockSchedulerDriver;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::Property;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SizeIs;
using ::testing::NiceMock;

// The logic under test: launch one task per offer that has at least 1 cpu,
// decline the rest.
class OneTaskPerOffer : public mesos::Scheduler {
 public:
  void resourceOffers(mesos::SchedulerDriver* driver,
                      const std::vector<mesos::Offer>& offers) override {
    for (const mesos::Offer& offer : offers) {
      double cpus = 0;
      for (const auto& r : offer.resources()) {
        if (r.name() == "cpus") cpus += r.scalar().value();
      }
      if (cpus < 1) {
        driver->declineOffer(offer.id(), mesos::Filters());
        continue;
      }
      mesos::TaskInfo task;
      task.set_name("t");
      task.mutable_task_id()->set_value("task-" + offer.id().value());
      *task.mutable_slave_id() = offer.slave_id();
      task.mutable_command()->set_value("true");
      driver->launchTasks(offer.id(), {task}, mesos::Filters());
    }
  }
  void registered(mesos::SchedulerDriver*, const mesos::FrameworkID&,
                  const mesos::MasterInfo&) override {}
  void reregistered(mesos::SchedulerDriver*, const mesos::MasterInfo&) override {}
  void disconnected(mesos::SchedulerDriver*) override {}
  void offerRescinded(mesos::SchedulerDriver*, const mesos::OfferID&) override {}
  void statusUpdate(mesos::SchedulerDriver*, const mesos::TaskStatus&) override {}
  void frameworkMessage(mesos::SchedulerDriver*, const mesos::ExecutorID&,
                        const mesos::SlaveID&, const std::string&) override {}
  void slaveLost(mesos::SchedulerDriver*, const mesos::SlaveID&) override {}
  void executorLost(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                    int) override {}
  void error(mesos::SchedulerDriver*, const std::string&) override {}
};

mesos::Offer offer(const std::string& id, double cpus, double mem = 0) {
  mesos::Offer o;
  o.mutable_id()->set_value(id);
  o.mutable_framework_id()->set_value("f");
  o.mutable_slave_id()->set_value("s");
  o.set_hostname("h");
  auto* r = o.add_resources();
  r->set_name("cpus");
  r->set_type(mesos::Value::SCALAR);
  r->mutable_scalar()->set_value(cpus);
  if (mem > 0) {
    r = o.add_resources();
    r->set_name("mem");
    r->set_type(mesos::Value::SCALAR);
    r->mutable_scalar()->set_value(mem);
  }
  return o;
}

mesos::TaskStatus status(const std::string& taskId, mesos::TaskState state) {
  mesos::TaskStatus s;
  s.mutable_task_id()->set_value(taskId);
  s.set_state(state);
  return s;
}

TEST(OneTaskPerOfferTest, LaunchesOnBigOffersAndDeclinesSmallOnes) {
  MockSchedulerDriver driver;
  OneTaskPerOffer scheduler;

  EXPECT_CALL(driver, launchTasks(::testing::Matcher<const mesos::OfferID&>(
                                      Property(&mesos::OfferID::value, "big")),
                                  ElementsAre(Property(&mesos::TaskInfo::task_id,
                                                       Property(&mesos::TaskID::value, "task-big"))),
                                  _));
  EXPECT_CALL(driver, declineOffer(Property(&mesos::OfferID::value, "small"), _));

  scheduler.resourceOffers(&driver, {offer("big", 2), offer("small", 0.5)});
}

// examples/test_framework's scheduler. Status updates are delivered at least
// once (after a master failover an agent re-sends the terminal updates whose
// acknowledgements were lost): a repeated terminal update must not count as
// another finished task.
TEST(TestSchedulerTest, RepeatedTerminalUpdatesCountEachTaskOnce) {
  NiceMock<MockSchedulerDriver> driver;
  examples::TestScheduler scheduler(3, "true");
  EXPECT_CALL(driver, launchTasks(::testing::Matcher<const mesos::OfferID&>(_), SizeIs(3), _))
      .WillOnce(Return(mesos::DRIVER_RUNNING));
  scheduler.resourceOffers(&driver, {offer("o1", 2, 128)});
  ASSERT_EQ(3, scheduler.launched());

  EXPECT_CALL(driver, stop(_)).Times(0);
  EXPECT_CALL(driver, abort()).Times(0);
  scheduler.statusUpdate(&driver, status("0", mesos::TASK_FINISHED));
  scheduler.statusUpdate(&driver, status("1", mesos::TASK_FINISHED));
  // Resent after a failover: the same two tasks again, and a stale RUNNING.
  scheduler.statusUpdate(&driver, status("0", mesos::TASK_FINISHED));
  scheduler.statusUpdate(&driver, status("1", mesos::TASK_FINISHED));
  scheduler.statusUpdate(&driver, status("0", mesos::TASK_RUNNING));
  // Never launched by this scheduler.
  scheduler.statusUpdate(&driver, status("7", mesos::TASK_FINISHED));
  EXPECT_EQ(2, scheduler.finished());
  ::testing::Mock::VerifyAndClearExpectations(&driver);

  // Only the last task's own update completes the run.
  EXPECT_CALL(driver, stop(_)).WillOnce(Return(mesos::DRIVER_STOPPED));
  scheduler.statusUpdate(&driver, status("2", mesos::TASK_FINISHED));
  EXPECT_EQ(3, scheduler.finished());
  EXPECT_FALSE(scheduler.failed());
}

// A repeated terminal update of a task that failed does not abort twice, and
// one of a task that finished is not mistaken for a failure.
TEST(TestSchedulerTest, RepeatedFailureAbortsOnce) {
  NiceMock<MockSchedulerDriver> driver;
  examples::TestScheduler scheduler(2, "true");
  ON_CALL(driver, launchTasks(::testing::Matcher<const mesos::OfferID&>(_), _, _))
      .WillByDefault(Return(mesos::DRIVER_RUNNING));
  scheduler.resourceOffers(&driver, {offer("o1", 1, 64)});
  ASSERT_EQ(2, scheduler.launched());
  EXPECT_CALL(driver, abort()).WillOnce(Return(mesos::DRIVER_ABORTED));
  scheduler.statusUpdate(&driver, status("0", mesos::TASK_FAILED));
  scheduler.statusUpdate(&driver, status("0", mesos::TASK_FAILED));
  EXPECT_TRUE(scheduler.failed());
}

// examples/long_lived_framework's scheduler started again with the first
// instance's framework id, as reported against a real master: offers came
// before the reconciliation answers, so it launched its own two tasks, then
// learnt of the earlier instance's two. It must not count four as its own
// ("4/2 tasks running"): adopted tasks count toward the wanted number and the
// surplus is killed.
TEST(LongLivedSchedulerTest, OffersBeforeReconciliationAdoptedSurplusIsKilled) {
  NiceMock<MockSchedulerDriver> driver;
  examples::LongLivedOptions options;
  options.tasks = 2;
  options.frameworkIdFile = ::testing::TempDir() + "long-lived-logic-test.id";
  examples::LongLivedScheduler scheduler(options);

  std::vector<mesos::TaskInfo> launched;
  EXPECT_CALL(driver, launchTasks(::testing::Matcher<const mesos::OfferID&>(_), SizeIs(2), _))
      .WillOnce(DoAll(SaveArg<1>(&launched), Return(mesos::DRIVER_RUNNING)));
  scheduler.resourceOffers(&driver, {offer("o1", 1, 64)});
  ASSERT_EQ(2u, launched.size());

  EXPECT_CALL(driver, killTask(Property(&mesos::TaskID::value, "earlier-1")))
      .WillOnce(Return(mesos::DRIVER_RUNNING));
  EXPECT_CALL(driver, killTask(Property(&mesos::TaskID::value, "earlier-2")))
      .WillOnce(Return(mesos::DRIVER_RUNNING));
  for (const char* id : {"earlier-1", "earlier-2"}) {
    mesos::TaskStatus reconciled = status(id, mesos::TASK_RUNNING);
    reconciled.set_reason(mesos::TaskStatus::REASON_RECONCILIATION);
    scheduler.statusUpdate(&driver, reconciled);
  }
  for (const mesos::TaskInfo& task : launched) {
    scheduler.statusUpdate(&driver, status(task.task_id().value(), mesos::TASK_RUNNING));
  }
  EXPECT_EQ(2, scheduler.counts().running);
  EXPECT_EQ(0, scheduler.counts().adopted);

  // The killed surplus is not replaced; further offers launch nothing.
  scheduler.statusUpdate(&driver, status("earlier-1", mesos::TASK_KILLED));
  scheduler.statusUpdate(&driver, status("earlier-2", mesos::TASK_KILLED));
  EXPECT_EQ(2, scheduler.counts().killed);
  EXPECT_EQ(0, scheduler.counts().replaced);
  EXPECT_CALL(driver, launchTasks(::testing::Matcher<const mesos::OfferID&>(_), _, _)).Times(0);
  EXPECT_CALL(driver, declineOffer(Property(&mesos::OfferID::value, "o2"), _))
      .WillOnce(Return(mesos::DRIVER_RUNNING));
  scheduler.resourceOffers(&driver, {offer("o2", 1, 64)});
  EXPECT_FALSE(scheduler.failed());
}

// The other order: the reconciliation answers first. The earlier instance's
// tasks are adopted and nothing is launched or killed.
TEST(LongLivedSchedulerTest, ReconciliationBeforeOffersAdoptsWithoutLaunching) {
  NiceMock<MockSchedulerDriver> driver;
  examples::LongLivedOptions options;
  options.tasks = 2;
  options.frameworkIdFile = ::testing::TempDir() + "long-lived-logic-test.id";
  examples::LongLivedScheduler scheduler(options);

  EXPECT_CALL(driver, killTask(_)).Times(0);
  EXPECT_CALL(driver, launchTasks(::testing::Matcher<const mesos::OfferID&>(_), _, _)).Times(0);
  for (const char* id : {"earlier-1", "earlier-2"}) {
    scheduler.statusUpdate(&driver, status(id, mesos::TASK_RUNNING));
  }
  scheduler.resourceOffers(&driver, {offer("o1", 1, 64)});
  // A repeated terminal update of a replaced task is not another replacement.
  scheduler.statusUpdate(&driver, status("earlier-1", mesos::TASK_FAILED));
  scheduler.statusUpdate(&driver, status("earlier-1", mesos::TASK_FAILED));
  EXPECT_EQ(1, scheduler.counts().running);
  EXPECT_EQ(1, scheduler.counts().adopted);
  EXPECT_EQ(1, scheduler.counts().replaced);
}

}  // namespace
