// A Call, from the Call dialect or translated from a legacy message
// (legacy_messages.cpp): checked (validation.cpp), then handed to the part of
// the master that acts on it.

#include <glog/logging.h>

#include "common/uuid.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::UPID;

void SimulatedMaster::onCall(const UPID& from, const scheduler::Call& call, bool legacy) {
  using Call = scheduler::Call;
  if (!validCall(from, call)) return;
  if (call.type() == Call::SUBSCRIBE) {
    const FrameworkInfo& info = call.subscribe().framework_info();
    if (parkWhileAuthenticating(from, [this, from, call] { onCall(from, call, false); })) return;
    subscribe(from, info, call.subscribe().force(),
              {call.subscribe().suppressed_roles().begin(), call.subscribe().suppressed_roles().end()});
    return;
  }
  Framework* f = authorizedFramework(from, call.framework_id(), Call::Type_Name(call.type()).c_str());
  if (f == nullptr) return;
  if (!legacy && !f->connected) {
    // A one-way partition: the scheduler still talks but our link to it broke.
    return sendFrameworkError(from, "Framework disconnected");
  }

  switch (call.type()) {
    case Call::TEARDOWN:
      removeFramework(f->info.id().value(), "Framework torn down by its scheduler");
      return;
    case Call::ACCEPT:
      accept(*f, call.accept());
      return;
    case Call::DECLINE:
      if (call.has_decline()) {
        decline(*f, {call.decline().offer_ids().begin(), call.decline().offer_ids().end()},
                call.decline().filters());
      }
      return;
    case Call::REVIVE:
      revive(*f, {call.revive().roles().begin(), call.revive().roles().end()});
      return;
    case Call::SUPPRESS:
      suppress(*f, {call.suppress().roles().begin(), call.suppress().roles().end()});
      return;
    case Call::KILL:
      kill(*f, call.kill().task_id(),
           call.kill().has_slave_id() ? std::optional<SlaveID>(call.kill().slave_id())
                                      : std::nullopt);
      return;
    case Call::ACKNOWLEDGE:
      if (!call.has_acknowledge() || !isValidUuidBytes(call.acknowledge().uuid())) {
        LOG(WARNING) << "Dropping ACKNOWLEDGE with an invalid uuid from " << from;
        count("master/invalid_status_update_acknowledgements");
        return;
      }
      acknowledge(*f, call.acknowledge().slave_id(), call.acknowledge().task_id(),
                  call.acknowledge().uuid());
      return;
    case Call::RECONCILE: {
      std::vector<TaskStatus> statuses;
      for (const auto& task : call.reconcile().tasks()) {
        TaskStatus status;
        *status.mutable_task_id() = task.task_id();
        status.set_state(TASK_STAGING);
        if (task.has_slave_id()) *status.mutable_slave_id() = task.slave_id();
        statuses.push_back(status);
      }
      reconcile(*f, statuses);
      return;
    }
    case Call::MESSAGE: {
      if (!call.has_message()) return;
      internal::FrameworkToExecutorMessage message;
      *message.mutable_slave_id() = call.message().slave_id();
      *message.mutable_framework_id() = call.framework_id();
      *message.mutable_executor_id() = call.message().executor_id();
      message.set_data(call.message().data());
      frameworkToExecutor(message);
      return;
    }
    case Call::REQUEST:
      VLOG(1) << "Resource request from framework " << f->info.id().value()
              << " (ignored, as by Mesos's default allocator)";
      return;
    case Call::UPDATE_FRAMEWORK:
      if (!call.has_update_framework()) return;
      updateFramework(*f, from, call.update_framework());
      return;
    default:
      LOG(WARNING) << "Dropping unsupported Call " << Call::Type_Name(call.type()) << " from "
                   << from;
      count("master/dropped_messages");
  }
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
