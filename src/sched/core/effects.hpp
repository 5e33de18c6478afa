#pragma once

// What the driver's protocol core asks of its runtime (docs/protocol.md, "The
// driver's state machine"). The core never does I/O; after every input the
// runtime takes the effects and carries them out, in order.
//
// Plain values: no I/O, no threads.

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "process/upid.hpp"
#include "sched/core/terms.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

// The core's timers. Arming one replaces its previous arming.
enum class Timer {
  kRegistration,    // The next registration attempt.
  kReconnect,       // Relinking after a broken link, or resolving the master again.
  kAuthentication,  // The deadline of the authentication attempt in flight.
  kHeartbeat,       // A streamed wire's silence limit (missed heartbeats).
  kReconcile,       // The reconciliation helper's next retry (core/reconciler.hpp).
};
inline constexpr size_t kTimerCount = 5;
const char* timerName(Timer timer);

// Send `call` to `to` (the master, or an agent for a direct executor message).
struct Send {
  process::UPID to;
  Call call;
};
// Tell the scheduler; `bytes` is the size of the message it came from (0 when
// it came from a user call), for the callback queue's byte bound.
struct Invoke {
  Callback callback;
  size_t bytes = 0;
};
// Fire `timerFired(timer, seq)` after `delay`. `seq` tells this arming from
// earlier ones whose expiry may already be on its way.
struct ArmTimer {
  Timer timer;
  std::chrono::milliseconds delay;
  uint64_t seq = 0;
};
struct CancelTimer {
  Timer timer;
};
// Watch the connection to the master: `linkBroken(master)` when it breaks.
// On a streamed wire: the master the next SUBSCRIBE goes to.
struct Link {
  process::UPID master;
};
// Stop watching; on a streamed wire, close the event stream once the calls
// already handed over have been answered (a TEARDOWN must not be overtaken).
struct Unlink {};
// Resolve `host` (a name in the master's pid) and answer `masterResolved(token, ...)`.
struct Resolve {
  uint64_t token = 0;
  std::string host;
};
// Run one authentication attempt against `master`; answer
// `authenticationFinished(attempt, ...)`. Replaces any attempt in flight.
struct StartAuthentication {
  uint64_t attempt = 0;
  process::UPID master;
};
struct CancelAuthentication {};
// The value of the facade's connected() from now on.
struct SetConnected {
  bool connected = false;
};
// Abort the driver and tell the scheduler error(message).
struct AbortWithError {
  std::string message;
};

// The master removed the framework and the driver registers it afresh: the
// stored framework id (DriverConfig::frameworkIdFile), if any, is stale.
struct ForgetFrameworkId {};

using Effect = std::variant<Send, Invoke, ArmTimer, CancelTimer, Link, Unlink, Resolve,
                            StartAuthentication, CancelAuthentication, SetConnected,
                            AbortWithError, ForgetFrameworkId>;

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
