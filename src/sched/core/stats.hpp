#pragma once

// Counters the protocol core keeps for the driver's metrics (DriverMetrics in
// include/mesos/scheduler.hpp; the names in docs/metrics.md). Each counter has
// one writer, the thread that owns the core, and any number of readers (the
// facade's metrics(), the /metrics/snapshot endpoint), so an increment is a
// relaxed load and store rather than a locked read-modify-write: nothing
// measurable on the hot path.
//
// Plain memory: no I/O, no clock, no threads of its own.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <variant>

#include "sched/core/terms.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

class Counter {
 public:
  // Single writer only.
  void add(uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void set(uint64_t n) { value_.store(n, std::memory_order_relaxed); }
  uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

inline constexpr size_t kEventKinds = std::variant_size_v<Event>;
inline constexpr size_t kCallKinds = std::variant_size_v<Call>;

// The metric name of each kind of event and call, by its index in `Event` /
// `Call` (lower-case, as the v1 API spells them: "update", "accept").
const char* eventMetricName(size_t index);
const char* callMetricName(size_t index);

struct CoreStats {
  // Events decoded from messages (the master's, or an executor's data),
  // counted before the sender and state rules: those dropped by a rule are in
  // `dropped` too.
  std::array<Counter, kEventKinds> events;
  // Messages dropped: too large, not decoding, or refused by a sender or
  // state rule (driver_core.hpp, "Whom the driver obeys").
  Counter dropped;
  // Calls handed to the runtime to send (sendToMaster and direct messages).
  std::array<Counter, kCallKinds> calls;
  Counter registrations;    // registered() delivered.
  Counter reregistrations;  // reregistered() delivered.
  Counter disconnections;   // disconnected() delivered.
  // From the first registration attempt to the first registered(), in
  // milliseconds; 0 until registered.
  Counter registrationMillis;
};

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
