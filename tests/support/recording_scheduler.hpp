#pragma once

// A Scheduler for driver tests that records every callback, in order, and lets
// the test thread wait (with a deadline) for the n-th callback of a kind:
//
//   RecordingScheduler sched;
//   ... start a driver with &sched, make the master send an offer ...
//   std::optional<CallbackEvent> offers = sched.wait(Callback::kResourceOffers);
//   ASSERT_TRUE(offers);
//   EXPECT_EQ("o1", offers->offers.at(0).id().value());
//
// Why not a GoogleMock MockScheduler: gmock requires every expectation to be set
// before another thread may call the mock, and a driver calls its scheduler on
// its own callback thread at any time after start(). A test that adds an
// EXPECT_CALL later races with that thread; the order the test relies on (it
// makes the master send the message only after setting the expectation) runs
// through a TCP socket, which ThreadSanitizer cannot see. Here every record and
// every action is guarded by one mutex, so a test may wait for, count and add
// actions to callbacks at any time.
//
// Threads: callbacks come on the driver's callback thread; everything else may
// be called from any thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mesos/mesos.hpp>
#include <mesos/scheduler.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

// One per Scheduler callback.
enum class Callback {
  kRegistered,
  kReregistered,
  kDisconnected,
  kResourceOffers,
  kOfferRescinded,
  kStatusUpdate,
  kFrameworkMessage,
  kSlaveLost,
  kExecutorLost,
  kError,
};

inline const char* callbackName(Callback kind) {
  switch (kind) {
    case Callback::kRegistered:
      return "registered";
    case Callback::kReregistered:
      return "reregistered";
    case Callback::kDisconnected:
      return "disconnected";
    case Callback::kResourceOffers:
      return "resourceOffers";
    case Callback::kOfferRescinded:
      return "offerRescinded";
    case Callback::kStatusUpdate:
      return "statusUpdate";
    case Callback::kFrameworkMessage:
      return "frameworkMessage";
    case Callback::kSlaveLost:
      return "slaveLost";
    case Callback::kExecutorLost:
      return "executorLost";
    case Callback::kError:
      return "error";
  }
  return "?";
}

// One callback and its arguments; only the fields of its kind are set.
struct CallbackEvent {
  Callback kind;
  std::chrono::steady_clock::time_point at;  // When the callback returned.
  FrameworkID frameworkId;                   // registered
  MasterInfo masterInfo;                     // registered, reregistered
  std::vector<Offer> offers;                 // resourceOffers
  OfferID offerId;                           // offerRescinded
  TaskStatus status;                         // statusUpdate
  ExecutorID executorId;                     // frameworkMessage, executorLost
  SlaveID slaveId;                           // frameworkMessage, slaveLost, executorLost
  std::string data;                          // frameworkMessage
  int exitStatus = 0;                        // executorLost
  std::string message;                       // error
};

class RecordingScheduler : public Scheduler {
 public:
  using Action = std::function<void(SchedulerDriver*, const CallbackEvent&)>;
  using Predicate = std::function<bool(const CallbackEvent&)>;
  static constexpr std::chrono::milliseconds kDeadline{10000};

  // Runs `action` on the callback thread in every later callback of `kind`,
  // before the callback is recorded: a wait for it returns once the action is
  // done, and sees what the action did. The action may call the driver, block,
  // or throw (the callback is recorded all the same). Replaces an earlier
  // action of that kind; set it before the driver starts, or before the master
  // sends what makes the callback happen. An action that refers to a test's
  // locals must not outlive them: prefer once() unless the test waits for
  // every callback it expects.
  void on(Callback kind, Action action) {
    std::lock_guard<std::mutex> lock(mutex_);
    actions_[kind] = {std::move(action), /*once=*/false};
  }

  // As on(), for the next callback of `kind` only.
  void once(Callback kind, Action action) {
    std::lock_guard<std::mutex> lock(mutex_);
    actions_[kind] = {std::move(action), /*once=*/true};
  }

  // Waits until `n` callbacks of `kind` (counted from the start) were recorded;
  // returns the n-th, or nothing at the deadline (scaled for sanitizers).
  std::optional<CallbackEvent> wait(Callback kind, size_t n = 1,
                                    std::chrono::milliseconds timeout = kDeadline) {
    std::optional<CallbackEvent> found;
    waitUntil(
        [&] {
          size_t seen = 0;
          for (const CallbackEvent& event : events_) {
            if (event.kind == kind && ++seen == n) {
              found = event;
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }

  // Waits for the first callback of `kind` that satisfies `predicate`.
  std::optional<CallbackEvent> wait(Callback kind, const Predicate& predicate,
                                    std::chrono::milliseconds timeout = kDeadline) {
    std::optional<CallbackEvent> found;
    waitUntil(
        [&] {
          for (const CallbackEvent& event : events_) {
            if (event.kind == kind && predicate(event)) {
              found = event;
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }

  // Callbacks of `kind` recorded so far (that satisfy `predicate`, if given).
  size_t count(Callback kind, const Predicate& predicate = {}) const {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t n = 0;
    for (const CallbackEvent& event : events_) {
      if (event.kind == kind && (!predicate || predicate(event))) ++n;
    }
    return n;
  }

  // Every callback of `kind` so far, in order.
  std::vector<CallbackEvent> events(Callback kind) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<CallbackEvent> out;
    for (const CallbackEvent& event : events_) {
      if (event.kind == kind) out.push_back(event);
    }
    return out;
  }

  // Every callback so far, in the order they ran.
  std::vector<CallbackEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

  // -- Scheduler --------------------------------------------------------------------

  void registered(SchedulerDriver* driver, const FrameworkID& id, const MasterInfo& info) override {
    CallbackEvent event = make(Callback::kRegistered);
    event.frameworkId = id;
    event.masterInfo = info;
    handle(driver, std::move(event));
  }
  void reregistered(SchedulerDriver* driver, const MasterInfo& info) override {
    CallbackEvent event = make(Callback::kReregistered);
    event.masterInfo = info;
    handle(driver, std::move(event));
  }
  void disconnected(SchedulerDriver* driver) override {
    handle(driver, make(Callback::kDisconnected));
  }
  void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) override {
    CallbackEvent event = make(Callback::kResourceOffers);
    event.offers = offers;
    handle(driver, std::move(event));
  }
  void offerRescinded(SchedulerDriver* driver, const OfferID& id) override {
    CallbackEvent event = make(Callback::kOfferRescinded);
    event.offerId = id;
    handle(driver, std::move(event));
  }
  void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) override {
    CallbackEvent event = make(Callback::kStatusUpdate);
    event.status = status;
    handle(driver, std::move(event));
  }
  void frameworkMessage(SchedulerDriver* driver, const ExecutorID& executor, const SlaveID& slave,
                        const std::string& data) override {
    CallbackEvent event = make(Callback::kFrameworkMessage);
    event.executorId = executor;
    event.slaveId = slave;
    event.data = data;
    handle(driver, std::move(event));
  }
  void slaveLost(SchedulerDriver* driver, const SlaveID& slave) override {
    CallbackEvent event = make(Callback::kSlaveLost);
    event.slaveId = slave;
    handle(driver, std::move(event));
  }
  void executorLost(SchedulerDriver* driver, const ExecutorID& executor, const SlaveID& slave,
                    int status) override {
    CallbackEvent event = make(Callback::kExecutorLost);
    event.executorId = executor;
    event.slaveId = slave;
    event.exitStatus = status;
    handle(driver, std::move(event));
  }
  void error(SchedulerDriver* driver, const std::string& message) override {
    CallbackEvent event = make(Callback::kError);
    event.message = message;
    handle(driver, std::move(event));
  }

 private:
  static CallbackEvent make(Callback kind) {
    CallbackEvent event;
    event.kind = kind;
    return event;
  }

  void handle(SchedulerDriver* driver, CallbackEvent event) {
    Action action;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = actions_.find(event.kind);
      if (it != actions_.end()) {
        action = it->second.action;
        if (it->second.once) actions_.erase(it);
      }
    }
    // Run without the lock: the action may block until the test, which waits
    // and counts under the lock, lets it go on.
    if (action) {
      try {
        action(driver, event);
      } catch (...) {
        record(std::move(event));
        throw;
      }
    }
    record(std::move(event));
  }

  void record(CallbackEvent event) {
    event.at = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
  }

  bool waitUntil(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout), predicate);
  }

  struct Pending {
    Action action;
    bool once;
  };

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Callback, Pending> actions_;
  std::vector<CallbackEvent> events_;
};

}  // namespace testing
}  // namespace mesos
