// The `master` process's inbox: a Call goes to onCall (calls.cpp), an
// AuthenticateMessage to the authenticator, and each legacy message is
// translated into the Call it stands for, so that both dialects share one
// path. The exceptions: registrations subscribe directly, and
// DeactivateFrameworkMessage, which no Call stands for, deactivates. A
// registration that arrives while its sender is authenticating waits for the
// outcome.

#include <glog/logging.h>

#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::Message;

namespace {

template <typename T>
bool parseOrLog(const Message& m, T* out) {
  if (out->ParseFromString(m.body)) return true;
  LOG(WARNING) << "Dropping " << m.name << " from " << m.from << ": malformed protobuf";
  return false;
}

// The `master/messages_*` counter of each message a scheduler sends, as a
// real master names them.
const char* messageCounter(const std::string& name) {
  static const std::pair<const char*, const char*> kCounters[] = {
      {"mesos.internal.RegisterFrameworkMessage", "master/messages_register_framework"},
      {"mesos.internal.ReregisterFrameworkMessage", "master/messages_reregister_framework"},
      {"mesos.internal.UnregisterFrameworkMessage", "master/messages_unregister_framework"},
      {"mesos.internal.DeactivateFrameworkMessage", "master/messages_deactivate_framework"},
      {"mesos.internal.KillTaskMessage", "master/messages_kill_task"},
      {"mesos.internal.StatusUpdateAcknowledgementMessage",
       "master/messages_status_update_acknowledgement"},
      {"mesos.internal.ResourceRequestMessage", "master/messages_resource_request"},
      {"mesos.internal.LaunchTasksMessage", "master/messages_launch_tasks"},
      {"mesos.internal.ReviveOffersMessage", "master/messages_revive_offers"},
      {"mesos.internal.ReconcileTasksMessage", "master/messages_reconcile_tasks"},
      {"mesos.internal.FrameworkToExecutorMessage", "master/messages_framework_to_executor"},
      {"mesos.internal.AuthenticateMessage", "master/messages_authenticate"},
  };
  for (const auto& counter : kCounters) {
    if (name == counter.first) return counter.second;
  }
  return nullptr;
}

}  // namespace

void SimulatedMaster::onMessage(Message&& m) {
  if (stopped_) return;
  if (const char* counter = messageCounter(m.name)) count(counter);
  if (!leading_) {
    // A standby redirects nothing, as in Mesos: the framework's detector finds
    // the leader.
    LOG(INFO) << "Dropping " << m.name << " from " << m.from << ": not the leading master"
              << (leaderPid_.empty() ? std::string() : " (" + leaderPid_ + " leads)");
    count("master/dropped_messages");
    return;
  }
  const std::string& name = m.name;
  auto parsed = [this, &m](auto* out) {
    if (parseOrLog(m, out)) return true;
    count("master/dropped_messages");
    return false;
  };
  scheduler::Call call;
  if (name == "mesos.scheduler.Call") {
    if (parsed(&call)) onCall(m.from, call, false);
    return;
  }
  if (name == "mesos.internal.AuthenticateMessage") return onAuthenticate(m);
  if ((name == "mesos.internal.RegisterFrameworkMessage" ||
       name == "mesos.internal.ReregisterFrameworkMessage") &&
      parkWhileAuthenticating(m.from, [this, m] { onMessage(Message(m)); })) {
    return;
  }
  // Legacy messages become the Call they stand for.
  if (name == "mesos.internal.RegisterFrameworkMessage") {
    internal::RegisterFrameworkMessage msg;
    if (!parsed(&msg)) return;
    if (msg.framework().has_id() && !msg.framework().id().value().empty()) {
      return sendFrameworkError(m.from, "Registering with 'id' already set");
    }
    subscribe(m.from, msg.framework(), false, {});
  } else if (name == "mesos.internal.ReregisterFrameworkMessage") {
    internal::ReregisterFrameworkMessage msg;
    if (!parsed(&msg)) return;
    if (!msg.framework().has_id() || msg.framework().id().value().empty()) {
      return sendFrameworkError(m.from, "Re-registering without an 'id'");
    }
    subscribe(m.from, msg.framework(), msg.failover(), {});
  } else if (name == "mesos.internal.DeactivateFrameworkMessage") {
    internal::DeactivateFrameworkMessage msg;
    if (!parsed(&msg)) return;
    Framework* f = authorizedFramework(m.from, msg.framework_id(), "deactivate");
    if (f != nullptr && f->connected) deactivate(*f, true);
  } else if (name == "mesos.internal.UnregisterFrameworkMessage") {
    internal::UnregisterFrameworkMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::TEARDOWN);
    *call.mutable_framework_id() = msg.framework_id();
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.ResourceRequestMessage") {
    internal::ResourceRequestMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::REQUEST);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_request()->mutable_requests() = msg.requests();  // Present even if empty.
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.LaunchTasksMessage") {
    internal::LaunchTasksMessage msg;
    if (!parsed(&msg)) return;
    *call.mutable_framework_id() = msg.framework_id();
    if (msg.tasks_size() == 0) {
      call.set_type(scheduler::Call::DECLINE);
      *call.mutable_decline()->mutable_offer_ids() = msg.offer_ids();
      *call.mutable_decline()->mutable_filters() = msg.filters();
    } else {
      call.set_type(scheduler::Call::ACCEPT);
      *call.mutable_accept()->mutable_offer_ids() = msg.offer_ids();
      *call.mutable_accept()->mutable_filters() = msg.filters();
      Offer::Operation* op = call.mutable_accept()->add_operations();
      op->set_type(Offer::Operation::LAUNCH);
      *op->mutable_launch()->mutable_task_infos() = msg.tasks();
    }
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.ReviveOffersMessage") {
    internal::ReviveOffersMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::REVIVE);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_revive()->mutable_roles() = msg.roles();
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.KillTaskMessage") {
    internal::KillTaskMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::KILL);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_kill()->mutable_task_id() = msg.task_id();
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.StatusUpdateAcknowledgementMessage") {
    internal::StatusUpdateAcknowledgementMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::ACKNOWLEDGE);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_acknowledge()->mutable_slave_id() = msg.slave_id();
    *call.mutable_acknowledge()->mutable_task_id() = msg.task_id();
    call.mutable_acknowledge()->set_uuid(msg.uuid());
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.FrameworkToExecutorMessage") {
    internal::FrameworkToExecutorMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::MESSAGE);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_message()->mutable_slave_id() = msg.slave_id();
    *call.mutable_message()->mutable_executor_id() = msg.executor_id();
    call.mutable_message()->set_data(msg.data());
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.ReconcileTasksMessage") {
    internal::ReconcileTasksMessage msg;
    if (!parsed(&msg)) return;
    call.set_type(scheduler::Call::RECONCILE);
    *call.mutable_framework_id() = msg.framework_id();
    call.mutable_reconcile();  // Present even for an implicit (empty) reconciliation.
    for (const TaskStatus& status : msg.statuses()) {
      auto* task = call.mutable_reconcile()->add_tasks();
      *task->mutable_task_id() = status.task_id();
      if (status.has_slave_id()) *task->mutable_slave_id() = status.slave_id();
    }
    onCall(m.from, call, true);
  } else {
    VLOG(1) << "Ignoring unknown message '" << name << "' from " << m.from;
    count("master/dropped_messages");
  }
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
