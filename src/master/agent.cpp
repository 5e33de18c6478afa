// The simulated agents. Each is a libprocess endpoint of its own, `slave(N)`,
// with the resources and attributes of the options. A task's command runs as
// a real child process in a sandbox or, without `realCommands`, is simulated;
// a task with an executor runs the built-in executor, which echoes framework
// messages and finishes on "finish". Each task's status updates form a stream
// of which only the oldest is in flight, resent until acknowledged.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <glog/logging.h>

#include "common/clock.hpp"
#include "common/uuid.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::Message;

namespace {

// How long a simulated command runs: `sleep N` takes N seconds, anything else
// the configured default.
Millis runTime(const TaskInfo& task, Millis fallback) {
  const std::string& command = task.command().value();
  if (command.rfind("sleep ", 0) == 0) {
    const double seconds = std::atof(command.c_str() + 6);
    if (seconds >= 0 && seconds < 1e6) return Millis(static_cast<int64_t>(seconds * 1000));
  }
  return fallback;
}

// Commands that "fail" in the simulation, so frameworks can exercise failure paths.
bool simulatedFailure(const TaskInfo& task) {
  const std::string& command = task.command().value();
  return command == "false" || command == "exit 1";
}

}  // namespace

Try<std::vector<Attribute>> parseAttributes(const std::string& text) {
  std::vector<Attribute> out;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ';')) {
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Error("attribute '" + item + "' is not name:value");
    }
    Attribute attribute;
    attribute.set_name(item.substr(0, colon));
    const std::string value = item.substr(colon + 1);
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (!value.empty() && end == value.c_str() + value.size()) {
      attribute.set_type(Value::SCALAR);
      attribute.mutable_scalar()->set_value(number);
    } else {
      attribute.set_type(Value::TEXT);
      attribute.mutable_text()->set_value(value);
    }
    out.push_back(attribute);
  }
  return out;
}

Try<Nothing> SimulatedMaster::startAgents() {
  for (int i = 0; i < options_.numAgents; ++i) {
    auto agent = std::make_unique<Agent>();
    char id[32];
    std::snprintf(id, sizeof(id), "-S%d", i);
    agent->id.set_value(info_.id() + id);
    // Each agent is a libprocess endpoint of its own, on its own port, as a
    // separate host would be: its direct messages to a framework then travel on
    // their own connection (some drivers attribute a connection's messages to
    // its first sender).
    process::TransportOptions agentTransport;
    agentTransport.bindIp = options_.ip;
    agentTransport.advertiseIp = options_.advertiseIp;  // Same host as the master.
    agentTransport.tls = options_.tls;
    agent->transport = std::make_unique<process::Transport>(io_, agentTransport);
    Try<Nothing> listening = agent->transport->start();
    if (listening.isError()) return Error("agent " + std::to_string(i + 1) + ": " + listening.error());
    agent->pid = agent->transport->self("slave(" + std::to_string(i + 1) + ")");
    agent->hostname = options_.hostname.value_or(process::formatIp(pid_.ip));
    agent->total.cpus = options_.agentCpus;
    agent->total.mem = options_.agentMem;
    agent->total.disk = options_.agentDisk;
    if (options_.agentPorts.second >= options_.agentPorts.first) {
      agent->total.ports.push_back(options_.agentPorts);
    }
    // Attributes in Mesos syntax (`rack:r1;zone:z1`; numbers become SCALAR);
    // by default agents alternate between two racks.
    Try<std::vector<Attribute>> attributes = parseAttributes(
        options_.agentAttributes.value_or("rack:rack-" + std::to_string(i % 2)));
    if (attributes.isError()) return Error("bad agent attributes: " + attributes.error());
    agent->attributes = attributes.get();
    agent->registeredTime = nowSeconds();
    count("master/slave_registrations");
    if (options_.agentResources) {
      Try<SimpleResources> resources = SimpleResources::parse(*options_.agentResources);
      if (resources.isError()) return Error("bad agent resources: " + resources.error());
      agent->total = resources.get();
    }
    const size_t index = agents_.size();
    agent->transport->addProcess(agent->pid.id,
                                 [this, index](Message&& m) { onAgentMessage(index, std::move(m)); });
    agents_.push_back(std::move(agent));
  }
  return Nothing();
}

void SimulatedMaster::startTask(const std::string& frameworkId, const std::string& taskId) {
  auto f = frameworks_.find(frameworkId);
  if (f == frameworks_.end()) return;
  auto t = f->second->tasks.find(taskId);
  if (t == f->second->tasks.end() || isTerminal(t->second->state)) return;
  Task& task = *t->second;
  queueAgentUpdate(frameworkId, taskId, TASK_STARTING);

  if (task.info.has_executor()) {
    // The built-in executor: runs until the framework sends it "finish" (or a
    // kill), echoing every other framework message (see onAgentMessage).
    queueAgentUpdate(frameworkId, taskId, TASK_RUNNING);
    return;
  }

  if (!options_.realCommands) {
    queueAgentUpdate(frameworkId, taskId, TASK_RUNNING);
    task.runTimer->expires_after(runTime(task.info, options_.taskRunTime));
    task.runTimer->async_wait([this, alive = aliveToken(), frameworkId,
                               taskId](const boost::system::error_code& ec) {
      if (ec || alive.expired() || stopped_) return;
      auto fw = frameworks_.find(frameworkId);
      if (fw == frameworks_.end()) return;
      auto found = fw->second->tasks.find(taskId);
      if (found == fw->second->tasks.end() || isTerminal(found->second->state)) return;
      const bool failed = simulatedFailure(found->second->info);
      queueAgentUpdate(frameworkId, taskId, failed ? TASK_FAILED : TASK_FINISHED,
                       TaskStatus::REASON_COMMAND_EXECUTOR_FAILED,
                       failed ? "Command exited with status 1" : "Command exited with status 0");
    });
    return;
  }

  // A real child process in its own sandbox, as Mesos's command executor runs
  // it: `/bin/sh -c <value>`, or with `shell` false the program `value` with
  // `arguments` as its argv (arguments[0] is argv[0]) and no shell.
  ProcessSpec spec;
  spec.command = task.info.command().value();
  spec.shell = task.info.command().shell();
  if (!spec.shell) {
    spec.arguments.assign(task.info.command().arguments().begin(),
                          task.info.command().arguments().end());
  }
  for (const auto& variable : task.info.command().environment().variables()) {
    if (variable.type() == Environment::Variable::VALUE || !variable.has_type()) {
      spec.environment.emplace_back(variable.name(), variable.value());
    }
  }
  spec.environment.emplace_back("MESOS_TASK_ID", taskId);
  spec.environment.emplace_back("MESOS_FRAMEWORK_ID", frameworkId);
  spec.environment.emplace_back("MESOS_AGENT_PID", agents_[task.agent]->pid.toString());
  spec.sandbox = workDir_ + "/agents/" + agents_[task.agent]->id.value() + "/frameworks/" +
                 frameworkId + "/tasks/" + taskId;
  task.sandbox = spec.sandbox;
  // TaskStatus has no field for it: the terminal update's message names the
  // sandbox, where the task's `stdout` and `stderr` are.
  const std::string where = " (sandbox: " + spec.sandbox + ")";
  Try<ProcessRunner::Id> launched = runner_->launch(
      spec, [this, frameworkId, taskId, where](const ProcessExit& exit) {
        auto fw = frameworks_.find(frameworkId);
        if (fw == frameworks_.end()) return;
        auto found = fw->second->tasks.find(taskId);
        if (found == fw->second->tasks.end()) return;
        Task& ended = *found->second;
        ended.process.reset();
        if (isTerminal(ended.state)) return;
        const std::string message = exit.describe() + where;
        if (ended.killing) {
          queueAgentUpdate(frameworkId, taskId, TASK_KILLED,
                           TaskStatus::REASON_TASK_KILLED_DURING_LAUNCH, message);
        } else if (!exit.signaled && exit.code == 0) {
          queueAgentUpdate(frameworkId, taskId, TASK_FINISHED,
                           TaskStatus::REASON_COMMAND_EXECUTOR_FAILED, message);
        } else {
          queueAgentUpdate(frameworkId, taskId, TASK_FAILED,
                           TaskStatus::REASON_COMMAND_EXECUTOR_FAILED, message);
        }
      });
  if (launched.isError()) {
    LOG(WARNING) << "Task " << taskId << " failed to start: " << launched.error();
    queueAgentUpdate(frameworkId, taskId, TASK_FAILED, TaskStatus::REASON_COMMAND_EXECUTOR_FAILED,
                     "Failed to launch the command: " + launched.error() + where);
    return;
  }
  task.process = launched.get();
  queueAgentUpdate(frameworkId, taskId, TASK_RUNNING);
}

void SimulatedMaster::killOnAgent(const std::string& frameworkId, const std::string& taskId,
                                  Task& task) {
  if (task.process) {
    // SIGTERM, then SIGKILL after the kill policy's grace period (Mesos's
    // default: 3 s); TASK_KILLED is sent when the process is gone.
    Millis grace(3000);
    if (task.info.has_kill_policy() && task.info.kill_policy().has_grace_period()) {
      grace = Millis(std::max<int64_t>(0, task.info.kill_policy().grace_period().nanoseconds() / 1000000));
    }
    task.killing = true;
    runner_->kill(*task.process, grace);
    return;
  }
  queueAgentUpdate(frameworkId, taskId, TASK_KILLED, TaskStatus::REASON_TASK_KILLED_DURING_LAUNCH,
                   "Killed by the framework");
}

void SimulatedMaster::queueAgentUpdate(const std::string& frameworkId, const std::string& taskId,
                                       TaskState state, TaskStatus::Reason reason,
                                       const std::string& message) {
  Framework& f = *frameworks_.at(frameworkId);
  Task& task = *f.tasks.at(taskId);
  task.state = state;

  internal::StatusUpdate update;
  *update.mutable_framework_id() = f.info.id();
  *update.mutable_slave_id() = agents_[task.agent]->id;
  if (task.info.has_executor()) *update.mutable_executor_id() = task.info.executor().executor_id();
  const double timestamp = nowSeconds();
  update.set_timestamp(timestamp);
  const std::string uuid = randomUuidBytes();
  update.set_uuid(uuid);
  TaskStatus* status = update.mutable_status();
  *status->mutable_task_id() = task.info.task_id();
  status->set_state(state);
  *status->mutable_slave_id() = agents_[task.agent]->id;
  if (task.info.has_executor()) *status->mutable_executor_id() = task.info.executor().executor_id();
  status->set_source(TaskStatus::SOURCE_EXECUTOR);
  status->set_timestamp(timestamp);
  status->set_uuid(uuid);
  if (isTerminal(state)) {
    if (!message.empty()) status->set_message(message);
    if (state != TASK_FINISHED && state != TASK_KILLED) status->set_reason(reason);
    releaseTask(f, task);
    countTerminal(state);
  }
  count("master/valid_status_updates");
  task.statuses.push_back(*status);
  task.pending.push_back(update);
  if (task.pending.size() == 1) sendPendingUpdate(frameworkId, taskId);
}

void SimulatedMaster::sendPendingUpdate(const std::string& frameworkId, const std::string& taskId) {
  auto fw = frameworks_.find(frameworkId);
  if (fw == frameworks_.end()) return;
  Framework& f = *fw->second;
  auto t = f.tasks.find(taskId);
  if (t == f.tasks.end() || t->second->pending.empty()) return;
  Task& task = *t->second;
  const internal::StatusUpdate& head = task.pending.front();

  // Forwarded only to a connected framework; otherwise the retry tries again.
  if (f.connected) {
    internal::StatusUpdateMessage message;
    *message.mutable_update() = head;
    message.set_pid(agents_[task.agent]->pid.toString());
    task.forwardedState = head.status().state();
    send(f.pid, message);
  }
  task.retryTimer->expires_after(task.retryBackoff.next({}));  // No jitter: no generator.
  const std::string uuid = head.uuid();
  task.retryTimer->async_wait([this, alive = aliveToken(), frameworkId, taskId, uuid](const boost::system::error_code& ec) {
    if (ec || alive.expired() || stopped_) return;
    auto fw2 = frameworks_.find(frameworkId);
    if (fw2 == frameworks_.end()) return;
    auto t2 = fw2->second->tasks.find(taskId);
    if (t2 == fw2->second->tasks.end() || t2->second->pending.empty() ||
        t2->second->pending.front().uuid() != uuid) {
      return;
    }
    VLOG(1) << "Resending unacknowledged update of task " << taskId;
    sendPendingUpdate(frameworkId, taskId);
  });
}

Backoff::Policy SimulatedMaster::statusUpdateRetryPolicy() const {
  // As a Mesos agent's status update manager: the first resend after
  // `statusUpdateRetry`, each next one twice as late up to the max, no jitter.
  Backoff::Policy policy;
  policy.initial = options_.statusUpdateRetry;
  policy.cap = options_.statusUpdateRetryMax;
  policy.jitter = false;
  return policy;
}

void SimulatedMaster::onAgentMessage(size_t index, Message&& m) {
  if (stopped_ || !agents_[index]->active) return;
  if (m.name != "mesos.internal.FrameworkToExecutorMessage") {
    VLOG(1) << "Agent " << agents_[index]->pid << " ignores " << m.name;
    return;
  }
  internal::FrameworkToExecutorMessage message;
  if (!message.ParseFromString(m.body)) {
    LOG(WARNING) << "Agent dropping malformed FrameworkToExecutorMessage from " << m.from;
    return;
  }
  auto f = frameworks_.find(message.framework_id().value());
  if (f == frameworks_.end()) return;
  if (message.data() == "finish") {
    // The built-in executor finishes its running tasks when told to.
    std::vector<std::string> finished;
    for (const auto& task : f->second->tasks) {
      if (task.second->agent == index && task.second->info.has_executor() &&
          task.second->info.executor().executor_id().value() == message.executor_id().value() &&
          !isTerminal(task.second->state)) {
        finished.push_back(task.first);
      }
    }
    for (const std::string& id : finished) {
      queueAgentUpdate(f->first, id, TASK_FINISHED, TaskStatus::REASON_COMMAND_EXECUTOR_FAILED,
                       "Finished on request");
    }
    return;
  }
  // The simulated executor answers every message with the same data, straight
  // to the scheduler as a real agent would.
  internal::ExecutorToFrameworkMessage reply;
  *reply.mutable_slave_id() = agents_[index]->id;
  *reply.mutable_framework_id() = message.framework_id();
  *reply.mutable_executor_id() = message.executor_id();
  reply.set_data(message.data());
  if (isHttpScheduler(f->second->pid)) {
    // An HTTP framework has no address of its own: the agent sends through
    // the master, which forwards it as a MESSAGE event if it is connected.
    if (f->second->connected) send(f->second->pid, reply);
    return;
  }
  std::string body;
  reply.SerializePartialToString(&body);
  Try<Nothing> sent = agents_[index]->transport->send(agents_[index]->pid, f->second->pid, reply.GetTypeName(), body);
  if (sent.isError()) LOG(WARNING) << "Agent failed to answer: " << sent.error();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
