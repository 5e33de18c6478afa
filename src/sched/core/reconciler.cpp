// The reconciliation helper's state machine (core/reconciler.hpp).

#include "sched/core/reconciler.hpp"

#include <algorithm>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {
namespace core {

using std::chrono::milliseconds;

namespace {

Backoff::Policy retryPolicy(const ReconcilePolicy& p) {
  const milliseconds floor = std::max(milliseconds(1), p.retryDelay);
  // The jittered part grows from `floor` up to what keeps the total at `max`.
  const milliseconds spread = std::max(milliseconds(0), p.maxRetryDelay - floor);
  return {floor, spread, floor, true};
}

}  // namespace

Reconciler::Reconciler(ReconcilePolicy policy, UnitRandom random)
    : policy_(policy), random_(std::move(random)), backoff_(retryPolicy(policy_)) {}

std::vector<Reconciler::Output> Reconciler::take() {
  std::vector<Output> outputs;
  outputs.swap(outputs_);
  return outputs;
}

void Reconciler::registered(double now, std::vector<TaskStatus> tasks) {
  if (armed_) outputs_.push_back(CancelRetry{});
  armed_ = false;
  pending_.clear();
  for (TaskStatus& status : tasks) {
    if (status.task_id().value().empty()) {
      LOG(WARNING) << "Reconciliation: ignoring a task without a task id";
      continue;
    }
    if (!status.has_state()) status.set_state(TASK_STAGING);
    std::string id = status.task_id().value();
    pending_[id] = std::move(status);
  }
  named_ = pending_.size();
  rounds_ = 0;
  startedAt_ = now;
  backoff_.reset();
  phase_ = Phase::kExplicit;
  if (pending_.empty()) {
    finish(now);
    return;
  }
  LOG(INFO) << "Reconciling " << pending_.size() << " task(s) explicitly";
  sendPending();
}

void Reconciler::sendPending() {
  SendReconcile send;
  send.statuses.reserve(pending_.size());
  for (const auto& entry : pending_) send.statuses.push_back(entry.second);
  outputs_.push_back(std::move(send));
  ++rounds_;
  armed_ = true;
  outputs_.push_back(ArmRetry{backoff_.next(random_), ++seq_});
}

void Reconciler::updateSeen(double now, const TaskID& taskId) {
  if (phase_ != Phase::kExplicit) return;
  if (pending_.erase(taskId.value()) == 0) return;
  if (pending_.empty()) finish(now);
}

void Reconciler::timerFired(double, uint64_t seq) {
  if (!armed_ || seq != seq_ || phase_ != Phase::kExplicit) return;
  armed_ = false;
  VLOG(1) << "Reconciliation: " << pending_.size() << " task(s) unanswered; asking again";
  sendPending();
}

void Reconciler::disconnected(double) {
  if (armed_) outputs_.push_back(CancelRetry{});
  armed_ = false;
  if (phase_ == Phase::kExplicit) {
    VLOG(1) << "Reconciliation interrupted with " << pending_.size()
            << " task(s) unanswered; it starts over on the next registration";
  }
  phase_ = Phase::kIdle;
  pending_.clear();
}

void Reconciler::finish(double now) {
  if (armed_) outputs_.push_back(CancelRetry{});
  armed_ = false;
  outputs_.push_back(SendReconcile{});  // Implicit: whatever else the master knows.
  phase_ = Phase::kDone;
  LOG(INFO) << "Reconciled " << named_ << " task(s) in " << rounds_ << " explicit round(s) and "
            << (now - startedAt_) << " s; implicit reconciliation sent";
  outputs_.push_back(Reconciled{named_, rounds_});
}

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
