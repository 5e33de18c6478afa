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

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <mesos/scheduler.hpp>

namespace mesos {
namespace testing {

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
/// `SchedulerDriver`); by default each
/// returns a value-initialised `Status` unless told otherwise with
/// `ON_CALL(...).WillByDefault(Return(DRIVER_RUNNING))`.
class MockSchedulerDriver : public SchedulerDriver {
 public:
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
};

}  // namespace testing
}  // namespace mesos
