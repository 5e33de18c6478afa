// The driver core's detection, registration, reconnection and authentication
// (docs/protocol.md, "The driver's state machine" and "Timings").

#include "sched/core/driver_core.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {
namespace core {

using process::UPID;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kMaxRegistrationBackoff = std::chrono::seconds(60);
constexpr milliseconds kMaxReconnectDelay = std::chrono::seconds(60);

Backoff::Policy authenticationPolicy(const Options& o) {
  // Each attempt gets U[min, max], the range of the first 2 * factor wide and
  // doubling per failed attempt, up to the configured maximum.
  const milliseconds width = std::max(milliseconds(0), o.authenticationTimeoutMax -
                                                           o.authenticationTimeoutMin);
  return {o.authenticationBackoffFactor * 2, width, o.authenticationTimeoutMin, true};
}

}  // namespace

const char* eventMetricName(size_t index) {
  // By index in `Event` (terms.hpp); the static_assert keeps the two in step.
  static constexpr const char* kNames[] = {"registered", "reregistered", "subscribed",
                                           "heartbeat",  "offers",       "rescind",
                                           "update",     "agent_lost",   "executor_exited",
                                           "message",    "error"};
  static_assert(std::size(kNames) == kEventKinds, "one name per kind of Event");
  return index < kEventKinds ? kNames[index] : "?";
}

const char* callMetricName(size_t index) {
  // By index in `Call` (terms.hpp).
  static constexpr const char* kNames[] = {
      "subscribe", "teardown",    "deactivate", "request", "accept",    "decline",         "kill",
      "revive",    "suppress",    "acknowledge", "message", "reconcile", "update_framework"};
  static_assert(std::size(kNames) == kCallKinds, "one name per kind of Call");
  return index < kCallKinds ? kNames[index] : "?";
}

const char* timerName(Timer timer) {
  switch (timer) {
    case Timer::kRegistration: return "registration";
    case Timer::kReconnect: return "reconnect";
    case Timer::kAuthentication: return "authentication";
    case Timer::kHeartbeat: return "heartbeat";
    case Timer::kReconcile: return "reconcile";
  }
  return "?";
}

DriverCore::DriverCore(Options options, const Codec& codec, UnitRandom random)
    : options_(std::move(options)),
      codec_(codec),
      random_(std::move(random)),
      framework_(options_.framework),
      suppressedRoles_(options_.suppressedRoles.begin(), options_.suppressedRoles.end()),
      offerConstraints_(options_.offerConstraints),
      // U[0, b], b doubling from the factor; capped again per attempt below.
      registrationBackoff_({options_.registrationBackoffFactor, kMaxRegistrationBackoff,
                            milliseconds(0), true}),
      // U[0, d], d doubling from the factor: a dead master is not hammered.
      reconnectBackoff_({options_.registrationBackoffFactor, kMaxReconnectDelay,
                         milliseconds(0), true}),
      // DNS may be down for a while, and a fixed master is reported only once.
      resolveBackoff_({options_.registrationBackoffFactor, kMaxReconnectDelay, milliseconds(0),
                       false}),
      authenticationBackoff_(authenticationPolicy(options_)) {
  failover_ = framework_.has_id() && !framework_.id().value().empty();
  if (!options_.stats) options_.stats = std::make_shared<CoreStats>();
}

std::vector<Effect> DriverCore::takeEffects() {
  std::vector<Effect> effects;
  effects.swap(effects_);
  return effects;
}

void DriverCore::takeEffects(std::vector<Effect>& out) {
  out.clear();
  out.swap(effects_);
}

void DriverCore::arm(Timer timer, milliseconds delay) {
  const uint64_t seq = ++nextTimerSeq_;
  armed_[timer] = seq;
  emit(ArmTimer{timer, delay, seq});
}

void DriverCore::cancel(Timer timer) {
  if (armed_.erase(timer) > 0) emit(CancelTimer{timer});
}

void DriverCore::timerFired(Time now, Timer timer, uint64_t seq) {
  auto armed = armed_.find(timer);
  if (armed == armed_.end() || armed->second != seq) return;  // Cancelled or re-armed.
  armed_.erase(armed);
  switch (timer) {
    case Timer::kRegistration:
      registrationAttempt();
      return;
    case Timer::kReconnect:
      if (!running_) return;
      if (resolving_) {
        resolve();
        return;
      }
      if (!master_ || connected_) return;
      reconnect();
      return;
    case Timer::kAuthentication:
      if (!authenticating_) return;
      LOG(WARNING) << "Failed to authenticate with master " << masterPid_
                   << ": timed out; retrying";
      authenticate(/*firstOfRange=*/false);
      return;
    case Timer::kHeartbeat: {
      if (!running_ || !connected_) return;
      // Armed once, not per event: an event since the arming moves the
      // deadline, so the timer is armed again for what is left.
      const double left = heartbeatInterval_ * std::max(1, options_.missedHeartbeats) -
                          (now - lastEvent_);
      if (left > 0) {
        arm(Timer::kHeartbeat, milliseconds(static_cast<int64_t>(std::ceil(left * 1000))));
        return;
      }
      restartStream("No event from master " + masterPid_.toString() + " for " +
                    std::to_string(options_.missedHeartbeats) + " heartbeat intervals of " +
                    std::to_string(heartbeatInterval_) + " s");
      return;
    }
    case Timer::kReconcile:
      if (!running_ || !connected_ || !reconciler_) return;
      reconciler_->timerFired(now, reconcileSeq_);
      runReconciler();
      return;
  }
}

// ---- Stop and abort -----------------------------------------------------------

void DriverCore::stop(Time, bool failover) {
  if (terminated_) return;
  if ((connected_ || linkLostWhileRegistered_) && !failover) {
    LOG(INFO) << "Tearing down framework " << framework_.id().value();
    sendToMaster(Teardown{frameworkId()});
  }
  running_ = false;
  terminated_ = true;
  stopReconciliation(0);
  setConnected(false);
  ++resolveToken_;
  resolving_.reset();
  cancel(Timer::kRegistration);
  cancel(Timer::kReconnect);
  cancel(Timer::kHeartbeat);
  cancelAuthentication();
  if (linked_) emit(Unlink{});
  linked_ = false;
}

void DriverCore::abort(Time) {
  if (terminated_ || !running_) return;
  // The HTTP API has no word for this: the subscription stays as it is
  // (its events are dropped) until stop() or the end of the process.
  Deactivate deactivate{frameworkId()};
  if ((connected_ || linkLostWhileRegistered_) && codec_.expresses(deactivate)) {
    sendToMaster(std::move(deactivate));
  }
  running_ = false;
  stopReconciliation(0);
  ++resolveToken_;
  resolving_.reset();
  cancel(Timer::kRegistration);
  cancel(Timer::kReconnect);
  cancel(Timer::kHeartbeat);
  cancelAuthentication();
}

// ---- Detection --------------------------------------------------------------

void DriverCore::detectionFailed(Time, const std::string& why) {
  if (!running_) return;
  LOG(ERROR) << "Master detection failed: " << why;
  emit(AbortWithError{"Failed to detect a master: " + why});
}

void DriverCore::masterDetected(Time, const std::optional<MasterInfo>& leader) {
  if (!running_) return;
  // connected() turns false before disconnected() is queued, so the callback
  // (and any thread it wakes) never sees connected() == true.
  disconnect();
  master_ = leader;
  masterPid_ = UPID();
  linkLostWhileRegistered_ = false;  // A new master: it has not seen us yet.
  if (linked_) emit(Unlink{});
  linked_ = false;
  ++resolveToken_;
  resolving_.reset();
  cancel(Timer::kRegistration);
  cancel(Timer::kReconnect);
  cancel(Timer::kHeartbeat);
  reconnectBackoff_.reset();
  // Authentication is per master: an attempt in flight is abandoned (and with
  // no master, not retried), and a new master is authenticated afresh.
  const bool wasAuthenticating = authenticating_;
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
  Try<uint32_t> ip = process::parseIp(pid->host);
  if (ip.isSome()) {
    masterKnown(UPID(pid->id, ip.get(), pid->port), wasAuthenticating);
    return;
  }
  // A host name: the runtime resolves it off the I/O thread.
  resolving_ = pid.get();
  resolvingWasAuthenticating_ = wasAuthenticating;
  resolveBackoff_.reset();
  resolve();
}

void DriverCore::resolve() {
  LOG(INFO) << "Resolving the master's host '" << resolving_->host << "'";
  emit(Resolve{++resolveToken_, resolving_->host});
}

void DriverCore::masterResolved(Time, uint64_t token, const Try<uint32_t>& ip) {
  if (!running_ || !resolving_ || token != resolveToken_) return;  // A newer leader.
  if (ip.isSome()) {
    const UPID pid(resolving_->id, ip.get(), resolving_->port);
    resolving_.reset();
    masterKnown(pid, resolvingWasAuthenticating_);
    return;
  }
  const milliseconds delay = resolveBackoff_.next(random_);
  LOG(WARNING) << "Cannot resolve the master's host: " << ip.error() << "; retrying in "
               << delay.count() << " ms";
  arm(Timer::kReconnect, delay);
}

void DriverCore::masterKnown(const UPID& pid, bool wasAuthenticating) {
  masterPid_ = pid;
  LOG(INFO) << "New master detected at " << masterPid_;
  emit(Link{masterPid_});
  linked_ = true;
  if (handshake()) {
    // Registration waits for authentication. A master change in the middle
    // of an attempt counts as a failed attempt: the range grows.
    if (wasAuthenticating) LOG(INFO) << "Restarting authentication against the new master";
    authenticate(/*firstOfRange=*/!wasAuthenticating);
    return;
  }
  startRegistration();  // At once, with no initial delay.
}

// ---- Broken links -------------------------------------------------------------

void DriverCore::linkBroken(Time, const UPID& pid) {
  if (pid == masterPid_) linked_ = false;
  if (!running_ || pid != masterPid_ || masterPid_.empty()) return;
  if (!options_.reconnectOnLinkLoss && !codec_.streamed()) {
    // Mesos's behaviour: ignore; only the detector tells of a master change.
    VLOG(1) << "Link to master " << pid << " broke; waiting for the detector";
    return;
  }
  LOG(WARNING) << "Lost the connection to master " << pid << "; reconnecting";
  lostMaster();
}

void DriverCore::lostMaster() {
  // The master still knows the framework: a stop() or abort() before the
  // re-registration must still reach it (over a new connection), as it would
  // with Mesos's driver, which never notices a broken link.
  if (connected_) linkLostWhileRegistered_ = true;
  disconnect();
  cancel(Timer::kRegistration);
  cancel(Timer::kHeartbeat);
  // The master forgets a framework's authentication when its connection
  // breaks, so authenticate again before re-registering.
  cancelAuthentication();
  authenticated_ = false;
  arm(Timer::kReconnect, reconnectBackoff_.next(random_));
}

void DriverCore::restartStream(const std::string& why) {
  if (!running_ || masterPid_.empty()) return;
  LOG(WARNING) << why << "; subscribing again";
  if (linked_) emit(Unlink{});
  linked_ = false;
  lostMaster();
}

void DriverCore::noteLife(Time now) {
  if (!codec_.streamed() || heartbeatInterval_ <= 0) return;
  lastEvent_ = now;
  if (armed_.count(Timer::kHeartbeat) > 0) return;  // It re-arms itself when it fires.
  const double seconds = heartbeatInterval_ * std::max(1, options_.missedHeartbeats);
  arm(Timer::kHeartbeat, milliseconds(static_cast<int64_t>(std::ceil(seconds * 1000))));
}

bool DriverCore::handshake() const {
  return options_.credential.has_value() && !codec_.authenticatesEachRequest();
}

void DriverCore::reconnect() {
  emit(Link{masterPid_});
  linked_ = true;
  if (handshake()) {
    authenticate(/*firstOfRange=*/true);
  } else {
    startRegistration();
  }
}

// ---- Registration -------------------------------------------------------------

void DriverCore::startRegistration() {
  registrationBackoff_ = Backoff({options_.registrationBackoffFactor, kMaxRegistrationBackoff,
                                  milliseconds(0), true});
  registrationAttempt();
}

void DriverCore::registrationAttempt() {
  if (!running_ || connected_ || !master_ || masterPid_.empty()) return;
  if (handshake() && !authenticated_) return;
  const bool hasId = framework_.has_id() && !framework_.id().value().empty();
  Subscribe subscribe;
  subscribe.framework = framework_;
  subscribe.suppressedRoles.assign(suppressedRoles_.begin(), suppressedRoles_.end());
  subscribe.offerConstraints = offerConstraints_;
  subscribe.force = failover_;
  VLOG(1) << "Sending registration to " << masterPid_ << (hasId ? " (re-registration)" : "");
  sendToMaster(std::move(subscribe));

  // A framework that may be failed over soon retries at least ten times
  // within its failover timeout.
  const double failoverTimeout = framework_.failover_timeout();
  if (framework_.has_failover_timeout() && failoverTimeout > 0 && failoverTimeout < 1e9) {
    registrationBackoff_.capAt(milliseconds(static_cast<int64_t>(failoverTimeout * 1000 / 10)));
  }
  const milliseconds delay = registrationBackoff_.next(random_);
  VLOG(1) << "Will retry registration in " << delay.count() << " ms if necessary";
  arm(Timer::kRegistration, delay);
}

void DriverCore::setConnected(bool connected) {
  if (connected) linkLostWhileRegistered_ = false;
  if (connected_ == connected) return;
  connected_ = connected;
  emit(SetConnected{connected});
}

void DriverCore::disconnect() {
  const bool wasConnected = connected_;
  setConnected(false);
  if (wasConnected) stopReconciliation(eventAt_);
  if (wasConnected) invoke(Disconnected{});
}

void DriverCore::becameConnected() {
  setConnected(true);
  failover_ = false;
  reconnectBackoff_.reset();
  cancel(Timer::kRegistration);
  noteLife(eventAt_);
  if (sendUpdateFrameworkOnConnect_) sendUpdateFramework();
}

// ---- Authentication -----------------------------------------------------------

void DriverCore::authenticate(bool firstOfRange) {
  cancelAuthentication();
  if (!running_ || !master_) return;
  const Credential& credential = *options_.credential;
  if (!credential.has_secret()) {
    // Mesos's driver treats this exactly like a refusal, without asking.
    LOG(ERROR) << "The credential of principal '" << credential.principal()
               << "' has no secret; not authenticating";
    emit(AbortWithError{"Master refused authentication"});
    return;
  }
  if (!options_.authenticateeConfigured) {
    LOG(ERROR) << "A credential was given but no authenticatee was configured";
    emit(AbortWithError{"No authenticatee configured for the credential"});
    return;
  }
  if (firstOfRange) authenticationBackoff_.reset();
  const milliseconds timeout = authenticationBackoff_.next(random_);
  authenticating_ = true;
  const uint64_t attempt = ++authenticationAttempt_;
  LOG(INFO) << "Authenticating with master " << masterPid_ << " as principal '"
            << credential.principal() << "' (timeout " << timeout.count() << " ms)";
  emit(StartAuthentication{attempt, masterPid_});
  arm(Timer::kAuthentication, timeout);
}

void DriverCore::authenticationFinished(Time, uint64_t attempt, AuthOutcome outcome,
                                        const std::string& reason) {
  if (attempt != authenticationAttempt_ || !authenticating_ || !running_) return;
  switch (outcome) {
    case AuthOutcome::kAuthenticated:
      cancelAuthentication();
      authenticated_ = true;
      LOG(INFO) << "Authenticated with master " << masterPid_;
      startRegistration();
      return;
    case AuthOutcome::kRefused:
      // Wrong credentials: retrying cannot help.
      cancelAuthentication();
      LOG(ERROR) << "Master " << masterPid_ << " refused authentication: " << reason;
      emit(AbortWithError{"Master refused authentication"});
      return;
    case AuthOutcome::kFailed:
      LOG(WARNING) << "Failed to authenticate with master " << masterPid_ << ": " << reason
                   << "; retrying";
      authenticate(/*firstOfRange=*/false);
      return;
  }
}

void DriverCore::cancelAuthentication() {
  ++authenticationAttempt_;
  cancel(Timer::kAuthentication);
  if (authenticating_) emit(CancelAuthentication{});
  authenticating_ = false;
}

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
