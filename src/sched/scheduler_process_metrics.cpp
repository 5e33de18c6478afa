// The runtime's metrics and its diagnosis of a master that cannot reach this
// scheduler (README, "Metrics" and "Diagnosis"; docs/metrics.md). Runs on the
// I/O thread, as the rest of SchedulerProcess.

#include <algorithm>

#include <glog/logging.h>

#include "sched/scheduler_process.hpp"

namespace mesos {
namespace internal {
namespace sched {

using process::UPID;
using std::chrono::milliseconds;

namespace {

// Enough for any real backlog of updates; beyond it the metric stops growing
// rather than the memory (a framework that never acknowledges).
constexpr size_t kMaxTrackedUpdates = 1000000;
constexpr milliseconds kMaxSilenceDelay{std::chrono::minutes(5)};

bool isLoopback(uint32_t ip) { return (ip >> 24) == 127; }

}  // namespace

void SchedulerProcess::countReceived(size_t bytes) {
  stats_.messagesReceived.add();
  stats_.bytesReceived.add(bytes);
}

void SchedulerProcess::countSent(const core::Call& call, size_t bytes) {
  stats_.core->calls[call.index()].add();
  stats_.bytesSent.add(bytes);
  const auto* ack = std::get_if<core::Acknowledge>(&call);
  if (ack != nullptr && !options_.implicitAcknowledgements) {
    unacknowledged_.erase(ack->uuid);
    publishUnacknowledged();
  }
}

void SchedulerProcess::countCallback(const core::Callback& callback) {
  if (std::holds_alternative<core::Registered>(callback)) {
    stats_.registrations.add();
    if (!everRegistered_) {
      everRegistered_ = true;
      const int64_t started = stats_.startedAtNanos.load();
      if (started > 0) stats_.registrationMillis.set((steadyNanos() - started) / 1000000);
    }
  } else if (std::holds_alternative<core::Reregistered>(callback)) {
    stats_.reregistrations.add();
  } else if (std::holds_alternative<core::Disconnected>(callback)) {
    stats_.disconnections.add();
    // The next master (or this one again) has to prove it reaches us anew.
    heardFromMaster_ = false;
  } else if (const auto* update = std::get_if<core::Update>(&callback)) {
    // Implicit: each ack the driver owes comes back exactly once through
    // implicitAckReturned(), so a count does (no per-update allocation on the
    // hot path). Explicit: the framework may acknowledge an update twice or
    // never, so its updates are tracked by uuid.
    if (update->ack) {
      ++implicitUnacknowledged_;
      publishUnacknowledged();
    } else if (!options_.implicitAcknowledgements && update->status.has_uuid() &&
               unacknowledged_.size() < kMaxTrackedUpdates) {
      unacknowledged_.insert(update->status.uuid());
      publishUnacknowledged();
    }
  }
}

void SchedulerProcess::publishUnacknowledged() {
  stats_.unacknowledgedUpdates.set(implicitUnacknowledged_ + unacknowledged_.size());
}

void SchedulerProcess::implicitAckReturned(ImplicitAck& ack) {
  if (implicitUnacknowledged_ > 0) --implicitUnacknowledged_;
  publishUnacknowledged();
  if (ack.send) updateProcessed(std::move(ack.ref), std::move(*ack.status.mutable_task_id()));
}

// ---- Diagnosis ----------------------------------------------------------------
//
// On libprocess the master answers a registration by connecting back to the
// address this scheduler advertises. Behind NAT, in a container, or with a
// wrong advertised address that connection never comes: the registration
// reaches the master and the driver retries it forever, hearing nothing. The
// watch starts with a registration (or authentication) attempt to a master
// that has not been heard from; if the attempt was written to the master's
// socket and nothing at all came from the master's address since, it says
// so once, then again after twice as long, and so on up to every 5 minutes.

void SchedulerProcess::watchSilence(const UPID& master) {
  if (transport_ == nullptr || options_.masterSilenceWarning.count() <= 0) return;
  if (silenceMaster_ != master) {
    silenceMaster_ = master;
    heardFromMaster_ = false;
    silenceArmed_ = false;
    silenceTimer_.cancel();
  }
  if (heardFromMaster_ || silenceArmed_) return;
  silenceArmed_ = true;
  silenceDelay_ = options_.masterSilenceWarning;
  silenceSince_ = std::chrono::steady_clock::now();
  armSilenceTimer();
}

void SchedulerProcess::armSilenceTimer() {
  silenceTimer_.expires_after(silenceDelay_);
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  silenceTimer_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (!ec && self) self->silenceTimerFired();
  });
}

void SchedulerProcess::heardFrom(const UPID& sender) {
  if (heardFromMaster_ || silenceMaster_.empty()) return;
  // Any process at the master's address: the master's own, or the
  // authenticator it runs (libprocess peers are addressed by ip:port).
  if (sender.ip != silenceMaster_.ip || sender.port != silenceMaster_.port) return;
  heardFromMaster_ = true;
  silenceArmed_ = false;
  silenceTimer_.cancel();
}

void SchedulerProcess::silenceTimerFired() {
  if (heardFromMaster_ || !silenceArmed_ || stopped_) return;
  // Only when what was sent left this process: a master that is down or
  // unreachable is a different problem (the link breaks, the driver retries).
  const bool delivered = link_.has_value() && transport_->queuedBytes() == 0;
  if (delivered) {
    stats_.masterSilentWarnings.add();
    const auto silent = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - silenceSince_);
    const process::TransportOptions& transport = transport_->options();
    LOG(WARNING) << "The master " << silenceMaster_ << " has sent this scheduler nothing for "
                 << silent.count() << " s although its registration reached the master: the "
                 << "master probably cannot connect back to " << self_
                 << ", the address this scheduler advertises (it listens on "
                 << transport.bindIp << ":" << transport_->boundPort() << "). Behind NAT or in "
                 << "a container, set LIBPROCESS_ADVERTISE_IP and LIBPROCESS_ADVERTISE_PORT "
                 << "to an address the master can reach that leads to that port, or "
                 << "LIBPROCESS_IP to a routable interface of this host; or use the v1 HTTP "
                 << "API (MESOS_SCHEDULER_API=http), which needs no inbound connection";
    silenceDelay_ = std::min(silenceDelay_ * 2, kMaxSilenceDelay);
  }
  armSilenceTimer();
}

void SchedulerProcess::checkAdvertisedAddress(const UPID& master) {
  if (transport_ == nullptr || master.ip == 0 || isLoopback(master.ip)) return;
  if (!isLoopback(self_.ip)) return;
  if (!advertiseWarned_.insert(master.toString()).second) return;
  LOG(WARNING) << "This scheduler advertises " << self_ << " to the master " << master
               << ", which is not on this host and cannot connect to a loopback address: set "
               << "LIBPROCESS_IP to a routable interface of this host, or "
               << "LIBPROCESS_ADVERTISE_IP to an address the master can reach";
}

void warnAboutAddresses(const process::Transport& transport, const UPID& self) {
  const process::TransportOptions& options = transport.options();
  if (options.advertiseIp && *options.advertiseIp == "0.0.0.0") {
    LOG(WARNING) << "LIBPROCESS_ADVERTISE_IP (advertiseIp) is 0.0.0.0, which no master can "
                 << "connect to; advertising " << self << " instead";
  }
  if (options.advertisePort && !options.advertiseIp &&
      *options.advertisePort != transport.boundPort()) {
    LOG(WARNING) << "Advertising port " << *options.advertisePort << " while listening on "
                 << transport.boundPort() << " of this host's own address (" << self
                 << "): unless something forwards that port here, the master cannot reach this "
                 << "scheduler. Set LIBPROCESS_ADVERTISE_IP too when behind NAT, or drop "
                 << "LIBPROCESS_ADVERTISE_PORT";
  }
  if (isLoopback(self.ip)) {
    LOG(WARNING) << "Scheduler driver bound to a loopback address (" << self << "): a master on "
                 << "another host cannot connect back to it. Set LIBPROCESS_IP to a routable "
                 << "address of this host, or LIBPROCESS_ADVERTISE_IP to one the master can reach";
  }
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
