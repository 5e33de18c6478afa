#pragma once

// The protocol core of the scheduler driver: every rule of the conversation
// with the master, as a state machine with no I/O (docs/protocol.md, "The
// driver's state machine"). It is driven only by inputs (a master detected, a
// message received, a link broken, a timer fired, authentication finished, a
// user call, an update's callback returned), each carrying the wall-clock time
// `now`, and answers with effects (core/effects.hpp) that the runtime
// (sched/scheduler_process.hpp) carries out: sends, callbacks, timers,
// authentication, aborts. No clock, threads or sockets inside; backoff jitter
// comes from the injected generator, so a test with a fake clock and a fixed
// generator knows every delay.
//
// Whom the driver obeys. Every inbound message names its sender (the UPID in
// `Libprocess-From` or the User-Agent); "the leading master" is the UPID of the
// master the detector reported last. A message that breaks its rule is dropped
// with a log line and changes nothing. Nothing is accepted after stop() or
// abort(), and a message over `maxMessageBytes` or not parsing is dropped.
//
//   message                       accepted sender        accepted when
//   ----------------------------  ---------------------  ---------------------------
//   FrameworkRegisteredMessage    the leading master     not registered
//   FrameworkReregisteredMessage  the leading master     not registered; same id
//   ResourceOffersMessage         the leading master     registered
//   RescindResourceOfferMessage   the leading master     registered
//   StatusUpdateMessage           the leading master     registered; same framework
//   LostSlaveMessage              the leading master     registered
//   ExitedExecutorMessage         the leading master     registered
//   FrameworkErrorMessage         the leading master     always (also unregistered);
//                                                        "Framework disconnected" means
//                                                        re-register (with
//                                                        reconnectOnLinkLoss), not abort
//   ExecutorToFrameworkMessage    any process (agents    always: executors' data is
//                                 send it directly)      delivered as untrusted
//   authentication messages       handled by the authenticatee's own process, from
//                                 the master being authenticated (auth/)
//   anything else                 nobody                 dropped (VLOG)
//
// On the v1 HTTP API (a streamed codec) there are no sender pids: the runtime
// hands the core only the records of the one subscription stream it opened to
// the leading master (or to where that master's 307 pointed), as coming from
// `masterPid()`; records of an abandoned stream never reach the core. The same
// state rules apply: SUBSCRIBED is accepted when not registered (registered()
// for a new or failing-over framework, else reregistered() with the same id),
// OFFERS, RESCIND, UPDATE, FAILURE when registered, MESSAGE (executor data)
// always, ERROR always; HEARTBEAT only proves the stream alive. A record that
// does not decode, or silence for `missedHeartbeats` heartbeat intervals,
// closes the stream and subscribes again with backoff.
//
// Thread: not thread-safe; one thread (the runtime's I/O thread) owns it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <mesos/mesos.pb.h>
#include <mesos/scheduler/scheduler.pb.h>

#include "common/backoff.hpp"
#include "common/try.hpp"
#include "process/upid.hpp"
#include "sched/core/codec.hpp"
#include "sched/core/effects.hpp"
#include "sched/core/stats.hpp"
#include "sched/core/reconciler.hpp"
#include "sched/core/terms.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

// Seconds since the epoch, as Mesos puts time on the wire.
using Time = double;

struct Options {
  FrameworkInfo framework;
  std::optional<Credential> credential;
  // False when a credential was given without a way to authenticate.
  bool authenticateeConfigured = true;
  bool implicitAcknowledgements = true;
  std::vector<std::string> suppressedRoles;
  std::optional<scheduler::OfferConstraints> offerConstraints;
  bool reconnectOnLinkLoss = true;
  std::chrono::milliseconds registrationBackoffFactor{std::chrono::seconds(2)};
  size_t maxMessageBytes = 64 * 1024 * 1024 - 1;
  std::chrono::milliseconds authenticationBackoffFactor{std::chrono::seconds(1)};
  std::chrono::milliseconds authenticationTimeoutMin{std::chrono::seconds(5)};
  std::chrono::milliseconds authenticationTimeoutMax{std::chrono::seconds(60)};
  // Streamed wire: the stream is given up after this many heartbeat intervals
  // without any event (Mesos's scheduler.proto suggests 5).
  int missedHeartbeats = 5;
  // Where the core counts events and dropped messages (core/stats.hpp); made
  // by the core when null. Shared: the facade reads it from other threads.
  std::shared_ptr<CoreStats> stats;
  // The reconciliation helper (core/reconciler.hpp); unset: off. `tasks` is
  // called on the core's thread at every (re)registration.
  struct Reconcile {
    std::function<std::vector<TaskStatus>()> tasks;
    ReconcilePolicy policy;
  };
  std::optional<Reconcile> reconcile;
  // When the master refuses a re-registration because it removed the
  // framework: forget the id and register afresh instead of aborting
  // (core/recovery.cpp).
  bool startFreshWhenRemoved = false;
};

enum class AuthOutcome { kAuthenticated, kRefused, kFailed };

class DriverCore {
 public:
  // `codec` must outlive the core.
  DriverCore(Options options, const Codec& codec, UnitRandom random);

  // The effects of the inputs so far, oldest first; the core forgets them.
  std::vector<Effect> takeEffects();
  // The same into `out` (cleared first); its old capacity becomes the core's,
  // so a caller that keeps `out` allocates nothing per input.
  void takeEffects(std::vector<Effect>& out);

  // ---- Inputs from the runtime ----
  void masterDetected(Time now, const std::optional<MasterInfo>& leader);
  void detectionFailed(Time now, const std::string& why);
  void masterResolved(Time now, uint64_t token, const Try<uint32_t>& ip);
  void linkBroken(Time now, const process::UPID& pid);
  void timerFired(Time now, Timer timer, uint64_t seq);
  void authenticationFinished(Time now, uint64_t attempt, AuthOutcome outcome,
                              const std::string& reason);
  // A libprocess message: size-checked, decoded by the codec, then handled.
  void messageReceived(Time now, const process::UPID& from, const std::string& name,
                       const std::string& body);
  // A decoded event from `from`; `bytes` is the size of the message it came in.
  void eventReceived(Time now, const process::UPID& from, Event event, size_t bytes);
  // The update's callback returned while the driver ran: acknowledge it.
  void updateProcessed(Time now, AckRef ack, TaskID taskId);
  // HTTP API: the master answered `call` (callName()) with `status` other than
  // 2xx or a followed redirect; `reason` is its body. 401 aborts with error();
  // a refused SUBSCRIBE aborts too (retrying the same request cannot help),
  // except 5xx (no leader yet, recovering), which reconnects with backoff; any
  // other call's refusal is an ERROR line.
  void answerReceived(Time now, const std::string& call, int status, const std::string& reason);

  // ---- User calls ----
  void stop(Time now, bool failover);
  void abort(Time now);
  void requestResources(Time now, const std::vector<Request>& requests);
  void acceptOffers(Time now, const std::vector<OfferID>& offerIds,
                    const std::vector<Offer::Operation>& operations, const Filters& filters);
  void declineOffer(Time now, const OfferID& offerId, const Filters& filters);
  void killTask(Time now, const TaskID& taskId);
  void reviveOffers(Time now, const std::vector<std::string>& roles);
  void suppressOffers(Time now, const std::vector<std::string>& roles);
  void acknowledgeStatusUpdate(Time now, const TaskStatus& status);
  void sendFrameworkMessage(Time now, const ExecutorID& executorId, const SlaveID& slaveId,
                            const std::string& data);
  void reconcileTasks(Time now, std::vector<TaskStatus> statuses);
  void updateFramework(Time now, const FrameworkInfo& info,
                       const std::vector<std::string>& suppressedRoles,
                       const scheduler::OfferConstraints& offerConstraints);

  // ---- Observers (tests, logs) ----
  bool connected() const { return connected_; }
  bool running() const { return running_; }
  bool terminated() const { return terminated_; }
  const FrameworkInfo& framework() const { return framework_; }
  const process::UPID& masterPid() const { return masterPid_; }
  const Options& options() const { return options_; }

 private:
  // Detection, registration, reconnection (core/driver_core.cpp).
  void masterKnown(const process::UPID& pid, bool wasAuthenticating);
  void resolve();
  void reconnect();
  void startRegistration();
  void registrationAttempt();
  void setConnected(bool connected);
  void disconnect();  // setConnected(false) and disconnected() if it was connected.
  void becameConnected();
  void lostMaster();  // The connection to the master is gone: reconnect with backoff.
  void restartStream(const std::string& why);  // Streamed wire: a new subscription.
  void noteLife(Time now);  // Streamed wire: an event from the master at `now`.
  bool handshake() const;  // Authenticate before registering.

  // Authentication (core/driver_core.cpp).
  void authenticate(bool firstOfRange);
  void cancelAuthentication();

  // Inbound (core/inbound.cpp).
  bool fromMaster(const process::UPID& from, const char* what) const;
  void onRegistered(const process::UPID& from, const Registered& event);
  void onReregistered(const process::UPID& from, const Reregistered& event);
  void onSubscribed(const process::UPID& from, const Subscribed& event);
  void onOffers(const process::UPID& from, OffersReceived&& event);
  void onUpdate(const process::UPID& from, UpdateReceived&& event);
  void deliverUpdate(internal::StatusUpdate* update, bool local, const process::UPID& agent,
                     bool ackIffUuid = false);
  void onFrameworkError(const process::UPID& from, const FrameworkError& event);

  // Recovery after a registration (core/recovery.cpp): the reconciliation
  // helper and starting afresh when the master removed the framework.
  void startReconciliation(Time now);
  void reconcilerSaw(Time now, const TaskID& taskId);
  void stopReconciliation(Time now);
  void runReconciler();  // Carries out the reconciler's outputs.
  bool startFresh(const std::string& message);

  // Outbound (core/calls.cpp).
  OptionalId frameworkId() const;
  void sendToMaster(Call call);
  void sendUpdateFramework();
  void dropLaunches(Time now, const std::vector<Offer::Operation>& operations);

  // Effects.
  void emit(Effect effect) { effects_.push_back(std::move(effect)); }
  void invoke(Callback callback) { emit(Invoke{std::move(callback), messageBytes_}); }
  void arm(Timer timer, std::chrono::milliseconds delay);
  void cancel(Timer timer);

  Options options_;
  const Codec& codec_;
  UnitRandom random_;
  std::vector<Effect> effects_;
  size_t messageBytes_ = 0;  // Of the inbound message being handled, else 0.

  bool running_ = true;      // False after stop() or abort(): inbound is dropped.
  bool terminated_ = false;  // After stop(): everything is dropped.
  bool connected_ = false;
  // The link to the master broke while registered and no re-registration has
  // happened since: stop()/abort() still owe that master their goodbye.
  bool linkLostWhileRegistered_ = false;
  bool failover_ = false;
  std::optional<MasterInfo> master_;
  process::UPID masterPid_;  // Empty until the master's host is resolved.
  bool linked_ = false;
  FrameworkInfo framework_;
  std::set<std::string> suppressedRoles_;
  std::optional<scheduler::OfferConstraints> offerConstraints_;
  bool sendUpdateFrameworkOnConnect_ = false;
  double heartbeatInterval_ = 0;  // Seconds; streamed wire, from SUBSCRIBED.
  Time lastEvent_ = 0;            // The last event from the master (streamed wire).
  Time eventAt_ = 0;              // The time of the event being handled.

  // offer id -> (agent id -> agent UPID), from offers.
  std::unordered_map<std::string, std::map<std::string, process::UPID>> savedOffers_;
  // agent id -> agent UPID, from accepted launches.
  std::map<std::string, process::UPID> savedSlavePids_;

  // Timers: the arming each timer's expiry must match, and whether armed.
  uint64_t nextTimerSeq_ = 0;
  std::map<Timer, uint64_t> armed_;

  Backoff registrationBackoff_;
  Backoff reconnectBackoff_;
  Backoff resolveBackoff_;
  Backoff authenticationBackoff_;

  // The master's pid while its host name is being resolved.
  std::optional<process::UPID::Unresolved> resolving_;
  bool resolvingWasAuthenticating_ = false;
  uint64_t resolveToken_ = 0;

  bool authenticating_ = false;
  bool authenticated_ = false;  // With the current master, since its detection.
  uint64_t authenticationAttempt_ = 0;

  std::optional<Reconciler> reconciler_;  // With options_.reconcile.
  uint64_t reconcileSeq_ = 0;             // The reconciler's retry armed now.
};

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
