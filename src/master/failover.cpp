// A master failover in place (fault injection): the simulated master closes
// every connection and comes back at the same address as a new leader would,
// while its agents keep their tasks. Frameworks see their link break and
// re-register; agents then re-send the status updates the new master has not
// seen, including, within `failoverResendAcknowledged`, terminal updates that
// were acknowledged just before (their acknowledgements are taken to be lost
// with the old leader). Status updates are delivered at least once, so
// frameworks must expect such duplicates.

#include <glog/logging.h>

#include "auth/crammd5_authenticator.hpp"
#include "common/uuid.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

void SimulatedMaster::rememberAcknowledged(Framework& framework, const Task& task,
                                          const internal::StatusUpdate& update) {
  if (options_.failoverResendAcknowledged.count() <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  auto& acknowledged = framework.acknowledged;
  while (!acknowledged.empty() &&
         now - acknowledged.front().when > options_.failoverResendAcknowledged) {
    acknowledged.pop_front();
  }
  acknowledged.push_back({now, task.info, task.agent, update});
}

bool SimulatedMaster::failover() {
  if (stopped_ || options_.zk) return false;
  // Every connection closes with the old transport: frameworks notice a broken
  // link and re-register (the old links' handlers never run).
  transport_->stop();
  authenticator_.reset();
  authenticated_.clear();
  parked_.clear();
  Try<Nothing> listening = listen(pid_.port);
  if (listening.isError()) {
    LOG(ERROR) << "Failover: cannot listen at " << pidText_ << " again: " << listening.error();
    return false;
  }
  info_.set_id(randomUuidString());
  LOG(INFO) << "Failed over in place: master " << info_.id() << " at " << pidText_;

  const auto now = std::chrono::steady_clock::now();
  for (auto& entry : frameworks_) {
    Framework& f = *entry.second;
    f.link.reset();
    f.recovered = true;
    if (f.connected) {
      f.connected = false;
      // The new master never made those offers: they go without a rescind.
      deactivate(f, false);
    }
    // Terminal updates acknowledged just before the failover come again.
    size_t resent = 0;
    for (Framework::Acknowledged& acked : f.acknowledged) {
      if (now - acked.when > options_.failoverResendAcknowledged) continue;
      const std::string& taskId = acked.info.task_id().value();
      if (f.tasks.count(taskId) > 0 || !agents_[acked.agent]->active) continue;
      auto task = std::make_unique<Task>(statusUpdateRetryPolicy());
      task->info = std::move(acked.info);
      task->agent = acked.agent;
      task->state = acked.update.status().state();
      task->released = true;
      task->retryTimer = std::make_unique<boost::asio::steady_timer>(io_);
      task->pending.push_back(std::move(acked.update));
      f.tasks[taskId] = std::move(task);
      ++resent;
    }
    f.acknowledged.clear();
    if (resent > 0) {
      LOG(INFO) << "Agents will re-send " << resent << " acknowledged terminal update(s) of framework "
                << entry.first << " when it re-registers";
    }
  }
  return true;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
