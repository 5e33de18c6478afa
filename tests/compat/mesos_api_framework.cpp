// A framework written only against Apache Mesos's C++ scheduler API, with the
// includes, types and calls exactly as a Mesos user writes them. It is compiled
// (not run) to prove source compatibility: if this stops compiling, a framework
// written for libmesos stops compiling against this library.

#include <iostream>
#include <string>
#include <vector>

#include <mesos/scheduler.hpp>

using namespace mesos;

using std::cout;
using std::endl;
using std::string;
using std::vector;

class CompatScheduler : public Scheduler {
 public:
  virtual ~CompatScheduler() {}

  virtual void registered(SchedulerDriver* driver, const FrameworkID& frameworkId,
                          const MasterInfo& masterInfo) {
    cout << "Registered " << frameworkId.value() << " with " << masterInfo.pid() << endl;
    vector<Request> requests;
    driver->requestResources(requests);
  }

  virtual void reregistered(SchedulerDriver* driver, const MasterInfo& masterInfo) {
    driver->reconcileTasks(vector<TaskStatus>());
  }

  virtual void disconnected(SchedulerDriver* driver) {}

  virtual void resourceOffers(SchedulerDriver* driver, const vector<Offer>& offers) {
    for (size_t i = 0; i < offers.size(); i++) {
      const Offer& offer = offers[i];
      TaskInfo task;
      task.set_name("task");
      task.mutable_task_id()->set_value("1");
      task.mutable_slave_id()->MergeFrom(offer.slave_id());
      task.mutable_command()->set_value("true");
      Resource* cpus = task.add_resources();
      cpus->set_name("cpus");
      cpus->set_type(Value::SCALAR);
      cpus->mutable_scalar()->set_value(1);

      vector<TaskInfo> tasks;
      tasks.push_back(task);
      driver->launchTasks(offer.id(), tasks);

      vector<OfferID> offerIds;
      offerIds.push_back(offer.id());
      Filters filters;
      filters.set_refuse_seconds(5);
      driver->launchTasks(offerIds, tasks, filters);

      Offer::Operation operation;
      operation.set_type(Offer::Operation::LAUNCH);
      operation.mutable_launch()->add_task_infos()->CopyFrom(task);
      vector<Offer::Operation> operations;
      operations.push_back(operation);
      driver->acceptOffers(offerIds, operations, filters);
      driver->declineOffer(offer.id(), filters);
      driver->declineOffer(offer.id());
    }
  }

  virtual void offerRescinded(SchedulerDriver* driver, const OfferID& offerId) {}

  virtual void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) {
    if (status.state() == TASK_FINISHED) {
      driver->killTask(status.task_id());
    }
    driver->acknowledgeStatusUpdate(status);
    vector<TaskStatus> statuses;
    statuses.push_back(status);
    driver->reconcileTasks(statuses);
  }

  virtual void frameworkMessage(SchedulerDriver* driver, const ExecutorID& executorId,
                                const SlaveID& slaveId, const string& data) {
    driver->sendFrameworkMessage(executorId, slaveId, data);
  }

  virtual void slaveLost(SchedulerDriver* driver, const SlaveID& sid) {}

  virtual void executorLost(SchedulerDriver* driver, const ExecutorID& executorID,
                            const SlaveID& slaveID, int status) {}

  virtual void error(SchedulerDriver* driver, const string& message) {
    cout << message << endl;
  }
};

int main(int argc, char** argv) {
  CompatScheduler scheduler;

  FrameworkInfo framework;
  framework.set_user("");
  framework.set_name("Compat Framework (C++)");
  framework.set_checkpoint(true);
  framework.add_capabilities()->set_type(FrameworkInfo::Capability::MULTI_ROLE);
  framework.add_roles("*");

  string master = argc > 1 ? argv[1] : "127.0.0.1:5050";

  MesosSchedulerDriver* driver;
  if (argc > 2) {
    Credential credential;
    credential.set_principal(argv[2]);
    credential.set_secret("secret");
    driver = new MesosSchedulerDriver(&scheduler, framework, master, credential);
  } else {
    driver = new MesosSchedulerDriver(&scheduler, framework, master);
  }
  MesosSchedulerDriver explicitAcks(&scheduler, framework, master, false);
  vector<string> suppressedRoles;
  MesosSchedulerDriver withRoles(&scheduler, framework, suppressedRoles, master, true);

  driver->reviveOffers();
  driver->reviveOffers(vector<string>{"*"});
  driver->suppressOffers();
  driver->suppressOffers(vector<string>{"*"});
  driver->updateFramework(framework, suppressedRoles, ::mesos::scheduler::OfferConstraints());

  int status = driver->run() == DRIVER_STOPPED ? 0 : 1;

  // Ensure that the driver process terminates.
  driver->stop();
  driver->abort();
  driver->join();

  delete driver;
  return status;
}
