// The driver core's user calls: what each sends, when it is dropped (after
// stop(), while disconnected), and the bookkeeping of offers and agents.

#include <glog/logging.h>

#include "sched/core/driver_core.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

using process::UPID;

namespace {

struct CallNamer {
  const char* operator()(const Subscribe&) const { return "SUBSCRIBE"; }
  const char* operator()(const Teardown&) const { return "TEARDOWN"; }
  const char* operator()(const Deactivate&) const { return "DEACTIVATE"; }
  const char* operator()(const RequestResources&) const { return "REQUEST"; }
  const char* operator()(const Accept&) const { return "ACCEPT"; }
  const char* operator()(const Decline&) const { return "DECLINE"; }
  const char* operator()(const Kill&) const { return "KILL"; }
  const char* operator()(const Revive&) const { return "REVIVE"; }
  const char* operator()(const Suppress&) const { return "SUPPRESS"; }
  const char* operator()(const Acknowledge&) const { return "ACKNOWLEDGE"; }
  const char* operator()(const ExecutorMessage&) const { return "MESSAGE"; }
  const char* operator()(const Reconcile&) const { return "RECONCILE"; }
  const char* operator()(const UpdateFramework&) const { return "UPDATE_FRAMEWORK"; }
};

}  // namespace

const char* callName(const Call& call) { return std::visit(CallNamer{}, call); }

OptionalId DriverCore::frameworkId() const {
  if (!framework_.has_id()) return std::nullopt;
  return framework_.id();
}

void DriverCore::sendToMaster(Call call) {
  if (!master_ || masterPid_.empty()) {
    VLOG(1) << "Not sending " << callName(call) << ": no master";
    return;
  }
  if (!codec_.expresses(call)) {
    LOG(WARNING) << "Dropping " << callName(call) << ": the " << codec_.dialect()
                 << " dialect cannot express it";
    return;
  }
  emit(Send{masterPid_, std::move(call)});
}

void DriverCore::requestResources(Time, const std::vector<Request>& requests) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring request resources: disconnected";
    return;
  }
  sendToMaster(RequestResources{frameworkId(), requests});
}

void DriverCore::dropLaunches(Time now, const std::vector<Offer::Operation>& operations) {
  // Tell the scheduler at once that its tasks cannot have launched. These
  // updates carry no uuid and are never acknowledged.
  bool partitionAware = false;
  for (const auto& capability : framework_.capabilities()) {
    partitionAware |= capability.type() == FrameworkInfo::Capability::PARTITION_AWARE;
  }
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
      deliverUpdate(&update, /*local=*/true, UPID());
    }
  }
}

void DriverCore::acceptOffers(Time now, const std::vector<OfferID>& offerIds,
                              const std::vector<Offer::Operation>& operations,
                              const Filters& filters) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Dropping accept of " << offerIds.size() << " offers: disconnected";
    dropLaunches(now, operations);
    return;
  }
  for (const Offer::Operation& operation : operations) {
    if (operation.has_id()) {
      // Mesos aborts the process; we abort the driver.
      emit(AbortWithError{"An offer operation sent by a scheduler driver must not set 'id'"});
      return;
    }
  }
  Accept accept{frameworkId(), offerIds, operations, filters};
  if (!codec_.expresses(accept)) {
    // Refuse the whole call rather than turn it into something the caller
    // did not ask for (a launch message without tasks declines the offers).
    LOG(ERROR) << "Refusing acceptOffers(): the " << codec_.dialect()
               << " dialect can only launch tasks; nothing sent";
    return;
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
  sendToMaster(std::move(accept));
}

void DriverCore::declineOffer(Time, const OfferID& offerId, const Filters& filters) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring decline of offer " << offerId.value() << ": disconnected";
    return;
  }
  savedOffers_.erase(offerId.value());
  sendToMaster(Decline{frameworkId(), offerId, filters});
}

void DriverCore::killTask(Time, const TaskID& taskId) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring kill of task " << taskId.value() << ": disconnected";
    return;
  }
  sendToMaster(Kill{frameworkId(), taskId});
}

void DriverCore::reviveOffers(Time, const std::vector<std::string>& roles) {
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
  sendToMaster(Revive{frameworkId(), roles});
}

void DriverCore::suppressOffers(Time, const std::vector<std::string>& roles) {
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
  sendToMaster(Suppress{frameworkId(), roles});
}

void DriverCore::acknowledgeStatusUpdate(Time now, const TaskStatus& status) {
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
  updateProcessed(now, AckRef{status.slave_id(), status.uuid()}, status.task_id());
}

void DriverCore::sendFrameworkMessage(Time, const ExecutorID& executorId,
                                      const SlaveID& slaveId, const std::string& data) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring framework message: disconnected";
    return;
  }
  ExecutorMessage message{frameworkId(), slaveId, executorId, data, false};
  auto agent = savedSlavePids_.find(slaveId.value());
  if (agent != savedSlavePids_.end()) {
    message.direct = true;  // Straight to the agent, bypassing the master.
    emit(Send{agent->second, std::move(message)});
    return;
  }
  sendToMaster(std::move(message));
}

void DriverCore::reconcileTasks(Time, std::vector<TaskStatus> statuses) {
  if (terminated_) return;
  if (!connected_) {
    VLOG(1) << "Ignoring reconciliation: disconnected";
    return;
  }
  sendToMaster(Reconcile{frameworkId(), std::move(statuses)});
}

void DriverCore::updateFramework(Time, const FrameworkInfo& info,
                                 const std::vector<std::string>& suppressedRoles,
                                 const scheduler::OfferConstraints& offerConstraints) {
  if (terminated_) return;
  if (!framework_.has_id() || framework_.id().value().empty()) {
    emit(AbortWithError{
        "MesosSchedulerDriver::updateFramework() must not be called prior to registration "
        "with the master"});
    return;
  }
  if (info.id().value() != framework_.id().value()) {
    emit(AbortWithError{"The 'FrameworkInfo.id' provided to updateFramework() ('" +
                        info.id().value() + "') is different from the current one ('" +
                        framework_.id().value() + "')"});
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

void DriverCore::sendUpdateFramework() {
  sendUpdateFrameworkOnConnect_ = false;
  UpdateFramework update;
  update.frameworkId = frameworkId();
  update.framework = framework_;
  update.suppressedRoles.assign(suppressedRoles_.begin(), suppressedRoles_.end());
  update.offerConstraints = offerConstraints_;
  sendToMaster(std::move(update));
}

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
