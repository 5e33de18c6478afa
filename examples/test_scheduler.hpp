#pragma once

// The scheduler of examples/test_framework.cpp: launches `numTasks` short
// command tasks, one per offer slot, and stops the driver once every one of
// them has finished. In a header so that examples/scheduler_logic_test.cpp can
// test it with a mock driver.
//
// Status updates are delivered at least once: after a master failover, an
// agent re-sends the updates whose acknowledgements the new master has not
// seen, so the same terminal update of a task can arrive twice. Each task is
// therefore counted once, by its id: an update for a task that already ended
// is reported and ignored, as is one for a task this scheduler never launched.

#include <atomic>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <mesos/scheduler.hpp>

namespace examples {

using namespace mesos;

constexpr double kCpusPerTask = 0.5;
constexpr double kMemPerTask = 32;

inline double scalar(const Offer& offer, const std::string& name) {
  double total = 0;
  for (const Resource& r : offer.resources()) {
    if (r.name() == name && r.type() == Value::SCALAR) total += r.scalar().value();
  }
  return total;
}

inline Resource scalarResource(const std::string& name, double value) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

class TestScheduler : public Scheduler {
 public:
  // `taskLines`: one line per launch and per update (short runs); without,
  // only the progress lines main() prints.
  TestScheduler(int numTasks, std::string command, bool taskLines = true)
      : total_(numTasks), command_(std::move(command)), taskLines_(taskLines) {}

  // What has happened so far. Thread: any (the counters are atomic).
  struct Progress {
    int launched = 0;
    int running = 0;
    int finished = 0;
    int failed = 0;
    uint64_t offers = 0;
  };
  Progress progress() const {
    return Progress{launched_.load(), running_.load(), finished_.load(), failedTasks_.load(),
                    offers_.load()};
  }

  void registered(SchedulerDriver*, const FrameworkID& id, const MasterInfo& master) override {
    std::cout << "Registered as " << id.value() << " with master " << master.pid() << std::endl;
  }
  void reregistered(SchedulerDriver*, const MasterInfo& master) override {
    std::cout << "Re-registered with master " << master.pid() << std::endl;
  }
  void disconnected(SchedulerDriver*) override { std::cout << "Disconnected" << std::endl; }

  void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) override {
    offers_ += offers.size();
    for (const Offer& offer : offers) {
      double cpus = scalar(offer, "cpus");
      double mem = scalar(offer, "mem");
      std::vector<TaskInfo> tasks;
      while (launched_ < total_ && cpus >= kCpusPerTask && mem >= kMemPerTask) {
        TaskInfo task;
        const std::string id = std::to_string(launched_++);
        task.set_name("task " + id);
        task.mutable_task_id()->set_value(id);
        *task.mutable_slave_id() = offer.slave_id();
        task.mutable_command()->set_value(command_);
        *task.add_resources() = scalarResource("cpus", kCpusPerTask);
        *task.add_resources() = scalarResource("mem", kMemPerTask);
        tasks.push_back(task);
        states_[id] = TASK_STAGING;
        cpus -= kCpusPerTask;
        mem -= kMemPerTask;
        if (taskLines_) std::cout << "Launching task " << id << " on " << offer.hostname() << std::endl;
      }
      if (tasks.empty()) {
        Filters filters;
        filters.set_refuse_seconds(launched_ < total_ ? 1 : 3600);
        driver->declineOffer(offer.id(), filters);
      } else {
        driver->launchTasks(offer.id(), tasks);
      }
    }
  }

  void offerRescinded(SchedulerDriver*, const OfferID& id) override {
    std::cout << "Offer " << id.value() << " rescinded" << std::endl;
  }

  void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) override {
    if (taskLines_) {
      std::cout << "Task " << status.task_id().value() << " is in state "
                << TaskState_Name(status.state())
                << (status.has_message() ? " (" + status.message() + ")" : "") << std::endl;
    }
    const auto task = states_.find(status.task_id().value());
    if (task == states_.end()) {
      std::cout << "Ignoring the update of unknown task " << status.task_id().value() << std::endl;
      return;
    }
    if (terminal(task->second)) {
      std::cout << "Ignoring a repeated update of task " << task->first << ": it already ended in "
                << TaskState_Name(task->second) << std::endl;
      return;
    }
    if (task->second != TASK_RUNNING && status.state() == TASK_RUNNING) ++running_;
    if (task->second == TASK_RUNNING && status.state() != TASK_RUNNING) --running_;
    task->second = status.state();
    if (terminal(status.state()) && status.state() != TASK_FINISHED) ++failedTasks_;
    switch (status.state()) {
      case TASK_FINISHED:
        ++finished_;
        break;
      case TASK_LOST:
      case TASK_KILLED:
      case TASK_FAILED:
      case TASK_ERROR:
      case TASK_DROPPED:
      case TASK_GONE:
      case TASK_GONE_BY_OPERATOR:
        std::cerr << "Aborting: task " << status.task_id().value() << " ended in "
                  << TaskState_Name(status.state()) << std::endl;
        failed_ = true;
        driver->abort();
        return;
      default:
        break;
    }
    if (finished_ == total_) {
      std::cout << "All " << total_ << " tasks finished" << std::endl;
      driver->stop();
    }
  }

  void frameworkMessage(SchedulerDriver*, const ExecutorID&, const SlaveID&,
                        const std::string& data) override {
    std::cout << "Framework message: " << data << std::endl;
  }
  void slaveLost(SchedulerDriver*, const SlaveID& id) override {
    std::cout << "Agent " << id.value() << " lost" << std::endl;
  }
  void executorLost(SchedulerDriver*, const ExecutorID& id, const SlaveID&, int status) override {
    std::cout << "Executor " << id.value() << " lost with status " << status << std::endl;
  }
  void error(SchedulerDriver*, const std::string& message) override {
    std::cerr << "Error: " << message << std::endl;
    failed_ = true;
  }

  bool failed() const { return failed_; }
  int launched() const { return launched_; }
  int finished() const { return finished_; }

 private:
  // Whether a task in `state` has ended for good (TASK_UNREACHABLE has not:
  // the task may come back).
  static bool terminal(TaskState state) {
    switch (state) {
      case TASK_FINISHED: case TASK_FAILED: case TASK_KILLED: case TASK_LOST: case TASK_ERROR:
      case TASK_DROPPED: case TASK_GONE: case TASK_GONE_BY_OPERATOR:
        return true;
      default:
        return false;
    }
  }

  const int total_;
  const std::string command_;
  const bool taskLines_;
  // Written on the callback thread, read by any (progress()).
  std::atomic<int> launched_{0};
  std::atomic<int> running_{0};
  std::atomic<int> finished_{0};
  std::atomic<int> failedTasks_{0};
  std::atomic<uint64_t> offers_{0};
  std::atomic<bool> failed_{false};
  // Task id -> latest state, for every task launched.
  std::map<std::string, TaskState> states_;
};

}  // namespace examples
