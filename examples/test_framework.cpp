// An example framework: launches `--num_tasks` short command tasks, one per
// offer slot, waits for them to finish, and exits 0 when all did.
//
//   test_framework --master=local --num_tasks=5
//   test_framework --master=127.0.0.1:5050 --principal=p --secret-file=/path
//
// With `--principal` the driver authenticates (CRAM-MD5) before registering;
// the secret is the content of `--secret-file`, without surrounding whitespace.
//
// It shows the usual shape of a scheduler: keep per-task state, launch from
// offers, decline what you do not use, react to every terminal state, stop the
// driver when done.

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <glog/logging.h>
#include <mesos/scheduler.hpp>

#include "example_flags.hpp"

namespace {

using namespace mesos;

constexpr double kCpusPerTask = 0.5;
constexpr double kMemPerTask = 32;

double scalar(const Offer& offer, const std::string& name) {
  double total = 0;
  for (const Resource& r : offer.resources()) {
    if (r.name() == name && r.type() == Value::SCALAR) total += r.scalar().value();
  }
  return total;
}

Resource scalarResource(const std::string& name, double value) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

class TestScheduler : public Scheduler {
 public:
  TestScheduler(int numTasks, std::string command) : total_(numTasks), command_(std::move(command)) {}

  void registered(SchedulerDriver*, const FrameworkID& id, const MasterInfo& master) override {
    std::cout << "Registered as " << id.value() << " with master " << master.pid() << std::endl;
  }
  void reregistered(SchedulerDriver*, const MasterInfo& master) override {
    std::cout << "Re-registered with master " << master.pid() << std::endl;
  }
  void disconnected(SchedulerDriver*) override { std::cout << "Disconnected" << std::endl; }

  void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) override {
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
        cpus -= kCpusPerTask;
        mem -= kMemPerTask;
        std::cout << "Launching task " << id << " on " << offer.hostname() << std::endl;
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
    std::cout << "Task " << status.task_id().value() << " is in state "
              << TaskState_Name(status.state())
              << (status.has_message() ? " (" + status.message() + ")" : "") << std::endl;
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
  const int total_;
  const std::string command_;
  int launched_ = 0;
  int finished_ = 0;
  bool failed_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  examples::Flags flags = examples::parseFlags(argc, argv);
  if (!flags.ok) return 2;
  examples::initLogging(argv[0], flags.verbosity);

  TestScheduler scheduler(flags.numTasks, flags.command);
  mesos::FrameworkInfo framework;
  framework.set_name("Test Framework (C++)");
  framework.add_capabilities()->set_type(mesos::FrameworkInfo::Capability::PARTITION_AWARE);

  mesos::DriverConfig config;
  config.scheduler = &scheduler;
  config.framework = framework;
  config.master = flags.master;
  if (!flags.principal.empty()) {
    mesos::Credential credential;
    credential.set_principal(flags.principal);
    if (!flags.secretFile.empty()) {
      // The whole file, less surrounding whitespace (such as the final newline
      // an editor adds).
      std::ifstream in(flags.secretFile);
      std::stringstream content;
      content << in.rdbuf();
      if (!in.good()) {
        std::cerr << "Cannot read the secret from " << flags.secretFile << std::endl;
        return 2;
      }
      std::string secret = content.str();
      const size_t begin = secret.find_first_not_of(" \t\r\n");
      const size_t end = secret.find_last_not_of(" \t\r\n");
      secret = begin == std::string::npos ? "" : secret.substr(begin, end - begin + 1);
      credential.set_secret(secret);
    }
    config.credential = credential;
  }

  const auto start = std::chrono::steady_clock::now();
  mesos::MesosSchedulerDriver driver(config);
  const mesos::Status status = driver.run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "Summary: " << scheduler.finished() << "/" << flags.numTasks
            << " tasks finished (" << scheduler.launched() << " launched) in " << seconds
            << " s; driver " << mesos::Status_Name(status) << std::endl;
  return status == mesos::DRIVER_STOPPED && !scheduler.failed() ? 0 : 1;
}
