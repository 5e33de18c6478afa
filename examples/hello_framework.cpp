// The smallest complete framework: one `echo hello` task, then stop.
// Usage: hello_framework [master]   (default: local)
#include <iostream>
#include <mesos/scheduler.hpp>

using namespace mesos;

class Hello : public Scheduler {
 public:
  void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) override {
    for (const Offer& offer : offers) {
      if (launched_) { driver->declineOffer(offer.id()); continue; }
      TaskInfo task;
      task.set_name("hello");
      task.mutable_task_id()->set_value("hello-1");
      *task.mutable_slave_id() = offer.slave_id();
      task.mutable_command()->set_value("echo hello");
      Resource* cpus = task.add_resources();
      cpus->set_name("cpus");
      cpus->set_type(Value::SCALAR);
      cpus->mutable_scalar()->set_value(0.1);
      driver->launchTasks(offer.id(), {task});
      launched_ = true;
    }
  }
  void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) override {
    std::cout << status.task_id().value() << " " << TaskState_Name(status.state()) << "\n";
    if (status.state() == TASK_FINISHED) driver->stop();
    if (status.state() == TASK_FAILED || status.state() == TASK_LOST) driver->abort();
  }
  void error(SchedulerDriver*, const std::string& message) override { std::cerr << message << "\n"; }
  void registered(SchedulerDriver*, const FrameworkID&, const MasterInfo&) override {}
  void reregistered(SchedulerDriver*, const MasterInfo&) override {}
  void disconnected(SchedulerDriver*) override {}
  void offerRescinded(SchedulerDriver*, const OfferID&) override {}
  void frameworkMessage(SchedulerDriver*, const ExecutorID&, const SlaveID&,
                        const std::string&) override {}
  void slaveLost(SchedulerDriver*, const SlaveID&) override {}
  void executorLost(SchedulerDriver*, const ExecutorID&, const SlaveID&, int) override {}

 private:
  bool launched_ = false;
};

int main(int argc, char** argv) {
  Hello scheduler;
  FrameworkInfo framework;
  framework.set_name("Hello (C++)");
  MesosSchedulerDriver driver(&scheduler, framework, argc > 1 ? argv[1] : "local");
  return driver.run() == DRIVER_STOPPED ? 0 : 1;
}
