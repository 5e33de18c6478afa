#pragma once

// The protocol state machine of the scheduler driver (PROTOCOL.md b): master
// detection, authentication, reliable registration, inbound message guards and
// dispatch, and the outbound calls in both dialects.
//
// Runs on: the driver's I/O thread, for every method. No locks: all protocol state
// lives here and is touched only on that thread. Scheduler callbacks are never run
// here; they are queued to the callback thread through `Hooks::callback`.
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
//   FrameworkErrorMessage         the leading master     always (also unregistered)
//   ExecutorToFrameworkMessage    any process (agents    always: executors' data is
//                                 send it directly)      delivered as untrusted
//   authentication messages       handled by the authenticatee's own process, from
//                                 the master being authenticated (auth/)
//   anything else                 nobody                 dropped (VLOG)

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <google/protobuf/message.h>
#include <mesos/scheduler.hpp>
#include <mesos/type_utils.hpp>
#include <messages/messages.pb.h>

#include "auth/authenticatee.hpp"
#include "detector/detector.hpp"
#include "process/resolver.hpp"
#include "process/transport.hpp"

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
  bool reconnectOnLinkLoss = true;
  std::chrono::milliseconds registrationBackoffFactor{std::chrono::seconds(2)};
  size_t maxMessageBytes = 64 * 1024 * 1024 - 1;
  // Authentication (PROTOCOL.md e.3); the factory is needed only with a credential.
  auth::AuthenticateeFactory authenticatee;
  std::chrono::milliseconds authenticationBackoffFactor{std::chrono::seconds(1)};
  std::chrono::milliseconds authenticationTimeoutMin{std::chrono::seconds(5)};
  std::chrono::milliseconds authenticationTimeoutMax{std::chrono::seconds(60)};
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
    SlaveID slaveId;
    std::string uuid;
    TaskStatus status;  // Filled in after the callback; its task_id is acknowledged.
    bool send = true;   // False: only the memory comes back (the driver stopped).
  };

  // How the state machine reaches the driver facade.
  struct Hooks {
    // Queue a scheduler callback (dropped if the driver was aborted/stopped);
    // `bytes` is the size of the message it came from (backpressure).
    std::function<void(SchedulerCall, size_t bytes)> callback;
    // Queue a status update callback, then hand `ack` (if any) to its outbox
    // once the callback returned, if the driver is still running.
    std::function<void(TaskStatus, std::optional<ImplicitAck> ack, size_t bytes)> statusUpdate;
    // Abort the driver and call `error(message)` (FrameworkErrorMessage, failed
    // detection, refused authentication, misuse Mesos treats as fatal).
    std::function<void(const std::string&)> abortWithError;
    // Mirrors `connected_` for the facade's `connected()` accessor.
    std::atomic<bool>* connected = nullptr;
  };

  SchedulerProcess(boost::asio::io_context& io, process::Transport& transport,
                   ProcessOptions options, Hooks hooks);

  const process::UPID& self() const { return self_; }

  void start(std::shared_ptr<detector::MasterDetector> detector);
  void stop(bool failover);
  void abort();

  // Outbound calls (PROTOCOL.md b.9).
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
  void reconcileTasks(const std::vector<TaskStatus>& statuses);
  void updateFramework(const FrameworkInfo& info, const std::vector<std::string>& suppressedRoles,
                       const scheduler::OfferConstraints& offerConstraints);

  // Sends the implicit acknowledgement of an update once its callback returned.
  void sendImplicitAck(const SlaveID& slaveId, const TaskID& taskId, const std::string& uuid);

 private:
  using Handler = void (SchedulerProcess::*)(const process::UPID& from, const std::string& body);

  // Detection and registration.
  void onLeader(const std::optional<MasterInfo>& leader);
  void resolveMaster(const process::UPID::Unresolved& pid, bool wasAuthenticating,
                     std::chrono::milliseconds lastDelay);
  void onMasterResolved(const process::UPID& pid, bool wasAuthenticating);
  void onMasterExited(const process::UPID& pid);
  void relink();
  void doReliableRegistration(std::chrono::milliseconds maxBackoff);
  void sendRegistration();
  void setConnected(bool connected);

  // Authentication (PROTOCOL.md b.5, e.3).
  void authenticate(std::chrono::milliseconds maxTimeout);
  void onAuthenticationDone(uint64_t attempt, auth::Outcome outcome, const std::string& reason);
  void retryAuthentication(const std::string& why);
  void cancelAuthentication();
  std::chrono::milliseconds firstAuthenticationMaxTimeout() const;

  // Inbound (PROTOCOL.md b.8).
  void onMessage(process::Message&& message);
  bool fromMaster(const process::UPID& from, const char* what) const;
  void onFrameworkRegistered(const process::UPID& from, const std::string& body);
  void onFrameworkReregistered(const process::UPID& from, const std::string& body);
  void onResourceOffers(const process::UPID& from, const std::string& body);
  void onRescindOffer(const process::UPID& from, const std::string& body);
  void onStatusUpdateMessage(const process::UPID& from, const std::string& body);
  void onLostSlave(const process::UPID& from, const std::string& body);
  void onExitedExecutor(const process::UPID& from, const std::string& body);
  void onExecutorToFramework(const process::UPID& from, const std::string& body);
  void onFrameworkError(const process::UPID& from, const std::string& body);
  void deliverStatusUpdate(internal::StatusUpdate* update, const process::UPID& from,
                           const process::UPID& pid);

  // Queues a callback through `hooks_`, costed at the message being handled.
  void queue(SchedulerCall call);

  // Outbound helpers.
  void sendToMaster(const google::protobuf::Message& message);
  void sendTo(const process::UPID& to, const google::protobuf::Message& message);
  scheduler::Call makeCall(scheduler::Call::Type type) const;
  void sendUpdateFramework();
  void dropLaunches(const std::vector<Offer::Operation>& operations);
  bool legacyCannot(const char* what) const;

  boost::asio::io_context& io_;
  process::Transport& transport_;
  ProcessOptions options_;
  Hooks hooks_;
  std::shared_ptr<AckOutbox> ackOutbox_;  // Made on first use (needs shared_from_this).
  const process::UPID self_;
  const std::string selfText_;
  process::ResolverScope resolver_;  // Master host names (onLeader).
  std::map<std::string, Handler> handlers_;
  size_t messageBytes_ = 0;  // Of the inbound message being handled, else 0.

  std::shared_ptr<detector::MasterDetector> detector_;
  bool running_ = true;      // False after stop() or abort(): inbound is dropped.
  bool terminated_ = false;  // After stop(): everything is dropped.
  bool connected_ = false;
  // The link to the master broke while registered and no re-registration has
  // happened since: stop()/abort() still owe that master their goodbye.
  bool linkLostWhileRegistered_ = false;
  bool failover_ = false;
  std::optional<MasterInfo> master_;
  process::UPID masterPid_;
  std::optional<process::Transport::LinkId> link_;
  FrameworkInfo framework_;
  std::set<std::string> suppressedRoles_;
  std::optional<scheduler::OfferConstraints> offerConstraints_;
  bool sendUpdateFrameworkOnConnect_ = false;

  // offer id -> (agent id -> agent UPID), from offers (b.8).
  std::unordered_map<std::string, std::map<std::string, process::UPID>> savedOffers_;
  // agent id -> agent UPID, from accepted launches (b.9).
  std::map<std::string, process::UPID> savedSlavePids_;

  boost::asio::steady_timer registrationTimer_;
  uint64_t registrationGeneration_ = 0;
  boost::asio::steady_timer relinkTimer_;
  std::chrono::milliseconds relinkDelay_{0};

  // The attempt in flight (null when none) and its timeout; `attempt` numbers
  // tell a current attempt's events from those of a cancelled one.
  std::unique_ptr<auth::Authenticatee> authenticatee_;
  bool authenticated_ = false;  // With the current master, since its detection.
  uint64_t authenticationAttempt_ = 0;
  std::chrono::milliseconds authenticationMaxTimeout_{0};  // Of the current range.
  boost::asio::steady_timer authenticationTimer_;
  std::mt19937_64 random_;
};

// Acknowledgements whose callbacks returned, carried from the callback thread
// to the I/O thread in batches: the first one queued posts a drain, the others
// ride along. Under load that is one wake-up of the I/O thread per batch
// instead of per update; the acknowledgements still go out in callback order.
//
// Thread: `add` from any thread; the drain runs on the I/O thread.
class AckOutbox : public std::enable_shared_from_this<AckOutbox> {
 public:
  AckOutbox(boost::asio::io_context& io, std::weak_ptr<SchedulerProcess> process)
      : io_(io), process_(std::move(process)) {}
  void add(SchedulerProcess::ImplicitAck&& ack);
  // Nothing is posted to the I/O context after this (the driver is going):
  // later acks are dropped where they are. Thread: any.
  void close();

 private:
  void drain();

  boost::asio::io_context& io_;
  const std::weak_ptr<SchedulerProcess> process_;
  std::mutex mutex_;
  bool closed_ = false;
  std::vector<SchedulerProcess::ImplicitAck> pending_;
  std::vector<SchedulerProcess::ImplicitAck> draining_;  // I/O thread only.
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
