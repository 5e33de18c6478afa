#pragma once

/// @file
/// GoogleMock doubles for unit-testing a framework's scheduler logic without a
/// master: `MockScheduler` records the callbacks a driver makes; a
/// `MockSchedulerDriver` stands in for the driver a `Scheduler` calls.
///
/// @par Threads
/// Both are as thread-safe as GoogleMock mocks are: expectations may be set on
/// one thread and met on another (e.g. a real driver's callback thread).
/// Requires linking GoogleMock (`GTest::gmock`).
///
/// The names are in `mesos::mock`: a `mesos::testing` would collide with
/// GoogleTest's `testing` in a file that opens both namespaces.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <mesos/scheduler.hpp>

namespace mesos {
/// GoogleMock doubles of the scheduler API, for unit-testing frameworks.
namespace mock {

/// A `Scheduler` whose every callback is a mock method (each documented at
/// `Scheduler`).
class MockScheduler : public Scheduler {
 public:
  MOCK_METHOD(void, registered, (SchedulerDriver*, const FrameworkID&, const MasterInfo&),
              (override));
  MOCK_METHOD(void, reregistered, (SchedulerDriver*, const MasterInfo&), (override));
  MOCK_METHOD(void, disconnected, (SchedulerDriver*), (override));
  MOCK_METHOD(void, resourceOffers, (SchedulerDriver*, const std::vector<Offer>&), (override));
  MOCK_METHOD(void, offerRescinded, (SchedulerDriver*, const OfferID&), (override));
  MOCK_METHOD(void, statusUpdate, (SchedulerDriver*, const TaskStatus&), (override));
  MOCK_METHOD(void, frameworkMessage,
              (SchedulerDriver*, const ExecutorID&, const SlaveID&, const std::string&),
              (override));
  MOCK_METHOD(void, slaveLost, (SchedulerDriver*, const SlaveID&), (override));
  MOCK_METHOD(void, executorLost, (SchedulerDriver*, const ExecutorID&, const SlaveID&, int),
              (override));
  MOCK_METHOD(void, error, (SchedulerDriver*, const std::string&), (override));
};

/// A `SchedulerDriver` whose every call is a mock method (each documented at
/// `SchedulerDriver`).
///
/// Every method returns `DRIVER_RUNNING` unless told otherwise (the constructor
/// sets that default with `ON_CALL`; a test's own `ON_CALL` or `EXPECT_CALL`
/// overrides it). The base class's default arguments also work through the
/// mock's own type: `driver.stop()`, `driver.launchTasks(offerId, tasks)`,
/// `driver.declineOffer(offerId)` and `driver.acceptOffers(offerIds, operations)`
/// call the mocked method with `false` or `Filters()`, so expectations are
/// always written with every argument, e.g. `EXPECT_CALL(driver, stop(false))`.
class MockSchedulerDriver : public SchedulerDriver {
 public:
  /// Sets each method's default action to return `DRIVER_RUNNING`.
  MockSchedulerDriver() {
    using ::testing::_;
    using ::testing::A;
    using ::testing::Return;
    const Status running = DRIVER_RUNNING;
    ON_CALL(*this, start()).WillByDefault(Return(running));
    ON_CALL(*this, stop(_)).WillByDefault(Return(running));
    ON_CALL(*this, abort()).WillByDefault(Return(running));
    ON_CALL(*this, join()).WillByDefault(Return(running));
    ON_CALL(*this, run()).WillByDefault(Return(running));
    ON_CALL(*this, requestResources(_)).WillByDefault(Return(running));
    ON_CALL(*this, launchTasks(A<const std::vector<OfferID>&>(), _, _))
        .WillByDefault(Return(running));
    ON_CALL(*this, launchTasks(A<const OfferID&>(), _, _)).WillByDefault(Return(running));
    ON_CALL(*this, killTask(_)).WillByDefault(Return(running));
    ON_CALL(*this, acceptOffers(_, _, _)).WillByDefault(Return(running));
    ON_CALL(*this, declineOffer(_, _)).WillByDefault(Return(running));
    ON_CALL(*this, reviveOffers()).WillByDefault(Return(running));
    ON_CALL(*this, reviveOffers(_)).WillByDefault(Return(running));
    ON_CALL(*this, suppressOffers()).WillByDefault(Return(running));
    ON_CALL(*this, suppressOffers(_)).WillByDefault(Return(running));
    ON_CALL(*this, acknowledgeStatusUpdate(_)).WillByDefault(Return(running));
    ON_CALL(*this, sendFrameworkMessage(_, _, _)).WillByDefault(Return(running));
    ON_CALL(*this, reconcileTasks(_)).WillByDefault(Return(running));
    ON_CALL(*this, updateFramework(_, _, _)).WillByDefault(Return(running));
  }

  MOCK_METHOD(Status, start, (), (override));
  MOCK_METHOD(Status, stop, (bool), (override));
  MOCK_METHOD(Status, abort, (), (override));
  MOCK_METHOD(Status, join, (), (override));
  MOCK_METHOD(Status, run, (), (override));
  MOCK_METHOD(Status, requestResources, (const std::vector<Request>&), (override));
  MOCK_METHOD(Status, launchTasks,
              (const std::vector<OfferID>&, const std::vector<TaskInfo>&, const Filters&),
              (override));
  MOCK_METHOD(Status, launchTasks,
              (const OfferID&, const std::vector<TaskInfo>&, const Filters&), (override));
  MOCK_METHOD(Status, killTask, (const TaskID&), (override));
  MOCK_METHOD(Status, acceptOffers,
              (const std::vector<OfferID>&, const std::vector<Offer::Operation>&,
               const Filters&),
              (override));
  MOCK_METHOD(Status, declineOffer, (const OfferID&, const Filters&), (override));
  MOCK_METHOD(Status, reviveOffers, (), (override));
  MOCK_METHOD(Status, reviveOffers, (const std::vector<std::string>&), (override));
  MOCK_METHOD(Status, suppressOffers, (), (override));
  MOCK_METHOD(Status, suppressOffers, (const std::vector<std::string>&), (override));
  MOCK_METHOD(Status, acknowledgeStatusUpdate, (const TaskStatus&), (override));
  MOCK_METHOD(Status, sendFrameworkMessage,
              (const ExecutorID&, const SlaveID&, const std::string&), (override));
  MOCK_METHOD(Status, reconcileTasks, (const std::vector<TaskStatus>&), (override));
  MOCK_METHOD(Status, updateFramework,
              (const FrameworkInfo&, const std::vector<std::string>&,
               ::mesos::scheduler::OfferConstraints&&),
              (override));

  /// `stop(false)`, as `SchedulerDriver::stop()`'s default argument.
  Status stop() { return stop(false); }
  /// `launchTasks(offerIds, tasks, Filters())`.
  Status launchTasks(const std::vector<OfferID>& offerIds, const std::vector<TaskInfo>& tasks) {
    return launchTasks(offerIds, tasks, Filters());
  }
  /// `launchTasks(offerId, tasks, Filters())`.
  Status launchTasks(const OfferID& offerId, const std::vector<TaskInfo>& tasks) {
    return launchTasks(offerId, tasks, Filters());
  }
  /// `acceptOffers(offerIds, operations, Filters())`.
  Status acceptOffers(const std::vector<OfferID>& offerIds,
                      const std::vector<Offer::Operation>& operations) {
    return acceptOffers(offerIds, operations, Filters());
  }
  /// `declineOffer(offerId, Filters())`.
  Status declineOffer(const OfferID& offerId) { return declineOffer(offerId, Filters()); }
};

}  // namespace mock
}  // namespace mesos
