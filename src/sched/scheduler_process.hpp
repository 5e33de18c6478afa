#pragma once

// The driver's runtime on the I/O thread: a thin adapter between the protocol
// core (sched/core/driver_core.hpp, which holds every protocol rule, including
// whom the driver obeys) and the world. It feeds the core its inputs (the
// detector's leader, messages from the wire, broken links, timers,
// authentication results, user calls, returned update callbacks) and carries
// out the effects the core answers with: it encodes and sends calls through
// the dialect's codec, queues callbacks to the callback thread, arms Asio
// timers, links to the master, resolves host names off-thread and runs the
// authenticatee.
//
// Two wires: libprocess (the transport: the master connects back to this
// process) or the v1 HTTP API (sched/http_channel.hpp: outbound connections
// only, no transport, no listening socket). The core and this adapter are the
// same for both; only `send`, `link`, `unlink` and where records come from
// differ.
//
// Runs on: the driver's I/O thread, for every method. No locks: the core and
// all runtime state are touched only on that thread. Scheduler callbacks are
// never run here; they are queued to the callback thread through
// `FacadeHandlers`.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mesos/scheduler.hpp>
#include <mesos/type_utils.hpp>

#include "auth/authenticatee.hpp"
#include "detector/detector.hpp"
#include "process/resolver.hpp"
#include "process/transport.hpp"
#include "sched/core/codec.hpp"
#include "sched/core/driver_core.hpp"
#include "sched/driver_stats.hpp"
#include "sched/framework_id_store.hpp"
#include "sched/http_channel.hpp"

namespace mesos {
namespace internal {
namespace sched {

// Options resolved from `DriverConfig` and the environment.
struct ProcessOptions {
  FrameworkInfo framework;
  std::optional<Credential> credential;
  bool implicitAcknowledgements = true;
  std::vector<std::string> suppressedRoles;
  std::optional<scheduler::OfferConstraints> offerConstraints;
  DriverConfig::Dialect dialect = DriverConfig::Dialect::kCall;
  // The v1 scheduler HTTP API instead of libprocess (`dialect` is then unused).
  bool http = false;
  // With the HTTP API: `https` with these settings; null: `http`.
  std::shared_ptr<const process::TlsContext> httpTls;
  int missedHeartbeats = 5;
  bool reconnectOnLinkLoss = true;
  std::chrono::milliseconds registrationBackoffFactor{std::chrono::seconds(2)};
  size_t maxMessageBytes = 64 * 1024 * 1024 - 1;
  // Authentication; the factory is needed only with a credential.
  auth::AuthenticateeFactory authenticatee;
  std::chrono::milliseconds authenticationBackoffFactor{std::chrono::seconds(1)};
  std::chrono::milliseconds authenticationTimeoutMin{std::chrono::seconds(5)};
  std::chrono::milliseconds authenticationTimeoutMax{std::chrono::seconds(60)};
  // Where the runtime and the core count (sched/driver_stats.hpp); made when null.
  std::shared_ptr<DriverStats> stats;
  // libprocess: a master that has sent nothing this long after a registration
  // (or authentication) attempt reached it gets the diagnosis WARNING
  // ("Diagnosis" in the README); then again after twice as long, up to 5 min.
  // 0 = never.
  std::chrono::milliseconds masterSilenceWarning{std::chrono::seconds(10)};
  // Recovery after registration (DriverConfig::reconciliation,
  // frameworkIdFile, onFrameworkRemoved).
  std::optional<DriverConfig::Reconciliation> reconciliation;
  std::shared_ptr<FrameworkIdStore> frameworkIdStore;  // Null: no file.
  bool startFreshWhenRemoved = false;
};

class AckOutbox;

class SchedulerProcess : public std::enable_shared_from_this<SchedulerProcess> {
 public:
  using SchedulerCall = std::function<void(Scheduler*, SchedulerDriver*)>;

  // The implicit acknowledgement of one update, made on the I/O thread and
  // handed back to it through `outbox` after the callback returned, together
  // with the TaskStatus the callback saw: the status is freed on the thread
  // that allocated it, which keeps the allocator's per-thread caches working
  // (a producer/consumer pair of threads otherwise defeats them).
  struct ImplicitAck {
    std::shared_ptr<AckOutbox> outbox;
    core::AckRef ref;
    TaskStatus status;  // Filled in after the callback; its task_id is acknowledged.
    bool send = true;   // False: only the memory comes back (the driver stopped).
  };

  // What the facade (driver.cpp) gives the runtime to reach the callback
  // thread and its own state.
  struct FacadeHandlers {
    // Queue a scheduler callback (dropped if the driver was aborted/stopped);
    // `bytes` is the size of the message it came from (backpressure).
    std::function<void(SchedulerCall, size_t bytes, CallbackKind kind)> callback;
    // Queue a status update callback, then hand `ack` (if any) to its outbox
    // once the callback returned, if the driver is still running.
    std::function<void(TaskStatus, std::optional<ImplicitAck> ack, size_t bytes)> statusUpdate;
    // Abort the driver and call `error(message)`.
    std::function<void(const std::string&)> abortWithError;
    // Mirrors the core's connected state for the facade's `connected()` accessor.
    std::atomic<bool>* connected = nullptr;
  };

  // `transport` is null with `options.http` (and required otherwise).
  SchedulerProcess(boost::asio::io_context& io, process::Transport* transport,
                   ProcessOptions options, FacadeHandlers handlers);
  ~SchedulerProcess();

  // Empty on the HTTP API: nothing addresses this process.
  const process::UPID& self() const { return self_; }

  // HTTP API: calls handed to the master and not yet answered (the facade
  // lets a TEARDOWN be answered before closing); 0 on libprocess.
  size_t callsInFlight() const;
  // Closes the HTTP connections at once (the facade's last step).
  void closeConnections();
  // HTTP API backpressure (the transport's own on libprocess).
  void setReadPaused(bool paused);

  void start(std::shared_ptr<detector::MasterDetector> detector);
  void stop(bool failover);
  void abort();

  // User calls, handed to the core as they are.
  void requestResources(const std::vector<Request>& requests);
  void acceptOffers(const std::vector<OfferID>& offerIds,
                    const std::vector<Offer::Operation>& operations, const Filters& filters);
  void declineOffer(const OfferID& offerId, const Filters& filters);
  void killTask(const TaskID& taskId);
  void reviveOffers(const std::vector<std::string>& roles);
  void suppressOffers(const std::vector<std::string>& roles);
  void acknowledgeStatusUpdate(const TaskStatus& status);
  void sendFrameworkMessage(const ExecutorID& executorId, const SlaveID& slaveId,
                            const std::string& data);
  void reconcileTasks(std::vector<TaskStatus> statuses);
  void updateFramework(const FrameworkInfo& info, const std::vector<std::string>& suppressedRoles,
                       const scheduler::OfferConstraints& offerConstraints);

  // The update's callback returned: its implicit acknowledgement is due.
  void updateProcessed(core::AckRef ack, TaskID taskId);
  // An implicit acknowledgement came back from the callback thread (sent
  // only if `ack.send`): the AckOutbox's drain.
  void implicitAckReturned(ImplicitAck& ack);  // Moves from `ack`.

 private:
  // Runs one input on the core, then carries out every effect it produced
  // (and those of inputs fed while carrying them out), in order.
  template <typename Input>
  void feed(Input&& input);  // input(core, now)
  void execute(core::Effect&& effect);
  void send(core::Send&& send);
  void invoke(core::Invoke&& invoke);
  void armTimer(const core::ArmTimer& arm);
  void link(const process::UPID& master);
  void unlink();
  void resolve(const core::Resolve& resolve);
  void startAuthentication(const core::StartAuthentication& start);
  void startHttp();
  boost::asio::steady_timer& timer(core::Timer which);
  // Metrics: a message (HTTP: record) for this process, a call about to go,
  // a callback about to be queued.
  void countReceived(size_t bytes);
  void countSent(const core::Call& call, size_t bytes);
  void countCallback(const core::Callback& callback);
  // Diagnosis of a master that cannot reach this scheduler (libprocess only).
  void watchSilence(const process::UPID& master);
  void heardFrom(const process::UPID& sender);
  void armSilenceTimer();  // Fires silenceTimerFired() after silenceDelay_.
  void silenceTimerFired();
  void checkAdvertisedAddress(const process::UPID& master);

  boost::asio::io_context& io_;
  process::Transport* const transport_;
  const ProcessOptions options_;
  FacadeHandlers handlers_;
  const std::unique_ptr<core::Codec> codec_;
  std::unique_ptr<core::DriverCore> core_;
  std::shared_ptr<AckOutbox> ackOutbox_;  // Made on first use (needs shared_from_this).
  const process::UPID self_;
  const std::string selfText_;
  process::ResolverScope resolver_;  // Master host names.
  std::shared_ptr<detector::MasterDetector> detector_;
  bool executing_ = false;  // Inside feed(): later inputs only queue their effects.
  std::vector<core::Effect> executingEffects_;  // The batch feed() is executing.
  bool stopped_ = false;
  std::optional<process::Transport::LinkId> link_;
  std::unique_ptr<auth::Authenticatee> authenticatee_;
  std::array<std::unique_ptr<boost::asio::steady_timer>, core::kTimerCount> timers_;
  std::unique_ptr<HttpChannel> http_;  // The HTTP API's connections.

  DriverStats& stats_;
  // The `updates_unacknowledged` metric: implicit acknowledgements handed to
  // the callback thread and not yet back, and with explicit ones, the uuids
  // of updates delivered whose ACKNOWLEDGE has not gone out.
  uint64_t implicitUnacknowledged_ = 0;
  std::set<std::string> unacknowledged_;
  void publishUnacknowledged();
  bool everRegistered_ = false;
  // The silence watch: the master it is about, whether that master has sent
  // anything since, and the delay of the next warning.
  process::UPID silenceMaster_;
  bool heardFromMaster_ = false;
  bool silenceArmed_ = false;
  std::chrono::milliseconds silenceDelay_{0};
  std::chrono::steady_clock::time_point silenceSince_;
  boost::asio::steady_timer silenceTimer_;
  std::set<std::string> advertiseWarned_;  // Masters warned about (checkAdvertisedAddress).
};

// Acknowledgements whose callbacks returned, carried from the callback thread
// to the I/O thread in batches. The callback thread queues them with
// `addDeferred` and hands them over with `flushDeferred` (the callback queue's
// flush hook, after each batch of callbacks): one drain posted to the I/O
// thread per batch instead of one wake-up per update; the acknowledgements
// still go out in callback order.
//
// Thread: `addDeferred` and `flushDeferred` on the callback thread; `close`
// from any thread; the drain runs on the I/O thread.
class AckOutbox : public std::enable_shared_from_this<AckOutbox> {
 public:
  AckOutbox(boost::asio::io_context& io, std::weak_ptr<SchedulerProcess> process)
      : io_(io), process_(std::move(process)) {}
  // Queues `ack`; it goes to the I/O thread at this thread's next
  // `flushDeferred()`.
  void addDeferred(SchedulerProcess::ImplicitAck&& ack);
  // Posts one drain for the acks this thread queued since its last flush.
  static void flushDeferred();
  // Nothing is posted to the I/O context after this (the driver is going):
  // later acks are dropped where they are. Thread: any.
  void close();

 private:
  void flush();
  void drain();

  boost::asio::io_context& io_;
  const std::weak_ptr<SchedulerProcess> process_;
  std::mutex mutex_;
  bool closed_ = false;
  bool drainPosted_ = false;  // Under mutex_: a drain is on its way.
  std::vector<SchedulerProcess::ImplicitAck> pending_;
  std::vector<SchedulerProcess::ImplicitAck> draining_;  // I/O thread only.
};

// At start() on libprocess: WARNING for addresses a master on another host
// could not connect back to (README, "Diagnosis"): a loopback address, 0.0.0.0
// advertised, an advertised port that is not the bound one without an
// advertised IP. `self` is a UPID of `transport`.
void warnAboutAddresses(const process::Transport& transport, const process::UPID& self);

}  // namespace sched
}  // namespace internal
}  // namespace mesos
