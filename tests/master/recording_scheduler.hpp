#pragma once

// `Recorder`: a NiceMock<MockScheduler> whose callbacks are recorded with the
// time they ran, so that a test can wait, with a deadline, for "the first
// RUNNING of task t" or "an offer from agent S1 after index n".

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "master_test_basics.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

class Recorder {
 public:
  struct TimedOffer {
    Clock::time_point at;
    Offer offer;
  };
  struct TimedStatus {
    Clock::time_point at;
    TaskStatus status;
  };
  struct FrameworkMessage {
    ExecutorID executor;
    SlaveID slave;
    std::string data;
  };

  // Runs on the driver's callback thread for every resourceOffers(); set it
  // before the driver starts.
  std::function<void(SchedulerDriver*, const std::vector<Offer>&)> onOffers;

  Recorder() {
    using ::testing::_;
    using ::testing::Invoke;
    ON_CALL(mock, registered(_, _, _))
        .WillByDefault(Invoke([this](SchedulerDriver*, const FrameworkID& id, const MasterInfo& info) {
          std::lock_guard<std::recursive_mutex> lock(mutex_);
          frameworkId_ = id;
          masterInfo_ = info;
          ++registrations_;
          changed_.notify_all();
        }));
    ON_CALL(mock, reregistered(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const MasterInfo&) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      ++reregistrations_;
      changed_.notify_all();
    }));
    ON_CALL(mock, resourceOffers(_, _))
        .WillByDefault(Invoke([this](SchedulerDriver* driver, const std::vector<Offer>& offers) {
          {
            std::lock_guard<std::recursive_mutex> lock(mutex_);
            for (const Offer& offer : offers) offers_.push_back({Clock::now(), offer});
            changed_.notify_all();
          }
          if (onOffers) onOffers(driver, offers);
        }));
    ON_CALL(mock, offerRescinded(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const OfferID& id) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      rescinded_.push_back(id.value());
      rescindedAt_[id.value()] = Clock::now();
      changed_.notify_all();
    }));
    ON_CALL(mock, statusUpdate(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const TaskStatus& s) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      statuses_.push_back({Clock::now(), s});
      changed_.notify_all();
    }));
    ON_CALL(mock, frameworkMessage(_, _, _, _))
        .WillByDefault(Invoke([this](SchedulerDriver*, const ExecutorID& e, const SlaveID& s,
                                     const std::string& data) {
          std::lock_guard<std::recursive_mutex> lock(mutex_);
          messages_.push_back({e, s, data});
          changed_.notify_all();
        }));
    ON_CALL(mock, slaveLost(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const SlaveID& id) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      lostAgents_.push_back(id.value());
      changed_.notify_all();
    }));
    ON_CALL(mock, disconnected(_)).WillByDefault(Invoke([this](SchedulerDriver*) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      ++disconnections_;
      changed_.notify_all();
    }));
    ON_CALL(mock, executorLost(_, _, _, _))
        .WillByDefault(Invoke([this](SchedulerDriver*, const ExecutorID& e, const SlaveID& s, int status) {
          std::lock_guard<std::recursive_mutex> lock(mutex_);
          executorsLost_.push_back({e, s, std::to_string(status)});
          changed_.notify_all();
        }));
    ON_CALL(mock, error(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const std::string& m) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      errors_.push_back(m);
      changed_.notify_all();
    }));
  }

  Scheduler* scheduler() { return &mock; }

  // Waits for `predicate()` (called under the lock) to hold.
  bool waitFor(const std::function<bool()>& predicate, Millis timeout = Millis(10000)) {
    std::unique_lock<std::recursive_mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout), predicate);
  }

  bool waitRegistered(Millis timeout = Millis(10000)) {
    return waitFor([this] { return registrations_ > 0; }, timeout);
  }

  // The first offer at index >= `from` satisfying `predicate`.
  std::optional<TimedOffer> waitOffer(size_t from, const std::function<bool(const Offer&)>& predicate = {},
                                      Millis timeout = Millis(10000)) {
    std::optional<TimedOffer> found;
    waitFor([&] {
      for (size_t i = from; i < offers_.size(); ++i) {
        if (!predicate || predicate(offers_[i].offer)) {
          found = offers_[i];
          return true;
        }
      }
      return false;
    }, timeout);
    return found;
  }

  // The first status update of `task` (at index >= `from`) satisfying `predicate`.
  std::optional<TimedStatus> waitStatus(const std::string& task,
                                        const std::function<bool(const TaskStatus&)>& predicate = {},
                                        size_t from = 0, Millis timeout = Millis(10000)) {
    std::optional<TimedStatus> found;
    waitFor([&] {
      for (size_t i = from; i < statuses_.size(); ++i) {
        const TaskStatus& s = statuses_[i].status;
        if (s.task_id().value() == task && (!predicate || predicate(s))) {
          found = statuses_[i];
          return true;
        }
      }
      return false;
    }, timeout);
    return found;
  }

  std::optional<TimedStatus> waitState(const std::string& task, TaskState state, size_t from = 0,
                                       Millis timeout = Millis(10000)) {
    return waitStatus(task, [state](const TaskStatus& s) { return s.state() == state; }, from, timeout);
  }

  size_t offerCount() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return offers_.size();
  }
  size_t statusCount() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return statuses_.size();
  }
  std::vector<TimedOffer> offers() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return offers_;
  }
  std::vector<TimedStatus> statuses() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return statuses_;
  }
  std::vector<TaskState> statesOf(const std::string& task) const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::vector<TaskState> out;
    for (const auto& s : statuses_) {
      if (s.status.task_id().value() == task) out.push_back(s.status.state());
    }
    return out;
  }
  std::vector<std::string> rescinded() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return rescinded_;
  }
  Clock::time_point rescindedAt(const std::string& offer) const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    auto it = rescindedAt_.find(offer);
    return it == rescindedAt_.end() ? Clock::time_point() : it->second;
  }
  std::vector<std::string> lostAgents() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return lostAgents_;
  }
  std::vector<FrameworkMessage> messages() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return messages_;
  }
  std::vector<std::string> errors() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return errors_;
  }
  std::optional<FrameworkID> frameworkId() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return frameworkId_;
  }
  MasterInfo masterInfo() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return masterInfo_;
  }
  int registrations() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return registrations_;
  }
  int reregistrations() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return reregistrations_;
  }
  int disconnections() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return disconnections_;
  }
  // executorLost(): executor, agent and the status as `data`.
  std::vector<FrameworkMessage> executorsLost() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return executorsLost_;
  }

  ::testing::NiceMock<MockScheduler> mock;

 private:
  // Recursive: waitFor() predicates run under the lock and may call the accessors.
  mutable std::recursive_mutex mutex_;
  std::condition_variable_any changed_;
  std::optional<FrameworkID> frameworkId_;
  MasterInfo masterInfo_;
  int registrations_ = 0;
  int reregistrations_ = 0;
  std::vector<TimedOffer> offers_;
  std::vector<TimedStatus> statuses_;
  std::vector<std::string> rescinded_;
  std::map<std::string, Clock::time_point> rescindedAt_;
  std::vector<std::string> lostAgents_;
  std::vector<FrameworkMessage> messages_;
  std::vector<std::string> errors_;
  int disconnections_ = 0;
  std::vector<FrameworkMessage> executorsLost_;
};

}  // namespace testing
}  // namespace mesos
