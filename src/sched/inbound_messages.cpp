// Inbound messages of the scheduler driver's state machine (SchedulerProcess):
// the sender and state guards of each type (the table in scheduler_process.hpp),
// parsing, and the callbacks they queue; and the AckOutbox that carries implicit
// acknowledgements back from the callback thread.

#include <glog/logging.h>
#include <messages/messages.pb.h>

#include <boost/asio/post.hpp>

#include "sched/scheduler_process.hpp"

namespace mesos {
namespace internal {
namespace sched {

using process::UPID;
namespace asio = boost::asio;

namespace {

template <typename T>
bool parse(const std::string& body, T* message, const char* name) {
  // ParseFromString fails on missing required fields at any depth and on unknown
  // values of required enums, exactly as a Mesos receiver does.
  if (!message->ParseFromString(body)) {
    LOG(WARNING) << "Dropping " << name << ": not a valid protobuf of that type"
                 << " (malformed or missing required fields)";
    return false;
  }
  return true;
}

}  // namespace

// ---- Inbound (b.7, b.8) -----------------------------------------------------

void SchedulerProcess::onMessage(process::Message&& message) {
  if (!running_) {
    VLOG(1) << "Ignoring " << message.name << " from " << message.from
            << ": the driver is not running";
    return;
  }
  auto handler = handlers_.find(message.name);
  if (handler == handlers_.end()) {
    VLOG(1) << "Ignoring unhandled message '" << message.name << "' from " << message.from;
    return;
  }
  if (message.body.size() > options_.maxMessageBytes) {
    LOG(WARNING) << "Dropping " << message.name << " from " << message.from << ": "
                 << message.body.size() << " bytes exceeds the limit of "
                 << options_.maxMessageBytes;
    return;
  }
  messageBytes_ = message.body.size();
  (this->*(handler->second))(message.from, message.body);
  messageBytes_ = 0;
}

void SchedulerProcess::queue(SchedulerCall call) {
  hooks_.callback(std::move(call), messageBytes_);
}

bool SchedulerProcess::fromMaster(const UPID& from, const char* what) const {
  if (!connected_) {
    VLOG(1) << "Ignoring " << what << " from " << from << ": not connected to a master";
    return false;
  }
  if (from != masterPid_) {
    LOG(WARNING) << "Ignoring " << what << " from " << from
                 << ": not the leading master (" << masterPid_ << ")";
    return false;
  }
  return true;
}

void SchedulerProcess::onFrameworkRegistered(const UPID& from, const std::string& body) {
  internal::FrameworkRegisteredMessage message;
  if (!parse(body, &message, "FrameworkRegisteredMessage")) return;
  if (connected_) {
    VLOG(1) << "Ignoring FrameworkRegisteredMessage: already registered";
    return;
  }
  if (!master_ || from != masterPid_) {
    LOG(WARNING) << "Ignoring FrameworkRegisteredMessage from " << from
                 << ": not the leading master";
    return;
  }
  LOG(INFO) << "Framework registered with " << message.framework_id().value();
  *framework_.mutable_id() = message.framework_id();
  setConnected(true);
  failover_ = false;
  relinkDelay_ = std::chrono::milliseconds(0);
  ++registrationGeneration_;
  registrationTimer_.cancel();
  if (sendUpdateFrameworkOnConnect_) sendUpdateFramework();
  queue([id = message.framework_id(), info = message.master_info()](
                      Scheduler* s, SchedulerDriver* d) { s->registered(d, id, info); });
}

void SchedulerProcess::onFrameworkReregistered(const UPID& from, const std::string& body) {
  internal::FrameworkReregisteredMessage message;
  if (!parse(body, &message, "FrameworkReregisteredMessage")) return;
  if (connected_) {
    VLOG(1) << "Ignoring FrameworkReregisteredMessage: already registered";
    return;
  }
  if (!master_ || from != masterPid_) {
    LOG(WARNING) << "Ignoring FrameworkReregisteredMessage from " << from
                 << ": not the leading master";
    return;
  }
  if (message.framework_id().value() != framework_.id().value()) {
    // Mesos asserts here; a master cannot make us crash.
    LOG(WARNING) << "Ignoring FrameworkReregisteredMessage for framework "
                 << message.framework_id().value() << ": this is "
                 << framework_.id().value();
    return;
  }
  LOG(INFO) << "Framework re-registered with " << masterPid_;
  setConnected(true);
  failover_ = false;
  relinkDelay_ = std::chrono::milliseconds(0);
  ++registrationGeneration_;
  registrationTimer_.cancel();
  if (sendUpdateFrameworkOnConnect_) sendUpdateFramework();
  queue([info = message.master_info()](Scheduler* s, SchedulerDriver* d) {
    s->reregistered(d, info);
  });
}

void SchedulerProcess::onResourceOffers(const UPID& from, const std::string& body) {
  if (!fromMaster(from, "ResourceOffersMessage")) return;
  internal::ResourceOffersMessage message;
  if (!parse(body, &message, "ResourceOffersMessage")) return;
  if (message.offers_size() == 0) return;
  if (message.offers_size() != message.pids_size()) {
    // Mesos asserts equal sizes; keep the offers, remember only aligned pids.
    LOG(WARNING) << "ResourceOffersMessage has " << message.offers_size() << " offers but "
                 << message.pids_size() << " agent pids";
  }
  // Agents repeat across a batch: parse each distinct pid text once.
  const std::string* lastText = nullptr;
  std::optional<UPID> lastPid;
  for (int i = 0; i < message.offers_size() && i < message.pids_size(); ++i) {
    if (lastText == nullptr || *lastText != message.pids(i)) {
      lastText = &message.pids(i);
      Try<UPID> pid = UPID::parse(*lastText, UPID::Resolve::kNumericOnly);
      lastPid = pid.isSome() ? std::optional<UPID>(pid.get()) : std::nullopt;
    }
    if (lastPid) {
      const Offer& offer = message.offers(i);
      savedOffers_[offer.id().value()][offer.slave_id().value()] = *lastPid;
    }
  }
  // Moved, not copied: a 10,000-offer batch is megabytes of small allocations.
  std::vector<Offer> offers(message.offers_size());
  for (int i = 0; i < message.offers_size(); ++i) offers[i].Swap(message.mutable_offers(i));
  queue([offers = std::move(offers)](Scheduler* s, SchedulerDriver* d) {
    s->resourceOffers(d, offers);
  });
}

void SchedulerProcess::onRescindOffer(const UPID& from, const std::string& body) {
  if (!fromMaster(from, "RescindResourceOfferMessage")) return;
  internal::RescindResourceOfferMessage message;
  if (!parse(body, &message, "RescindResourceOfferMessage")) return;
  savedOffers_.erase(message.offer_id().value());
  queue([id = message.offer_id()](Scheduler* s, SchedulerDriver* d) {
    s->offerRescinded(d, id);
  });
}

void SchedulerProcess::onStatusUpdateMessage(const UPID& from, const std::string& body) {
  if (!fromMaster(from, "StatusUpdateMessage")) return;
  internal::StatusUpdateMessage message;
  if (!parse(body, &message, "StatusUpdateMessage")) return;
  UPID pid;
  if (message.has_pid()) {
    Try<UPID> parsed = UPID::parse(message.pid(), UPID::Resolve::kNumericOnly);
    // "@0.0.0.0:0" (master-generated) and garbage both mean "no agent".
    if (parsed.isSome()) pid = parsed.get();
  }
  deliverStatusUpdate(message.mutable_update(), from, pid);
}

void SchedulerProcess::deliverStatusUpdate(internal::StatusUpdate* update, const UPID& from,
                                           const UPID& pid) {
  if (update->framework_id().value() != framework_.id().value()) {
    // Mesos asserts; we drop.
    LOG(WARNING) << "Dropping status update for framework " << update->framework_id().value()
                 << ": this is " << framework_.id().value();
    return;
  }
  const bool local = from.empty();
  // The callback sees a uuid iff the update must be acknowledged (b.8.1).
  const bool hasUuid = update->has_uuid() && !update->uuid().empty();
  std::optional<ImplicitAck> ack;
  const bool wantsAck = hasUuid || (!local && !pid.empty());
  if (options_.implicitAcknowledgements && wantsAck && !local) {
    if (!ackOutbox_) ackOutbox_ = std::make_shared<AckOutbox>(io_, weak_from_this());
    ack = ImplicitAck{ackOutbox_, update->slave_id(), update->uuid(), TaskStatus(), true};
  }
  TaskStatus status = std::move(*update->mutable_status());
  if (!hasUuid || local || pid.empty()) {
    status.clear_uuid();
  } else {
    status.set_uuid(update->uuid());
  }
  hooks_.statusUpdate(std::move(status), std::move(ack), messageBytes_);
}

void AckOutbox::add(SchedulerProcess::ImplicitAck&& ack) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;  // `ack` is freed here, on the caller's thread.
  const bool first = pending_.empty();
  pending_.push_back(std::move(ack));
  if (first) {
    asio::post(io_, [self = shared_from_this()] { self->drain(); });
  }
}

void AckOutbox::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
}

void AckOutbox::drain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    draining_.swap(pending_);
  }
  std::shared_ptr<SchedulerProcess> process = process_.lock();
  for (SchedulerProcess::ImplicitAck& ack : draining_) {
    if (process && ack.send) process->sendImplicitAck(ack.slaveId, ack.status.task_id(), ack.uuid);
  }
  draining_.clear();
}

void SchedulerProcess::onLostSlave(const UPID& from, const std::string& body) {
  if (!fromMaster(from, "LostSlaveMessage")) return;
  internal::LostSlaveMessage message;
  if (!parse(body, &message, "LostSlaveMessage")) return;
  savedSlavePids_.erase(message.slave_id().value());
  queue([id = message.slave_id()](Scheduler* s, SchedulerDriver* d) {
    s->slaveLost(d, id);
  });
}

void SchedulerProcess::onExitedExecutor(const UPID& from, const std::string& body) {
  if (!fromMaster(from, "ExitedExecutorMessage")) return;
  internal::ExitedExecutorMessage message;
  if (!parse(body, &message, "ExitedExecutorMessage")) return;
  queue([message](Scheduler* s, SchedulerDriver* d) {
    s->executorLost(d, message.executor_id(), message.slave_id(), message.status());
  });
}

void SchedulerProcess::onExecutorToFramework(const UPID& from, const std::string& body) {
  // Agents send this straight to the scheduler: no sender or connection check.
  internal::ExecutorToFrameworkMessage message;
  if (!parse(body, &message, "ExecutorToFrameworkMessage")) return;
  queue([message](Scheduler* s, SchedulerDriver* d) {
    s->frameworkMessage(d, message.executor_id(), message.slave_id(), message.data());
  });
}

void SchedulerProcess::onFrameworkError(const UPID& from, const std::string& body) {
  // Only the leading master may abort the framework (see the sender table in
  // scheduler_process.hpp). Registered or not: a master refuses a registration
  // (e.g. an unauthenticated framework) with this message.
  if (!master_ || from != masterPid_) {
    LOG(WARNING) << "Ignoring FrameworkErrorMessage from " << from << ": not the leading master"
                 << (master_ ? " (" + masterPid_.toString() + ")" : std::string(" (none known)"));
    return;
  }
  internal::FrameworkErrorMessage message;
  if (!parse(body, &message, "FrameworkErrorMessage")) return;
  LOG(ERROR) << "Master " << from << " reported a framework error: " << message.message();
  hooks_.abortWithError(message.message());
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
