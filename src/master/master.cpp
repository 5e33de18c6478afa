// The simulated master's identity and lifetime: its endpoint and HTTP routes,
// its MasterInfo, start and stop, and the helpers every part of it shares.
// The other parts, by what they handle:
//   legacy_messages.cpp  the `master` process's inbox; old-style messages
//                        become the Call they stand for
//   calls.cpp            a Call, once valid, to the part that acts on it
//   validation.cpp       what a Call or a subscription must satisfy
//   subscription.cpp     framework registration, re-registration, update,
//                        disconnection and removal
//   offers.cpp           allocation, offers, filters, revive and suppress
//   tasks.cpp            the master's task bookkeeping
//   agent.cpp            the simulated agents: running tasks, status updates
//   http_api.cpp         the v1 scheduler HTTP API's requests
//   http_streams.cpp     its event streams: messages to HTTP frameworks as
//                        Events, heartbeats
//   v1_schema.cpp        the v1 numbering and JSON names
//   webui.cpp, webui_render.cpp, files.cpp
//                        the web view and the sandboxes' files
//   authentication.cpp, leadership.cpp, failover.cpp, state_json.cpp

#include <arpa/inet.h>

#include <cstdio>
#include <filesystem>

#include <glog/logging.h>

#include "auth/crammd5_authenticator.hpp"
#include "common/clock.hpp"
#include "common/uuid.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace asio = boost::asio;
using process::Message;
using process::UPID;

SimulatedMaster::SimulatedMaster(asio::io_context& io, MasterOptions options)
    : io_(io), options_(std::move(options)), allocationTimer_(io), random_(std::random_device{}()) {}

SimulatedMaster::~SimulatedMaster() { stop(); }

Try<Nothing> SimulatedMaster::listen(uint16_t port) {
  process::TransportOptions transportOptions;
  transportOptions.bindIp = options_.ip;
  transportOptions.bindPort = port;
  transportOptions.advertiseIp = options_.advertiseIp;
  transportOptions.advertisePort = options_.advertisePort;
  // A scheduler applying backpressure (its callbacks are slow) stops reading
  // for as long as they take; that is not a stuck peer, so only a write that
  // makes no progress for a long time breaks the link.
  transportOptions.writeTimeout = std::chrono::minutes(10);
  transportOptions.tls = options_.tls;
  transport_ = std::make_unique<process::Transport>(io_, transportOptions);
  Try<Nothing> started = transport_->start();
  if (started.isError()) return started;
  transport_->addProcess("master", [this](Message&& m) { onMessage(std::move(m)); });
  startAuthenticator();
  addReadOnlyRoutes();
  addWebRoutes();
  // The v1 scheduler API: libprocess delegates a path naming no process to
  // the master, so both spellings work (docs/protocol.md).
  auto api = [this](const process::HttpRequest& request) { return onSchedulerApi(request); };
  transport_->addRoute("/api/v1/scheduler", api);
  transport_->addRoute("/master/api/v1/scheduler", api);
  auto redirect = [this](const process::HttpRequest& request) { return onRedirect(request); };
  transport_->addRoute("/master/redirect", redirect);
  transport_->addRoute("/redirect", redirect);
  return Nothing();
}

Try<Nothing> SimulatedMaster::start() {
  Try<Nothing> started = listen(options_.port);
  if (started.isError()) return started;

  pid_ = transport_->self("master");
  pidText_ = pid_.toString();
  startTime_ = nowSeconds();
  info_.set_id(randomUuidString());
  info_.set_ip(htonl(pid_.ip));  // Network-order bytes read as a native integer.
  info_.set_port(pid_.port);
  info_.set_pid(pidText_);
  const std::string hostname = options_.hostname.value_or(process::formatIp(pid_.ip));
  info_.set_hostname(hostname);
  info_.set_version("1.11.0");
  info_.mutable_address()->set_hostname(hostname);
  info_.mutable_address()->set_ip(process::formatIp(pid_.ip));
  info_.mutable_address()->set_port(pid_.port);
  // No MasterInfo capability: a real master's AGENT_UPDATE, AGENT_DRAINING
  // and QUOTA_V2 are agent and operator features this master does not have
  // (tests/master/http_endpoints_test.cpp checks that none is claimed).

  workDir_ = options_.workDir;
  if (!workDir_.empty()) {
    // Absolute, so that the sandbox paths reported in status updates are.
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(workDir_, ec);
    if (!ec) workDir_ = absolute.lexically_normal().string();
  } else {
    std::error_code ec;
    const auto temp = std::filesystem::temp_directory_path(ec);
    workDir_ = (ec ? std::filesystem::path("/tmp") : temp) / ("mesos-local-" + info_.id());
    ownsWorkDir_ = true;
  }
  runner_ = std::make_unique<ProcessRunner>(io_);
  Try<Nothing> agents = startAgents();
  if (agents.isError()) return agents;

  LOG(INFO) << "Simulated master " << info_.id() << " listening at " << pidText_ << " with "
            << agents_.size() << " agent(s)";
  Try<Nothing> contending = startContending();
  if (contending.isError()) return contending;
  scheduleAllocation();
  return Nothing();
}

void SimulatedMaster::stop() {
  if (stopped_) return;
  stopped_ = true;
  // Leaves the election group at once (our member goes with the session).
  if (group_) group_->stop();
  allocationTimer_.cancel();
  authenticator_.reset();  // Ends every authentication session quietly.
  parked_.clear();
  for (auto& stream : httpStreams_) {
    if (stream.second->heartbeat) stream.second->heartbeat->cancel();
  }
  httpStreams_.clear();  // Their connections close with the transport.
  frameworks_.clear();  // Destroys (and so cancels) every per-framework timer.
  runner_.reset();      // Kills and reaps every task process.
  if (ownsWorkDir_) {
    std::error_code ignored;
    std::filesystem::remove_all(workDir_, ignored);
  }
  for (auto& agent : agents_) {
    if (agent->transport) agent->transport->stop();
  }
  if (transport_) transport_->stop();
}

void SimulatedMaster::send(const UPID& to, const google::protobuf::Message& message) {
  if (stopped_) return;
  if (isHttpScheduler(to)) return sendEvent(to, message);
  std::string body;
  message.SerializePartialToString(&body);
  Try<Nothing> sent = transport_->send(pidText_, to, message.GetTypeName(), body);
  if (sent.isError()) LOG(WARNING) << "Failed to send " << message.GetTypeName() << ": " << sent.error();
}

std::string SimulatedMaster::newId(const char* kind, uint64_t* counter) const {
  char suffix[32];
  // Framework ids are zero-padded to four digits, offer ids are not.
  std::snprintf(suffix, sizeof(suffix), kind[0] == '\0' ? "-%s%04llu" : "-%s%llu", kind,
                static_cast<unsigned long long>((*counter)++));
  return info_.id() + suffix;
}

bool SimulatedMaster::isTerminal(TaskState state) {
  switch (state) {
    case TASK_FINISHED: case TASK_FAILED: case TASK_KILLED: case TASK_LOST: case TASK_ERROR:
    case TASK_DROPPED: case TASK_GONE: case TASK_GONE_BY_OPERATOR:
      return true;
    default:
      return false;
  }
}

bool SimulatedMaster::partitionAware(const Framework& framework) const {
  for (const auto& capability : framework.info.capabilities()) {
    if (capability.type() == FrameworkInfo::Capability::PARTITION_AWARE) return true;
  }
  return false;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
