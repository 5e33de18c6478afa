// The driver core's inbound events: the sender and state guards of each type
// (the table in core/driver_core.hpp) and the callbacks they lead to.

#include <glog/logging.h>

#include "sched/core/driver_core.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

using process::UPID;

namespace {

// What a master says when its link to the scheduler broke (docs/protocol.md,
// "Disconnection, deactivation, removal").
constexpr const char* kFrameworkDisconnected = "Framework disconnected";

}  // namespace

void DriverCore::messageReceived(Time now, const UPID& from, const std::string& name,
                                 const std::string& body) {
  if (!running_) {
    VLOG(1) << "Ignoring " << name << " from " << from << ": the driver is not running";
    return;
  }
  if (body.size() > options_.maxMessageBytes) {
    const std::string why = name + " from " + from.toString() + ": " +
                            std::to_string(body.size()) + " bytes exceeds the limit of " +
                            std::to_string(options_.maxMessageBytes);
    if (codec_.streamed() && from == masterPid_) {
      restartStream("Bad " + why);
      return;
    }
    LOG(WARNING) << "Dropping " << why;
    options_.stats->dropped.add();
    return;
  }
  std::optional<Try<Event>> event = codec_.decode(name, body);
  if (!event) {
    VLOG(1) << "Ignoring unhandled message '" << name << "' from " << from;
    return;
  }
  if (event->isError()) {
    if (codec_.streamed() && from == masterPid_) {
      // One bad record and the stream's framing cannot be trusted either.
      restartStream("Bad " + name + " from " + from.toString() + ": " + event->error());
      return;
    }
    LOG(WARNING) << "Dropping " << name << " from " << from << ": " << event->error();
    options_.stats->dropped.add();
    return;
  }
  eventReceived(now, from, std::move(*event).get(), body.size());
}

void DriverCore::eventReceived(Time now, const UPID& from, Event event, size_t bytes) {
  if (!running_) return;
  options_.stats->events[event.index()].add();
  eventAt_ = now;
  // Any event on the stream proves the master alive.
  if (connected_ && from == masterPid_) noteLife(now);
  messageBytes_ = bytes;
  std::visit(
      [&](auto&& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Registered>) {
          onRegistered(from, e);
        } else if constexpr (std::is_same_v<T, Reregistered>) {
          onReregistered(from, e);
        } else if constexpr (std::is_same_v<T, Subscribed>) {
          onSubscribed(from, e);
        } else if constexpr (std::is_same_v<T, Heartbeat>) {
          VLOG(2) << "Heartbeat from " << from;
        } else if constexpr (std::is_same_v<T, OffersReceived>) {
          onOffers(from, std::move(e));
        } else if constexpr (std::is_same_v<T, OfferRescinded>) {
          if (!fromMaster(from, "RescindResourceOfferMessage")) return;
          savedOffers_.erase(e.offerId.value());
          invoke(std::move(e));
        } else if constexpr (std::is_same_v<T, UpdateReceived>) {
          onUpdate(from, std::move(e));
        } else if constexpr (std::is_same_v<T, AgentLost>) {
          if (!fromMaster(from, "LostSlaveMessage")) return;
          savedSlavePids_.erase(e.slaveId.value());
          invoke(std::move(e));
        } else if constexpr (std::is_same_v<T, ExecutorExited>) {
          if (!fromMaster(from, "ExitedExecutorMessage")) return;
          invoke(std::move(e));
        } else if constexpr (std::is_same_v<T, ExecutorData>) {
          // Agents send this straight to the scheduler: no sender or
          // connection check; the data is the executor's, untrusted.
          invoke(std::move(e));
        } else if constexpr (std::is_same_v<T, FrameworkError>) {
          onFrameworkError(from, e);
        }
      },
      event);
  messageBytes_ = 0;
}

bool DriverCore::fromMaster(const UPID& from, const char* what) const {
  if (!connected_ || from != masterPid_) options_.stats->dropped.add();
  if (!connected_) {
    VLOG(1) << "Ignoring " << what << " from " << from << ": not connected to a master";
    return false;
  }
  if (from != masterPid_) {
    LOG(WARNING) << "Ignoring " << what << " from " << from << ": not the leading master ("
                 << masterPid_ << ")";
    return false;
  }
  return true;
}

void DriverCore::onRegistered(const UPID& from, const Registered& event) {
  if (connected_) {
    VLOG(1) << "Ignoring FrameworkRegisteredMessage: already registered";
    return;
  }
  if (!master_ || masterPid_.empty() || from != masterPid_) {
    LOG(WARNING) << "Ignoring FrameworkRegisteredMessage from " << from
                 << ": not the leading master";
    options_.stats->dropped.add();
    return;
  }
  LOG(INFO) << "Framework registered with " << event.frameworkId.value();
  *framework_.mutable_id() = event.frameworkId;
  becameConnected();
  invoke(event);
  startReconciliation(eventAt_);
}

void DriverCore::onReregistered(const UPID& from, const Reregistered& event) {
  if (connected_) {
    VLOG(1) << "Ignoring FrameworkReregisteredMessage: already registered";
    return;
  }
  if (!master_ || masterPid_.empty() || from != masterPid_) {
    LOG(WARNING) << "Ignoring FrameworkReregisteredMessage from " << from
                 << ": not the leading master";
    options_.stats->dropped.add();
    return;
  }
  if (event.frameworkId.value() != framework_.id().value()) {
    // Mesos asserts here; a master cannot make us crash.
    LOG(WARNING) << "Ignoring FrameworkReregisteredMessage for framework "
                 << event.frameworkId.value() << ": this is " << framework_.id().value();
    return;
  }
  LOG(INFO) << "Framework re-registered with " << masterPid_;
  becameConnected();
  invoke(event);
  startReconciliation(eventAt_);
}

void DriverCore::onSubscribed(const UPID& from, const Subscribed& event) {
  if (connected_) {
    VLOG(1) << "Ignoring SUBSCRIBED: already subscribed";
    return;
  }
  if (!master_ || masterPid_.empty() || from != masterPid_) {
    LOG(WARNING) << "Ignoring SUBSCRIBED from " << from << ": not the leading master";
    options_.stats->dropped.add();
    return;
  }
  // A nonsensical interval (negative, NaN, ages) means no heartbeat watch.
  const double interval = event.heartbeatIntervalSeconds;
  heartbeatInterval_ = interval > 0 && interval < 1e6 ? interval : 0;
  const bool hadId = framework_.has_id() && !framework_.id().value().empty();
  if (!hadId || failover_) {
    onRegistered(from, Registered{event.frameworkId, event.master});
  } else {
    onReregistered(from, Reregistered{event.frameworkId, event.master});
  }
}

void DriverCore::onOffers(const UPID& from, OffersReceived&& event) {
  if (!fromMaster(from, "ResourceOffersMessage")) return;
  if (event.offers.empty()) return;
  for (size_t i = 0; i < event.offers.size() && i < event.agents.size(); ++i) {
    if (event.agents[i].empty()) continue;
    const Offer& offer = event.offers[i];
    savedOffers_[offer.id().value()][offer.slave_id().value()] = event.agents[i];
  }
  invoke(Offers{std::move(event.offers)});
}

void DriverCore::onUpdate(const UPID& from, UpdateReceived&& event) {
  if (!fromMaster(from, "StatusUpdateMessage")) return;
  deliverUpdate(&event.update, /*local=*/false, event.agent, event.ackIffUuid);
}

void DriverCore::deliverUpdate(internal::StatusUpdate* update, bool local, const UPID& agent,
                               bool ackIffUuid) {
  // (An HTTP UPDATE names no framework: it came on this framework's stream.)
  if (update->has_framework_id() && update->framework_id().value() != framework_.id().value()) {
    // Mesos asserts; we drop.
    LOG(WARNING) << "Dropping status update for framework " << update->framework_id().value()
                 << ": this is " << framework_.id().value();
    return;
  }
  // The callback sees a uuid iff the update must be acknowledged.
  const bool hasUuid = update->has_uuid() && !update->uuid().empty();
  const bool wantsAck = hasUuid || (!local && !agent.empty());
  Update callback;
  callback.status = std::move(*update->mutable_status());
  if (!hasUuid || local || (agent.empty() && !ackIffUuid)) {
    callback.status.clear_uuid();
  } else {
    callback.status.set_uuid(update->uuid());
  }
  // The message is ours and dies here: its parts move (no copies per update).
  if (options_.implicitAcknowledgements && wantsAck && !local) {
    callback.ack = AckRef{std::move(*update->mutable_slave_id()), std::move(*update->mutable_uuid())};
  }
  std::optional<TaskID> taskId;
  if (!local && reconciler_) taskId = callback.status.task_id();
  invoke(std::move(callback));
  // After the update: the reconciler's done signal follows the last answer.
  if (taskId) reconcilerSaw(eventAt_, *taskId);
}

void DriverCore::onFrameworkError(const UPID& from, const FrameworkError& event) {
  // Only the leading master may abort the framework. Registered or not: a
  // master refuses a registration (e.g. an unauthenticated framework) with this.
  if (!master_ || masterPid_.empty() || from != masterPid_) {
    LOG(WARNING) << "Ignoring FrameworkErrorMessage from " << from << ": not the leading master"
                 << (master_ ? " (" + masterPid_.toString() + ")" : std::string(" (none known)"));
    return;
  }
  if (startFresh(event.message)) return;
  // The master lost its connection to this scheduler and keeps the framework
  // for its failover timeout: registering again is the cure, as for a link
  // this driver saw break (a partition that healed, a connection reset).
  // If the master removed the framework instead, the re-registration is
  // refused with an error that does abort.
  if (event.message == kFrameworkDisconnected && options_.reconnectOnLinkLoss &&
      !codec_.streamed()) {
    LOG(WARNING) << "Master " << from << " lost its connection to this scheduler ("
                 << event.message << "); registering again";
    lostMaster();
    return;
  }
  LOG(ERROR) << "Master " << from << " reported a framework error: " << event.message;
  emit(AbortWithError{event.message});
}

void DriverCore::answerReceived(Time, const std::string& call, int status,
                                const std::string& reason) {
  if (!running_ || (status >= 200 && status < 300)) return;
  if (status == 401) {
    LOG(ERROR) << "Master " << masterPid_ << " refused authentication (" << call << "): " << reason;
    emit(AbortWithError{"Master refused authentication: " + reason});
    return;
  }
  if (call == "SUBSCRIBE") {
    if (status >= 500) {
      restartStream("Master " + masterPid_.toString() + " answered SUBSCRIBE with " +
                    std::to_string(status) + ": " + reason);
      return;
    }
    LOG(ERROR) << "Master " << masterPid_ << " refused SUBSCRIBE (" << status << "): " << reason;
    emit(AbortWithError{"Master refused the subscription: " + reason});
    return;
  }
  LOG(ERROR) << "Master " << masterPid_ << " refused " << call << " (" << status << "): " << reason;
}

void DriverCore::updateProcessed(Time, AckRef ack, TaskID taskId) {
  if (terminated_ || !master_ || masterPid_.empty()) return;
  sendToMaster(
      Acknowledge{frameworkId(), std::move(ack.slaveId), std::move(taskId), std::move(ack.uuid)});
}

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
