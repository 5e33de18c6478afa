// A small framework built against the installed library: runs --num_tasks
// command tasks, one per offer, then stops.
// Usage: consumer [--master=local|host:port|zk://...] [--num_tasks=N] [--v=N]
#include <cstdlib>
#include <iostream>
#include <string>

#include <glog/logging.h>
#include <mesos/scheduler.hpp>
#include <mesos/type_utils.hpp>

namespace {

class Consumer : public mesos::Scheduler {
 public:
  explicit Consumer(int tasks) : tasks_(tasks) {}

  void resourceOffers(mesos::SchedulerDriver* driver,
                      const std::vector<mesos::Offer>& offers) override {
    for (const mesos::Offer& offer : offers) {
      if (launched_ == tasks_) {
        driver->declineOffer(offer.id());
        continue;
      }
      mesos::TaskInfo task;
      const std::string id = "consumer-" + std::to_string(++launched_);
      task.set_name(id);
      task.mutable_task_id()->set_value(id);
      *task.mutable_slave_id() = offer.slave_id();
      task.mutable_command()->set_value("true");
      mesos::Resource* cpus = task.add_resources();
      cpus->set_name("cpus");
      cpus->set_type(mesos::Value::SCALAR);
      cpus->mutable_scalar()->set_value(0.1);
      driver->launchTasks(offer.id(), {task});
    }
  }

  void statusUpdate(mesos::SchedulerDriver* driver, const mesos::TaskStatus& status) override {
    LOG(INFO) << "Task " << status.task_id() << " is " << status.state();
    std::cout << status.task_id() << " " << status.state() << std::endl;
    if (status.state() == mesos::TASK_FINISHED && ++finished_ == tasks_) driver->stop();
    if (status.state() == mesos::TASK_FAILED || status.state() == mesos::TASK_LOST ||
        status.state() == mesos::TASK_ERROR) {
      driver->abort();
    }
  }

  void registered(mesos::SchedulerDriver*, const mesos::FrameworkID& id,
                  const mesos::MasterInfo& master) override {
    std::cout << "registered as " << id << " with " << master.hostname() << ":" << master.port()
              << std::endl;
  }
  void error(mesos::SchedulerDriver*, const std::string& message) override {
    std::cerr << "error: " << message << std::endl;
  }
  void reregistered(mesos::SchedulerDriver*, const mesos::MasterInfo&) override {}
  void disconnected(mesos::SchedulerDriver*) override {}
  void offerRescinded(mesos::SchedulerDriver*, const mesos::OfferID&) override {}
  void frameworkMessage(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                        const std::string&) override {}
  void slaveLost(mesos::SchedulerDriver*, const mesos::SlaveID&) override {}
  void executorLost(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                    int) override {}

 private:
  const int tasks_;
  int launched_ = 0;
  int finished_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string master = "local";
  int tasks = 2;
  int verbosity = -1;  // --v, if given.
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--master=", 0) == 0) {
      master = arg.substr(9);
    } else if (arg.rfind("--num_tasks=", 0) == 0) {
      tasks = std::atoi(arg.c_str() + 12);
    } else if (arg.rfind("--v=", 0) == 0) {
      verbosity = std::atoi(arg.c_str() + 4);
    } else {
      std::cerr << "Usage: " << argv[0] << " [--master=M] [--num_tasks=N] [--v=N]\n";
      return 2;
    }
  }

  // Logging is the application's to set up: stderr, warnings and up unless
  // --v asks for more (1: state changes and dropped messages, 2: every message).
  // What GLOG_* variables set (glog reads them before main) is left alone, so
  // GLOG_v=1 works too; --v wins over it.
  if (verbosity >= 0) FLAGS_v = verbosity;
  if (std::getenv("GLOG_logtostderr") == nullptr && std::getenv("GLOG_log_dir") == nullptr) {
    FLAGS_logtostderr = true;
  }
  if (verbosity >= 0 || std::getenv("GLOG_minloglevel") == nullptr) {
    FLAGS_minloglevel = FLAGS_v > 0 ? 0 : 1;
  }
  google::InitGoogleLogging(argv[0]);

  Consumer scheduler(tasks < 1 ? 1 : tasks);
  mesos::FrameworkInfo framework;
  framework.set_name("consumer (C++)");
  mesos::MesosSchedulerDriver driver(&scheduler, framework, master);
  const mesos::Status status = driver.run();
  std::cout << "driver: " << status << std::endl;
  return status == mesos::DRIVER_STOPPED ? 0 : 1;
}
