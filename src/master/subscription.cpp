// Framework registration, re-registration (a failed-over scheduler taking
// over, a framework recovered after a master failover), UPDATE_FRAMEWORK,
// and the end of a framework: its scheduler's link breaking, the failover
// timeout, teardown.

#include <algorithm>

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "common/clock.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace asio = boost::asio;
using process::UPID;

namespace {

constexpr size_t kMaxCompletedFrameworks = 50;

}  // namespace

void SimulatedMaster::sendFrameworkError(const UPID& to, const std::string& message) {
  LOG(INFO) << "Refusing " << to << ": " << message;
  internal::FrameworkErrorMessage error;
  error.set_message(message);
  send(to, error);
}

void SimulatedMaster::subscribe(const UPID& from, const FrameworkInfo& infoIn, bool force,
                                const std::vector<std::string>& suppressedRoles) {
  FrameworkInfo info = infoIn;
  if (!validSubscription(from, &info, suppressedRoles)) return;

  // No id: a first registration, or a retry of one.
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

  // With an id: a re-registration, a failover, or a framework this master
  // does not know (it recovers it).
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

  // Mutable fields are updated; user and checkpoint are not.
  info.set_user(f.info.user());
  info.set_checkpoint(f.info.checkpoint());
  f.info = info;
  f.suppressedRoles = {suppressedRoles.begin(), suppressedRoles.end()};
  f.failoverTimer->cancel();

  if (f.recovered) {
    // Known to this master only through its agents since a failover:
    // Registered, not Reregistered, whatever `force` says.
    f.recovered = false;
    f.pid = from;
    f.reregisteredTime = nowSeconds();
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
    f.reregisteredTime = nowSeconds();
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
    f.reregisteredTime = nowSeconds();
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

void SimulatedMaster::updateFramework(Framework& framework, const UPID& from,
                                      const scheduler::Call::UpdateFramework& update) {
  if (!validFrameworkUpdate(from, framework, update)) return;
  const FrameworkInfo& info = update.framework_info();
  const std::string user = framework.info.user();
  const bool checkpoint = framework.info.checkpoint();
  framework.info = info;
  framework.info.set_user(user);  // Immutable.
  framework.info.set_checkpoint(checkpoint);
  framework.suppressedRoles = {update.suppressed_roles().begin(),
                               update.suppressed_roles().end()};
}

void SimulatedMaster::link(Framework& framework) {
  if (framework.link) transport_->unlink(*framework.link);
  framework.link.reset();
  // An HTTP framework's stream tells when it goes (closeHttpStream).
  if (isHttpScheduler(framework.pid)) return;
  const std::string id = framework.info.id().value();
  framework.link = transport_->link(framework.pid, [this, id](const UPID& pid) {
    onSchedulerExited(id, pid);
  });
}

// ---- Disconnection and removal ---------------------------------------------

void SimulatedMaster::onSchedulerExited(const std::string& frameworkId, const UPID& pid) {
  auto it = frameworks_.find(frameworkId);
  if (it == frameworks_.end() || it->second->pid != pid) return;
  Framework& f = *it->second;
  f.link.reset();
  if (!f.connected) return;
  LOG(INFO) << "Framework " << frameworkId << " disconnected ("
            << (isHttpScheduler(pid) ? "its event stream closed" : "link to " + pid.toString() + " broke")
            << ")";
  if (!isHttpScheduler(pid)) {
    sendFrameworkError(pid, "Framework disconnected");  // Best effort, over a new connection.
  }
  authenticated_.erase(pid.toString());   // It must authenticate again.
  f.connected = false;
  f.unregisteredTime = nowSeconds();
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
  // Tasks are killed inside the master; no update goes to the framework.
  for (auto& task : f.tasks) releaseTask(f, *task.second);
  // As in a real master, its live tasks end up killed among its completed ones.
  std::vector<std::string> taskIds;
  for (const auto& task : f.tasks) taskIds.push_back(task.first);
  for (const std::string& taskId : taskIds) {
    completeTask(f, taskId, isTerminal(f.tasks.at(taskId)->state)
                                ? std::nullopt
                                : std::optional<TaskState>(TASK_KILLED));
  }
  if (f.link) transport_->unlink(*f.link);
  // An HTTP framework's stream ends, without an ERROR.
  if (isHttpScheduler(f.pid)) closeHttpStream(f.pid.toString(), true);
  removedFrameworkIds_.insert(frameworkId);
  CompletedFramework completed;
  completed.info = f.info;
  completed.registeredTime = f.registeredTime;
  completed.reregisteredTime = f.reregisteredTime;
  completed.unregisteredTime = f.unregisteredTime;
  completed.completedTasks = std::move(f.completedTasks);
  completedFrameworks_.push_back(std::move(completed));
  if (completedFrameworks_.size() > kMaxCompletedFrameworks) {
    completedFrameworks_.erase(completedFrameworks_.begin());
  }
  frameworks_.erase(it);
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
