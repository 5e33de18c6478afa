#pragma once

/// @file
/// The classic, callback-based Mesos scheduler API, source-compatible with Apache
/// Mesos's `<mesos/scheduler.hpp>`: subclass `mesos::Scheduler`, construct a
/// `mesos::MesosSchedulerDriver`, call `run()`.
///
/// @par Threads
/// Each driver owns two threads. The *I/O thread* runs the network and the
/// protocol state machine. The *callback thread* runs `Scheduler` callbacks, one at
/// a time, in the order the events happened; a callback that blocks delays later
/// callbacks, and once the event queue is full it pauses reading from the network
/// (see Backpressure) but never the driver's calls or acknowledgements. Every
/// `SchedulerDriver` method is thread-safe, never blocks on the network (it queues
/// work for the I/O thread and returns the driver status) and may be called from
/// inside a callback; `start()` waits only for the `error()` of a failed start. The exceptions are
/// `join()` and `run()`, which wait for the driver to stop: called from a callback
/// they would wait for themselves, so they log an error and return
/// `DRIVER_ABORTED` at once instead, leaving the driver as it was.
///
/// @par Lifetime
/// After `abort()` or `stop()` returns, no further callback starts (one already
/// running finishes). The `Scheduler` must outlive the driver. Destroying the
/// driver stops both threads; it does not tear the framework down (as Mesos, the
/// master keeps it for `FrameworkInfo.failover_timeout`), but a TEARDOWN that
/// `stop()` queued before is given up to 2 s to reach the master, and a WARNING
/// says so if it could not. The driver may be destroyed from any thread,
/// including inside one of its own callbacks: then an `error()` the driver owes
/// (it aborted itself) runs inside the destructor, no other callback starts,
/// and the rest of the callback that destroyed it must not touch the driver.
/// A thread blocked in `join()` or `run()` when the driver is destroyed
/// returns `DRIVER_ABORTED` (or the status the driver had, if it was no longer
/// running); `join()` must have been entered before destruction began.
///
/// @par Whom the driver obeys
/// Only the leading master (the one the detector reports) can register the
/// framework, send offers, status updates, rescinds, agent and executor losses,
/// or abort the framework with an error; the same messages from any other
/// sender are dropped with a log line. Executors' framework messages come
/// straight from agents and are accepted from any sender (their data is the
/// executor's, not the driver's to trust).
///
/// @par Backpressure
/// Events wait for the callback thread in a bounded queue
/// (`DriverConfig::maxQueuedEvents`, `maxQueuedEventBytes`). When it is full
/// the driver stops reading from its connections until the callbacks have
/// drained it to half, so a slow scheduler makes TCP push back on the master
/// instead of growing the driver's memory; acknowledgements and calls still go
/// out meanwhile. `MesosSchedulerDriver::metrics()` shows the queue.
///
/// @par Errors
/// Where Apache Mesos's driver would exit or abort the host process (a master
/// detector failure, `acknowledgeStatusUpdate()` with implicit acknowledgements on,
/// duplicate suppressed roles in `updateFramework()`, an offer operation with an
/// `id`), this driver instead aborts itself and calls `Scheduler::error()` with the
/// reason. Nothing received from the network can end the process.
///
/// @par Authentication
/// With a `Credential`, the driver authenticates (CRAM-MD5 by default) with every
/// newly detected master, and again when it reconnects after a broken
/// connection (`reconnectOnLinkLoss`), before it registers; registration starts
/// as soon as authentication succeeds. All of it runs on the I/O thread; only
/// `error()` reaches the scheduler. Failures are Mesos's:
/// - the master refuses the credential (wrong principal or secret), or the
///   credential has no `secret` (then the master is not even asked): the driver
///   aborts and calls `error("Master refused authentication")`; no retry;
/// - an attempt times out, the master reports an error (e.g. it has no
///   authenticator), or a message is malformed or out of order: the driver
///   retries at once with a new attempt, without limit (see the timeouts in
///   `DriverConfig`);
/// - a new master is detected during an attempt: it is abandoned and the new
///   master is authenticated; with no master, nothing is retried until one is
///   detected;
/// - a master that requires authentication refuses an unauthenticated framework
///   with `error("Framework at <pid> is not authenticated")`.
/// The secret is never logged, at any verbosity.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mesos/mesos.hpp>
#include <mesos/local/options.hpp>  // DriverConfig::localCluster
#include <mesos/tls.hpp>

namespace mesos {

class SchedulerDriver;

/// The framework's scheduler: implement every callback.
///
/// All callbacks run on the driver's callback thread, one at a time, in event
/// order. They may call any `SchedulerDriver` method except `join()`/`run()`.
class Scheduler {
 public:
  virtual ~Scheduler() {}

  /// The framework registered with a master for the first time, or again after a
  /// master or scheduler failover (then with the same `frameworkId`).
  virtual void registered(SchedulerDriver* driver, const FrameworkID& frameworkId,
                          const MasterInfo& masterInfo) = 0;

  /// The framework re-registered with a master that already knew it (e.g. after
  /// a lost connection to the same master).
  virtual void reregistered(SchedulerDriver* driver, const MasterInfo& masterInfo) = 0;

  /// The driver lost its master: a new leader was elected, no leader is known,
  /// or the connection broke. The driver reconnects on its own.
  virtual void disconnected(SchedulerDriver* driver) = 0;

  /// New offers. An offer stays valid until used, declined or rescinded.
  virtual void resourceOffers(SchedulerDriver* driver, const std::vector<Offer>& offers) = 0;

  /// An offer is no longer valid (e.g. its agent was lost); using it fails.
  virtual void offerRescinded(SchedulerDriver* driver, const OfferID& offerId) = 0;

  /// A task changed state. With explicit acknowledgements, a status carrying a
  /// `uuid` must be passed to `acknowledgeStatusUpdate()`. With implicit ones
  /// the driver acknowledges after this returns; if it throws, the exception
  /// is logged (ERROR), the update is not acknowledged, and the agent sends
  /// it again later, so the framework is not told twice that it processed it.
  virtual void statusUpdate(SchedulerDriver* driver, const TaskStatus& status) = 0;

  /// An executor sent a message. Delivery is best effort.
  virtual void frameworkMessage(SchedulerDriver* driver, const ExecutorID& executorId,
                                const SlaveID& slaveId, const std::string& data) = 0;

  /// An agent was lost; its tasks' updates arrive separately.
  virtual void slaveLost(SchedulerDriver* driver, const SlaveID& slaveId) = 0;

  /// An executor exited or was terminated with `status`.
  virtual void executorLost(SchedulerDriver* driver, const ExecutorID& executorId,
                            const SlaveID& slaveId, int status) = 0;

  /// An unrecoverable error: the driver has been aborted before this runs.
  /// When `start()` fails (bad master string or option, invalid FrameworkInfo)
  /// this has run, on the callback thread, before `start()` returns.
  virtual void error(SchedulerDriver* driver, const std::string& message) = 0;
};

/// The calls a scheduler makes. Unless stated otherwise every call is allowed only
/// while the driver is `DRIVER_RUNNING`; in any other state it does nothing and
/// returns that state. Thread: any. Blocks: no. From a callback: yes.
class SchedulerDriver {
 public:
  virtual ~SchedulerDriver() {}

  /// Starts the driver: detects the master, authenticates if a credential was
  /// given, registers. Allowed once, from `DRIVER_NOT_STARTED`. A bad master
  /// string, a bad option, or a `FrameworkInfo` that cannot be sent (no `name`)
  /// aborts the driver, calls `error()` (which has run when this returns), and
  /// returns `DRIVER_ABORTED`. Never waits for the network: a master's host
  /// name is resolved on a thread of its own (a failed lookup is retried with
  /// the reconnection backoff), and the result is used on the I/O thread.
  virtual Status start() = 0;

  /// Stops the driver. With `failover == false` and a registered framework it
  /// sends TEARDOWN (the master removes the framework and kills its tasks); with
  /// `failover == true` it sends nothing, so a new scheduler can take over within
  /// the failover timeout. Allowed when running or aborted; returns
  /// `DRIVER_ABORTED` if the driver was aborted, else `DRIVER_STOPPED`.
  virtual Status stop(bool failover = false) = 0;

  /// Aborts the driver: no further callbacks; tells the master to stop sending
  /// offers (DeactivateFrameworkMessage) if registered. A later `stop()` may still
  /// tear the framework down. Returns `DRIVER_ABORTED`.
  virtual Status abort() = 0;

  /// Waits until the driver is stopped or aborted and returns its status.
  /// Blocks: yes. From a callback: no (returns `DRIVER_ABORTED` at once).
  virtual Status join() = 0;

  /// `start()` then `join()`.
  virtual Status run() = 0;

  /// Asks for resources (REQUEST). Dropped while disconnected.
  virtual Status requestResources(const std::vector<Request>& requests) = 0;

  /// Launches `tasks` on the given offers (an ACCEPT with one LAUNCH operation).
  /// An empty `tasks` declines the offers with `filters`. While disconnected,
  /// every task gets a local TASK_LOST (TASK_DROPPED for PARTITION_AWARE
  /// frameworks) status update instead.
  virtual Status launchTasks(const std::vector<OfferID>& offerIds,
                             const std::vector<TaskInfo>& tasks,
                             const Filters& filters = Filters()) = 0;

  /// Deprecated single-offer form of `launchTasks()`.
  virtual Status launchTasks(const OfferID& offerId, const std::vector<TaskInfo>& tasks,
                             const Filters& filters = Filters()) = 0;

  /// Kills a task (KILL). Dropped while disconnected.
  virtual Status killTask(const TaskID& taskId) = 0;

  /// Applies `operations` to the offers (ACCEPT). Operations must not carry an
  /// `id` (that aborts the driver with `error()`, where Mesos would crash).
  /// In the legacy dialect only LAUNCH can be expressed: a call with any other
  /// operation is refused with an ERROR log line and nothing is sent (the
  /// offers stay outstanding), rather than becoming a silent decline.
  virtual Status acceptOffers(const std::vector<OfferID>& offerIds,
                              const std::vector<Offer::Operation>& operations,
                              const Filters& filters = Filters()) = 0;

  /// Declines an offer (DECLINE) with `filters`. Dropped while disconnected.
  virtual Status declineOffer(const OfferID& offerId, const Filters& filters = Filters()) = 0;

  /// Removes all filters and unsuppresses every role (REVIVE).
  virtual Status reviveOffers() = 0;

  /// Same for `roles` only; an empty list does nothing.
  virtual Status reviveOffers(const std::vector<std::string>& roles) = 0;

  /// Stops offers for all of the framework's roles (SUPPRESS).
  virtual Status suppressOffers() = 0;

  /// Same for `roles` only; an empty list does nothing.
  virtual Status suppressOffers(const std::vector<std::string>& roles) = 0;

  /// Acknowledges a status update (explicit acknowledgements only). Statuses
  /// without `uuid` or `slave_id` need no acknowledgement and send nothing.
  /// With implicit acknowledgements on, this aborts the driver with `error()`.
  virtual Status acknowledgeStatusUpdate(const TaskStatus& status) = 0;

  /// Sends `data` to an executor: directly to its agent when the agent's address
  /// is known from an accepted offer, else through the master (MESSAGE).
  virtual Status sendFrameworkMessage(const ExecutorID& executorId, const SlaveID& slaveId,
                                      const std::string& data) = 0;

  /// Asks for the latest state of `statuses`' tasks, or of all tasks when empty
  /// (RECONCILE). Answers arrive as `statusUpdate()` callbacks.
  virtual Status reconcileTasks(const std::vector<TaskStatus>& statuses) = 0;

  /// Replaces the FrameworkInfo, suppressed roles and offer constraints
  /// (UPDATE_FRAMEWORK, sent now or on the next registration). Calling it before
  /// the framework has an id, with a different id, or with duplicate suppressed
  /// roles aborts the driver with `error()`.
  virtual Status updateFramework(const FrameworkInfo& frameworkInfo,
                                 const std::vector<std::string>& suppressedRoles,
                                 ::mesos::scheduler::OfferConstraints&& offerConstraints) = 0;
};

/// Every option of the driver. Fields left unset take the value of the matching
/// environment variable if it is set, else the default shown.
struct DriverConfig {
  /// Which protocol messages the driver sends to the master.
  enum class Dialect {
    /// `mesos.scheduler.Call` messages, as Mesos >= 0.24 drivers send (default).
    kCall,
    /// Legacy `mesos.internal` messages (`RegisterFrameworkMessage`...), for
    /// masters before 0.24. SUPPRESS and UPDATE_FRAMEWORK cannot be expressed
    /// and are dropped with a log line.
    kLegacy,
  };

  /// The framework's scheduler (required; not owned; must outlive the driver).
  Scheduler* scheduler = nullptr;
  /// The framework. Empty `user` and `hostname` are filled in; a non-empty `id`
  /// means this scheduler takes over an existing framework (failover).
  FrameworkInfo framework;
  /// `host:port`, `master@host:port`, `file:///path` (holding one of the other
  /// forms), `zk://...` or `local`; or `http://host:port`, which also selects
  /// the HTTP API (see `api`) with that master.
  std::string master;
  /// Authenticate with this principal/secret before registering with each new
  /// master (see "Authentication" in the file comment for what fails how).
  /// A credential without `secret` aborts the driver with
  /// `error("Master refused authentication")`.
  std::optional<Credential> credential;
  /// Acknowledge status updates automatically after `statusUpdate()` returns.
  bool implicitAcknowledgements = true;
  /// Roles whose offers are suppressed from registration on.
  std::vector<std::string> suppressedRoles;
  /// Offer constraints sent at registration.
  std::optional<::mesos::scheduler::OfferConstraints> offerConstraints;
  /// Message dialect (see `Dialect`).
  Dialect dialect = Dialect::kCall;

  /// Which API the driver speaks to the master.
  enum class Api {
    /// The libprocess wire: messages both ways, the master connects back to
    /// this process's listening socket (advertised address, see `bindIp`).
    kLibprocess,
    /// Mesos's v1 scheduler HTTP API (`/api/v1/scheduler`): outbound
    /// connections only and no listening socket, so it works behind NAT and in
    /// bridge-networked containers. Heartbeats are watched: after 5 heartbeat
    /// intervals without any event the driver calls `disconnected()` and
    /// subscribes again with the registration backoff. A `credential` is sent
    /// as HTTP Basic on every request (`authenticatee` is unused); a `401`
    /// aborts with `error("Master refused authentication: ...")`. `abort()`
    /// sends nothing (the API has no deactivation); `sendFrameworkMessage()`
    /// goes through the master; the `bind*` and `advertise*` options are unused.
    kHttp,
  };
  /// Env: `MESOS_SCHEDULER_API` (`libprocess` or `http`). Default: kLibprocess,
  /// or kHttp when `master` starts with `http://`. The master string is read
  /// the same way for both: with `zk://` the leader's address comes from
  /// ZooKeeper, `local` starts the simulated cluster, which serves both.
  std::optional<Api> api;
  /// When the connection to the master breaks, call `disconnected()` and
  /// re-register (Mesos's driver ignores a broken link and hangs until a new
  /// leader is detected; this fixes that for fixed master addresses). The
  /// same when the master says it lost its connection to this scheduler
  /// (`FrameworkErrorMessage("Framework disconnected")`), which makes Mesos's
  /// driver abort: the master keeps the framework for its failover timeout.
  bool reconnectOnLinkLoss = true;
  /// TCP keepalive on the libprocess connections, to the master and from it
  /// (README, "Liveness"): after `keepaliveIdle` without traffic the kernel
  /// probes the peer every `keepaliveInterval`; after `keepaliveProbes`
  /// unanswered probes the connection fails, so a silent partition becomes a
  /// broken link (then `disconnected()` and re-registration, see
  /// `reconnectOnLinkLoss`) instead of a hang. Whole seconds, at least 1.
  /// Defaults: 30 s, 10 s, 3 (a dead path is noticed within about a minute).
  /// A zero `keepaliveIdle` turns keepalive off. The HTTP API watches its
  /// event stream with the master's heartbeats instead.
  std::optional<std::chrono::milliseconds> keepaliveIdle;
  std::optional<std::chrono::milliseconds> keepaliveInterval;  ///< See `keepaliveIdle`.
  std::optional<int> keepaliveProbes;                          ///< See `keepaliveIdle`.
  /// The callback watchdog (README, "Callback watchdog"): a callback that
  /// has run this long gets a WARNING naming it, repeated at twice, four
  /// times... that while it runs, and counts in `DriverMetrics::slowCallbacks`.
  /// Env: `MESOS_CALLBACK_WARNING_THRESHOLD`. Default: 1 s; zero turns it off.
  std::optional<std::chrono::milliseconds> callbackWarningThreshold;
  /// libprocess: a master that has sent nothing this long after a
  /// registration attempt reached it gets a WARNING saying it probably cannot
  /// connect back, with the advertised address and what fixes it (README,
  /// "Diagnosis"); repeated at twice the interval, up to every 5 minutes.
  /// Env: `MESOS_MASTER_SILENCE_WARNING`. Default: 10 s; zero turns it off.
  std::optional<std::chrono::milliseconds> masterSilenceWarning;
  /// TLS (include/mesos/tls.hpp, docs/tls.md): unset fields come from the
  /// `LIBPROCESS_SSL_*` variables. With `enabled`, the libprocess wire is TLS
  /// both ways (the master's connections to this scheduler too) and the HTTP
  /// API uses `https`; an `https://` master string turns TLS on for the HTTP
  /// API with the server's certificate verified unless `verifyServerCert` (or
  /// its variable) says false. A certificate, key or CA file that cannot be
  /// loaded makes `start()` return `DRIVER_ABORTED` after `error()` named it.
  TlsConfig tls;
  /// With `master == "local"`: the embedded cluster's options. Unset: the
  /// defaults overridden by `MESOS_NUM_SLAVES`, `MESOS_RESOURCES`,
  /// `MESOS_ATTRIBUTES`, `MESOS_ALLOCATION_INTERVAL` and `MESOS_OFFER_TIMEOUT`.
  std::optional<local::LocalClusterOptions> localCluster;
  /// With a `zk://` master: the ZooKeeper session timeout. A session that cannot
  /// reach ZooKeeper for this long is replaced, and until then the driver keeps
  /// its master. Env: `MESOS_ZK_SESSION_TIMEOUT`. Default: 10 s.
  std::optional<std::chrono::milliseconds> zkSessionTimeout;
  /// Host name reported in FrameworkInfo (overrides the local host name).
  std::optional<std::string> hostnameOverride;

  /// IPv4 address to listen on. Env: `LIBPROCESS_IP`. Default: all interfaces.
  std::optional<std::string> bindIp;
  /// Port to listen on; 0 = ephemeral. Env: `LIBPROCESS_PORT`. Default: 0.
  std::optional<uint16_t> bindPort;
  /// Address the master must use to reach this scheduler (NAT, containers).
  /// Env: `LIBPROCESS_ADVERTISE_IP`. Default: the bound address.
  std::optional<std::string> advertiseIp;
  /// Env: `LIBPROCESS_ADVERTISE_PORT`. Default: the bound port.
  std::optional<uint16_t> advertisePort;

  /// Registration retry backoff factor. Env: `MESOS_REGISTRATION_BACKOFF_FACTOR`.
  /// Default: 2 s. Retries come after U[0, f], U[0, 2f], ... capped at 60 s and at
  /// `failover_timeout / 10`.
  std::optional<std::chrono::milliseconds> registrationBackoffFactor;
  /// Authenticatee (mechanism) used with a `credential`, by name, as Mesos's
  /// `--authenticatee`. Env: `MESOS_AUTHENTICATEE`. Default: `crammd5`, the only
  /// one in this build; another name makes `start()` return `DRIVER_ABORTED`
  /// and call `error()` saying so.
  std::optional<std::string> authenticatee;
  /// Widens the first authentication attempt's timeout range: its maximum is
  /// `min + 2 * factor` (capped at `authenticationTimeoutMax`).
  /// Env: `MESOS_AUTHENTICATION_BACKOFF_FACTOR`. Default: 1 s.
  std::optional<std::chrono::milliseconds> authenticationBackoffFactor;
  /// Every attempt times out after U[min, max]; each retry doubles `max - min`,
  /// up to `authenticationTimeoutMax` ([5,7], [5,9], [5,13]... s by default).
  /// Env: `MESOS_AUTHENTICATION_TIMEOUT_MIN` (old name
  /// `MESOS_AUTHENTICATION_TIMEOUT`). Default: 5 s.
  std::optional<std::chrono::milliseconds> authenticationTimeoutMin;
  /// Env: `MESOS_AUTHENTICATION_TIMEOUT_MAX`. Default: 60 s.
  std::optional<std::chrono::milliseconds> authenticationTimeoutMax;

  /// Largest inbound message body delivered to the state machine; larger ones
  /// are dropped with a log line. Default: 64 MiB - 1 (protobuf's old ceiling).
  std::optional<size_t> maxMessageBytes;
  /// Largest HTTP header section accepted from a peer. Default: 80 KiB.
  std::optional<size_t> maxHeaderBytes;
  /// Backpressure: events (offers batches, status updates, ...) waiting for the
  /// callback thread before the driver stops reading from the network. Reading
  /// resumes when the queue is down to half. Default: 4096.
  std::optional<size_t> maxQueuedEvents;
  /// Same, in bytes of the messages the events came from. Default: 32 MiB.
  /// One event larger than this is still delivered.
  std::optional<size_t> maxQueuedEventBytes;

  /// The reconciliation helper (see `reconciliation`).
  struct Reconciliation {
    /// The tasks to reconcile explicitly: each with `task_id`, and `slave_id`
    /// when known (`state` may be left unset). Called once per registration.
    /// Thread: the driver's I/O thread, not the callback thread, so it must be
    /// thread-safe with respect to the scheduler's callbacks, must not block
    /// (no network I/O, no waiting for a callback) and must not call the
    /// driver. An exception it throws is logged (ERROR) and that registration
    /// is reconciled implicitly only. Unset: implicitly only.
    std::function<std::vector<TaskStatus>()> tasks;
    /// Every task named by `tasks()` has had a status update and the implicit
    /// reconciliation was sent. Thread: the callback thread, in order with
    /// the other callbacks: after the `statusUpdate()` of the last answer,
    /// before the answers to the implicit reconciliation. Runs at most once
    /// per registration, not at all if the master is lost first (the next
    /// registration starts over). May call the driver. Optional.
    std::function<void(SchedulerDriver* driver)> onReconciled;
    /// Unanswered tasks are asked for again after U[d, d + min(d * 2^(n-1),
    /// max - d)] for the n-th retry, d = `retryDelay`, max = `maxRetryDelay`,
    /// until every task has had an answer or the master is lost. Default: 1 s.
    std::chrono::milliseconds retryDelay{std::chrono::seconds(1)};
    /// The longest delay between two explicit reconciliations. Default: 60 s.
    std::chrono::milliseconds maxRetryDelay{std::chrono::seconds(60)};
  };
  /// Reconciles the framework's tasks after every registration and
  /// re-registration, as Mesos recommends: RECONCILE naming the tasks of
  /// `tasks()`, again with backoff for those without an answer (any status
  /// update for that task id, e.g. TASK_LOST or TASK_UNKNOWN for a task the
  /// master does not know), then one implicit RECONCILE and `onReconciled`.
  /// Answers reach `Scheduler::statusUpdate()` as any update (and are
  /// acknowledged as any update). Unset (default): off. The functions are
  /// copied into the driver and destroyed with it.
  std::optional<Reconciliation> reconciliation;

  /// A file holding the framework id across restarts of the scheduler. When
  /// `framework.id` is empty, `start()` reads it: a missing or empty file
  /// means a new framework; an id in it (surrounding whitespace ignored) is
  /// used as `framework.id` (a failover); a file that cannot be read or does
  /// not hold a valid id makes `start()` fail with `error()` naming the file
  /// (rather than registering anew and orphaning the old framework's tasks).
  /// An explicit `framework.id` wins over the file. The id from
  /// `registered()` is written (temporary file in the same directory, fsync,
  /// rename, fsync of the directory) on the callback thread before
  /// `registered()` runs; a failed write is a WARNING (once), not an error.
  /// Env: `MESOS_FRAMEWORK_ID_FILE`. Default: none.
  std::optional<std::string> frameworkIdFile;

  /// What the driver does when the master refuses the framework's id because
  /// it removed the framework (torn down, or its failover timeout expired):
  /// "Framework has been removed" (older masters: "Completed framework
  /// attempted to re-register").
  enum class FrameworkRemovedPolicy {
    /// As Mesos: abort the driver and call `error()` with the master's text.
    kError,
    /// Forget the id (and delete `frameworkIdFile`), log one ERROR line and
    /// register as a new framework without calling `error()`: the scheduler
    /// then gets `registered()` with the new id. Its old tasks are gone.
    kStartFresh,
  };
  /// Default: kError.
  FrameworkRemovedPolicy onFrameworkRemoved = FrameworkRemovedPolicy::kError;
};

/// Figures about a running driver (docs/metrics.md has each one's metric
/// name at `/metrics/snapshot`). Names follow Mesos's `scheduler/...`
/// metrics where Mesos has them. Counts are since `start()`. Each figure is
/// exact; read together they are not one instant.
struct DriverMetrics {
  /// Events waiting for, or being run on, the callback thread
  /// (Mesos: `scheduler/event_queue_messages`).
  uint64_t eventQueueMessages = 0;
  /// Bytes of the messages those events came from.
  uint64_t eventQueueBytes = 0;
  /// Calls made on the driver and not yet run by its I/O thread
  /// (Mesos: `scheduler/event_queue_dispatches`).
  uint64_t eventQueueDispatches = 0;
  /// Whether reading from the network is paused now because the queue is full.
  bool readPaused = false;
  /// How many times reading was paused so far.
  uint64_t readPauses = 0;
  /// How long reading was paused, in total (a pause under way included).
  std::chrono::nanoseconds readPausedTime{0};

  /// Messages received for the driver (on the HTTP API: event records), and
  /// the bytes of their bodies; the bytes of the calls sent.
  uint64_t messagesReceived = 0;
  uint64_t bytesReceived = 0;  ///< Bodies of the messages received.
  uint64_t bytesSent = 0;      ///< Bodies of the calls sent.
  /// Messages dropped: too large, not decoding, or refused by the sender and
  /// state rules (only the leading master is obeyed).
  uint64_t messagesDropped = 0;
  /// Events decoded, by kind: "registered", "reregistered", "subscribed",
  /// "heartbeat", "offers", "rescind", "update", "agent_lost",
  /// "executor_exited", "message", "error". Kinds never seen are absent.
  std::map<std::string, uint64_t> eventsReceived;
  /// Calls sent, by kind: "subscribe", "teardown", "deactivate", "request",
  /// "accept", "decline", "kill", "revive", "suppress", "acknowledge",
  /// "message", "reconcile", "update_framework". Kinds never sent are absent.
  std::map<std::string, uint64_t> callsSent;

  /// Scheduler callbacks run, and how long they ran: percentiles exact to
  /// within 19% (histogram buckets), the maximum exact.
  uint64_t callbacks = 0;
  std::chrono::nanoseconds callbackP50{0};  ///< Median run time of a callback.
  std::chrono::nanoseconds callbackP99{0};  ///< 99th percentile run time.
  std::chrono::nanoseconds callbackMax{0};  ///< Longest run time (exact).
  /// The callback that ran longest ("resourceOffers", ...); empty if none ran.
  std::string slowestCallback;
  /// Callbacks that ran past `DriverConfig::callbackWarningThreshold`.
  uint64_t slowCallbacks = 0;
  /// The callback running now, and for how long; empty when none is.
  std::string runningCallback;
  std::chrono::nanoseconds runningCallbackTime{0};  ///< How long it has run so far.

  /// Status updates delivered to `statusUpdate()` that must be acknowledged
  /// and whose acknowledgement has not been sent yet.
  uint64_t unacknowledgedUpdates = 0;
  /// `registered()`, `reregistered()` and `disconnected()` delivered.
  uint64_t registrations = 0;
  uint64_t reregistrations = 0;  ///< `reregistered()` delivered.
  uint64_t disconnections = 0;   ///< `disconnected()` delivered.
  /// From `start()` to the first registration; unset until registered.
  std::optional<std::chrono::milliseconds> registrationTime;
  /// Times the driver warned that the master it registers with has sent it
  /// nothing (README, "Diagnosis": the master cannot reach this scheduler).
  uint64_t masterSilentWarnings = 0;
  /// Since `start()`.
  std::chrono::milliseconds uptime{0};
};

/// The driver: speaks the libprocess protocol to a Mesos master.
/// See the file comment for threads and lifetime.
class MesosSchedulerDriver : public SchedulerDriver {
 public:
  /// Mesos's constructors. `scheduler` is not owned and must outlive the driver.
  MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                       const std::string& master);
  /// With a credential: the driver authenticates before registering, and a
  /// refused credential ends in `error("Master refused authentication")` (see
  /// "Authentication" in the file comment).
  MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                       const std::string& master, const Credential& credential);
  /// Choosing implicit (true) or explicit acknowledgements.
  MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                       const std::string& master, bool implicitAcknowledgements);
  /// Both of the above.
  MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                       const std::string& master, bool implicitAcknowledgements,
                       const Credential& credential);
  /// With roles suppressed from registration on.
  MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                       const std::vector<std::string>& suppressedRoles,
                       const std::string& master, bool implicitAcknowledgements);
  /// All of the above.
  MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                       const std::vector<std::string>& suppressedRoles,
                       const std::string& master, bool implicitAcknowledgements,
                       const Credential& credential);
  /// Every option (see `DriverConfig`). `config.scheduler` must be set.
  explicit MesosSchedulerDriver(DriverConfig config);

  /// Stops both threads (see the file comment). Does not send TEARDOWN itself.
  /// Thread: any, including a callback of this driver.
  ~MesosSchedulerDriver() override;

  MesosSchedulerDriver(const MesosSchedulerDriver&) = delete;
  MesosSchedulerDriver& operator=(const MesosSchedulerDriver&) = delete;

  Status start() override;
  Status stop(bool failover = false) override;
  Status abort() override;
  Status join() override;
  Status run() override;
  Status requestResources(const std::vector<Request>& requests) override;
  Status launchTasks(const std::vector<OfferID>& offerIds, const std::vector<TaskInfo>& tasks,
                     const Filters& filters = Filters()) override;
  Status launchTasks(const OfferID& offerId, const std::vector<TaskInfo>& tasks,
                     const Filters& filters = Filters()) override;
  Status killTask(const TaskID& taskId) override;
  Status acceptOffers(const std::vector<OfferID>& offerIds,
                      const std::vector<Offer::Operation>& operations,
                      const Filters& filters = Filters()) override;
  Status declineOffer(const OfferID& offerId, const Filters& filters = Filters()) override;
  Status reviveOffers() override;
  Status reviveOffers(const std::vector<std::string>& roles) override;
  Status suppressOffers() override;
  Status suppressOffers(const std::vector<std::string>& roles) override;
  Status acknowledgeStatusUpdate(const TaskStatus& status) override;
  Status sendFrameworkMessage(const ExecutorID& executorId, const SlaveID& slaveId,
                              const std::string& data) override;
  Status reconcileTasks(const std::vector<TaskStatus>& statuses) override;
  Status updateFramework(const FrameworkInfo& frameworkInfo,
                         const std::vector<std::string>& suppressedRoles,
                         ::mesos::scheduler::OfferConstraints&& offerConstraints) override;

  /// True while registered with a master and running: false after `abort()`,
  /// after the driver aborted itself and after `stop()`, even if a
  /// registration arrives late. Thread: any. Blocks: no.
  bool connected() const;
  /// True whenever the status is not `DRIVER_RUNNING` (also before `start()`).
  /// Thread: any. Blocks: no.
  bool stopped() const;
  /// The event queue and backpressure figures. Thread: any. Blocks: no.
  DriverMetrics metrics() const;
  /// The current driver status. Thread: any. Blocks: no.
  Status status() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace mesos
