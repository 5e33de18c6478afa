// The v1 scheduler HTTP API (docs/protocol.md, "The v1 scheduler HTTP API"):
// each call is the body of one POST to /api/v1/scheduler, a `Call` in the
// `mesos.v1` numbering; each event is one RecordIO record of the SUBSCRIBE
// response, an `Event`. Binary `mesos.v1` and `mesos` schemas agree except for
// `Call.Subscribe` (proto/messages/messages.proto, V1CallSubscribe).

#include <glog/logging.h>
#include <google/protobuf/unknown_field_set.h>
#include <messages/messages.pb.h>

#include "sched/codec/libprocess_events.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace codec {
namespace {

using scheduler::Call;
using scheduler::Event;

// `Call.subscribe` is field 3 in both schemas; only its contents differ.
constexpr int kSubscribeField = 3;

Try<core::WireMessage> encodeSubscribe(const core::Subscribe& s) {
  internal::V1CallSubscribe subscribe;
  *subscribe.mutable_framework_info() = s.framework;
  for (const std::string& role : s.suppressedRoles) subscribe.add_suppressed_roles(role);
  if (s.offerConstraints) *subscribe.mutable_offer_constraints() = *s.offerConstraints;
  if (!subscribe.IsInitialized()) {
    return Error("SUBSCRIBE is missing required fields: " +
                 subscribe.InitializationErrorString());
  }
  Call call;
  call.set_type(Call::SUBSCRIBE);
  // No `force` in v1: a SUBSCRIBE with an id always takes the framework over.
  if (s.framework.has_id() && !s.framework.id().value().empty()) {
    *call.mutable_framework_id() = s.framework.id();
  }
  call.GetReflection()->MutableUnknownFields(&call)->AddLengthDelimited(
      kSubscribeField, subscribe.SerializeAsString());
  return core::WireMessage{"SUBSCRIBE", call.SerializeAsString()};
}

Try<core::Event> decodeEvent(const std::string& body) {
  Event event;
  if (!event.ParseFromString(body)) {
    return Error("not a valid Event (malformed or missing required fields)");
  }
  auto missing = [](const char* what) -> Try<core::Event> {
    return Error(std::string("event without its '") + what + "' field");
  };
  switch (event.type()) {
    case Event::SUBSCRIBED: {
      if (!event.has_subscribed()) return missing("subscribed");
      const Event::Subscribed& s = event.subscribed();
      return core::Event(core::Subscribed{s.framework_id(), s.master_info(),
                                          s.heartbeat_interval_seconds()});
    }
    case Event::HEARTBEAT:
      return core::Event(core::Heartbeat{});
    case Event::OFFERS: {
      if (!event.has_offers()) return missing("offers");
      core::OffersReceived offers;  // No agent pids on this wire (Offer.url only).
      offers.offers.reserve(event.offers().offers_size());
      for (Offer& offer : *event.mutable_offers()->mutable_offers()) {
        offers.offers.push_back(std::move(offer));
      }
      offers.agents.resize(offers.offers.size());
      return core::Event(std::move(offers));
    }
    case Event::RESCIND:
      if (!event.has_rescind()) return missing("rescind");
      return core::Event(core::OfferRescinded{event.rescind().offer_id()});
    case Event::UPDATE: {
      if (!event.has_update()) return missing("update");
      core::UpdateReceived update;
      update.ackIffUuid = true;
      TaskStatus* status = event.mutable_update()->mutable_status();
      StatusUpdate& u = update.update;
      if (status->has_uuid()) u.set_uuid(status->uuid());
      if (status->has_slave_id()) *u.mutable_slave_id() = status->slave_id();
      if (status->has_executor_id()) *u.mutable_executor_id() = status->executor_id();
      u.set_timestamp(status->timestamp());
      *u.mutable_status() = std::move(*status);
      return core::Event(std::move(update));
    }
    case Event::MESSAGE: {
      if (!event.has_message()) return missing("message");
      Event::Message* m = event.mutable_message();
      return core::Event(core::ExecutorData{m->executor_id(), m->slave_id(),
                                            std::move(*m->mutable_data())});
    }
    case Event::FAILURE: {
      if (!event.has_failure()) return missing("failure");
      const Event::Failure& f = event.failure();
      if (f.has_executor_id()) {
        return core::Event(core::ExecutorExited{f.executor_id(), f.slave_id(), f.status()});
      }
      if (!f.has_slave_id()) return missing("failure.agent_id");
      return core::Event(core::AgentLost{f.slave_id()});
    }
    case Event::ERROR:
      if (!event.has_error()) return missing("error");
      return core::Event(core::FrameworkError{event.error().message()});
    default:
      break;
  }
  return Error("unreachable");
}

class HttpCodec final : public core::Codec {
 public:
  const char* dialect() const override { return "http"; }
  bool streamed() const override { return true; }
  bool authenticatesEachRequest() const override { return true; }

  bool expresses(const core::Call& call) const override {
    return !std::holds_alternative<core::Deactivate>(call);
  }

  Try<core::WireMessage> encode(const core::Call& call) const override {
    if (const auto* subscribe = std::get_if<core::Subscribe>(&call)) {
      return encodeSubscribe(*subscribe);
    }
    if (std::holds_alternative<core::Deactivate>(call)) {
      return Error("the v1 HTTP API has no call to deactivate a framework");
    }
    Try<core::WireMessage> encoded = Error("");
    if (const auto* message = std::get_if<core::ExecutorMessage>(&call);
        message != nullptr && message->direct) {
      // No agent connections on this wire: executor data goes via the master.
      core::ExecutorMessage viaMaster = *message;
      viaMaster.direct = false;
      encoded = calls_->encode(viaMaster);
    } else {
      encoded = calls_->encode(call);
    }
    if (encoded.isError()) return encoded;
    // Named by the call, for logs and answers: the path says what it is.
    return core::WireMessage{core::callName(call), std::move(encoded)->body};
  }

  Try<core::WireMessage> encodeMoving(core::Call&& call) const override {
    // Only an acknowledgement is worth it (one per status update).
    if (!std::holds_alternative<core::Acknowledge>(call)) return encode(call);
    Try<core::WireMessage> encoded = calls_->encodeMoving(std::move(call));
    if (encoded.isError()) return encoded;
    return core::WireMessage{core::callName(call), std::move(encoded)->body};
  }

  std::optional<Try<core::Event>> decode(const std::string& name,
                                         const std::string& body) const override {
    if (name != core::kStreamedEventName) return std::nullopt;
    // Peek at the type first: an event type this driver has no callback for
    // (INVERSE_OFFERS, UPDATE_OPERATION_STATUS, a newer master's) is skipped,
    // not treated as a broken stream.
    Event peek;
    if (!peek.ParsePartialFromString(body)) {
      return Try<core::Event>(Error("not a valid Event (malformed)"));
    }
    if (!peek.has_type()) {
      // proto2 keeps an enum value it does not know among the unknown fields.
      const auto& unknown = peek.GetReflection()->GetUnknownFields(peek);
      for (int i = 0; i < unknown.field_count(); ++i) {
        if (unknown.field(i).number() == 1 &&
            unknown.field(i).type() == google::protobuf::UnknownField::TYPE_VARINT) {
          LOG(WARNING) << "Ignoring an event of unknown type "
                       << unknown.field(i).varint() << " (a newer master?)";
          return std::nullopt;
        }
      }
      return Try<core::Event>(Error("not a valid Event (no type)"));
    }
    switch (peek.type()) {
      case Event::SUBSCRIBED: case Event::HEARTBEAT: case Event::OFFERS: case Event::RESCIND:
      case Event::UPDATE: case Event::MESSAGE: case Event::FAILURE: case Event::ERROR:
        return decodeEvent(body);
      case Event::UNKNOWN:
        return Try<core::Event>(Error("not a valid Event (type UNKNOWN)"));
      default:
        VLOG(1) << "Ignoring " << Event::Type_Name(peek.type())
                << " event: the classic API has no callback for it";
        return std::nullopt;
    }
  }

 private:
  const std::unique_ptr<core::Codec> calls_ = core::makeCallCodec();
};

}  // namespace
}  // namespace codec

namespace core {
std::unique_ptr<Codec> makeHttpCodec() { return std::make_unique<codec::HttpCodec>(); }
}  // namespace core

}  // namespace sched
}  // namespace internal
}  // namespace mesos
