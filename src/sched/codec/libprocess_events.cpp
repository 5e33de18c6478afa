// Decoding of the messages a Mesos master (and agents) send to a libprocess
// scheduler, shared by both libprocess dialects: the master answers a
// `mesos.scheduler.Call` scheduler with the same messages as a legacy one
// (docs/protocol.md, "The wire").

#include "sched/codec/libprocess_events.hpp"

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {
namespace codec {

using process::UPID;

namespace {

template <typename T>
bool parse(const std::string& body, T* message) {
  // ParseFromString fails on missing required fields at any depth and on unknown
  // values of required enums, exactly as a Mesos receiver does.
  return message->ParseFromString(body);
}

Error unparsable(const std::string& name) {
  return Error("not a valid " + name + " (malformed or missing required fields)");
}

// "@0.0.0.0:0" (master-generated updates), names and garbage all mean "no agent".
UPID agentPid(const std::string& text) {
  Try<UPID> pid = UPID::parse(text, UPID::Resolve::kNumericOnly);
  return pid.isSome() ? pid.get() : UPID();
}

}  // namespace

std::optional<Try<core::Event>> decodeLibprocessEvent(const std::string& name,
                                                      const std::string& body) {
  const std::string type = name.rfind("mesos.internal.", 0) == 0 ? name.substr(15) : "";
  if (type == "FrameworkRegisteredMessage") {
    internal::FrameworkRegisteredMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::Registered{m.framework_id(), m.master_info()});
  }
  if (type == "FrameworkReregisteredMessage") {
    internal::FrameworkReregisteredMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::Reregistered{m.framework_id(), m.master_info()});
  }
  if (type == "ResourceOffersMessage") {
    internal::ResourceOffersMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    if (m.offers_size() != m.pids_size()) {
      // Mesos asserts equal sizes; keep the offers, use only aligned pids.
      LOG(WARNING) << "ResourceOffersMessage has " << m.offers_size() << " offers but "
                   << m.pids_size() << " agent pids";
    }
    core::OffersReceived event;
    // Moved, not copied: a 10,000-offer batch is megabytes of small allocations.
    event.offers.resize(m.offers_size());
    event.agents.resize(m.offers_size());
    // Agents repeat across a batch: parse each distinct pid text once.
    const std::string* lastText = nullptr;
    UPID lastPid;
    for (int i = 0; i < m.offers_size(); ++i) {
      event.offers[i].Swap(m.mutable_offers(i));
      if (i >= m.pids_size()) continue;
      if (lastText == nullptr || *lastText != m.pids(i)) {
        lastText = &m.pids(i);
        lastPid = agentPid(*lastText);
      }
      event.agents[i] = lastPid;
    }
    return Try<core::Event>(std::move(event));
  }
  if (type == "RescindResourceOfferMessage") {
    internal::RescindResourceOfferMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::OfferRescinded{m.offer_id()});
  }
  if (type == "StatusUpdateMessage") {
    internal::StatusUpdateMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    core::UpdateReceived event;
    event.update.Swap(m.mutable_update());
    if (m.has_pid()) event.agent = agentPid(m.pid());
    return Try<core::Event>(std::move(event));
  }
  if (type == "LostSlaveMessage") {
    internal::LostSlaveMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::AgentLost{m.slave_id()});
  }
  if (type == "ExitedExecutorMessage") {
    internal::ExitedExecutorMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::ExecutorExited{m.executor_id(), m.slave_id(), m.status()});
  }
  if (type == "ExecutorToFrameworkMessage") {
    internal::ExecutorToFrameworkMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::ExecutorData{m.executor_id(), m.slave_id(), m.data()});
  }
  if (type == "FrameworkErrorMessage") {
    internal::FrameworkErrorMessage m;
    if (!parse(body, &m)) return Try<core::Event>(unparsable(type));
    return Try<core::Event>(core::FrameworkError{m.message()});
  }
  return std::nullopt;
}

Try<core::WireMessage> wireMessage(const google::protobuf::Message& message) {
  // Never put a message on the wire that a Mesos receiver would refuse to parse.
  if (!message.IsInitialized()) {
    return Error("missing required fields: " + message.InitializationErrorString());
  }
  core::WireMessage wire;
  wire.name = message.GetTypeName();
  message.SerializePartialToString(&wire.body);
  return wire;
}

}  // namespace codec
}  // namespace sched
}  // namespace internal
}  // namespace mesos
