// The driver core's recovery after a registration (docs/protocol.md,
// "Reconciliation helper" and "Framework id store"): the reconciliation
// helper (core/reconciler.hpp) and, when the master removed the framework,
// registering it afresh instead of aborting.

#include <exception>

#include <glog/logging.h>

#include "sched/core/driver_core.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

void DriverCore::startReconciliation(Time now) {
  if (!options_.reconcile || !running_) return;
  if (!reconciler_) reconciler_.emplace(options_.reconcile->policy, random_);
  std::vector<TaskStatus> tasks;
  try {
    if (options_.reconcile->tasks) tasks = options_.reconcile->tasks();
  } catch (const std::exception& e) {
    // The framework's own function failed: the implicit reconciliation still
    // tells it about every task the master knows.
    LOG(ERROR) << "The reconciliation's task list function threw (" << e.what()
               << "); reconciling implicitly only";
    tasks.clear();
  } catch (...) {
    LOG(ERROR) << "The reconciliation's task list function threw; reconciling implicitly only";
    tasks.clear();
  }
  reconciler_->registered(now, std::move(tasks));
  runReconciler();
}

void DriverCore::reconcilerSaw(Time now, const TaskID& taskId) {
  if (!reconciler_) return;
  reconciler_->updateSeen(now, taskId);
  runReconciler();
}

void DriverCore::stopReconciliation(Time now) {
  if (!reconciler_) return;
  reconciler_->disconnected(now);
  runReconciler();
}

void DriverCore::runReconciler() {
  for (Reconciler::Output& output : reconciler_->take()) {
    std::visit(
        [this](auto&& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, Reconciler::SendReconcile>) {
            if (connected_) sendToMaster(Reconcile{frameworkId(), std::move(o.statuses)});
          } else if constexpr (std::is_same_v<T, Reconciler::ArmRetry>) {
            reconcileSeq_ = o.seq;
            arm(Timer::kReconcile, o.delay);
          } else if constexpr (std::is_same_v<T, Reconciler::CancelRetry>) {
            cancel(Timer::kReconcile);
          } else if constexpr (std::is_same_v<T, Reconciler::Reconciled>) {
            invoke(ReconcileDone{o.tasks, o.explicitRounds});
          }
        },
        std::move(output));
  }
}

namespace {

// What a master answers a re-registration of a framework it removed (torn
// down, or its failover timeout expired): Mesos >= 1.0 and the simulated
// master (src/master/subscription.cpp) say the first, older masters the second.
bool frameworkRemoved(const std::string& message) {
  return message == "Framework has been removed" ||
         message.rfind("Completed framework attempted to re-register", 0) == 0;
}

}  // namespace

bool DriverCore::startFresh(const std::string& message) {
  if (!options_.startFreshWhenRemoved || connected_ || !frameworkRemoved(message)) return false;
  if (!framework_.has_id() || framework_.id().value().empty()) return false;
  LOG(ERROR) << "Master " << masterPid_ << " refused framework " << framework_.id().value()
             << " (" << message << "); registering as a new framework";
  framework_.clear_id();
  failover_ = false;
  emit(ForgetFrameworkId{});
  startRegistration();
  return true;
}

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
