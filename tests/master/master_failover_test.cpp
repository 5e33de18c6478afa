// SimulatedMaster::failover(): a master failover in place, with the real
// driver. The framework re-registers (and is told Registered, as by a new
// leader), and, within `failoverResendAcknowledged`, the agent re-sends the
// terminal update of a task that was already acknowledged: the same update,
// same uuid, as a real agent does when the acknowledgement was lost with the
// old leader.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include "master/master.hpp"
#include "state_struct.hpp"
#include "support/io_thread.hpp"
#include "support/latch.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::master::MasterOptions;
using internal::master::SimulatedMaster;
using ::testing::_;
using ::testing::AnyNumber;
using ::testing::Invoke;

constexpr char kTaskId[] = "failover-task";

class MasterFailoverTest : public ::testing::Test {
 protected:
  void TearDown() override {
    driver_.reset();
    io_.run([this] {
      master_.reset();
      return 0;
    });
  }

  // Starts the master, then a driver that launches one short task on the
  // first offer and records every status update.
  void start(std::chrono::milliseconds resendWindow) {
    MasterOptions options;
    options.ip = "127.0.0.1";
    options.port = 0;
    options.allocationInterval = std::chrono::milliseconds(50);
    options.realCommands = false;
    options.taskRunTime = std::chrono::milliseconds(50);
    options.failoverResendAcknowledged = resendWindow;
    const std::string error = io_.run([&] {
      master_ = std::make_unique<SimulatedMaster>(io_.io(), options);
      auto started = master_->start();
      return started.isError() ? started.error() : std::string();
    });
    ASSERT_EQ("", error);
    const std::string pid = io_.run([&] { return master_->pid().toString(); });

    EXPECT_CALL(sched_, registered(_, _, _))
        .WillRepeatedly(Invoke([this](SchedulerDriver*, const FrameworkID& id, const MasterInfo& m) {
          std::lock_guard<std::mutex> lock(mutex_);
          frameworkIds_.push_back(id.value());
          masterIds_.push_back(m.id());
          registered_.notify();
        }));
    EXPECT_CALL(sched_, disconnected(_)).WillRepeatedly(Invoke([this](SchedulerDriver*) {
      disconnected_.notify();
    }));
    EXPECT_CALL(sched_, resourceOffers(_, _))
        .Times(AnyNumber())
        .WillRepeatedly(Invoke([this](SchedulerDriver* driver, const std::vector<Offer>& offers) {
          for (const Offer& offer : offers) {
            if (launched_) {
              Filters none;  // Offers keep coming: they mark time.
              none.set_refuse_seconds(0);
              driver->declineOffer(offer.id(), none);
              continue;
            }
            launched_ = true;
            TaskInfo task;
            task.set_name("t");
            task.mutable_task_id()->set_value(kTaskId);
            *task.mutable_slave_id() = offer.slave_id();
            task.mutable_command()->set_value("true");
            Resource* cpus = task.add_resources();
            cpus->set_name("cpus");
            cpus->set_type(Value::SCALAR);
            cpus->mutable_scalar()->set_value(0.1);
            Filters none;  // Nothing refused: the next offers come at once.
            none.set_refuse_seconds(0);
            driver->launchTasks(offer.id(), {task}, none);
          }
          offers_.notify();
        }));
    EXPECT_CALL(sched_, statusUpdate(_, _))
        .WillRepeatedly(Invoke([this](SchedulerDriver*, const TaskStatus& status) {
          std::lock_guard<std::mutex> lock(mutex_);
          if (status.state() == TASK_FINISHED) {
            finished_.push_back(status.uuid());
            finishedLatch_.notify();
          }
        }));

    DriverConfig config;
    config.scheduler = &sched_;
    config.framework.set_name("failover-test");
    config.master = pid;
    config.registrationBackoffFactor = std::chrono::milliseconds(50);
    driver_ = std::make_unique<MesosSchedulerDriver>(config);
    ASSERT_EQ(DRIVER_RUNNING, driver_->start());
    ASSERT_TRUE(registered_.wait(1));
    ASSERT_TRUE(finishedLatch_.wait(1));
    // Acknowledged: the master forgets an acknowledged terminal task.
    ASSERT_TRUE(waitUntil([this] {
      return !holdsTask();
    })) << "the master still holds the task";
  }

  // Whether the master tracks the task (among its frameworks' live tasks; a
  // forgotten one is listed among their completed tasks).
  bool holdsTask() {
    const Struct state = parseState(io_.run([this] { return master_->stateJson(); }));
    for (const Struct& framework : structs(state, "frameworks")) {
      for (const Struct& task : structs(framework, "tasks")) {
        if (str(task, "id") == kTaskId) return true;
      }
    }
    return false;
  }

  std::vector<std::string> finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_;
  }

  IoThread io_;
  std::unique_ptr<SimulatedMaster> master_;
  ::testing::NiceMock<mock::MockScheduler> sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;
  Latch registered_, disconnected_, offers_, finishedLatch_;
  bool launched_ = false;  // Callback thread only.
  std::mutex mutex_;
  std::vector<std::string> frameworkIds_, masterIds_, finished_;
};

TEST_F(MasterFailoverTest, AgentResendsAnAcknowledgedTerminalUpdateAfterAFailover) {
  ASSERT_NO_FATAL_FAILURE(start(std::chrono::minutes(10)));
  ASSERT_TRUE(io_.run([this] { return master_->failover(); }));
  ASSERT_TRUE(disconnected_.wait(1));
  ASSERT_TRUE(registered_.wait(2));
  ASSERT_TRUE(finishedLatch_.wait(2)) << "the terminal update was not re-sent";
  const std::vector<std::string> uuids = finished();
  EXPECT_EQ(uuids[0], uuids[1]) << "the same update, not a new one";
  {
    std::lock_guard<std::mutex> lock(mutex_);
    EXPECT_EQ(frameworkIds_[0], frameworkIds_[1]);
    EXPECT_NE(masterIds_[0], masterIds_[1]) << "a new leader has a new id";
  }
  // Acknowledged again, and forgotten again.
  EXPECT_TRUE(waitUntil([this] {
    return !holdsTask();
  }));
}

TEST_F(MasterFailoverTest, WithoutAResendWindowNothingIsResent) {
  ASSERT_NO_FATAL_FAILURE(start(std::chrono::milliseconds(0)));
  ASSERT_TRUE(io_.run([this] { return master_->failover(); }));
  ASSERT_TRUE(disconnected_.wait(1));
  ASSERT_TRUE(registered_.wait(2));
  // Re-sent updates would come before the first offer after re-registration
  // (the same connection, queued first).
  const int before = offers_.count();
  ASSERT_TRUE(offers_.wait(before + 1));
  EXPECT_EQ(1u, finished().size());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
