// DriverConfig::reconciliation against the simulated master with the real
// driver: after a master failover in place (SimulatedMaster::failover(), the
// agents keep their tasks) the driver reconciles the tasks the framework
// names, explicitly first (a running task and one the master never knew,
// answered TASK_LOST), then implicitly once, and signals the end between the
// two, in order with the other callbacks.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include "local_cluster_fixture.hpp"
#include "master/master.hpp"
#include "support/io_thread.hpp"
#include "support/latch.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::master::MasterOptions;
using internal::master::SimulatedMaster;
using ::testing::_;
using ::testing::Invoke;

class ReconciliationHelperTest : public ::testing::Test {
 protected:
  void TearDown() override {
    driver_.reset();
    io_.run([this] {
      master_.reset();
      return 0;
    });
  }

  void log(const std::string& entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(entry);
    changed_.notify();
  }
  std::vector<std::string> events() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  // The events after the `n`-th (1-based) occurrence of `mark`.
  std::vector<std::string> after(const std::string& mark, int n) {
    std::vector<std::string> all = events();
    int seen = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i] == mark && ++seen == n) return {all.begin() + i + 1, all.end()};
    }
    return {};
  }
  bool waitFor(const std::function<bool()>& predicate) {
    return waitUntil(predicate, std::chrono::seconds(10));
  }

  // Starts the master and a driver with the reconciliation helper naming
  // `known_` (set by the test), launching one long task on the first offer.
  void start() {
    MasterOptions options;
    options.ip = "127.0.0.1";
    options.port = 0;
    options.allocationInterval = std::chrono::milliseconds(50);
    options.realCommands = false;  // `sleep 600` runs (simulated) for the whole test.
    const std::string error = io_.run([&] {
      master_ = std::make_unique<SimulatedMaster>(io_.io(), options);
      auto started = master_->start();
      return started.isError() ? started.error() : std::string();
    });
    ASSERT_EQ("", error);
    const std::string pid = io_.run([&] { return master_->pid().toString(); });

    ON_CALL(sched_, registered(_, _, _)).WillByDefault(Invoke([this](auto...) {
      log("registered");
    }));
    ON_CALL(sched_, reregistered(_, _)).WillByDefault(Invoke([this](auto...) {
      log("reregistered");
    }));
    ON_CALL(sched_, disconnected(_)).WillByDefault(Invoke([this](auto...) { log("disconnected"); }));
    ON_CALL(sched_, resourceOffers(_, _))
        .WillByDefault(Invoke([this](SchedulerDriver* driver, const std::vector<Offer>& offers) {
          for (const Offer& offer : offers) {
            Filters none;
            none.set_refuse_seconds(0);
            if (launched_) {
              driver->declineOffer(offer.id(), none);
              continue;
            }
            launched_ = true;
            TaskInfo task;
            task.set_name("t");
            task.mutable_task_id()->set_value("t");
            *task.mutable_slave_id() = offer.slave_id();
            task.mutable_command()->set_value("sleep 600");
            Resource* cpus = task.add_resources();
            cpus->set_name("cpus");
            cpus->set_type(Value::SCALAR);
            cpus->mutable_scalar()->set_value(0.1);
            driver->launchTasks(offer.id(), {task}, none);
          }
        }));
    ON_CALL(sched_, statusUpdate(_, _)).WillByDefault(Invoke([this](SchedulerDriver*,
                                                                    const TaskStatus& s) {
      log("update " + s.task_id().value() + " " + TaskState_Name(s.state()) +
          (s.reason() == TaskStatus::REASON_RECONCILIATION ? " reconciliation" : ""));
    }));

    DriverConfig config;
    config.scheduler = &sched_;
    config.framework.set_name("reconciliation-helper-test");
    config.framework.set_failover_timeout(60);
    config.master = pid;
    config.registrationBackoffFactor = std::chrono::milliseconds(50);
    DriverConfig::Reconciliation reconciliation;
    reconciliation.tasks = [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      return known_;
    };
    reconciliation.onReconciled = [this](SchedulerDriver* driver) {
      EXPECT_EQ(driver_.get(), driver);
      log("reconciled");
    };
    config.reconciliation = reconciliation;
    driver_ = std::make_unique<MesosSchedulerDriver>(config);
    ASSERT_EQ(DRIVER_RUNNING, driver_->start());
  }

  IoThread io_;
  std::unique_ptr<SimulatedMaster> master_;
  ::testing::NiceMock<mock::MockScheduler> sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;
  bool launched_ = false;  // Callback thread only.
  std::mutex mutex_;
  std::vector<TaskStatus> known_;
  std::vector<std::string> events_;
  Latch changed_;
};

TEST_F(ReconciliationHelperTest, ExplicitThenImplicitAfterAMasterFailover) {
  ASSERT_NO_FATAL_FAILURE(start());
  // The first registration: no task known yet, so implicit only, and done.
  ASSERT_TRUE(waitFor([&] { return after("registered", 1).size() > 0; }));
  ASSERT_TRUE(waitFor([&] {
    const auto e = events();
    return std::count(e.begin(), e.end(), "update t TASK_RUNNING") == 1 &&
           std::count(e.begin(), e.end(), "reconciled") == 1;
  })) << ::testing::PrintToString(events());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    TaskStatus running;
    running.mutable_task_id()->set_value("t");
    known_.push_back(running);
    TaskStatus gone;  // Never launched: the master does not know it.
    gone.mutable_task_id()->set_value("gone");
    known_.push_back(gone);
  }

  ASSERT_TRUE(io_.run([this] { return master_->failover(); }));
  // Two answers for the running task (the explicit one and the implicit
  // one), at least one of them after the signal; one for the unknown task,
  // before the signal.
  const std::string tAnswer = "update t TASK_RUNNING reconciliation";
  ASSERT_TRUE(waitFor([&] {
    const auto tail = after("disconnected", 1);
    const auto late = after("reconciled", 2);
    return std::count(tail.begin(), tail.end(), tAnswer) == 2 &&
           std::count(late.begin(), late.end(), tAnswer) >= 1;
  })) << ::testing::PrintToString(events());

  const std::vector<std::string> second = after("disconnected", 1);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ("registered", second[0]) << ::testing::PrintToString(events());
  // Before the signal, both tasks have had an answer (for "t" any update
  // counts: an agent may also re-send its last update after the failover).
  auto signal = std::find(second.begin(), second.end(), "reconciled");
  ASSERT_NE(second.end(), signal);
  const std::vector<std::string> before(second.begin() + 1, signal);
  EXPECT_EQ(1, std::count(before.begin(), before.end(), "update gone TASK_LOST reconciliation"))
      << ::testing::PrintToString(events());
  EXPECT_TRUE(std::any_of(before.begin(), before.end(), [](const std::string& e) {
    return e.rfind("update t ", 0) == 0;
  })) << ::testing::PrintToString(events());
  // The unknown task was asked for once: answered, never retried.
  EXPECT_EQ(1, std::count(second.begin(), second.end(), "update gone TASK_LOST reconciliation"));
  // Signalled once per registration.
  const auto all = events();
  EXPECT_EQ(2, std::count(all.begin(), all.end(), "reconciled"));
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

// On every wire: a task the master never knew is answered (TASK_LOST) and
// counts as answered; then the done signal, on the callback thread.
class ReconciliationWireTest : public WireTest {};

TEST_P(ReconciliationWireTest, AnUnknownTaskIsAnsweredAndCountsAsAnswered) {
  startCluster();
  std::atomic<int> reconciled{0};
  std::atomic<bool> onCallbackThreadAfterAnswer{false};
  DriverConfig c = wireConfig(sched_);
  DriverConfig::Reconciliation reconciliation;
  reconciliation.tasks = [] {
    TaskStatus ghost;
    ghost.mutable_task_id()->set_value("ghost");
    ghost.mutable_slave_id()->set_value("no-such-agent");
    return std::vector<TaskStatus>{ghost};
  };
  reconciliation.onReconciled = [&](SchedulerDriver*) {
    // The answer's statusUpdate() has run before this.
    onCallbackThreadAfterAnswer = sched_.waitState("ghost", TASK_LOST, 0, Millis(0)).has_value();
    ++reconciled;
  };
  c.reconciliation = reconciliation;
  driver_ = startDriver(c);
  ASSERT_TRUE(sched_.waitRegistered());
  auto lost = sched_.waitState("ghost", TASK_LOST);
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(TaskStatus::REASON_RECONCILIATION, lost->status.reason());
  ASSERT_TRUE(waitUntil([&] { return reconciled.load() == 1; }));
  EXPECT_TRUE(onCallbackThreadAfterAnswer.load());
}

INSTANTIATE_TEST_SUITE_P(Wires, ReconciliationWireTest,
                         ::testing::Values(kLegacyWire, kCallWire, kHttpWire), wireName);

}  // namespace
}  // namespace testing
}  // namespace mesos
