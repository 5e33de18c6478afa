// How a framework author unit-tests scheduler logic with the testing kit:
// a MockSchedulerDriver stands in for the driver, so no master is needed. Its
// calls return DRIVER_RUNNING unless an expectation says otherwise.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/testing/mock_scheduler.hpp>

namespace {

using ::mesos::mock::MockSchedulerDriver;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Property;
using ::testing::SizeIs;

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

mesos::Offer offer(const std::string& id, double cpus) {
  mesos::Offer o;
  o.mutable_id()->set_value(id);
  o.mutable_framework_id()->set_value("f");
  o.mutable_slave_id()->set_value("s");
  o.set_hostname("h");
  auto* r = o.add_resources();
  r->set_name("cpus");
  r->set_type(mesos::Value::SCALAR);
  r->mutable_scalar()->set_value(cpus);
  return o;
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

}  // namespace
