#pragma once

// What the driver measures about itself, for `MesosSchedulerDriver::metrics()`
// and the `/metrics/snapshot` endpoint (docs/metrics.md). Each figure has one
// writer: the I/O thread (messages, calls, registrations, backpressure), the
// callback thread (callback durations) or, for `dispatchesPending`, any
// thread with an atomic add. Readers are any thread, without locks; a
// snapshot is a set of relaxed reads, each exact, together not one instant.
//
// Lifetime: shared by the facade, the runtime and the callback queue, so it
// outlives whichever of them goes last (a detached callback thread included).

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <mesos/scheduler.hpp>

#include "sched/core/stats.hpp"

namespace mesos {
namespace internal {
namespace process {
class Transport;
}  // namespace process
namespace sched {

// The Scheduler callbacks, for their durations and the watchdog's lines.
enum class CallbackKind : uint8_t {
  kRegistered,
  kReregistered,
  kDisconnected,
  kResourceOffers,
  kOfferRescinded,
  kStatusUpdate,
  kFrameworkMessage,
  kSlaveLost,
  kExecutorLost,
  kError,
  kReconciled,  // DriverConfig::Reconciliation::onReconciled.
};
inline constexpr size_t kCallbackKinds = 11;
// "resourceOffers", ... as the Scheduler method is named.
const char* callbackName(CallbackKind kind);

// Durations in quarter-octave buckets (each bucket's upper bound is at most
// 19% above its lower bound), so percentiles are exact to that bucket; the
// maximum is exact. One writer, any readers.
class DurationHistogram {
 public:
  static constexpr size_t kBuckets = 4 * 40 + 2;  // Up to 2^40 us (~12 days).

  void record(std::chrono::nanoseconds duration);
  uint64_t count() const { return count_.get(); }
  std::chrono::nanoseconds max() const { return std::chrono::nanoseconds(maxNanos_.get()); }
  // The upper bound of the bucket holding the q-quantile (0 < q <= 1); 0
  // before anything was recorded.
  std::chrono::nanoseconds percentile(double q) const;

  // Bucket arithmetic, exposed for tests: the bucket of `micros` and the
  // exclusive upper bound of bucket `index`, in microseconds.
  static size_t bucketOf(uint64_t micros);
  static uint64_t upperBoundMicros(size_t index);

 private:
  std::array<core::Counter, kBuckets> buckets_;
  core::Counter count_;
  core::Counter maxNanos_;
};

// The steady clock, in nanoseconds.
int64_t steadyNanos();

struct CallbackStats {
  DurationHistogram durations;
  // The longest run of each kind, in nanoseconds.
  std::array<core::Counter, kCallbackKinds> maxNanos;
  // The callback running now: its start on the steady clock (0 = none) and
  // kind; and how many callbacks have started, which tells the watchdog one
  // run from the next.
  std::atomic<int64_t> runningSinceNanos{0};
  std::atomic<uint8_t> runningKind{0};
  core::Counter started;
  // Callbacks that ran at least the watchdog's threshold.
  core::Counter slow;
};

struct DriverStats {
  std::shared_ptr<core::CoreStats> core = std::make_shared<core::CoreStats>();
  std::shared_ptr<CallbackStats> callbacks = std::make_shared<CallbackStats>();

  // I/O thread.
  core::Counter messagesReceived;  // Messages (records on the HTTP API) for the driver.
  core::Counter bytesReceived;     // Their bodies.
  core::Counter bytesSent;         // Bodies of the calls sent.
  core::Counter registrations;
  core::Counter reregistrations;
  core::Counter disconnections;
  core::Counter registrationMillis;  // From start() to the first registered().
  core::Counter unacknowledgedUpdates;
  core::Counter masterSilentWarnings;
  core::Counter readPausedNanos;  // Total, of pauses that ended.
  std::atomic<int64_t> readPausedSinceNanos{0};  // The pause under way (0: none).
  // User calls posted to the I/O thread and not yet run there (Mesos:
  // `scheduler/event_queue_dispatches`). Any thread.
  std::atomic<int64_t> dispatchesPending{0};

  // When start() ran, on the steady clock (0: not yet).
  std::atomic<int64_t> startedAtNanos{0};
};

// A snapshot for `metrics()`; queue figures come from the caller.
DriverMetrics snapshot(const DriverStats& stats);

// The same figures under their metric names (docs/metrics.md): a JSON object
// of numbers, as Mesos's `/metrics/snapshot`, or Prometheus's text format.
std::string metricsJson(const DriverMetrics& metrics);
std::string metricsPrometheus(const DriverMetrics& metrics);

// Serves `GET /metrics/snapshot` (JSON) and `GET /metrics/prometheus` on
// `transport`, as libmesos serves its metrics on the scheduler's port; other
// methods get 405. `metrics` runs on the transport's thread and must not block.
void addMetricsRoutes(process::Transport& transport, std::function<DriverMetrics()> metrics);

}  // namespace sched
}  // namespace internal
}  // namespace mesos
