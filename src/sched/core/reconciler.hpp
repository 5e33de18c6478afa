#pragma once

// Task reconciliation after every (re)registration, as Mesos recommends to
// frameworks (docs/protocol.md, "Reconciliation helper"):
//
//   1. explicit: RECONCILE naming every task the framework knows of (task id,
//      agent id when known);
//   2. retry: after a backoff, RECONCILE again naming only the tasks that have
//      had no answer yet (any status update for that task id is an answer,
//      including TASK_LOST/TASK_UNKNOWN for a task the master does not know);
//      the delay grows per retry, up to a cap, with jitter;
//   3. once every task has had an answer (at once if there were none): one
//      implicit RECONCILE (no tasks: the master reports all it knows), then
//      `Reconciled`, once per registration.
//
// A new registration starts over with the tasks known then; a lost master
// stops the retries until the next registration.
//
// Sans-I/O: inputs carry the time, outputs are values (`take()`), the jitter
// comes from the injected generator, so a test with a fake clock knows every
// delay. The driver core (core/driver_core.cpp) owns one when the framework
// asked for it and turns the outputs into calls, a timer and a callback.
//
// Thread: not thread-safe; owned by the core's thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <mesos/mesos.pb.h>

#include "common/backoff.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

struct ReconcilePolicy {
  // Retry `n` (n >= 1) comes after U[d, d + min(d * 2^(n-1), max - d)] with
  // d = `retryDelay`: the first retry never earlier than d, none later than max.
  std::chrono::milliseconds retryDelay{std::chrono::seconds(1)};
  std::chrono::milliseconds maxRetryDelay{std::chrono::seconds(60)};
};

class Reconciler {
 public:
  // Send RECONCILE with `statuses`; empty: implicit reconciliation.
  struct SendReconcile {
    std::vector<TaskStatus> statuses;
  };
  // Call `timerFired(seq)` after `delay`; replaces any earlier arming.
  struct ArmRetry {
    std::chrono::milliseconds delay{0};
    uint64_t seq = 0;
  };
  struct CancelRetry {};
  // Every named task answered and the implicit reconciliation sent.
  struct Reconciled {
    size_t tasks = 0;   // Named in the explicit reconciliation.
    int explicitRounds = 0;  // RECONCILE calls naming tasks (1 + retries).
  };
  using Output = std::variant<SendReconcile, ArmRetry, CancelRetry, Reconciled>;

  enum class Phase {
    kIdle,      // Not registered, or never started.
    kExplicit,  // Waiting for answers.
    kDone,      // Reconciled for this registration.
  };

  Reconciler(ReconcilePolicy policy, UnitRandom random);

  // The framework (re)registered; `tasks` are those it knows of now. Entries
  // without a task id are dropped (WARNING); a task named twice counts once
  // (the last entry wins); a missing `state` becomes TASK_STAGING (the field
  // is required on the wire; the master ignores its value).
  void registered(double now, std::vector<TaskStatus> tasks);
  // A status update for `taskId` reached the framework.
  void updateSeen(double now, const TaskID& taskId);
  // The retry armed with `seq` is due; a stale `seq` is ignored.
  void timerFired(double now, uint64_t seq);
  // The master is gone: no retry until the next registration.
  void disconnected(double now);

  // The outputs of the inputs so far, oldest first.
  std::vector<Output> take();

  Phase phase() const { return phase_; }
  size_t unanswered() const { return pending_.size(); }

 private:
  void sendPending();
  void finish(double now);

  const ReconcilePolicy policy_;
  UnitRandom random_;
  Backoff backoff_;
  std::vector<Output> outputs_;
  Phase phase_ = Phase::kIdle;
  std::map<std::string, TaskStatus> pending_;  // Task id -> what RECONCILE names.
  size_t named_ = 0;
  int rounds_ = 0;
  double startedAt_ = 0;
  uint64_t seq_ = 0;
  bool armed_ = false;
};

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
