#pragma once

// The simulated Mesos master and its agents (docs/protocol.md, "Master
// behaviours"): enough of a real master's behaviour to develop, demonstrate and
// test frameworks on one machine. Each agent `slave(N)` is a libprocess
// endpoint of its own; a command task runs as a real child process or, without
// `realCommands`, for a simulated run time (`sleep N` commands take N seconds),
// with agent-style status updates that are resent until acknowledged. The
// implementation is split by concern; master.cpp lists the files.
//
// Runs on: one I/O thread (the io_context given to the constructor). Every method
// must be called on it. Shares no state with any driver: it talks to schedulers
// only through its transport.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mesos/mesos.pb.h>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

#include "common/backoff.hpp"
#include "detector/zookeeper_group.hpp"
#include "master/lifetime.hpp"
#include "master/process_runner.hpp"
#include "master/resources.hpp"
#include "process/transport.hpp"

namespace mesos {
namespace internal {
namespace auth {
class CramMd5Authenticator;
}  // namespace auth

namespace master {

using Millis = std::chrono::milliseconds;

struct MasterOptions {
  std::string ip = "127.0.0.1";
  uint16_t port = 5050;  // 0 = ephemeral.
  // What the master advertises (its UPID, MasterInfo) instead of the bound
  // address (Mesos: --advertise_ip, --advertise_port); the agents advertise
  // `advertiseIp` with their own ports.
  std::optional<std::string> advertiseIp;
  std::optional<uint16_t> advertisePort;
  // MasterInfo's and the agents' hostname (Mesos: --hostname); unset: the
  // advertised IP.
  std::optional<std::string> hostname;
  int numAgents = 1;
  // Per agent.
  double agentCpus = 4;
  double agentMem = 4096;
  double agentDisk = 10240;
  std::pair<uint64_t, uint64_t> agentPorts{31000, 32000};
  // If set, replaces the four fields above: Mesos resource syntax, e.g.
  // `cpus:4;mem:8192;disk:16384;ports:[31000-32000]`.
  std::optional<std::string> agentResources;
  // Agent attributes in Mesos syntax, e.g. `rack:r1;zone:z1` (numbers become
  // SCALAR attributes). Default: `rack:rack-<index % 2>`.
  std::optional<std::string> agentAttributes;
  // How often offers are made (Mesos: --allocation_interval, 1 s).
  Millis allocationInterval{1000};
  // Outstanding offers are rescinded after this long (Mesos: --offer_timeout).
  std::optional<Millis> offerTimeout;
  // Command tasks run for real as child processes (`/bin/sh -c`), each in a
  // sandbox under `workDir`. When false they are simulated instead: they run for
  // `taskRunTime` (`sleep N` for N seconds) and `false`/`exit 1` fail.
  bool realCommands = true;
  // Root of the agents' sandboxes (Mesos: --work_dir), kept when the master
  // stops; empty = a fresh temporary directory, removed when the master stops.
  std::string workDir;
  // Simulated run time of a command task that is not `sleep N`.
  Millis taskRunTime{200};
  // First resend of an unacknowledged status update; doubles up to the max
  // (Mesos agents: 10 s and 10 min).
  Millis statusUpdateRetry{10000};
  Millis statusUpdateRetryMax{600000};
  // At-least-once delivery across a master failover (`failover()`): terminal
  // updates acknowledged within this long before it are re-sent by their agents
  // afterwards, as a real agent re-sends updates whose acknowledgements were
  // lost with the old leader. 0 (the default): none are.
  Millis failoverResendAcknowledged{0};
  // `zk://[user:password@]host:port,.../path`: contend for leadership there
  // and serve frameworks only while leading. Unset: lead alone.
  std::optional<std::string> zk;
  // Mesos: --zk_session_timeout (10 s).
  Millis zkSessionTimeout{10000};
  // Called (on the I/O thread) when this master loses the leadership it had.
  // A real Mesos master exits then; mesos-local-master does the same.
  std::function<void()> onLostLeadership;
  // Framework authentication (CRAM-MD5). When required, a framework
  // must authenticate before it subscribes (Mesos: --authenticate_frameworks).
  bool authenticateFrameworks = false;
  // The principals and secrets the CRAM-MD5 authenticator accepts (Mesos:
  // --credentials). Empty: every attempt is refused.
  std::vector<Credential> credentials;
  // How long one attempt may take (Mesos: --authentication_v0_timeout).
  Millis authenticationTimeout{15000};
  // Period of the HEARTBEAT events on a v1 HTTP scheduler's event stream
  // (Mesos: fixed at 15 s).
  Millis heartbeatInterval{15000};
  // Every request to the v1 scheduler HTTP API must carry HTTP Basic
  // credentials from `credentials` (Mesos: --authenticate_http_frameworks).
  bool authenticateHttpFrameworks = false;
  // TLS on the master's and every agent's port (null: plaintext).
  std::shared_ptr<const process::TlsContext> tls;
};

struct WebView;  // webui.hpp

// Parses Mesos's attribute syntax, `name:value;name:value`.
Try<std::vector<Attribute>> parseAttributes(const std::string& text);

class SimulatedMaster {
 public:
  SimulatedMaster(boost::asio::io_context& io, MasterOptions options);
  ~SimulatedMaster();

  // Listens and starts allocating.
  Try<Nothing> start();
  void stop();

  process::UPID pid() const { return pid_; }
  // Whether this master serves frameworks (always, without ZooKeeper).
  bool leading() const { return leading_; }
  const MasterInfo& info() const { return info_; }

  // Fault injection: removes agent `index` (0-based) as if it were shut down.
  bool removeAgent(size_t index, const std::string& cause = "removed by operator");
  // The `/master/state` JSON (state_json.cpp).
  std::string stateJson() const;
  // The `/metrics/snapshot` JSON: the master's figures under Mesos's metric
  // names, every value a number (metrics.cpp).
  std::string metricsJson() const;
  // Fault injection: a master failover in place (without `zk` only), as if a
  // new leader took over at the same address (failover.cpp): every connection
  // closes, the MasterInfo gets a new id, frameworks are disconnected until
  // they re-register (a new master waits for them), outstanding offers are
  // gone, and the agents keep their tasks and re-send the updates the new
  // master has not seen (see `failoverResendAcknowledged`). False with `zk`.
  bool failover();

 private:
  struct Task;
  struct Framework;
  struct Agent;
  struct HttpStream;
  struct CompletedTask;
  struct CompletedFramework;

  using UPID = process::UPID;

  // Endpoint and shared helpers (master.cpp).
  // The master's own endpoint: transport, `master` process, authenticator
  // and HTTP routes, on `port` (0 = ephemeral).
  Try<Nothing> listen(uint16_t port);
  void send(const UPID& to, const google::protobuf::Message& message);
  static bool isTerminal(TaskState state);
  bool partitionAware(const Framework& framework) const;
  std::string newId(const char* kind, uint64_t* counter) const;

  // The v1 scheduler HTTP API (http_api.cpp, http_streams.cpp). An HTTP
  // framework is addressed like any other, by a UPID: a synthetic one per
  // event stream (`ip` 0, never connected to), which `send()` recognises and
  // turns into an Event on that stream. So every part of the master reaches
  // frameworks of both APIs the same way.
  process::HttpResponse onSchedulerApi(const process::HttpRequest& request);
  process::HttpResponse onSchedulerCall(const process::HttpRequest& request,
                                        scheduler::Call& call,
                                        const std::optional<std::string>& principal);
  process::HttpResponse onRedirect(const process::HttpRequest& request);
  // The read-only endpoints (metrics.cpp): `/health`, `/version`,
  // `/metrics/snapshot` and `/master/state`, each for GET only.
  void addReadOnlyRoutes();
  // The figures of `/metrics/snapshot` by name.
  std::map<std::string, double> metrics() const;
  // The web view (webui.cpp): `/`, `/index.html`, `/app.js`, `/webui/tasks`,
  // and the sandbox files (`/files/read`, `/files/download`, files.cpp).
  void addWebRoutes();
  WebView webView() const;
  // The sandbox of every task the master knows, live or completed.
  std::vector<std::string> sandboxes() const;
  // Adds one to the counter `name` (`master/...`) of `/metrics/snapshot`.
  void count(const std::string& name) { counters_[name] += 1; }
  // Counts a task that reached terminal `state` (`master/tasks_finished`...).
  void countTerminal(TaskState state);

  static bool isHttpScheduler(const UPID& pid);
  // Writes `message` (a message to a scheduler) as the Event it stands for.
  void sendEvent(const UPID& to, const google::protobuf::Message& message);
  void writeEvent(HttpStream& stream, const scheduler::Event& event);
  void armHeartbeat(HttpStream& stream);
  // Ends (`orderly`: by the master, with the last chunk) or drops a stream
  // (its peer went); a connected framework it belonged to is then
  // disconnected, as when a link breaks.
  void closeHttpStream(const std::string& key, bool orderly);

  // Leader election (leadership.cpp).
  Try<Nothing> startContending();
  void onGroupLeader(const std::optional<detector::GroupLeader>& leader);

  // Inbound messages, legacy ones translated to Calls (legacy_messages.cpp).
  void onMessage(process::Message&& message);
  // A Call, validated and dispatched (calls.cpp); `legacy` if translated from
  // a message (a framework whose link broke may still send those).
  void onCall(const UPID& from, const scheduler::Call& call, bool legacy);

  // Validation (validation.cpp). A Call without what its type requires is
  // dropped with a log line (false).
  bool validCall(const UPID& from, const scheduler::Call& call);
  // Why `call` is malformed, if it is.
  static std::optional<std::string> callError(const scheduler::Call& call);
  // The framework `id` if `from` is its scheduler; otherwise null (logged).
  Framework* authorizedFramework(const UPID& from, const FrameworkID& id, const char* what);
  // Checks a subscription's FrameworkInfo, its authentication (filling in the
  // principal) and its suppressed roles; false after a FrameworkErrorMessage.
  bool validSubscription(const UPID& from, FrameworkInfo* info,
                         const std::vector<std::string>& suppressedRoles);
  // Checks an UPDATE_FRAMEWORK; false after a FrameworkErrorMessage.
  bool validFrameworkUpdate(const UPID& from, const Framework& framework,
                            const scheduler::Call::UpdateFramework& update);
  static std::optional<std::string> frameworkUpdateError(
      const Framework& framework, const scheduler::Call::UpdateFramework& update);

  // Subscription and framework lifecycle (subscription.cpp).
  void subscribe(const UPID& from, const FrameworkInfo& info, bool force,
                 const std::vector<std::string>& suppressedRoles);
  void updateFramework(Framework& framework, const UPID& from,
                       const scheduler::Call::UpdateFramework& update);
  // A FrameworkErrorMessage: the driver aborts with `message` (a refused
  // subscription or call, a failed-over or disconnected framework).
  void sendFrameworkError(const UPID& to, const std::string& message);
  void link(Framework& framework);
  void onSchedulerExited(const std::string& frameworkId, const UPID& pid);
  void deactivate(Framework& framework, bool rescind);
  void removeFramework(const std::string& frameworkId, const std::string& why);

  // Authentication (authentication.cpp).
  void startAuthenticator();
  void onAuthenticate(const process::Message& message);
  // Parks a subscription from `from` while it is being authenticated, to be
  // replayed when that attempt ends; false if there is no such attempt.
  bool parkWhileAuthenticating(const UPID& from, std::function<void()> replay);
  void onAuthenticationFinished(const UPID& client, const std::optional<std::string>& principal);
  // Applies the authentication rules to a subscription: false (and refused)
  // if it may not proceed; fills in the authenticated principal.
  bool checkAuthentication(const UPID& from, FrameworkInfo* info);

  // Offers (offers.cpp).
  void allocate();
  void scheduleAllocation();
  void rescindOffer(Framework& framework, const std::string& offerId, bool notify);
  void decline(Framework& framework, const std::vector<OfferID>& offerIds, const Filters& filters);
  void revive(Framework& framework, const std::vector<std::string>& roles);
  // How long declined resources are filtered (0 = not at all).
  static Millis refusalOf(const Filters& filters);
  void suppress(Framework& framework, const std::vector<std::string>& roles);

  // Tasks (tasks.cpp).
  void accept(Framework& framework, const scheduler::Call::Accept& accept);
  void launch(Framework& framework, Agent& agent, const TaskInfo& task, SimpleResources& left);
  void acknowledge(Framework& framework, const SlaveID& slaveId, const TaskID& taskId,
                   const std::string& uuid);
  // An unknown task is answered as an explicit reconciliation; a known one
  // whose agent differs from `slaveId` (when given) is left alone.
  void kill(Framework& framework, const TaskID& taskId, const std::optional<SlaveID>& slaveId);
  void reconcile(Framework& framework, const std::vector<TaskStatus>& statuses);
  // A status update the master makes itself: no uuid, never acknowledged.
  void sendMasterUpdate(Framework& framework, const TaskInfo& task, TaskState state,
                        TaskStatus::Reason reason, const std::string& message,
                        bool reconciliation = false);
  void frameworkToExecutor(const internal::FrameworkToExecutorMessage& message);
  void releaseTask(Framework& framework, Task& task);
  // The master forgets task `taskId` (which must exist): it is kept, in
  // `state` if given, among the framework's completed tasks (the last
  // kMaxCompletedTasks) for `/master/state`.
  void completeTask(Framework& framework, const std::string& taskId,
                    std::optional<TaskState> state = std::nullopt);

  // The simulated agents (agent.cpp).
  // Creates the agents, each an endpoint of its own (`slave(N)`).
  Try<Nothing> startAgents();
  void onAgentMessage(size_t agent, process::Message&& message);
  void startTask(const std::string& frameworkId, const std::string& taskId);
  // A status update from the task's agent: queued behind any unacknowledged one
  // (only the oldest is in flight) and sent at once if there is none.
  void queueAgentUpdate(const std::string& frameworkId, const std::string& taskId, TaskState state,
                        TaskStatus::Reason reason = TaskStatus::REASON_COMMAND_EXECUTOR_FAILED,
                        const std::string& message = "");
  // Kills a live task: its process gets SIGTERM, then SIGKILL after the kill
  // policy's grace period, and TASK_KILLED follows its exit; a task without a
  // process is TASK_KILLED at once.
  void killOnAgent(const std::string& frameworkId, const std::string& taskId, Task& task);
  // (Re)sends the task's oldest unacknowledged update and arms its resend.
  void sendPendingUpdate(const std::string& frameworkId, const std::string& taskId);
  // How an agent spaces the resends of an unacknowledged update.
  Backoff::Policy statusUpdateRetryPolicy() const;

  // Master failover in place (failover.cpp).
  // Remembers an acknowledged terminal update for `failoverResendAcknowledged`.
  void rememberAcknowledged(Framework& framework, const Task& task,
                            const internal::StatusUpdate& update);

  // For the handlers this master queues: they may run after it is destroyed
  // (lifetime.hpp).
  AliveToken aliveToken() const { return lifetime_.token(); }
  Lifetime lifetime_;

  boost::asio::io_context& io_;
  MasterOptions options_;
  std::unique_ptr<process::Transport> transport_;
  std::unique_ptr<ProcessRunner> runner_;
  std::unique_ptr<auth::CramMd5Authenticator> authenticator_;
  std::map<std::string, std::string> authenticated_;  // Scheduler UPID -> principal.
  std::map<std::string, std::vector<std::function<void()>>> parked_;  // By scheduler UPID.
  std::string workDir_;
  bool ownsWorkDir_ = false;
  UPID pid_;
  std::string pidText_;
  MasterInfo info_;
  double startTime_ = 0;
  // When this master last became the leader (0: never).
  double electedTime_ = 0;
  // The counters of `/metrics/snapshot` (`count()`), by metric name; the
  // gauges there are computed from the state when it is read.
  std::map<std::string, double> counters_;
  bool stopped_ = false;
  bool leading_ = true;
  std::string leaderPid_;      // The leading master's UPID, for `/state`.
  std::optional<MasterInfo> leaderInfo_;  // For redirects from a standby.
  std::string groupMember_;    // Our znode, while contending.
  std::unique_ptr<detector::ZooKeeperGroup> group_;

  std::map<std::string, std::unique_ptr<Framework>> frameworks_;
  std::vector<CompletedFramework> completedFrameworks_;  // The last 50 removed.
  std::set<std::string> removedFrameworkIds_;
  std::vector<std::unique_ptr<Agent>> agents_;
  // Open v1 event streams, by their synthetic UPID's text.
  std::map<std::string, std::unique_ptr<HttpStream>> httpStreams_;
  uint64_t frameworkCounter_ = 0;
  uint64_t offerCounter_ = 0;
  uint64_t allocationRound_ = 0;
  boost::asio::steady_timer allocationTimer_;
  std::mt19937_64 random_;
};

}  // namespace master
}  // namespace internal
}  // namespace mesos
