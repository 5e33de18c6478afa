// The master's task bookkeeping: ACCEPT and LAUNCH (offers and tasks checked
// in a Mesos master's order), acknowledgements, KILL, reconciliation, the
// status updates the master makes itself, framework messages on their way to
// an agent, releasing a task's resources, and removing an agent. What the
// agents do with a task is in agent.cpp.

#include <algorithm>

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "common/clock.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace asio = boost::asio;
using process::Message;

void SimulatedMaster::accept(Framework& framework, const scheduler::Call::Accept& accept) {
  // Offer validation.
  std::string error;
  std::optional<size_t> agentIndex;
  std::set<std::string> seen;
  if (accept.offer_ids_size() == 0) error = "No offers specified";
  for (const OfferID& id : accept.offer_ids()) {
    if (!error.empty()) break;
    if (!seen.insert(id.value()).second) {
      error = "Duplicate offer " + id.value() + " in offer list";
      break;
    }
    auto offer = framework.offers.find(id.value());
    if (offer == framework.offers.end()) {
      error = "Offer " + id.value() + " is no longer valid";
      break;
    }
    if (agentIndex && *agentIndex != offer->second.agent) {
      error = "Aggregated offers must belong to one single agent";
      break;
    }
    agentIndex = offer->second.agent;
  }

  // Resources of the listed offers that exist go back (no filter on error).
  SimpleResources offered;
  for (const OfferID& id : accept.offer_ids()) {
    auto offer = framework.offers.find(id.value());
    if (offer == framework.offers.end()) continue;
    offered += offer->second.resources;
    rescindOffer(framework, id.value(), false);
  }

  const bool aware = partitionAware(framework);
  if (!error.empty()) {
    LOG(WARNING) << "Framework " << framework.info.id().value() << " launched with invalid offers: "
                 << error;
    for (const auto& operation : accept.operations()) {
      for (const TaskInfo& task : operation.launch().task_infos()) {
        sendMasterUpdate(framework, task, aware ? TASK_DROPPED : TASK_LOST,
                         TaskStatus::REASON_INVALID_OFFERS,
                         "Task launched with invalid offers: " + error);
      }
    }
    return;
  }

  Agent& agent = *agents_[*agentIndex];
  SimpleResources left = offered;
  for (const Offer::Operation& operation : accept.operations()) {
    if (operation.type() != Offer::Operation::LAUNCH) {
      LOG(WARNING) << "Dropping a " << Offer::Operation::Type_Name(operation.type())
                   << " operation: the simulated master only launches tasks";
      continue;
    }
    for (const TaskInfo& task : operation.launch().task_infos()) {
      if (operation.has_id()) {
        sendMasterUpdate(framework, task, TASK_ERROR, TaskStatus::REASON_TASK_INVALID,
                         "The `id` field cannot be set on LAUNCH operations");
        continue;
      }
      if (!agent.active) {
        sendMasterUpdate(framework, task, aware ? TASK_DROPPED : TASK_LOST,
                         TaskStatus::REASON_SLAVE_REMOVED, "Agent removed");
        continue;
      }
      launch(framework, agent, task, left);
    }
  }

  // What the tasks did not use is declined with the call's filters.
  if (!left.empty()) {
    // An absent `filters` means the proto default: 5 s.
    const Millis refusal = refusalOf(accept.filters());
    if (refusal.count() > 0) {
      framework.filters[*agentIndex] = std::chrono::steady_clock::now() + refusal;
    }
  }
}

void SimulatedMaster::launch(Framework& framework, Agent& agent, const TaskInfo& task,
                             SimpleResources& left) {
  const std::string& id = task.task_id().value();
  auto invalid = [&](const std::string& why) {
    sendMasterUpdate(framework, task, TASK_ERROR, TaskStatus::REASON_TASK_INVALID, why);
  };
  // Validation in Mesos's order.
  if (id.empty() || id.size() > 255 || id == "." || id == ".." ||
      id.find_first_of("/\\") != std::string::npos) {
    return invalid("Task ID '" + id + "' is invalid");
  }
  auto existing = framework.tasks.find(id);
  if (existing != framework.tasks.end() && !isTerminal(existing->second->state)) {
    return invalid("Task has duplicate ID: " + id);
  }
  if (task.slave_id().value() != agent.id.value()) {
    return invalid("Task uses invalid agent: " + task.slave_id().value());
  }
  if (task.resources_size() == 0) return invalid("Task uses no resources");
  Try<SimpleResources> resources = SimpleResources::from(task.resources());
  if (resources.isError()) return invalid("Task uses invalid resources: " + resources.error());
  if (task.has_command() == task.has_executor()) {
    return invalid(
        "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");
  }
  SimpleResources needed = resources.get();
  if (task.has_executor()) {
    Try<SimpleResources> executor = SimpleResources::from(task.executor().resources());
    if (executor.isError()) return invalid("Executor uses invalid resources: " + executor.error());
    needed += executor.get();
  }
  if (!left.contains(needed)) {
    return invalid("Total resources " + needed.toString() +
                   " required by task and its executor is more than available " + left.toString());
  }
  left -= needed;

  auto record = std::make_unique<Task>(statusUpdateRetryPolicy());
  record->info = task;
  if (record->info.has_executor() && !record->info.executor().has_framework_id()) {
    *record->info.mutable_executor()->mutable_framework_id() = framework.info.id();
  }
  for (size_t i = 0; i < agents_.size(); ++i) {
    if (agents_[i].get() == &agent) record->agent = i;
  }
  record->resources = needed;
  record->retryTimer = std::make_unique<asio::steady_timer>(io_);
  record->runTimer = std::make_unique<asio::steady_timer>(io_);
  agent.allocated += needed;
  framework.tasks[id] = std::move(record);
  LOG(INFO) << "Launching task " << id << " of framework " << framework.info.id().value()
            << " on agent " << agent.id.value();

  const std::string frameworkId = framework.info.id().value();
  asio::post(io_, [this, alive = aliveToken(), frameworkId, id] {
    if (!alive.expired() && !stopped_) startTask(frameworkId, id);
  });
}

void SimulatedMaster::releaseTask(Framework& framework, Task& task) {
  if (task.released) return;
  task.released = true;
  agents_[task.agent]->allocated -= task.resources;
  task.runTimer->cancel();
  // A task dropped by the master (framework or agent removed) takes its
  // process with it; none outlives the cluster.
  if (task.process) runner_->kill(*task.process, Millis(0));
  // A custom executor exits once its last task is done.
  if (task.info.has_executor()) {
    const std::string& executorId = task.info.executor().executor_id().value();
    for (const auto& other : framework.tasks) {
      if (!other.second->released && other.second->info.has_executor() &&
          other.second->info.executor().executor_id().value() == executorId) {
        return;
      }
    }
    if (framework.connected) {
      internal::ExitedExecutorMessage exited;
      *exited.mutable_slave_id() = agents_[task.agent]->id;
      *exited.mutable_framework_id() = framework.info.id();
      *exited.mutable_executor_id() = task.info.executor().executor_id();
      exited.set_status(0);
      send(framework.pid, exited);
    }
  }
}

void SimulatedMaster::completeTask(Framework& framework, const std::string& taskId,
                                   std::optional<TaskState> state) {
  auto t = framework.tasks.find(taskId);
  const Task& task = *t->second;
  CompletedTask completed;
  completed.info = task.info;
  completed.slaveId = agents_[task.agent]->id.value();
  completed.state = state.value_or(task.state);
  completed.resources = task.resources;
  completed.statuses = task.statuses;
  completed.sandbox = task.sandbox;
  framework.completedTasks.push_back(std::move(completed));
  if (framework.completedTasks.size() > kMaxCompletedTasks) framework.completedTasks.pop_front();
  framework.tasks.erase(t);
}

void SimulatedMaster::acknowledge(Framework& framework, const SlaveID& slaveId,
                                  const TaskID& taskId, const std::string& uuid) {
  auto t = framework.tasks.find(taskId.value());
  if (t == framework.tasks.end()) {
    VLOG(1) << "Ignoring acknowledgement for unknown task " << taskId.value();
    count("master/invalid_status_update_acknowledgements");
    return;
  }
  Task& task = *t->second;
  if (agents_[task.agent]->id.value() != slaveId.value() || !agents_[task.agent]->active) {
    VLOG(1) << "Ignoring acknowledgement for task " << taskId.value() << ": agent mismatch or gone";
    count("master/invalid_status_update_acknowledgements");
    return;
  }
  if (task.pending.empty() || task.pending.front().uuid() != uuid) {
    VLOG(1) << "Ignoring acknowledgement for task " << taskId.value() << ": not the head update";
    count("master/invalid_status_update_acknowledgements");
    return;
  }
  count("master/valid_status_update_acknowledgements");
  internal::StatusUpdate acked = std::move(task.pending.front());
  task.pending.pop_front();
  task.retryTimer->cancel();
  task.retryBackoff.reset();
  if (!task.pending.empty()) {
    sendPendingUpdate(framework.info.id().value(), taskId.value());
  } else if (isTerminal(acked.status().state())) {
    rememberAcknowledged(framework, task, acked);
    completeTask(framework, taskId.value());  // The master forgets an acknowledged terminal task.
  }
}

void SimulatedMaster::kill(Framework& framework, const TaskID& taskId,
                           const std::optional<SlaveID>& slaveId) {
  auto t = framework.tasks.find(taskId.value());
  if (t == framework.tasks.end()) {
    // Unknown task: answered as an explicit reconciliation.
    TaskStatus status;
    *status.mutable_task_id() = taskId;
    status.set_state(TASK_STAGING);
    if (slaveId) *status.mutable_slave_id() = *slaveId;
    reconcile(framework, {status});
    return;
  }
  Task& task = *t->second;
  if (slaveId && slaveId->value() != agents_[task.agent]->id.value()) {
    LOG(WARNING) << "Ignoring kill of task " << taskId.value() << ": it is not on agent "
                 << slaveId->value();
    return;
  }
  if (isTerminal(task.state)) return;
  killOnAgent(framework.info.id().value(), taskId.value(), task);
}

void SimulatedMaster::sendMasterUpdate(Framework& framework, const TaskInfo& task, TaskState state,
                                       TaskStatus::Reason reason, const std::string& message,
                                       bool reconciliation) {
  // A task the master ends itself (invalid, dropped, lost with its agent) is
  // counted as one that ended; a reconciliation answer reports a state only.
  if (!reconciliation && isTerminal(state)) countTerminal(state);
  if (!framework.connected) return;
  internal::StatusUpdateMessage update;
  internal::StatusUpdate* u = update.mutable_update();
  *u->mutable_framework_id() = framework.info.id();
  const double timestamp = nowSeconds();
  u->set_timestamp(timestamp);
  TaskStatus* status = u->mutable_status();
  *status->mutable_task_id() = task.task_id();
  status->set_state(state);
  status->set_source(TaskStatus::SOURCE_MASTER);
  status->set_reason(reason);
  status->set_message(message);
  status->set_timestamp(timestamp);
  if (task.has_slave_id()) {
    *u->mutable_slave_id() = task.slave_id();
    *status->mutable_slave_id() = task.slave_id();
  }
  if (reconciliation && task.has_executor()) {
    // Reconciliation answers say which executor runs the task.
    *u->mutable_executor_id() = task.executor().executor_id();
    *status->mutable_executor_id() = task.executor().executor_id();
  }
  // Master-generated updates carry no uuid and are never acknowledged; answers
  // to reconciliation also omit `pid`.
  if (!reconciliation) update.set_pid("@0.0.0.0:0");
  send(framework.pid, update);
}

void SimulatedMaster::reconcile(Framework& framework, const std::vector<TaskStatus>& statuses) {
  const bool aware = partitionAware(framework);
  auto latest = [&](const Task& task) {
    TaskInfo info = task.info;
    *info.mutable_slave_id() = agents_[task.agent]->id;
    sendMasterUpdate(framework, info, task.forwardedState.value_or(task.state),
                     TaskStatus::REASON_RECONCILIATION, "Reconciliation: Latest task state", true);
  };
  if (statuses.empty()) {
    for (const auto& task : framework.tasks) latest(*task.second);
    return;
  }
  for (const TaskStatus& status : statuses) {
    auto t = framework.tasks.find(status.task_id().value());
    if (t != framework.tasks.end()) {
      latest(*t->second);
      continue;
    }
    TaskInfo info;
    *info.mutable_task_id() = status.task_id();
    bool agentRegistered = false;
    if (status.has_slave_id()) {
      *info.mutable_slave_id() = status.slave_id();
      for (const auto& agent : agents_) {
        agentRegistered |= agent->active && agent->id.value() == status.slave_id().value();
      }
    }
    if (agentRegistered) {
      sendMasterUpdate(framework, info, aware ? TASK_GONE : TASK_LOST,
                       TaskStatus::REASON_RECONCILIATION,
                       "Reconciliation: Task is unknown to the agent", true);
    } else {
      sendMasterUpdate(framework, info, aware ? TASK_UNKNOWN : TASK_LOST,
                       TaskStatus::REASON_RECONCILIATION, "Reconciliation: Task is unknown", true);
    }
  }
}

void SimulatedMaster::frameworkToExecutor(const internal::FrameworkToExecutorMessage& message) {
  for (size_t i = 0; i < agents_.size(); ++i) {
    if (agents_[i]->id.value() == message.slave_id().value() && agents_[i]->active) {
      Message forwarded;
      forwarded.from = pid_;
      forwarded.name = message.GetTypeName();
      message.SerializePartialToString(&forwarded.body);
      count("master/valid_framework_to_executor_messages");
      onAgentMessage(i, std::move(forwarded));
      return;
    }
  }
  count("master/invalid_framework_to_executor_messages");
  VLOG(1) << "Dropping framework message for unknown agent " << message.slave_id().value();
}

bool SimulatedMaster::removeAgent(size_t index, const std::string& cause) {
  if (index >= agents_.size() || !agents_[index]->active) return false;
  count("master/slave_removals");
  Agent& agent = *agents_[index];
  agent.active = false;
  agent.transport->stop();  // Gone like a shut-down host: its sockets close.
  LOG(INFO) << "Removing agent " << agent.id.value() << ": " << cause;
  for (auto& entry : frameworks_) {
    Framework& f = *entry.second;
    std::vector<std::string> lost;
    for (auto& task : f.tasks) {
      if (task.second->agent == index) lost.push_back(task.first);
    }
    for (const std::string& id : lost) {
      Task& task = *f.tasks[id];
      if (!isTerminal(task.state)) {
        TaskInfo info = task.info;
        *info.mutable_slave_id() = agent.id;
        // A removed agent's tasks are TASK_LOST for every framework.
        sendMasterUpdate(f, info, TASK_LOST, TaskStatus::REASON_SLAVE_REMOVED,
                         "Agent " + agent.hostname + " removed: " + cause);
      }
      releaseTask(f, task);
      completeTask(f, id, isTerminal(task.state) ? std::nullopt
                                                 : std::optional<TaskState>(TASK_LOST));
    }
    std::vector<std::string> offers;
    for (const auto& offer : f.offers) {
      if (offer.second.agent == index) offers.push_back(offer.first);
    }
    for (const std::string& id : offers) rescindOffer(f, id, f.connected);
  }
  for (auto& entry : frameworks_) {
    if (!entry.second->connected) continue;
    internal::LostSlaveMessage lost;
    *lost.mutable_slave_id() = agent.id;
    send(entry.second->pid, lost);
  }
  return true;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
