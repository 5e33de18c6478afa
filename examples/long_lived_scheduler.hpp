#pragma once

// The scheduler of examples/long_lived_framework.cpp: keeps `tasks` tasks
// running, replaces any that end, and reconciles on every (re-)registration.
// In a header so that examples/scheduler_logic_test.cpp can test it with a
// mock driver.
//
// After a failover, reconciliation reports the tasks of the earlier instance:
// they are adopted (reported as such) and count toward `tasks`. Offers may come
// before those reports, so this instance may already have launched its own;
// when more than `tasks` tasks are live, the surplus adopted ones are killed.
// Updates are delivered at least once: a repeated update of a task that has
// ended is ignored.

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <mesos/scheduler.hpp>

namespace examples {

using namespace mesos;

struct LongLivedOptions {
  std::string master = "local";
  int tasks = 3;
  int runSeconds = 0;  // 0: until SIGINT or SIGTERM.
  double failoverTimeout = 60;
  std::string frameworkIdFile = "/tmp/long_lived_framework.id";
  bool teardown = false;
  std::optional<int> verbosity;  // --v, if given.
};

inline Resource scalar(const std::string& name, double value) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

class LongLivedScheduler : public Scheduler {
 public:
  explicit LongLivedScheduler(const LongLivedOptions& options) : options_(options) {}

  void registered(SchedulerDriver* driver, const FrameworkID& id, const MasterInfo& master) override {
    std::cout << "Registered as " << id.value() << " with " << master.pid() << std::endl;
    // The driver has stored `id` in options_.frameworkIdFile already.
    reconcile(driver);
  }
  void reregistered(SchedulerDriver* driver, const MasterInfo& master) override {
    std::cout << "Re-registered with " << master.pid() << std::endl;
    reconcile(driver);
  }
  void disconnected(SchedulerDriver*) override { std::cout << "Disconnected" << std::endl; }

  void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Offer& offer : offers) {
      double cpus = 0, mem = 0;
      for (const Resource& r : offer.resources()) {
        if (r.name() == "cpus") cpus += r.scalar().value();
        if (r.name() == "mem") mem += r.scalar().value();
      }
      std::vector<TaskInfo> launch;
      while (live() < options_.tasks && cpus >= 0.1 && mem >= 16) {
        TaskInfo task;
        const std::string id = "long-lived-" + std::to_string(next_++);
        task.set_name(id);
        task.mutable_task_id()->set_value(id);
        *task.mutable_slave_id() = offer.slave_id();
        task.mutable_command()->set_value("sleep 3600");
        *task.add_resources() = scalar("cpus", 0.1);
        *task.add_resources() = scalar("mem", 16);
        tasks_[id] = {TASK_STAGING, /*adopted=*/false, /*killing=*/false};
        launch.push_back(task);
        cpus -= 0.1;
        mem -= 16;
        std::cout << "Launching " << id << std::endl;
      }
      if (launch.empty()) {
        Filters filters;
        filters.set_refuse_seconds(5);
        driver->declineOffer(offer.id(), filters);
      } else {
        driver->launchTasks(offer.id(), launch);
      }
    }
  }

  void offerRescinded(SchedulerDriver*, const OfferID&) override {}

  void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string& id = status.task_id().value();
    std::cout << "Task " << id << " is " << TaskState_Name(status.state())
              << (status.reason() == TaskStatus::REASON_RECONCILIATION ? " (reconciled)" : "")
              << std::endl;
    if (ended_.count(id) > 0) {
      std::cout << "Ignoring a repeated update of task " << id << ": it has ended" << std::endl;
      return;
    }
    auto task = tasks_.find(id);
    switch (status.state()) {
      case TASK_STAGING: case TASK_STARTING: case TASK_RUNNING:
        if (task == tasks_.end()) {
          // Not launched by this instance: an earlier one's, still running.
          std::cout << "Adopting task " << id << " of an earlier instance" << std::endl;
          task = tasks_.emplace(id, Task{status.state(), /*adopted=*/true, /*killing=*/false}).first;
        }
        task->second.state = status.state();
        killSurplus(driver);
        break;
      default:
        // Ended or unknown: forget it; the next offer replaces it unless this
        // instance killed it as surplus.
        ended_.insert(id);
        if (task != tasks_.end() && task->second.killing) {
          ++killed_;
        } else {
          ++replaced_;
        }
        if (task != tasks_.end()) tasks_.erase(task);
    }
  }

  void frameworkMessage(SchedulerDriver*, const ExecutorID&, const SlaveID&,
                        const std::string&) override {}
  void slaveLost(SchedulerDriver*, const SlaveID& id) override {
    std::cout << "Agent " << id.value() << " lost" << std::endl;
  }
  void executorLost(SchedulerDriver*, const ExecutorID&, const SlaveID&, int) override {}
  void error(SchedulerDriver*, const std::string& message) override {
    std::cerr << "Error: " << message << std::endl;
    failed_ = true;
  }

  struct Counts {
    int running = 0;  // Live tasks in TASK_RUNNING, this instance's or adopted.
    int adopted = 0;  // Of those, adopted from an earlier instance.
    int replaced = 0;
    int killed = 0;   // Surplus adopted tasks this instance killed.
  };
  Counts counts() {
    std::lock_guard<std::mutex> lock(mutex_);
    Counts counts;
    for (const auto& task : tasks_) {
      if (task.second.killing || task.second.state != TASK_RUNNING) continue;
      ++counts.running;
      counts.adopted += task.second.adopted;
    }
    counts.replaced = replaced_;
    counts.killed = killed_;
    return counts;
  }
  bool failed() const { return failed_; }

 private:
  struct Task {
    TaskState state = TASK_STAGING;
    bool adopted = false;  // Launched by an earlier instance.
    bool killing = false;  // Killed as surplus; no longer counted.
  };

  // Tasks launched or adopted, not ended, not being killed. Under mutex_.
  int live() const {
    int n = 0;
    for (const auto& task : tasks_) n += !task.second.killing;
    return n;
  }

  // Kills adopted tasks while more than `--tasks` are live. Under mutex_.
  void killSurplus(SchedulerDriver* driver) {
    for (auto& task : tasks_) {
      if (live() <= options_.tasks) return;
      if (!task.second.adopted || task.second.killing) continue;
      std::cout << "Killing adopted task " << task.first << ": " << live() << " live, "
                << options_.tasks << " wanted" << std::endl;
      task.second.killing = true;
      TaskID id;
      id.set_value(task.first);
      driver->killTask(id);
    }
  }

  void reconcile(SchedulerDriver* driver) {
    // Implicit reconciliation: the master answers with every task it knows.
    driver->reconcileTasks({});
  }

  const LongLivedOptions options_;
  std::mutex mutex_;
  std::map<std::string, Task> tasks_;
  std::set<std::string> ended_;
  int next_ = static_cast<int>(std::chrono::system_clock::now().time_since_epoch().count() % 100000);
  int replaced_ = 0;
  int killed_ = 0;
  std::atomic<bool> failed_{false};
};

}  // namespace examples
