#pragma once

// What the system tests share: protobuf builders and `Recorder`, a hand-written
// Scheduler that records every callback with its time, so a test can wait for
// callbacks with a deadline.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <functional>
#include <mesos/mesos.hpp>
#include <mesos/scheduler.hpp>
#include <mesos/type_utils.hpp>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

constexpr Millis kDeadline{10000};

inline long long millisBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<Millis>(to - from).count();
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---- Protobuf builders ----------------------------------------------------------

inline Resource scalar(const std::string& name, double value) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

inline Filters refuseFor(double seconds) {
  Filters filters;
  filters.set_refuse_seconds(seconds);
  return filters;
}

inline FrameworkInfo frameworkInfo(const std::string& name, double failoverTimeout = 0) {
  FrameworkInfo info;
  info.set_name(name);  // `user` and `hostname` are filled in by the driver.
  if (failoverTimeout > 0) info.set_failover_timeout(failoverTimeout);
  return info;
}

// ---- Recorder: a hand-written Scheduler that records every callback -------------

// Records callbacks (with the time they ran) so a test can wait for them with a
// deadline. Offers: while `holdOffers()` is on they are only recorded; otherwise
// the first offer of a message takes the next queued batch of tasks (if any), and
// every other offer is declined for a minute so other frameworks get its
// resources. Hooks and batches must be set up before the driver starts, or (for
// batches) while no offer can arrive.
class Recorder : public Scheduler {
 public:
  struct TimedStatus {
    Clock::time_point at;
    TaskStatus status;
  };

  // Runs on the callback thread after a status update was recorded.
  std::function<void(SchedulerDriver*, const TaskStatus&)> onStatus;

  explicit Recorder(std::string name) : name_(std::move(name)) {}

  // Queues `count` tasks `<prefix>-<i>` running `command` for the next offer.
  void queueTasks(const std::string& prefix, int count, const std::string& command) {
    std::vector<std::pair<std::string, std::string>> batch;
    for (int i = 0; i < count; ++i) batch.emplace_back(prefix + "-" + std::to_string(i), command);
    std::lock_guard<std::mutex> lock(mutex_);
    batches_.push_back(std::move(batch));
  }

  // Queues tasks (id, command) to be launched together on the next offer.
  void queueBatch(std::vector<std::pair<std::string, std::string>> batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    batches_.push_back(std::move(batch));
  }

  void holdOffers() {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_ = true;
  }

  // -- Scheduler ------------------------------------------------------------------

  void registered(SchedulerDriver*, const FrameworkID& id, const MasterInfo& info) override {
    std::lock_guard<std::mutex> lock(mutex_);
    frameworkId_ = id;
    masterInfo_ = info;
    registeredAt_.push_back(Clock::now());
    changed_.notify_all();
  }

  void reregistered(SchedulerDriver*, const MasterInfo&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++reregistrations_;
    reregisteredAt_.push_back(Clock::now());
    changed_.notify_all();
  }

  void disconnected(SchedulerDriver*) override {
    std::lock_guard<std::mutex> lock(mutex_);
    disconnectedAt_.push_back(Clock::now());
    changed_.notify_all();
  }

  void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) override {
    std::vector<std::pair<std::string, std::string>> batch;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const Offer& offer : offers) offers_.push_back({Clock::now(), offer});
      changed_.notify_all();
      if (hold_) return;
      if (!batches_.empty()) {
        batch = std::move(batches_.front());
        batches_.pop_front();
      }
    }
    for (size_t i = 0; i < offers.size(); ++i) {
      if (i > 0 || batch.empty()) {
        driver->declineOffer(offers[i].id(), refuseFor(60));
        continue;
      }
      std::vector<TaskInfo> tasks;
      for (const auto& entry : batch) {
        TaskInfo task;
        task.set_name(name_ + " " + entry.first);
        task.mutable_task_id()->set_value(entry.first);
        *task.mutable_slave_id() = offers[i].slave_id();
        *task.add_resources() = scalar("cpus", 0.1);
        *task.add_resources() = scalar("mem", 16);
        task.mutable_command()->set_value(entry.second);
        tasks.push_back(task);
      }
      // What the tasks leave unused is refused for a minute.
      driver->launchTasks({offers[i].id()}, tasks, refuseFor(60));
    }
  }

  void offerRescinded(SchedulerDriver*, const OfferID& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    rescinded_.push_back({Clock::now(), id.value()});
    changed_.notify_all();
  }

  void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      statuses_.push_back({Clock::now(), status});
      changed_.notify_all();
    }
    if (onStatus) onStatus(driver, status);
  }

  void frameworkMessage(SchedulerDriver*, const ExecutorID&, const SlaveID&,
                        const std::string&) override {}
  void slaveLost(SchedulerDriver*, const SlaveID&) override {}
  void executorLost(SchedulerDriver*, const ExecutorID&, const SlaveID&, int) override {}

  void error(SchedulerDriver*, const std::string& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    errors_.push_back(message);
    changed_.notify_all();
  }

  // -- Waiting (every wait has a deadline) ----------------------------------------

  bool waitRegistrations(size_t n, Millis timeout = kDeadline) {
    return waitFor([&] { return registeredAt_.size() >= n; }, timeout);
  }
  bool waitDisconnections(size_t n, Millis timeout = kDeadline) {
    return waitFor([&] { return disconnectedAt_.size() >= n; }, timeout);
  }
  bool waitErrors(size_t n, Millis timeout = kDeadline) {
    return waitFor([&] { return errors_.size() >= n; }, timeout);
  }
  bool waitOffers(size_t n, Millis timeout = kDeadline) {
    return waitFor([&] { return offers_.size() >= n; }, timeout);
  }

  // The first update of `task` at index >= `from` matching `predicate`.
  std::optional<TimedStatus> waitStatus(const std::string& task,
                                        const std::function<bool(const TaskStatus&)>& predicate,
                                        size_t from = 0, Millis timeout = kDeadline) {
    std::optional<TimedStatus> found;
    waitFor(
        [&] {
          for (size_t i = from; i < statuses_.size(); ++i) {
            if (statuses_[i].status.task_id().value() == task && predicate(statuses_[i].status)) {
              found = statuses_[i];
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }

  std::optional<TimedStatus> waitState(const std::string& task, TaskState state,
                                       Millis timeout = kDeadline) {
    return waitStatus(
        task, [state](const TaskStatus& s) { return s.state() == state; }, 0, timeout);
  }

  // The rescind of `offerId`, if one came.
  std::optional<Clock::time_point> waitRescinded(const std::string& offerId,
                                                 Millis timeout = kDeadline) {
    std::optional<Clock::time_point> at;
    waitFor(
        [&] {
          for (const auto& entry : rescinded_) {
            if (entry.second == offerId) at = entry.first;
          }
          return at.has_value();
        },
        timeout);
    return at;
  }

  // -- Snapshots --------------------------------------------------------------------

  std::string frameworkId() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return frameworkId_.value();
  }
  MasterInfo masterInfo() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return masterInfo_;
  }
  std::vector<Clock::time_point> registeredAt() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return registeredAt_;
  }
  std::vector<Clock::time_point> disconnectedAt() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return disconnectedAt_;
  }
  std::vector<Clock::time_point> reregisteredAt() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reregisteredAt_;
  }
  // Registrations of either kind so far.
  size_t subscriptions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return registeredAt_.size() + reregisteredAt_.size();
  }
  bool waitSubscriptions(size_t n, Millis timeout = kDeadline) {
    return waitFor([&] { return registeredAt_.size() + reregisteredAt_.size() >= n; }, timeout);
  }
  int reregistrations() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reregistrations_;
  }
  std::vector<std::string> errors() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return errors_;
  }
  std::vector<std::pair<Clock::time_point, Offer>> offers() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return offers_;
  }
  std::vector<TimedStatus> statusesOf(const std::string& task) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<TimedStatus> out;
    for (const auto& s : statuses_) {
      if (s.status.task_id().value() == task) out.push_back(s);
    }
    return out;
  }
  std::string describeStatuses() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string text;
    for (const auto& s : statuses_) {
      text += "  " + s.status.task_id().value() + " " + TaskState_Name(s.status.state()) + " (" +
              TaskStatus::Source_Name(s.status.source()) + ") " + s.status.message() + "\n";
    }
    return text.empty() ? "  (none)\n" : text;
  }

 private:
  bool waitFor(const std::function<bool()>& predicate, Millis timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout), predicate);
  }

  const std::string name_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  std::deque<std::vector<std::pair<std::string, std::string>>> batches_;
  FrameworkID frameworkId_;
  MasterInfo masterInfo_;
  std::vector<Clock::time_point> registeredAt_;
  std::vector<Clock::time_point> disconnectedAt_;
  int reregistrations_ = 0;
  std::vector<Clock::time_point> reregisteredAt_;
  std::vector<std::pair<Clock::time_point, Offer>> offers_;
  std::vector<std::pair<Clock::time_point, std::string>> rescinded_;
  std::vector<TimedStatus> statuses_;
  std::vector<std::string> errors_;
};

// Every update of `task` is, in order, exactly STARTING, RUNNING, FINISHED from
// the agent, each with a uuid (so it had to be acknowledged): nothing lost, and
// nothing resent (a resend would mean an acknowledgement went missing).
inline void expectRanToCompletion(const Recorder& recorder, const std::string& task) {
  std::vector<TaskState> states;
  for (const auto& s : recorder.statusesOf(task)) {
    states.push_back(s.status.state());
    EXPECT_EQ(TaskStatus::SOURCE_EXECUTOR, s.status.source()) << task;
    EXPECT_EQ(16u, s.status.uuid().size()) << task << ": an agent update carries a uuid";
  }
  EXPECT_EQ(std::vector<TaskState>({TASK_STARTING, TASK_RUNNING, TASK_FINISHED}), states)
      << "updates of " << task << ":\n"
      << recorder.describeStatuses();
}

}  // namespace testing
}  // namespace mesos
