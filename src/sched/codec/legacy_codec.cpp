// The legacy dialect: one `mesos.internal.*Message` per action, as schedulers
// spoke before the Call existed (docs/protocol.md, "The wire"). It has no words
// for SUPPRESS or UPDATE_FRAMEWORK, and its launch message carries tasks only.

#include "sched/codec/libprocess_events.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace codec {
namespace {

FrameworkID idOf(const core::OptionalId& id) { return id.value_or(FrameworkID()); }

struct Expressible {
  template <typename T>
  bool operator()(const T&) const {
    return true;
  }
  bool operator()(const core::Suppress&) const { return false; }
  bool operator()(const core::UpdateFramework&) const { return false; }
  bool operator()(const core::Accept& a) const {
    // A LaunchTasksMessage carries tasks only: any other operation would be
    // lost, and one without tasks is read by the master as a DECLINE.
    for (const Offer::Operation& operation : a.operations) {
      if (operation.type() != Offer::Operation::LAUNCH) return false;
    }
    return true;
  }
};

struct Encoder {
  Try<core::WireMessage> operator()(const core::Subscribe& s) const {
    if (!s.framework.has_id() || s.framework.id().value().empty()) {
      internal::RegisterFrameworkMessage message;
      *message.mutable_framework() = s.framework;
      return wireMessage(message);
    }
    internal::ReregisterFrameworkMessage message;
    *message.mutable_framework() = s.framework;
    message.set_failover(s.force);
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Teardown& t) const {
    internal::UnregisterFrameworkMessage message;
    *message.mutable_framework_id() = idOf(t.frameworkId);
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Deactivate& d) const {
    internal::DeactivateFrameworkMessage message;
    *message.mutable_framework_id() = idOf(d.frameworkId);
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::RequestResources& r) const {
    internal::ResourceRequestMessage message;
    *message.mutable_framework_id() = idOf(r.frameworkId);
    for (const Request& request : r.requests) *message.add_requests() = request;
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Accept& a) const {
    if (!Expressible{}(a)) {
      return Error("the legacy dialect can only launch tasks");
    }
    internal::LaunchTasksMessage message;
    *message.mutable_framework_id() = idOf(a.frameworkId);
    for (const OfferID& id : a.offerIds) *message.add_offer_ids() = id;
    *message.mutable_filters() = a.filters;
    for (const Offer::Operation& operation : a.operations) {
      for (const TaskInfo& task : operation.launch().task_infos()) *message.add_tasks() = task;
    }
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Decline& d) const {
    internal::LaunchTasksMessage message;  // No tasks = decline.
    *message.mutable_framework_id() = idOf(d.frameworkId);
    *message.add_offer_ids() = d.offerId;
    *message.mutable_filters() = d.filters;
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Kill& k) const {
    internal::KillTaskMessage message;
    *message.mutable_framework_id() = idOf(k.frameworkId);
    *message.mutable_task_id() = k.taskId;
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Revive& r) const {
    internal::ReviveOffersMessage message;
    *message.mutable_framework_id() = idOf(r.frameworkId);
    for (const std::string& role : r.roles) message.add_roles(role);
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Suppress&) const {
    return Error("the legacy dialect cannot express SUPPRESS");
  }
  Try<core::WireMessage> operator()(const core::Acknowledge& a) const {
    internal::StatusUpdateAcknowledgementMessage message;
    *message.mutable_slave_id() = a.slaveId;
    *message.mutable_framework_id() = idOf(a.frameworkId);
    *message.mutable_task_id() = a.taskId;
    message.set_uuid(a.uuid);
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::ExecutorMessage& m) const {
    internal::FrameworkToExecutorMessage message;
    *message.mutable_slave_id() = m.slaveId;
    *message.mutable_framework_id() = idOf(m.frameworkId);
    *message.mutable_executor_id() = m.executorId;
    message.set_data(m.data);
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::Reconcile& r) const {
    internal::ReconcileTasksMessage message;
    *message.mutable_framework_id() = idOf(r.frameworkId);
    for (const TaskStatus& status : r.statuses) *message.add_statuses() = status;
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::UpdateFramework&) const {
    return Error("the legacy dialect cannot express UPDATE_FRAMEWORK");
  }
};

class LegacyCodec final : public LibprocessCodec {
 public:
  const char* dialect() const override { return "legacy"; }
  bool expresses(const core::Call& call) const override {
    return std::visit(Expressible{}, call);
  }
  Try<core::WireMessage> encode(const core::Call& call) const override {
    return std::visit(Encoder{}, call);
  }
};

}  // namespace
}  // namespace codec

namespace core {
std::unique_ptr<Codec> makeLegacyCodec() { return std::make_unique<codec::LegacyCodec>(); }
}  // namespace core

}  // namespace sched
}  // namespace internal
}  // namespace mesos
