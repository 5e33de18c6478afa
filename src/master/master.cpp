// The simulated master: identity, dispatch, subscription, framework lifecycle
// and offers (PROTOCOL.md c.1-c.5). Tasks and status updates: tasks.cpp.

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include <boost/asio/post.hpp>
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

namespace {

constexpr size_t kMaxCompletedFrameworks = 50;

// Mesos's id rules (c.3): non-empty, at most 255 characters, not "." or "..",
// no control characters, no '/' or '\'.
bool validId(const std::string& id) {
  if (id.empty() || id.size() > 255 || id == "." || id == "..") return false;
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

bool validRole(const std::string& role) {
  if (role == "*") return true;
  if (role.empty() || role == "." || role == ".." || role[0] == '-') return false;
  for (char c : role) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

std::set<std::string> rolesOf(const FrameworkInfo& info) {
  for (const auto& capability : info.capabilities()) {
    if (capability.type() == FrameworkInfo::Capability::MULTI_ROLE) {
      return std::set<std::string>(info.roles().begin(), info.roles().end());
    }
  }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  return {info.role()};  // Pre-MULTI_ROLE frameworks have one role, default "*".
#pragma GCC diagnostic pop
}

}  // namespace

Try<std::vector<Attribute>> parseAttributes(const std::string& text) {
  std::vector<Attribute> out;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ';')) {
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Error("attribute '" + item + "' is not name:value");
    }
    Attribute attribute;
    attribute.set_name(item.substr(0, colon));
    const std::string value = item.substr(colon + 1);
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (!value.empty() && end == value.c_str() + value.size()) {
      attribute.set_type(Value::SCALAR);
      attribute.mutable_scalar()->set_value(number);
    } else {
      attribute.set_type(Value::TEXT);
      attribute.mutable_text()->set_value(value);
    }
    out.push_back(attribute);
  }
  return out;
}

SimulatedMaster::SimulatedMaster(asio::io_context& io, MasterOptions options)
    : io_(io), options_(std::move(options)), allocationTimer_(io), random_(std::random_device{}()) {}

SimulatedMaster::~SimulatedMaster() { stop(); }

Try<Nothing> SimulatedMaster::listen(uint16_t port) {
  process::TransportOptions transportOptions;
  transportOptions.bindIp = options_.ip;
  transportOptions.bindPort = port;
  // A scheduler applying backpressure (its callbacks are slow) stops reading
  // for as long as they take; that is not a stuck peer, so only a write that
  // makes no progress for a long time breaks the link.
  transportOptions.writeTimeout = std::chrono::minutes(10);
  transport_ = std::make_unique<process::Transport>(io_, transportOptions);
  Try<Nothing> started = transport_->start();
  if (started.isError()) return started;
  transport_->addProcess("master", [this](Message&& m) { onMessage(std::move(m)); });
  startAuthenticator();
  auto state = [this](const process::HttpRequest&) {
    return process::HttpResponse{200, "application/json", stateJson()};
  };
  transport_->addRoute("/master/state", state);
  transport_->addRoute("/state", state);
  transport_->addRoute("/master/state.json", state);
  return Nothing();
}

Try<Nothing> SimulatedMaster::start() {
  Try<Nothing> started = listen(options_.port);
  if (started.isError()) return started;

  pid_ = transport_->self("master");
  pidText_ = pid_.toString();
  startTime_ = nowSeconds();
  info_.set_id(randomUuidString());
  info_.set_ip(htonl(pid_.ip));  // Network-order bytes read as a native integer (c.1).
  info_.set_port(pid_.port);
  info_.set_pid(pidText_);
  info_.set_hostname(process::formatIp(pid_.ip));
  info_.set_version("1.11.0");
  info_.mutable_address()->set_hostname(process::formatIp(pid_.ip));
  info_.mutable_address()->set_ip(process::formatIp(pid_.ip));
  info_.mutable_address()->set_port(pid_.port);
  for (auto type : {MasterInfo::Capability::AGENT_UPDATE, MasterInfo::Capability::AGENT_DRAINING,
                    MasterInfo::Capability::QUOTA_V2}) {
    info_.add_capabilities()->set_type(type);
  }

  workDir_ = options_.workDir;
  if (workDir_.empty()) {
    std::error_code ec;
    const auto temp = std::filesystem::temp_directory_path(ec);
    workDir_ = (ec ? std::filesystem::path("/tmp") : temp) / ("mesos-local-" + info_.id());
    ownsWorkDir_ = true;
  }
  runner_ = std::make_unique<ProcessRunner>(io_);
  for (int i = 0; i < options_.numAgents; ++i) {
    auto agent = std::make_unique<Agent>();
    char id[32];
    std::snprintf(id, sizeof(id), "-S%d", i);
    agent->id.set_value(info_.id() + id);
    // Each agent is a libprocess endpoint of its own, on its own port, as a
    // separate host would be: its direct messages to a framework then travel on
    // their own connection (some drivers attribute a connection's messages to
    // its first sender).
    process::TransportOptions agentTransport;
    agentTransport.bindIp = options_.ip;
    agent->transport = std::make_unique<process::Transport>(io_, agentTransport);
    Try<Nothing> listening = agent->transport->start();
    if (listening.isError()) return Error("agent " + std::to_string(i + 1) + ": " + listening.error());
    agent->pid = agent->transport->self("slave(" + std::to_string(i + 1) + ")");
    agent->hostname = process::formatIp(pid_.ip);
    agent->total.cpus = options_.agentCpus;
    agent->total.mem = options_.agentMem;
    agent->total.disk = options_.agentDisk;
    if (options_.agentPorts.second >= options_.agentPorts.first) {
      agent->total.ports.push_back(options_.agentPorts);
    }
    // Attributes in Mesos syntax (`rack:r1;zone:z1`; numbers become SCALAR);
    // by default agents alternate between two racks.
    Try<std::vector<Attribute>> attributes = parseAttributes(
        options_.agentAttributes.value_or("rack:rack-" + std::to_string(i % 2)));
    if (attributes.isError()) return Error("bad agent attributes: " + attributes.error());
    agent->attributes = attributes.get();
    if (options_.agentResources) {
      Try<SimpleResources> resources = SimpleResources::parse(*options_.agentResources);
      if (resources.isError()) return Error("bad agent resources: " + resources.error());
      agent->total = resources.get();
    }
    const size_t index = agents_.size();
    agent->transport->addProcess(agent->pid.id,
                                 [this, index](Message&& m) { onAgentMessage(index, std::move(m)); });
    agents_.push_back(std::move(agent));
  }

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
  std::string body;
  message.SerializePartialToString(&body);
  Try<Nothing> sent = transport_->send(pidText_, to, message.GetTypeName(), body);
  if (sent.isError()) LOG(WARNING) << "Failed to send " << message.GetTypeName() << ": " << sent.error();
}

std::string SimulatedMaster::newId(const char* kind, uint64_t* counter) const {
  char suffix[32];
  // Framework ids are zero-padded to four digits, offer ids are not (c.1).
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

// ---- Dispatch ------------------------------------------------------------------

template <typename T>
static bool parseOrLog(const Message& m, T* out) {
  if (out->ParseFromString(m.body)) return true;
  LOG(WARNING) << "Dropping " << m.name << " from " << m.from << ": malformed protobuf";
  return false;
}

void SimulatedMaster::onMessage(Message&& m) {
  if (stopped_) return;
  if (!leading_) {
    // A standby redirects nothing, as in Mesos: the framework's detector finds
    // the leader.
    LOG(INFO) << "Dropping " << m.name << " from " << m.from << ": not the leading master"
              << (leaderPid_.empty() ? std::string() : " (" + leaderPid_ + " leads)");
    return;
  }
  const std::string& name = m.name;
  scheduler::Call call;
  if (name == "mesos.scheduler.Call") {
    if (parseOrLog(m, &call)) onCall(m.from, call, false);
    return;
  }
  if (name == "mesos.internal.AuthenticateMessage") return onAuthenticate(m);
  if ((name == "mesos.internal.RegisterFrameworkMessage" ||
       name == "mesos.internal.ReregisterFrameworkMessage") &&
      parkWhileAuthenticating(m.from, [this, m] { onMessage(Message(m)); })) {
    return;
  }
  // Legacy messages become the Call they stand for (b.10).
  if (name == "mesos.internal.RegisterFrameworkMessage") {
    internal::RegisterFrameworkMessage msg;
    if (!parseOrLog(m, &msg)) return;
    if (msg.framework().has_id() && !msg.framework().id().value().empty()) {
      return sendFrameworkError(m.from, "Registering with 'id' already set");
    }
    subscribe(m.from, msg.framework(), false, {});
  } else if (name == "mesos.internal.ReregisterFrameworkMessage") {
    internal::ReregisterFrameworkMessage msg;
    if (!parseOrLog(m, &msg)) return;
    if (!msg.framework().has_id() || msg.framework().id().value().empty()) {
      return sendFrameworkError(m.from, "Re-registering without an 'id'");
    }
    subscribe(m.from, msg.framework(), msg.failover(), {});
  } else if (name == "mesos.internal.DeactivateFrameworkMessage") {
    internal::DeactivateFrameworkMessage msg;
    if (!parseOrLog(m, &msg)) return;
    Framework* f = authorizedFramework(m.from, msg.framework_id(), "deactivate");
    if (f != nullptr && f->connected) deactivate(*f, true);
  } else if (name == "mesos.internal.UnregisterFrameworkMessage") {
    internal::UnregisterFrameworkMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::TEARDOWN);
    *call.mutable_framework_id() = msg.framework_id();
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.ResourceRequestMessage") {
    internal::ResourceRequestMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::REQUEST);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_request()->mutable_requests() = msg.requests();  // Present even if empty.
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.LaunchTasksMessage") {
    internal::LaunchTasksMessage msg;
    if (!parseOrLog(m, &msg)) return;
    *call.mutable_framework_id() = msg.framework_id();
    if (msg.tasks_size() == 0) {
      call.set_type(scheduler::Call::DECLINE);
      *call.mutable_decline()->mutable_offer_ids() = msg.offer_ids();
      *call.mutable_decline()->mutable_filters() = msg.filters();
    } else {
      call.set_type(scheduler::Call::ACCEPT);
      *call.mutable_accept()->mutable_offer_ids() = msg.offer_ids();
      *call.mutable_accept()->mutable_filters() = msg.filters();
      Offer::Operation* op = call.mutable_accept()->add_operations();
      op->set_type(Offer::Operation::LAUNCH);
      *op->mutable_launch()->mutable_task_infos() = msg.tasks();
    }
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.ReviveOffersMessage") {
    internal::ReviveOffersMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::REVIVE);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_revive()->mutable_roles() = msg.roles();
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.KillTaskMessage") {
    internal::KillTaskMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::KILL);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_kill()->mutable_task_id() = msg.task_id();
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.StatusUpdateAcknowledgementMessage") {
    internal::StatusUpdateAcknowledgementMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::ACKNOWLEDGE);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_acknowledge()->mutable_slave_id() = msg.slave_id();
    *call.mutable_acknowledge()->mutable_task_id() = msg.task_id();
    call.mutable_acknowledge()->set_uuid(msg.uuid());
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.FrameworkToExecutorMessage") {
    internal::FrameworkToExecutorMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::MESSAGE);
    *call.mutable_framework_id() = msg.framework_id();
    *call.mutable_message()->mutable_slave_id() = msg.slave_id();
    *call.mutable_message()->mutable_executor_id() = msg.executor_id();
    call.mutable_message()->set_data(msg.data());
    onCall(m.from, call, true);
  } else if (name == "mesos.internal.ReconcileTasksMessage") {
    internal::ReconcileTasksMessage msg;
    if (!parseOrLog(m, &msg)) return;
    call.set_type(scheduler::Call::RECONCILE);
    *call.mutable_framework_id() = msg.framework_id();
    call.mutable_reconcile();  // Present even for an implicit (empty) reconciliation.
    for (const TaskStatus& status : msg.statuses()) {
      auto* task = call.mutable_reconcile()->add_tasks();
      *task->mutable_task_id() = status.task_id();
      if (status.has_slave_id()) *task->mutable_slave_id() = status.slave_id();
    }
    onCall(m.from, call, true);
  } else {
    VLOG(1) << "Ignoring unknown message '" << name << "' from " << m.from;
  }
}

SimulatedMaster::Framework* SimulatedMaster::authorizedFramework(const UPID& from,
                                                                 const FrameworkID& id,
                                                                 const char* what) {
  auto it = frameworks_.find(id.value());
  if (it == frameworks_.end()) {
    LOG(WARNING) << "Ignoring " << what << " for unknown framework " << id.value() << " from "
                 << from;
    return nullptr;
  }
  if (it->second->pid != from) {
    LOG(WARNING) << "Ignoring " << what << " for framework " << id.value() << " from " << from
                 << ": not its scheduler (" << it->second->pid << ")";
    return nullptr;
  }
  return it->second.get();
}

void SimulatedMaster::onCall(const UPID& from, const scheduler::Call& call, bool legacy) {
  using Call = scheduler::Call;
  // Validation (c.2): drop with a log line.
  if (!call.has_type() || call.type() == Call::UNKNOWN) {
    LOG(WARNING) << "Dropping a Call without a type from " << from;
    return;
  }
  if (call.type() == Call::SUBSCRIBE) {
    if (!call.has_subscribe()) {
      LOG(WARNING) << "Dropping SUBSCRIBE without 'subscribe' from " << from;
      return;
    }
    const FrameworkInfo& info = call.subscribe().framework_info();
    if (info.id().value() != call.framework_id().value()) {
      LOG(WARNING) << "Dropping SUBSCRIBE from " << from
                   << ": 'framework_id' differs from 'framework_info.id'";
      return;
    }
    if (parkWhileAuthenticating(from, [this, from, call] { onCall(from, call, false); })) return;
    subscribe(from, info, call.subscribe().force(),
              {call.subscribe().suppressed_roles().begin(), call.subscribe().suppressed_roles().end()});
    return;
  }
  if (!call.has_framework_id()) {
    LOG(WARNING) << "Dropping " << Call::Type_Name(call.type()) << " without 'framework_id' from "
                 << from;
    return;
  }
  // The sub-message matching the type must be present (c.2).
  const bool hasBody = [&] {
    switch (call.type()) {
      case Call::ACCEPT: return call.has_accept();
      case Call::DECLINE: return call.has_decline();
      case Call::KILL: return call.has_kill();
      case Call::ACKNOWLEDGE: return call.has_acknowledge();
      case Call::RECONCILE: return call.has_reconcile();
      case Call::MESSAGE: return call.has_message();
      case Call::REQUEST: return call.has_request();
      case Call::UPDATE_FRAMEWORK: return call.has_update_framework();
      default: return true;
    }
  }();
  if (!hasBody) {
    LOG(WARNING) << "Dropping " << Call::Type_Name(call.type()) << " from " << from
                 << ": the matching sub-message is missing";
    return;
  }
  Framework* f = authorizedFramework(from, call.framework_id(), Call::Type_Name(call.type()).c_str());
  if (f == nullptr) return;
  if (!legacy && !f->connected) {
    // A one-way partition: the scheduler still talks but our link to it broke.
    return sendFrameworkError(from, "Framework disconnected");
  }

  switch (call.type()) {
    case Call::TEARDOWN:
      removeFramework(f->info.id().value(), "Framework torn down by its scheduler");
      return;
    case Call::ACCEPT:
      accept(*f, call.accept());
      return;
    case Call::DECLINE:
      if (call.has_decline()) {
        decline(*f, {call.decline().offer_ids().begin(), call.decline().offer_ids().end()},
                call.decline().filters());
      }
      return;
    case Call::REVIVE:
      revive(*f, {call.revive().roles().begin(), call.revive().roles().end()});
      return;
    case Call::SUPPRESS:
      suppress(*f, {call.suppress().roles().begin(), call.suppress().roles().end()});
      return;
    case Call::KILL:
      kill(*f, call.kill().task_id(),
           call.kill().has_slave_id() ? std::optional<SlaveID>(call.kill().slave_id())
                                      : std::nullopt);
      return;
    case Call::ACKNOWLEDGE:
      if (!call.has_acknowledge() || !isValidUuidBytes(call.acknowledge().uuid())) {
        LOG(WARNING) << "Dropping ACKNOWLEDGE with an invalid uuid from " << from;
        return;
      }
      acknowledge(*f, call.acknowledge().slave_id(), call.acknowledge().task_id(),
                  call.acknowledge().uuid());
      return;
    case Call::RECONCILE: {
      std::vector<TaskStatus> statuses;
      for (const auto& task : call.reconcile().tasks()) {
        TaskStatus status;
        *status.mutable_task_id() = task.task_id();
        status.set_state(TASK_STAGING);
        if (task.has_slave_id()) *status.mutable_slave_id() = task.slave_id();
        statuses.push_back(status);
      }
      reconcile(*f, statuses);
      return;
    }
    case Call::MESSAGE: {
      if (!call.has_message()) return;
      internal::FrameworkToExecutorMessage message;
      *message.mutable_slave_id() = call.message().slave_id();
      *message.mutable_framework_id() = call.framework_id();
      *message.mutable_executor_id() = call.message().executor_id();
      message.set_data(call.message().data());
      frameworkToExecutor(message);
      return;
    }
    case Call::REQUEST:
      VLOG(1) << "Resource request from framework " << f->info.id().value()
              << " (ignored, as by Mesos's default allocator)";
      return;
    case Call::UPDATE_FRAMEWORK: {
      if (!call.has_update_framework()) return;
      const FrameworkInfo& info = call.update_framework().framework_info();
      if (info.id().value() != f->info.id().value()) {
        return sendFrameworkError(from,
                                  "'UpdateFramework' call is not valid: framework_info.id differs");
      }
      const std::set<std::string> roles = rolesOf(info);
      for (const std::string& role : call.update_framework().suppressed_roles()) {
        if (roles.count(role) == 0) {
          return sendFrameworkError(
              from, "'UpdateFramework' call is not valid: Suppressed roles {" + role +
                        "} are not contained in the set of roles");
        }
      }
      const std::string user = f->info.user();
      const bool checkpoint = f->info.checkpoint();
      f->info = info;
      f->info.set_user(user);  // Immutable (c.12).
      f->info.set_checkpoint(checkpoint);
      f->suppressedRoles = {call.update_framework().suppressed_roles().begin(),
                            call.update_framework().suppressed_roles().end()};
      return;
    }
    default:
      LOG(WARNING) << "Dropping unsupported Call " << Call::Type_Name(call.type()) << " from "
                   << from;
  }
}

// ---- Subscription (c.3) --------------------------------------------------------

void SimulatedMaster::sendFrameworkError(const UPID& to, const std::string& message) {
  LOG(INFO) << "Refusing " << to << ": " << message;
  internal::FrameworkErrorMessage error;
  error.set_message(message);
  send(to, error);
}

void SimulatedMaster::subscribe(const UPID& from, const FrameworkInfo& infoIn, bool force,
                                const std::vector<std::string>& suppressedRoles) {
  FrameworkInfo info = infoIn;
  // Validation (c.3 step 2).
  bool multiRole = false;
  for (const auto& c : info.capabilities()) multiRole |= c.type() == FrameworkInfo::Capability::MULTI_ROLE;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  if (multiRole && info.has_role()) {
    return sendFrameworkError(
        from, "'FrameworkInfo.role' must not be set when the MULTI_ROLE capability is");
  }
  if (!multiRole && info.roles_size() > 0) {
    return sendFrameworkError(from, "'FrameworkInfo.roles' needs the MULTI_ROLE capability");
  }
#pragma GCC diagnostic pop
  const std::set<std::string> roles = rolesOf(info);
  if (multiRole && roles.size() != static_cast<size_t>(info.roles_size())) {
    return sendFrameworkError(from, "'FrameworkInfo.roles' contains duplicate items");
  }
  for (const std::string& role : roles) {
    if (!validRole(role)) return sendFrameworkError(from, "Role '" + role + "' is invalid");
  }
  if (info.has_id() && !validId(info.id().value())) {
    return sendFrameworkError(from, "Framework id '" + info.id().value() + "' is invalid");
  }
  if (info.has_failover_timeout() &&
      !(info.failover_timeout() >= 0 && info.failover_timeout() < 1e12)) {
    return sendFrameworkError(from, "The framework failover_timeout (" +
                                        std::to_string(info.failover_timeout()) + ") is invalid");
  }
  if (!checkAuthentication(from, &info)) return;
  for (const std::string& role : suppressedRoles) {
    if (roles.count(role) == 0) {
      return sendFrameworkError(
          from, "Suppressed roles {" + role + "} are not contained in the set of roles");
    }
  }

  // No id: a first registration, or a retry of one (c.3 step 4).
  if (!info.has_id() || info.id().value().empty()) {
    for (auto& entry : frameworks_) {
      if (entry.second->pid == from) {
        VLOG(1) << "Framework at " << from << " retried its registration";
        internal::FrameworkRegisteredMessage registered;
        *registered.mutable_framework_id() = entry.second->info.id();
        *registered.mutable_master_info() = info_;
        send(from, registered);
        return;
      }
    }
    info.mutable_id()->set_value(newId("", &frameworkCounter_));
    auto framework = std::make_unique<Framework>();
    framework->info = info;
    framework->pid = from;
    framework->suppressedRoles = {suppressedRoles.begin(), suppressedRoles.end()};
    framework->registeredTime = nowSeconds();
    framework->failoverTimer = std::make_unique<asio::steady_timer>(io_);
    Framework& f = *framework;
    frameworks_[info.id().value()] = std::move(framework);
    LOG(INFO) << "Registered framework " << info.id().value() << " (" << info.name() << ") at "
              << from;
    link(f);
    internal::FrameworkRegisteredMessage registered;
    *registered.mutable_framework_id() = info.id();
    *registered.mutable_master_info() = info_;
    send(from, registered);
    asio::post(io_, [this, alive = aliveToken()] {
      if (!alive.expired()) allocate();
    });
    return;
  }

  // With an id (c.3 step 5).
  const std::string id = info.id().value();
  for (auto& entry : frameworks_) {
    if (entry.first != id && entry.second->pid == from) {
      LOG(WARNING) << "Dropping SUBSCRIBE for " << id << " from " << from
                   << ": that scheduler is registered as framework " << entry.first;
      return;
    }
  }
  if (removedFrameworkIds_.count(id) > 0)
    return sendFrameworkError(from, "Framework has been removed");

  auto it = frameworks_.find(id);
  if (it == frameworks_.end()) {
    // Unknown to this master (e.g. after a master failover): recover it.
    auto framework = std::make_unique<Framework>();
    framework->info = info;
    framework->pid = from;
    framework->suppressedRoles = {suppressedRoles.begin(), suppressedRoles.end()};
    framework->registeredTime = nowSeconds();
    framework->failoverTimer = std::make_unique<asio::steady_timer>(io_);
    Framework& f = *framework;
    frameworks_[id] = std::move(framework);
    LOG(INFO) << "Recovered framework " << id << " at " << from;
    link(f);
    internal::FrameworkRegisteredMessage registered;
    *registered.mutable_framework_id() = info.id();
    *registered.mutable_master_info() = info_;
    send(from, registered);
    return;
  }

  Framework& f = *it->second;
  if (info.has_principal() && f.info.has_principal() && info.principal() != f.info.principal()) {
    return sendFrameworkError(from, "Changing framework's principal is not allowed.");
  }
  if (f.pid != from && !force && !f.recovered)
    return sendFrameworkError(from, "Framework failed over");

  // Mutable fields are updated; user and checkpoint are not (c.3).
  info.set_user(f.info.user());
  info.set_checkpoint(f.info.checkpoint());
  f.info = info;
  f.suppressedRoles = {suppressedRoles.begin(), suppressedRoles.end()};
  f.failoverTimer->cancel();

  if (f.recovered) {
    // Known to this master only through its agents since a failover (c.3):
    // Registered, not Reregistered, whatever `force` says.
    f.recovered = false;
    f.pid = from;
    f.connected = true;
    f.active = true;
    link(f);
    LOG(INFO) << "Recovered framework " << id << " re-registered from " << from;
    internal::FrameworkRegisteredMessage registered;
    *registered.mutable_framework_id() = f.info.id();
    *registered.mutable_master_info() = info_;
    send(from, registered);
  } else if (force) {
    if (f.pid != from && f.connected) sendFrameworkError(f.pid, "Framework failed over");
    // Outstanding offers are discarded silently.
    for (auto& offer : f.offers) {
      agents_[offer.second.agent]->allocated -= offer.second.resources;
    }
    f.offers.clear();
    f.pid = from;
    f.connected = true;
    f.active = true;
    link(f);
    LOG(INFO) << "Framework " << id << " failed over to " << from;
    internal::FrameworkRegisteredMessage registered;
    *registered.mutable_framework_id() = f.info.id();
    *registered.mutable_master_info() = info_;
    send(from, registered);
  } else {
    std::vector<std::string> offerIds;
    for (const auto& offer : f.offers) offerIds.push_back(offer.first);
    for (const std::string& offerId : offerIds) rescindOffer(f, offerId, true);
    f.connected = true;
    f.active = true;
    link(f);
    LOG(INFO) << "Framework " << id << " re-registered from " << from;
    internal::FrameworkReregisteredMessage reregistered;
    *reregistered.mutable_framework_id() = f.info.id();
    *reregistered.mutable_master_info() = info_;
    send(from, reregistered);
  }
  // Agents resend unacknowledged updates at once when the framework comes back.
  for (auto& task : f.tasks) {
    if (!task.second->pending.empty()) sendPendingUpdate(id, task.first);
  }
}

void SimulatedMaster::link(Framework& framework) {
  if (framework.link) transport_->unlink(*framework.link);
  const std::string id = framework.info.id().value();
  framework.link = transport_->link(framework.pid, [this, id](const UPID& pid) {
    onSchedulerExited(id, pid);
  });
}

// ---- Disconnection and removal (c.4) ----------------------------------------

void SimulatedMaster::onSchedulerExited(const std::string& frameworkId, const UPID& pid) {
  auto it = frameworks_.find(frameworkId);
  if (it == frameworks_.end() || it->second->pid != pid) return;
  Framework& f = *it->second;
  f.link.reset();
  if (!f.connected) return;
  LOG(INFO) << "Framework " << frameworkId << " disconnected (link to " << pid << " broke)";
  sendFrameworkError(pid, "Framework disconnected");  // Best effort, over a new connection.
  authenticated_.erase(pid.toString());   // It must authenticate again (e.4).
  f.connected = false;
  deactivate(f, true);
  const double timeout = f.info.failover_timeout();
  f.failoverTimer->expires_after(Millis(static_cast<int64_t>(std::max(0.0, timeout) * 1000)));
  f.failoverTimer->async_wait([this, alive = aliveToken(), frameworkId](const boost::system::error_code& ec) {
    if (ec || alive.expired() || stopped_) return;
    auto found = frameworks_.find(frameworkId);
    if (found == frameworks_.end() || found->second->connected) return;
    removeFramework(frameworkId, "Framework failover timeout expired");
  });
}

void SimulatedMaster::deactivate(Framework& framework, bool rescind) {
  framework.active = false;
  std::vector<std::string> offerIds;
  for (const auto& offer : framework.offers) offerIds.push_back(offer.first);
  for (const std::string& offerId : offerIds) rescindOffer(framework, offerId, rescind);
}

void SimulatedMaster::removeFramework(const std::string& frameworkId, const std::string& why) {
  auto it = frameworks_.find(frameworkId);
  if (it == frameworks_.end()) return;
  Framework& f = *it->second;
  LOG(INFO) << "Removing framework " << frameworkId << ": " << why;
  for (auto& offer : f.offers) agents_[offer.second.agent]->allocated -= offer.second.resources;
  f.offers.clear();
  // Tasks are killed inside the master; no update goes to the framework (c.4).
  for (auto& task : f.tasks) releaseTask(f, *task.second);
  if (f.link) transport_->unlink(*f.link);
  removedFrameworkIds_.insert(frameworkId);
  completedFrameworks_.push_back(f.info);
  if (completedFrameworks_.size() > kMaxCompletedFrameworks) completedFrameworks_.pop_front();
  frameworks_.erase(it);
}

// ---- Offers (c.5) ------------------------------------------------------------

void SimulatedMaster::scheduleAllocation() {
  allocationTimer_.expires_after(options_.allocationInterval);
  allocationTimer_.async_wait([this, alive = aliveToken()](const boost::system::error_code& ec) {
    if (ec || alive.expired() || stopped_) return;
    allocate();
    scheduleAllocation();
  });
}

void SimulatedMaster::allocate() {
  if (stopped_ || frameworks_.empty()) return;
  const auto nowTime = std::chrono::steady_clock::now();
  // Rotate which framework goes first so several frameworks share fairly.
  std::vector<Framework*> order;
  for (auto& entry : frameworks_) order.push_back(entry.second.get());
  std::rotate(order.begin(), order.begin() + (allocationRound_++ % order.size()), order.end());

  for (Framework* f : order) {
    if (!f->connected || !f->active) continue;
    std::string role;
    for (const std::string& r : rolesOf(f->info)) {
      if (f->suppressedRoles.count(r) == 0) {
        role = r;
        break;
      }
    }
    if (role.empty()) continue;  // Every role suppressed.
    bool multiRole = false;
    for (const auto& c : f->info.capabilities()) multiRole |= c.type() == FrameworkInfo::Capability::MULTI_ROLE;

    internal::ResourceOffersMessage message;
    for (size_t i = 0; i < agents_.size(); ++i) {
      Agent& agent = *agents_[i];
      if (!agent.active) continue;
      auto filter = f->filters.find(i);
      if (filter != f->filters.end()) {
        if (filter->second > nowTime) continue;
        f->filters.erase(filter);
      }
      SimpleResources available = agent.total;
      available -= agent.allocated;
      if (available.cpus < 0.01 && available.mem < 1) continue;

      Offer offer;
      offer.mutable_id()->set_value(newId("O", &offerCounter_));
      *offer.mutable_framework_id() = f->info.id();
      *offer.mutable_slave_id() = agent.id;
      offer.set_hostname(agent.hostname);
      URL* url = offer.mutable_url();
      url->set_scheme("http");
      url->mutable_address()->set_hostname(agent.hostname);
      url->mutable_address()->set_ip(process::formatIp(agent.pid.ip));
      url->mutable_address()->set_port(agent.pid.port);
      url->set_path("/" + agent.pid.id);
      for (Resource& r : available.toProtobuf()) {
        if (multiRole) r.mutable_allocation_info()->set_role(role);
        *offer.add_resources() = r;
      }
      if (multiRole) offer.mutable_allocation_info()->set_role(role);
      for (const Attribute& attribute : agent.attributes) *offer.add_attributes() = attribute;
      for (auto& task : f->tasks) {
        if (task.second->agent == i && task.second->info.has_executor() && !isTerminal(task.second->state)) {
          *offer.add_executor_ids() = task.second->info.executor().executor_id();
        }
      }

      agent.allocated += available;
      Framework::OutstandingOffer& outstanding = f->offers[offer.id().value()];
      outstanding.offer = offer;
      outstanding.agent = i;
      outstanding.resources = available;
      if (options_.offerTimeout) {
        outstanding.timeout = std::make_unique<asio::steady_timer>(io_, *options_.offerTimeout);
        const std::string frameworkId = f->info.id().value();
        const std::string offerId = offer.id().value();
        outstanding.timeout->async_wait([this, alive = aliveToken(), frameworkId, offerId](const boost::system::error_code& ec) {
          if (ec || alive.expired() || stopped_) return;
          auto found = frameworks_.find(frameworkId);
          if (found != frameworks_.end()) rescindOffer(*found->second, offerId, true);
        });
      }
      *message.add_offers() = offer;
      message.add_pids(agent.pid.toString());
    }
    if (message.offers_size() > 0) {
      VLOG(1) << "Sending " << message.offers_size() << " offer(s) to framework "
              << f->info.id().value();
      send(f->pid, message);
    }
  }
}

void SimulatedMaster::rescindOffer(Framework& framework, const std::string& offerId, bool notify) {
  auto it = framework.offers.find(offerId);
  if (it == framework.offers.end()) return;
  agents_[it->second.agent]->allocated -= it->second.resources;
  framework.offers.erase(it);
  if (notify) {
    internal::RescindResourceOfferMessage message;
    message.mutable_offer_id()->set_value(offerId);
    send(framework.pid, message);
  }
}

void SimulatedMaster::decline(Framework& framework, const std::vector<OfferID>& offerIds,
                              const Filters& filters) {
  const Millis refusal = refusalOf(filters);
  for (const OfferID& id : offerIds) {
    auto it = framework.offers.find(id.value());
    if (it == framework.offers.end()) continue;  // Unknown ids are ignored.
    const size_t agent = it->second.agent;
    rescindOffer(framework, id.value(), false);
    if (refusal.count() > 0) framework.filters[agent] = std::chrono::steady_clock::now() + refusal;
  }
}

Millis SimulatedMaster::refusalOf(const Filters& filters) {
  // refuse_seconds (c.5): > 365 days -> 365 days; negative or not finite -> 5 s;
  // 0 -> no filter.
  double seconds = filters.refuse_seconds();
  if (!(seconds >= 0) || seconds > 1e15) seconds = 5;
  seconds = std::min(seconds, 365.0 * 24 * 3600);
  return Millis(static_cast<int64_t>(seconds * 1000));
}

void SimulatedMaster::revive(Framework& framework, const std::vector<std::string>& roles) {
  const std::set<std::string> all = rolesOf(framework.info);
  for (const std::string& role : roles) {
    if (all.count(role) == 0) {
      LOG(WARNING) << "Dropping REVIVE: '" << role << "' is not a role of the framework";
      return;
    }
  }
  framework.filters.clear();
  if (roles.empty()) {
    framework.suppressedRoles.clear();
  } else {
    for (const std::string& role : roles) framework.suppressedRoles.erase(role);
  }
  asio::post(io_, [this, alive = aliveToken()] {
    if (!alive.expired()) allocate();
  });
}

void SimulatedMaster::suppress(Framework& framework, const std::vector<std::string>& roles) {
  const std::set<std::string> all = rolesOf(framework.info);
  for (const std::string& role : roles) {
    if (all.count(role) == 0) {
      LOG(WARNING) << "Dropping SUPPRESS: '" << role << "' is not a role of the framework";
      return;
    }
  }
  if (roles.empty()) {
    framework.suppressedRoles = all;
  } else {
    framework.suppressedRoles.insert(roles.begin(), roles.end());
  }
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
