// A framework's unit test written as Apache Mesos users write one: GoogleTest
// and GoogleMock with both namespaces opened, the scheduler API from
// <mesos/scheduler.hpp>, the framework's own printer for task ids in namespace
// `mesos`, and the API version from <mesos/version.hpp>. It must compile
// unchanged against this library, in the build tree and in an installed tree
// (tests/installed/); each TEST also checks what it relies on at run time.

#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mesos/scheduler.hpp>
#include <mesos/version.hpp>

using namespace mesos;
using namespace testing;

using std::string;
using std::vector;

#if !defined(MESOS_MAJOR_VERSION_NUM) || !defined(MESOS_MINOR_VERSION_NUM) || \
    !defined(MESOS_PATCH_VERSION_NUM)
#error "<mesos/version.hpp> must define MESOS_{MAJOR,MINOR,PATCH}_VERSION_NUM"
#endif

// Frameworks built for several Mesos releases pick features by version.
#if MESOS_MAJOR_VERSION_NUM > 1 || (MESOS_MAJOR_VERSION_NUM == 1 && MESOS_MINOR_VERSION_NUM >= 11)
#define FRAMEWORK_HAS_OFFER_CONSTRAINTS 1
#else
#define FRAMEWORK_HAS_OFFER_CONSTRAINTS 0
#endif

namespace mesos {

// The framework's own printer: Mesos's <mesos/scheduler.hpp> declares none.
std::ostream& operator<<(std::ostream& stream, const TaskID& taskId) {
  return stream << "task '" << taskId.value() << "'";
}

}  // namespace mesos

namespace framework {
// In mesos_style_helpers.cpp, which includes <mesos/type_utils.hpp>.
std::string describe(const mesos::OfferID& offer, const mesos::TaskID& task);
}  // namespace framework

namespace {

// The framework's scheduler logic under test: launches one task per offer
// while it has tasks to run, declines the rest.
class PendingTasksScheduler : public Scheduler {
 public:
  explicit PendingTasksScheduler(vector<string> pending) : pending_(std::move(pending)) {}

  void registered(SchedulerDriver*, const FrameworkID&, const MasterInfo&) override {}
  void reregistered(SchedulerDriver*, const MasterInfo&) override {}
  void disconnected(SchedulerDriver*) override {}
  void resourceOffers(SchedulerDriver* driver, const vector<Offer>& offers) override {
    for (const Offer& offer : offers) {
      if (pending_.empty()) {
        driver->declineOffer(offer.id());
        continue;
      }
      TaskInfo task;
      task.set_name(pending_.back());
      task.mutable_task_id()->set_value(pending_.back());
      task.mutable_slave_id()->CopyFrom(offer.slave_id());
      task.mutable_command()->set_value("true");
      pending_.pop_back();
      driver->launchTasks(offer.id(), vector<TaskInfo>{task});
    }
  }
  void offerRescinded(SchedulerDriver*, const OfferID&) override {}
  void statusUpdate(SchedulerDriver*, const TaskStatus& status) override {
    std::ostringstream line;
    line << status.task_id() << " is " << TaskState_Name(status.state());
    log_.push_back(line.str());
  }
  void frameworkMessage(SchedulerDriver*, const ExecutorID&, const SlaveID&,
                        const string&) override {}
  void slaveLost(SchedulerDriver*, const SlaveID&) override {}
  void executorLost(SchedulerDriver*, const ExecutorID&, const SlaveID&, int) override {}
  void error(SchedulerDriver*, const string&) override {}

  const vector<string>& log() const { return log_; }

 private:
  vector<string> pending_;
  vector<string> log_;
};

// The framework's own driver double, as Mesos users write one.
class FrameworkDriver : public SchedulerDriver {
 public:
  MOCK_METHOD(Status, start, (), (override));
  MOCK_METHOD(Status, stop, (bool), (override));
  MOCK_METHOD(Status, abort, (), (override));
  MOCK_METHOD(Status, join, (), (override));
  MOCK_METHOD(Status, run, (), (override));
  MOCK_METHOD(Status, requestResources, (const vector<Request>&), (override));
  MOCK_METHOD(Status, launchTasks,
              (const vector<OfferID>&, const vector<TaskInfo>&, const Filters&), (override));
  MOCK_METHOD(Status, launchTasks, (const OfferID&, const vector<TaskInfo>&, const Filters&),
              (override));
  MOCK_METHOD(Status, killTask, (const TaskID&), (override));
  MOCK_METHOD(Status, acceptOffers,
              (const vector<OfferID>&, const vector<Offer::Operation>&, const Filters&),
              (override));
  MOCK_METHOD(Status, declineOffer, (const OfferID&, const Filters&), (override));
  MOCK_METHOD(Status, reviveOffers, (), (override));
  MOCK_METHOD(Status, reviveOffers, (const vector<string>&), (override));
  MOCK_METHOD(Status, suppressOffers, (), (override));
  MOCK_METHOD(Status, suppressOffers, (const vector<string>&), (override));
  MOCK_METHOD(Status, acknowledgeStatusUpdate, (const TaskStatus&), (override));
  MOCK_METHOD(Status, sendFrameworkMessage, (const ExecutorID&, const SlaveID&, const string&),
              (override));
  MOCK_METHOD(Status, reconcileTasks, (const vector<TaskStatus>&), (override));
  MOCK_METHOD(Status, updateFramework,
              (const FrameworkInfo&, const vector<string>&, scheduler::OfferConstraints&&),
              (override));
};

Offer makeOffer(const string& id) {
  Offer offer;
  offer.mutable_id()->set_value(id);
  offer.mutable_framework_id()->set_value("framework");
  offer.mutable_slave_id()->set_value("agent");
  offer.set_hostname("localhost");
  return offer;
}

class MesosStyleTest : public Test {
 protected:
  StrictMock<FrameworkDriver> driver;
};

TEST_F(MesosStyleTest, LaunchesOnePendingTaskPerOfferAndDeclinesTheRest) {
  PendingTasksScheduler scheduler({"b", "a"});
  EXPECT_CALL(driver, launchTasks(Matcher<const OfferID&>(Property(&OfferID::value, "o1")),
                                  ElementsAre(Property(&TaskInfo::name, "a")), _))
      .WillOnce(Return(DRIVER_RUNNING));
  EXPECT_CALL(driver, launchTasks(Matcher<const OfferID&>(Property(&OfferID::value, "o2")),
                                  ElementsAre(Property(&TaskInfo::name, "b")), _))
      .WillOnce(Return(DRIVER_RUNNING));
  EXPECT_CALL(driver, declineOffer(Property(&OfferID::value, "o3"), _))
      .WillOnce(Return(DRIVER_RUNNING));
  scheduler.resourceOffers(&driver, {makeOffer("o1"), makeOffer("o2"), makeOffer("o3")});
}

TEST_F(MesosStyleTest, TheFrameworksOwnTaskIdPrinterIsUsed) {
  PendingTasksScheduler scheduler({});
  TaskStatus status;
  status.mutable_task_id()->set_value("web-1");
  status.set_state(TASK_RUNNING);
  scheduler.statusUpdate(&driver, status);
  EXPECT_THAT(scheduler.log(), ElementsAre("task 'web-1' is TASK_RUNNING"));
}

TEST(MesosStyleHelpersTest, TypeUtilsInAnotherFileUsesTheFrameworksPrinter) {
  OfferID offer;
  offer.set_value("o1");
  TaskID task;
  task.set_value("web-1");
  EXPECT_EQ("o1 -> task 'web-1' (TASK_STAGING)", framework::describe(offer, task));
}

TEST(MesosVersionTest, NamesTheImplementedMesosApi) {
  EXPECT_EQ(1, MESOS_MAJOR_VERSION_NUM);
  EXPECT_GE(MESOS_MINOR_VERSION_NUM, 11);
  EXPECT_TRUE(FRAMEWORK_HAS_OFFER_CONSTRAINTS);
  const string version = std::to_string(MESOS_MAJOR_VERSION_NUM) + "." +
                         std::to_string(MESOS_MINOR_VERSION_NUM) + "." +
                         std::to_string(MESOS_PATCH_VERSION_NUM);
  EXPECT_EQ(version, MESOS_VERSION);
  EXPECT_EQ(version, string(MESOS_MAJOR_VERSION) + "." + MESOS_MINOR_VERSION + "." +
                         MESOS_PATCH_VERSION);
}

TEST(MesosDriverTest, ConstructsAndDestroysAnUnstartedDriver) {
  PendingTasksScheduler scheduler({});
  FrameworkInfo framework;
  framework.set_user("");
  framework.set_name("mesos-style test");
  MesosSchedulerDriver driver(&scheduler, framework, "127.0.0.1:5050");
  EXPECT_NE(DRIVER_RUNNING, driver.reviveOffers());
}

}  // namespace
