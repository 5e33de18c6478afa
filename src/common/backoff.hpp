#pragma once

// One retry policy for every retry loop in the project: the driver's
// registration, reconnection, master-host resolution and authentication
// timeouts, the ZooKeeper group's reconnection, and the simulated agent's
// status-update retries (docs/protocol.md, "Timings").
//
// A delay is `floor + f * bound`, where `f` is drawn from the injected
// generator (always 1 without jitter) and `bound` starts at `initial` and
// doubles after every draw, never past `cap`. No clock and no global random
// state: a test passes a fixed or seeded generator and knows every delay.
//
// Thread: not thread-safe; owned by one state machine.

#include <chrono>
#include <cstdint>
#include <functional>

namespace mesos {
namespace internal {

// A uniform draw in [0, 1]. Injected so tests can fix or seed it.
using UnitRandom = std::function<double()>;

// A generator seeded with `seed` (std::mt19937_64), for tests and benchmarks.
UnitRandom seededUnitRandom(uint64_t seed);

// A generator seeded from the kernel's random source (getrandom), for production.
UnitRandom systemUnitRandom();

class Backoff {
 public:
  struct Policy {
    std::chrono::milliseconds initial{0};  // The first bound.
    std::chrono::milliseconds cap{0};      // The bound never grows past this.
    std::chrono::milliseconds floor{0};    // Added to every delay.
    bool jitter = true;                    // False: the delay is floor + bound.
  };

  explicit Backoff(Policy policy) : policy_(policy) { reset(); }

  // The next delay; the bound then doubles (up to the cap). `random` is called
  // once when the policy has jitter, never otherwise.
  std::chrono::milliseconds next(const UnitRandom& random);

  // Back to the first bound (after a success).
  void reset();

  // Lowers the cap (e.g. a framework's failover timeout); the bound follows.
  void capAt(std::chrono::milliseconds cap);

  // The bound of the next draw.
  std::chrono::milliseconds bound() const { return bound_; }
  const Policy& policy() const { return policy_; }

 private:
  Policy policy_;
  std::chrono::milliseconds bound_{0};
};

}  // namespace internal
}  // namespace mesos
