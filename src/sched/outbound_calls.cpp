// The driver's outbound calls (PROTOCOL.md b.9), in both dialects.
// Runs on: the I/O thread.

#include <glog/logging.h>
#include <messages/messages.pb.h>

#include "common/clock.hpp"
#include "sched/scheduler_process.hpp"

namespace mesos {
namespace internal {
namespace sched {

using process::UPID;

namespace {

bool isLegacy(const ProcessOptions& options) {
  return options.dialect == DriverConfig::Dialect::kLegacy;
}

}  // namespace

void SchedulerProcess::sendTo(const UPID& to, const google::protobuf::Message& message) {
  // Never put a message on the wire that a Mesos receiver would refuse to parse.
  if (!message.IsInitialized()) {
    LOG(ERROR) << "Not sending " << message.GetTypeName()
               << ": missing required fields: " << message.InitializationErrorString();
    return;
  }
  std::string body;
  message.SerializePartialToString(&body);
  Try<Nothing> sent = transport_.send(selfText_, to, message.GetTypeName(), body);
  if (sent.isError()) {
    LOG(WARNING) << "Failed to send " << message.GetTypeName() << " to " << to << ": "
                 << sent.error();
  }
}

void SchedulerProcess::sendToMaster(const google::protobuf::Message& message) {
  if (!master_) {
    VLOG(1) << "Not sending " << message.GetTypeName() << ": no master";
    return;
  }
  sendTo(masterPid_, message);
}

scheduler::Call SchedulerProcess::makeCall(scheduler::Call::Type type) const {
  scheduler::Call call;
  call.set_type(type);
  if (framework_.has_id()) *call.mutable_framework_id() = framework_.id();
  return call;
}

bool SchedulerProcess::legacyCannot(const char* what) const {
  if (!isLegacy(options_)) return false;
  LOG(WARNING) << "Dropping " << what << ": the legacy dialect cannot express it";
  return true;
}

void SchedulerProcess::requestResources(const std::vector<Request>& requests) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring request resources: disconnected";
    return;
  }
  if (isLegacy(options_)) {
    internal::ResourceRequestMessage message;
    *message.mutable_framework_id() = framework_.id();
    for (const Request& r : requests) *message.add_requests() = r;
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::REQUEST);
  for (const Request& r : requests) *call.mutable_request()->add_requests() = r;
  sendToMaster(call);
}

void SchedulerProcess::dropLaunches(const std::vector<Offer::Operation>& operations) {
  // Tell the scheduler at once that its tasks cannot have launched (b.9). These
  // updates carry no uuid and are never acknowledged.
  bool partitionAware = false;
  for (const auto& capability : framework_.capabilities()) {
    partitionAware |= capability.type() == FrameworkInfo::Capability::PARTITION_AWARE;
  }
  const double now = nowSeconds();
  for (const Offer::Operation& operation : operations) {
    if (operation.type() != Offer::Operation::LAUNCH) continue;
    for (const TaskInfo& task : operation.launch().task_infos()) {
      internal::StatusUpdate update;
      *update.mutable_framework_id() = framework_.id();
      TaskStatus* status = update.mutable_status();
      *status->mutable_task_id() = task.task_id();
      status->set_state(partitionAware ? TASK_DROPPED : TASK_LOST);
      status->set_source(TaskStatus::SOURCE_MASTER);
      status->set_reason(TaskStatus::REASON_MASTER_DISCONNECTED);
      status->set_message("Master disconnected");
      status->set_timestamp(now);
      update.set_timestamp(now);
      deliverStatusUpdate(&update, UPID(), UPID());
    }
  }
}

void SchedulerProcess::acceptOffers(const std::vector<OfferID>& offerIds,
                                    const std::vector<Offer::Operation>& operations,
                                    const Filters& filters) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Dropping accept of " << offerIds.size() << " offers: disconnected";
    dropLaunches(operations);
    return;
  }
  for (const Offer::Operation& operation : operations) {
    if (operation.has_id()) {
      // Mesos aborts the process; we abort the driver.
      hooks_.abortWithError("An offer operation sent by a scheduler driver must not set 'id'");
      return;
    }
  }
  if (isLegacy(options_)) {
    // A LaunchTasksMessage carries tasks only: any other operation would be
    // lost, and one without tasks is read by the master as a DECLINE. Refuse
    // the whole call rather than turn it into something the caller did not ask.
    for (const Offer::Operation& operation : operations) {
      if (operation.type() != Offer::Operation::LAUNCH) {
        LOG(ERROR) << "Refusing acceptOffers() with a "
                   << Offer::Operation::Type_Name(operation.type())
                   << " operation: the legacy dialect can only launch tasks; nothing sent";
        return;
      }
    }
  }

  // Remember the agents of launched tasks, for direct framework messages.
  for (const OfferID& offerId : offerIds) {
    auto saved = savedOffers_.find(offerId.value());
    if (saved == savedOffers_.end()) {
      LOG(WARNING) << "Accepting unknown offer " << offerId.value() << " (sent anyway)";
      continue;
    }
    for (const Offer::Operation& operation : operations) {
      if (operation.type() != Offer::Operation::LAUNCH) continue;
      for (const TaskInfo& task : operation.launch().task_infos()) {
        auto agent = saved->second.find(task.slave_id().value());
        if (agent != saved->second.end()) savedSlavePids_[agent->first] = agent->second;
      }
    }
    savedOffers_.erase(saved);
  }

  if (isLegacy(options_)) {
    // Only LAUNCH is expressible (as one LaunchTasksMessage of all tasks).
    internal::LaunchTasksMessage message;
    *message.mutable_framework_id() = framework_.id();
    for (const OfferID& id : offerIds) *message.add_offer_ids() = id;
    *message.mutable_filters() = filters;
    for (const Offer::Operation& operation : operations) {
      for (const TaskInfo& task : operation.launch().task_infos()) *message.add_tasks() = task;
    }
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::ACCEPT);
  scheduler::Call::Accept* accept = call.mutable_accept();
  for (const OfferID& id : offerIds) *accept->add_offer_ids() = id;
  for (const Offer::Operation& operation : operations) *accept->add_operations() = operation;
  *accept->mutable_filters() = filters;
  sendToMaster(call);
}

void SchedulerProcess::declineOffer(const OfferID& offerId, const Filters& filters) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring decline of offer " << offerId.value() << ": disconnected";
    return;
  }
  savedOffers_.erase(offerId.value());
  if (isLegacy(options_)) {
    internal::LaunchTasksMessage message;  // No tasks = decline.
    *message.mutable_framework_id() = framework_.id();
    *message.add_offer_ids() = offerId;
    *message.mutable_filters() = filters;
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::DECLINE);
  *call.mutable_decline()->add_offer_ids() = offerId;
  *call.mutable_decline()->mutable_filters() = filters;
  sendToMaster(call);
}

void SchedulerProcess::killTask(const TaskID& taskId) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring kill of task " << taskId.value() << ": disconnected";
    return;
  }
  if (isLegacy(options_)) {
    internal::KillTaskMessage message;
    *message.mutable_framework_id() = framework_.id();
    *message.mutable_task_id() = taskId;
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::KILL);
  *call.mutable_kill()->mutable_task_id() = taskId;
  sendToMaster(call);
}

void SchedulerProcess::reviveOffers(const std::vector<std::string>& roles) {
  if (terminated_) return;
  if (roles.empty()) {
    suppressedRoles_.clear();
  } else {
    for (const std::string& role : roles) suppressedRoles_.erase(role);
  }
  if (!connected_) {
    // The suppressed set travels with the next SUBSCRIBE / UPDATE_FRAMEWORK.
    sendUpdateFrameworkOnConnect_ = true;
    return;
  }
  if (isLegacy(options_)) {
    internal::ReviveOffersMessage message;
    *message.mutable_framework_id() = framework_.id();
    for (const std::string& role : roles) message.add_roles(role);
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::REVIVE);
  for (const std::string& role : roles) call.mutable_revive()->add_roles(role);
  sendToMaster(call);
}

void SchedulerProcess::suppressOffers(const std::vector<std::string>& roles) {
  if (terminated_) return;
  if (roles.empty()) {
    suppressedRoles_ = std::set<std::string>(framework_.roles().begin(), framework_.roles().end());
  } else {
    suppressedRoles_.insert(roles.begin(), roles.end());
  }
  if (!connected_) {
    sendUpdateFrameworkOnConnect_ = true;
    return;
  }
  if (legacyCannot("SUPPRESS")) return;
  scheduler::Call call = makeCall(scheduler::Call::SUPPRESS);
  for (const std::string& role : roles) call.mutable_suppress()->add_roles(role);
  sendToMaster(call);
}

void SchedulerProcess::acknowledgeStatusUpdate(const TaskStatus& status) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring acknowledgement of task " << status.task_id().value()
            << ": disconnected (the agent will resend the update)";
    return;
  }
  // Master- and driver-generated updates carry no uuid or agent: nothing to ack.
  if (!status.has_uuid() || !status.has_slave_id()) {
    VLOG(2) << "Not acknowledging update of task " << status.task_id().value()
            << ": it needs no acknowledgement";
    return;
  }
  sendImplicitAck(status.slave_id(), status.task_id(), status.uuid());
}

void SchedulerProcess::sendImplicitAck(const SlaveID& slaveId, const TaskID& taskId,
                                       const std::string& uuid) {
  if (terminated_ || !master_) return;
  if (isLegacy(options_)) {
    internal::StatusUpdateAcknowledgementMessage message;
    *message.mutable_slave_id() = slaveId;
    *message.mutable_framework_id() = framework_.id();
    *message.mutable_task_id() = taskId;
    message.set_uuid(uuid);
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::ACKNOWLEDGE);
  scheduler::Call::Acknowledge* ack = call.mutable_acknowledge();
  *ack->mutable_slave_id() = slaveId;
  *ack->mutable_task_id() = taskId;
  ack->set_uuid(uuid);
  sendToMaster(call);
}

void SchedulerProcess::sendFrameworkMessage(const ExecutorID& executorId, const SlaveID& slaveId,
                                            const std::string& data) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring framework message: disconnected";
    return;
  }
  auto agent = savedSlavePids_.find(slaveId.value());
  if (agent != savedSlavePids_.end() || isLegacy(options_)) {
    internal::FrameworkToExecutorMessage message;
    *message.mutable_slave_id() = slaveId;
    *message.mutable_framework_id() = framework_.id();
    *message.mutable_executor_id() = executorId;
    message.set_data(data);
    if (agent != savedSlavePids_.end()) {
      sendTo(agent->second, message);  // Straight to the agent, bypassing the master.
    } else {
      sendToMaster(message);
    }
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::MESSAGE);
  scheduler::Call::Message* message = call.mutable_message();
  *message->mutable_slave_id() = slaveId;
  *message->mutable_executor_id() = executorId;
  message->set_data(data);
  sendToMaster(call);
}

void SchedulerProcess::reconcileTasks(const std::vector<TaskStatus>& statuses) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring reconciliation: disconnected";
    return;
  }
  if (isLegacy(options_)) {
    internal::ReconcileTasksMessage message;
    *message.mutable_framework_id() = framework_.id();
    for (const TaskStatus& status : statuses) *message.add_statuses() = status;
    sendToMaster(message);
    return;
  }
  scheduler::Call call = makeCall(scheduler::Call::RECONCILE);
  scheduler::Call::Reconcile* reconcile = call.mutable_reconcile();
  for (const TaskStatus& status : statuses) {
    scheduler::Call::Reconcile::Task* task = reconcile->add_tasks();
    *task->mutable_task_id() = status.task_id();
    if (status.has_slave_id()) *task->mutable_slave_id() = status.slave_id();
  }
  sendToMaster(call);
}

void SchedulerProcess::updateFramework(const FrameworkInfo& info,
                                       const std::vector<std::string>& suppressedRoles,
                                       const scheduler::OfferConstraints& offerConstraints) {
  if (terminated_) return;
  if (!framework_.has_id() || framework_.id().value().empty()) {
    hooks_.abortWithError(
        "MesosSchedulerDriver::updateFramework() must not be called prior to registration "
        "with the master");
    return;
  }
  if (info.id().value() != framework_.id().value()) {
    hooks_.abortWithError("The 'FrameworkInfo.id' provided to updateFramework() ('" +
                          info.id().value() + "') is different from the current one ('" +
                          framework_.id().value() + "')");
    return;
  }
  const std::string user = framework_.user();
  const std::string hostname = framework_.hostname();
  framework_ = info;
  if (framework_.user().empty()) framework_.set_user(user);
  if (framework_.hostname().empty()) framework_.set_hostname(hostname);
  suppressedRoles_ = std::set<std::string>(suppressedRoles.begin(), suppressedRoles.end());
  offerConstraints_ = offerConstraints;
  if (connected_) {
    sendUpdateFramework();
  } else {
    sendUpdateFrameworkOnConnect_ = true;
  }
}

void SchedulerProcess::sendUpdateFramework() {
  sendUpdateFrameworkOnConnect_ = false;
  if (legacyCannot("UPDATE_FRAMEWORK")) return;
  scheduler::Call call = makeCall(scheduler::Call::UPDATE_FRAMEWORK);
  scheduler::Call::UpdateFramework* update = call.mutable_update_framework();
  *update->mutable_framework_info() = framework_;
  for (const std::string& role : suppressedRoles_) update->add_suppressed_roles(role);
  if (offerConstraints_) *update->mutable_offer_constraints() = *offerConstraints_;
  sendToMaster(call);
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
