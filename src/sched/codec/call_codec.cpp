// The default dialect: every call the core makes as one `mesos.scheduler.Call`
// (docs/protocol.md, "The wire"), except the two the Call has no word for.

#include <type_traits>

#include "sched/codec/libprocess_events.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace codec {
namespace {

using scheduler::Call;

Call makeCall(Call::Type type, const core::OptionalId& frameworkId) {
  Call call;
  call.set_type(type);
  if (frameworkId) *call.mutable_framework_id() = *frameworkId;
  return call;
}

bool hasId(const FrameworkInfo& framework) {
  return framework.has_id() && !framework.id().value().empty();
}

struct Encoder {
  Try<core::WireMessage> operator()(const core::Subscribe& s) const {
    Call call;
    call.set_type(Call::SUBSCRIBE);
    Call::Subscribe* subscribe = call.mutable_subscribe();
    *subscribe->mutable_framework_info() = s.framework;
    for (const std::string& role : s.suppressedRoles) subscribe->add_suppressed_roles(role);
    if (s.offerConstraints) *subscribe->mutable_offer_constraints() = *s.offerConstraints;
    if (hasId(s.framework)) {
      *call.mutable_framework_id() = s.framework.id();
      subscribe->set_force(s.force);
    }
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Teardown& t) const {
    return wireMessage(makeCall(Call::TEARDOWN, t.frameworkId));
  }
  Try<core::WireMessage> operator()(const core::Deactivate& d) const {
    // There is no Call for this; Mesos's own driver sends the legacy message too.
    internal::DeactivateFrameworkMessage message;
    *message.mutable_framework_id() = d.frameworkId.value_or(FrameworkID());
    return wireMessage(message);
  }
  Try<core::WireMessage> operator()(const core::RequestResources& r) const {
    Call call = makeCall(Call::REQUEST, r.frameworkId);
    for (const Request& request : r.requests) *call.mutable_request()->add_requests() = request;
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Accept& a) const {
    Call call = makeCall(Call::ACCEPT, a.frameworkId);
    Call::Accept* accept = call.mutable_accept();
    for (const OfferID& id : a.offerIds) *accept->add_offer_ids() = id;
    for (const Offer::Operation& operation : a.operations) *accept->add_operations() = operation;
    *accept->mutable_filters() = a.filters;
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Decline& d) const {
    Call call = makeCall(Call::DECLINE, d.frameworkId);
    *call.mutable_decline()->add_offer_ids() = d.offerId;
    *call.mutable_decline()->mutable_filters() = d.filters;
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Kill& k) const {
    Call call = makeCall(Call::KILL, k.frameworkId);
    *call.mutable_kill()->mutable_task_id() = k.taskId;
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Revive& r) const {
    Call call = makeCall(Call::REVIVE, r.frameworkId);
    for (const std::string& role : r.roles) call.mutable_revive()->add_roles(role);
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Suppress& s) const {
    Call call = makeCall(Call::SUPPRESS, s.frameworkId);
    for (const std::string& role : s.roles) call.mutable_suppress()->add_roles(role);
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Acknowledge& a) const {
    return acknowledge(core::Acknowledge(a));
  }
  // Swaps the ids into the Call: no copy of them per status update.
  static Try<core::WireMessage> acknowledge(core::Acknowledge&& a) {
    Call call;
    call.set_type(Call::ACKNOWLEDGE);
    if (a.frameworkId) call.mutable_framework_id()->Swap(&*a.frameworkId);
    Call::Acknowledge* ack = call.mutable_acknowledge();
    ack->mutable_slave_id()->Swap(&a.slaveId);
    ack->mutable_task_id()->Swap(&a.taskId);
    ack->set_uuid(std::move(a.uuid));
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::ExecutorMessage& m) const {
    if (m.direct) {
      // Straight to the agent, which speaks only the legacy message.
      internal::FrameworkToExecutorMessage message;
      *message.mutable_slave_id() = m.slaveId;
      *message.mutable_framework_id() = m.frameworkId.value_or(FrameworkID());
      *message.mutable_executor_id() = m.executorId;
      message.set_data(m.data);
      return wireMessage(message);
    }
    Call call = makeCall(Call::MESSAGE, m.frameworkId);
    Call::Message* message = call.mutable_message();
    *message->mutable_slave_id() = m.slaveId;
    *message->mutable_executor_id() = m.executorId;
    message->set_data(m.data);
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::Reconcile& r) const {
    Call call = makeCall(Call::RECONCILE, r.frameworkId);
    Call::Reconcile* reconcile = call.mutable_reconcile();
    for (const TaskStatus& status : r.statuses) {
      Call::Reconcile::Task* task = reconcile->add_tasks();
      *task->mutable_task_id() = status.task_id();
      if (status.has_slave_id()) *task->mutable_slave_id() = status.slave_id();
    }
    return wireMessage(call);
  }
  Try<core::WireMessage> operator()(const core::UpdateFramework& u) const {
    Call call = makeCall(Call::UPDATE_FRAMEWORK, u.frameworkId);
    Call::UpdateFramework* update = call.mutable_update_framework();
    *update->mutable_framework_info() = u.framework;
    for (const std::string& role : u.suppressedRoles) update->add_suppressed_roles(role);
    if (u.offerConstraints) *update->mutable_offer_constraints() = *u.offerConstraints;
    return wireMessage(call);
  }
};

class CallCodec final : public LibprocessCodec {
 public:
  const char* dialect() const override { return "call"; }
  bool expresses(const core::Call&) const override { return true; }
  Try<core::WireMessage> encode(const core::Call& call) const override {
    return std::visit(Encoder{}, call);
  }
  Try<core::WireMessage> encodeMoving(core::Call&& call) const override {
    if (auto* acknowledge = std::get_if<core::Acknowledge>(&call)) {
      return Encoder::acknowledge(std::move(*acknowledge));
    }
    return encode(call);
  }
};

}  // namespace

}  // namespace codec

namespace core {
std::unique_ptr<Codec> makeCallCodec() { return std::make_unique<codec::CallCodec>(); }
}  // namespace core

}  // namespace sched
}  // namespace internal
}  // namespace mesos
