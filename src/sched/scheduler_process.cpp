#include "sched/scheduler_process.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <glog/logging.h>
#include <messages/messages.pb.h>

#include "common/uuid.hpp"

namespace mesos {
namespace internal {
namespace sched {

using process::UPID;
using process::parseIp;
using process::resolveAsync;
namespace asio = boost::asio;

namespace {

constexpr std::chrono::milliseconds kMaxRegistrationBackoff = std::chrono::seconds(60);
constexpr std::chrono::milliseconds kMaxRelinkDelay = std::chrono::seconds(60);

}  // namespace

SchedulerProcess::SchedulerProcess(asio::io_context& io, process::Transport& transport,
                                   ProcessOptions options, Hooks hooks)
    : io_(io),
      transport_(transport),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      // A fresh UUID per driver object lets the master tell two runs of one
      // scheduler apart even when they reuse an address (PROTOCOL.md a.1).
      self_(transport.self("scheduler-" + randomUuidString())),
      selfText_(self_.toString()),
      resolver_(io),
      framework_(options_.framework),
      suppressedRoles_(options_.suppressedRoles.begin(), options_.suppressedRoles.end()),
      offerConstraints_(options_.offerConstraints),
      registrationTimer_(io),
      relinkTimer_(io),
      authenticationTimer_(io),
      random_(std::random_device{}()) {
  failover_ = framework_.has_id() && !framework_.id().value().empty();
  handlers_ = {
      {"mesos.internal.FrameworkRegisteredMessage", &SchedulerProcess::onFrameworkRegistered},
      {"mesos.internal.FrameworkReregisteredMessage", &SchedulerProcess::onFrameworkReregistered},
      {"mesos.internal.ResourceOffersMessage", &SchedulerProcess::onResourceOffers},
      {"mesos.internal.RescindResourceOfferMessage", &SchedulerProcess::onRescindOffer},
      {"mesos.internal.StatusUpdateMessage", &SchedulerProcess::onStatusUpdateMessage},
      {"mesos.internal.LostSlaveMessage", &SchedulerProcess::onLostSlave},
      {"mesos.internal.ExitedExecutorMessage", &SchedulerProcess::onExitedExecutor},
      {"mesos.internal.ExecutorToFrameworkMessage", &SchedulerProcess::onExecutorToFramework},
      {"mesos.internal.FrameworkErrorMessage", &SchedulerProcess::onFrameworkError},
  };
}

void SchedulerProcess::start(std::shared_ptr<detector::MasterDetector> detector) {
  detector_ = std::move(detector);
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  transport_.addProcess(self_.id, [weak](process::Message&& message) {
    if (auto self = weak.lock()) self->onMessage(std::move(message));
  });
  LOG(INFO) << "Scheduler driver " << selfText_ << " started for framework '"
            << framework_.name() << "'";
  detector_->start(
      [weak](const std::optional<MasterInfo>& leader) {
        if (auto self = weak.lock()) self->onLeader(leader);
      },
      [weak](const std::string& why) {
        auto self = weak.lock();
        if (!self || !self->running_) return;
        LOG(ERROR) << "Master detection failed: " << why;
        self->hooks_.abortWithError("Failed to detect a master: " + why);
      });
}

void SchedulerProcess::stop(bool failover) {
  // No acknowledgement is sent after stop(); closing the outbox also keeps a
  // callback that outlives the driver from posting to its I/O context.
  if (ackOutbox_) ackOutbox_->close();
  if (terminated_) return;
  if ((connected_ || linkLostWhileRegistered_) && !failover) {
    LOG(INFO) << "Tearing down framework " << framework_.id().value();
    if (options_.dialect == DriverConfig::Dialect::kCall) {
      sendToMaster(makeCall(scheduler::Call::TEARDOWN));
    } else {
      internal::UnregisterFrameworkMessage message;
      *message.mutable_framework_id() = framework_.id();
      sendToMaster(message);
    }
  }
  running_ = false;
  terminated_ = true;
  setConnected(false);
  ++registrationGeneration_;
  registrationTimer_.cancel();
  relinkTimer_.cancel();
  cancelAuthentication();
  if (link_) transport_.unlink(*link_);
  link_.reset();
  if (detector_) detector_->stop();
  resolver_.close();
  transport_.removeProcess(self_.id);
}

void SchedulerProcess::abort() {
  if (terminated_ || !running_) return;
  if (connected_ || linkLostWhileRegistered_) {
    // There is no Call for this; even the modern driver sends the legacy message.
    internal::DeactivateFrameworkMessage message;
    *message.mutable_framework_id() = framework_.id();
    sendToMaster(message);
  }
  running_ = false;
  ++registrationGeneration_;
  registrationTimer_.cancel();
  relinkTimer_.cancel();
  cancelAuthentication();
}

// ---- Detection and registration (b.4, b.6) ----------------------------------

void SchedulerProcess::onLeader(const std::optional<MasterInfo>& leader) {
  if (!running_) return;
  // Clear `connected` before queuing disconnected(), so the callback (and any
  // thread it wakes) never sees connected() == true.
  const bool wasConnected = connected_;
  setConnected(false);
  if (wasConnected) {
    queue([](Scheduler* s, SchedulerDriver* d) { s->disconnected(d); });
  }
  master_ = leader;
  masterPid_ = UPID();
  linkLostWhileRegistered_ = false;  // A new master: it has not seen us yet.
  if (link_) transport_.unlink(*link_);
  link_.reset();
  ++registrationGeneration_;
  registrationTimer_.cancel();
  relinkTimer_.cancel();
  relinkDelay_ = std::chrono::milliseconds(0);
  // Authentication is per master: an attempt in flight is abandoned (and with
  // no master, not retried), and a new master is authenticated afresh.
  const bool wasAuthenticating = authenticatee_ != nullptr;
  cancelAuthentication();
  authenticated_ = false;

  if (!master_) {
    LOG(INFO) << "No master detected; waiting for one";
    return;
  }
  Try<UPID::Unresolved> pid = UPID::parseUnresolved(master_->pid());
  if (pid.isError()) {
    LOG(WARNING) << "Detected master has an unusable pid: " << pid.error()
                 << "; waiting for another";
    master_.reset();
    return;
  }
  Try<uint32_t> ip = parseIp(pid->host);
  if (ip.isError()) {
    resolveMaster(pid.get(), wasAuthenticating, std::chrono::milliseconds(0));
    return;
  }
  onMasterResolved(UPID(pid->id, ip.get(), pid->port), wasAuthenticating);
}

void SchedulerProcess::resolveMaster(const UPID::Unresolved& pid, bool wasAuthenticating,
                                     std::chrono::milliseconds lastDelay) {
  // A host name: resolved off this thread (start() and the I/O thread never
  // wait for DNS); a newer leader makes the answer moot. A failed lookup is
  // retried with the reconnection backoff (DNS may be down for a while, and
  // a fixed master is reported only once).
  LOG(INFO) << "Resolving the master's host '" << pid.host << "'";
  const uint64_t generation = registrationGeneration_;
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  resolveAsync(resolver_, pid.host, [weak, generation, pid, wasAuthenticating,
                                     lastDelay](Try<uint32_t> ip) {
    auto self = weak.lock();
    if (!self || !self->running_ || generation != self->registrationGeneration_) return;
    if (ip.isSome()) {
      self->onMasterResolved(UPID(pid.id, ip.get(), pid.port), wasAuthenticating);
      return;
    }
    const auto delay = lastDelay.count() == 0 ? self->options_.registrationBackoffFactor
                                              : std::min(lastDelay * 2, kMaxRelinkDelay);
    LOG(WARNING) << "Cannot resolve the master's host: " << ip.error() << "; retrying in "
                 << delay.count() << " ms";
    self->relinkTimer_.expires_after(delay);
    self->relinkTimer_.async_wait([weak, generation, pid, wasAuthenticating,
                                   delay](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || !self->running_ || generation != self->registrationGeneration_) return;
      self->resolveMaster(pid, wasAuthenticating, delay);
    });
  });
}

void SchedulerProcess::onMasterResolved(const UPID& pid, bool wasAuthenticating) {
  masterPid_ = pid;
  LOG(INFO) << "New master detected at " << masterPid_;
  relink();
  if (options_.credential) {
    // Registration waits for authentication (b.5). A master change in the
    // middle of an attempt counts as a failed attempt (e.3): the range grows.
    if (wasAuthenticating) {
      LOG(INFO) << "Restarting authentication against the new master";
      const auto min = options_.authenticationTimeoutMin;
      authenticate(min + (authenticationMaxTimeout_ - min) * 2);
    } else {
      authenticate(firstAuthenticationMaxTimeout());
    }
    return;
  }
  // Registration starts at once, with no initial delay.
  doReliableRegistration(options_.registrationBackoffFactor);
}

void SchedulerProcess::relink() {
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  link_ = transport_.link(masterPid_, [weak](const UPID& pid) {
    if (auto self = weak.lock()) self->onMasterExited(pid);
  });
}

void SchedulerProcess::onMasterExited(const UPID& pid) {
  link_.reset();
  if (!running_ || pid != masterPid_) return;
  if (!options_.reconnectOnLinkLoss) {
    // Mesos's behaviour: ignore; only the detector tells of a master change.
    VLOG(1) << "Link to master " << pid << " broke; waiting for the detector";
    return;
  }
  LOG(WARNING) << "Lost the connection to master " << pid << "; reconnecting";
  const bool wasConnected = connected_;
  // The master still knows the framework: a stop() or abort() before the
  // re-registration must still reach it (over a new connection), as it would
  // with Mesos's driver, which never notices a broken link.
  if (wasConnected) linkLostWhileRegistered_ = true;
  setConnected(false);  // Before disconnected() is queued, as in onLeader().
  if (wasConnected) {
    queue([](Scheduler* s, SchedulerDriver* d) { s->disconnected(d); });
  }
  ++registrationGeneration_;
  registrationTimer_.cancel();
  // The master forgets a framework's authentication when its connection
  // breaks (e.4), so authenticate again before re-registering.
  cancelAuthentication();
  authenticated_ = false;

  // Back off between reconnection attempts so a dead master is not hammered:
  // U[0, d] with d doubling from the registration backoff factor up to 60 s.
  relinkDelay_ = relinkDelay_.count() == 0
                     ? options_.registrationBackoffFactor
                     : std::min(relinkDelay_ * 2, kMaxRelinkDelay);
  const auto delay = std::chrono::milliseconds(static_cast<int64_t>(
      std::uniform_real_distribution<double>(0, 1)(random_) * relinkDelay_.count()));
  relinkTimer_.expires_after(delay);
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  relinkTimer_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || !self->running_ || !self->master_ || self->connected_) return;
    self->relink();
    if (self->options_.credential) {
      self->authenticate(self->firstAuthenticationMaxTimeout());
    } else {
      self->doReliableRegistration(self->options_.registrationBackoffFactor);
    }
  });
}

void SchedulerProcess::doReliableRegistration(std::chrono::milliseconds maxBackoff) {
  if (!running_ || connected_ || !master_) return;
  if (options_.credential && !authenticated_) return;
  sendRegistration();

  maxBackoff = std::min(maxBackoff, kMaxRegistrationBackoff);
  const double failoverTimeout = framework_.failover_timeout();
  if (framework_.has_failover_timeout() && failoverTimeout > 0 && failoverTimeout < 1e9) {
    maxBackoff = std::min(
        maxBackoff, std::chrono::milliseconds(static_cast<int64_t>(failoverTimeout * 1000 / 10)));
  }
  const auto delay = std::chrono::milliseconds(static_cast<int64_t>(
      std::uniform_real_distribution<double>(0, 1)(random_) * maxBackoff.count()));
  VLOG(1) << "Will retry registration in " << delay.count() << " ms if necessary";

  const uint64_t generation = ++registrationGeneration_;
  registrationTimer_.expires_after(delay);
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  registrationTimer_.async_wait([weak, generation, maxBackoff](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || generation != self->registrationGeneration_) return;
    self->doReliableRegistration(maxBackoff * 2);
  });
}

void SchedulerProcess::sendRegistration() {
  const bool hasId = framework_.has_id() && !framework_.id().value().empty();
  if (options_.dialect == DriverConfig::Dialect::kCall) {
    scheduler::Call call;
    call.set_type(scheduler::Call::SUBSCRIBE);
    scheduler::Call::Subscribe* subscribe = call.mutable_subscribe();
    *subscribe->mutable_framework_info() = framework_;
    for (const std::string& role : suppressedRoles_) subscribe->add_suppressed_roles(role);
    if (offerConstraints_) *subscribe->mutable_offer_constraints() = *offerConstraints_;
    if (hasId) {
      *call.mutable_framework_id() = framework_.id();
      subscribe->set_force(failover_);
    }
    VLOG(1) << "Sending SUBSCRIBE to " << masterPid_ << (hasId ? " (re-registration)" : "");
    sendToMaster(call);
  } else if (!hasId) {
    internal::RegisterFrameworkMessage message;
    *message.mutable_framework() = framework_;
    sendToMaster(message);
  } else {
    internal::ReregisterFrameworkMessage message;
    *message.mutable_framework() = framework_;
    message.set_failover(failover_);
    sendToMaster(message);
  }
}

void SchedulerProcess::setConnected(bool connected) {
  connected_ = connected;
  if (connected) linkLostWhileRegistered_ = false;
  if (hooks_.connected != nullptr) hooks_.connected->store(connected);
}

// ---- Authentication (b.5, e.3) ----------------------------------------------

std::chrono::milliseconds SchedulerProcess::firstAuthenticationMaxTimeout() const {
  return std::min(options_.authenticationTimeoutMin + options_.authenticationBackoffFactor * 2,
                  options_.authenticationTimeoutMax);
}

void SchedulerProcess::authenticate(std::chrono::milliseconds maxTimeout) {
  cancelAuthentication();
  if (!running_ || !master_) return;
  const Credential& credential = *options_.credential;
  if (!credential.has_secret()) {
    // Mesos's driver treats this exactly like a refusal, without asking.
    LOG(ERROR) << "The credential of principal '" << credential.principal()
               << "' has no secret; not authenticating";
    hooks_.abortWithError("Master refused authentication");
    return;
  }
  if (!options_.authenticatee) {
    LOG(ERROR) << "A credential was given but no authenticatee was configured";
    hooks_.abortWithError("No authenticatee configured for the credential");
    return;
  }
  // Each attempt gets U[min, max]; retries double the width of the range up
  // to the configured maximum (e.3).
  const auto min = options_.authenticationTimeoutMin;
  authenticationMaxTimeout_ =
      std::max(min, std::min(maxTimeout, options_.authenticationTimeoutMax));
  const auto timeout = min + std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(
                                 0, (authenticationMaxTimeout_ - min).count())(random_));
  const uint64_t attempt = ++authenticationAttempt_;
  authenticatee_ = options_.authenticatee(io_, transport_);
  LOG(INFO) << "Authenticating with master " << masterPid_ << " as principal '"
            << credential.principal() << "' (" << authenticatee_->self() << ", timeout "
            << timeout.count() << " ms)";

  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  authenticationTimer_.expires_after(timeout);
  authenticationTimer_.async_wait([weak, attempt](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || attempt != self->authenticationAttempt_ || !self->authenticatee_) return;
    self->retryAuthentication("timed out");
  });
  authenticatee_->authenticate(
      masterPid_, self_, credential,
      [weak, attempt](auth::Outcome outcome, const std::string& reason) {
        if (auto self = weak.lock()) self->onAuthenticationDone(attempt, outcome, reason);
      });
}

void SchedulerProcess::onAuthenticationDone(uint64_t attempt, auth::Outcome outcome,
                                            const std::string& reason) {
  if (attempt != authenticationAttempt_ || !authenticatee_ || !running_) return;
  switch (outcome) {
    case auth::Outcome::kAuthenticated:
      cancelAuthentication();
      authenticated_ = true;
      LOG(INFO) << "Authenticated with master " << masterPid_;
      doReliableRegistration(options_.registrationBackoffFactor);
      return;
    case auth::Outcome::kRefused:
      // Wrong credentials: retrying cannot help.
      cancelAuthentication();
      LOG(ERROR) << "Master " << masterPid_ << " refused authentication: " << reason;
      hooks_.abortWithError("Master refused authentication");
      return;
    case auth::Outcome::kFailed:
      retryAuthentication(reason);
      return;
  }
}

void SchedulerProcess::retryAuthentication(const std::string& why) {
  LOG(WARNING) << "Failed to authenticate with master " << masterPid_ << ": " << why
               << "; retrying";
  const auto min = options_.authenticationTimeoutMin;
  authenticate(min + (authenticationMaxTimeout_ - min) * 2);
}

void SchedulerProcess::cancelAuthentication() {
  ++authenticationAttempt_;
  authenticationTimer_.cancel();
  authenticatee_.reset();
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
