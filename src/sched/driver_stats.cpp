#include "sched/driver_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "process/transport.hpp"

namespace mesos {
namespace internal {
namespace sched {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

const char* callbackName(CallbackKind kind) {
  switch (kind) {
    case CallbackKind::kRegistered: return "registered";
    case CallbackKind::kReregistered: return "reregistered";
    case CallbackKind::kDisconnected: return "disconnected";
    case CallbackKind::kResourceOffers: return "resourceOffers";
    case CallbackKind::kOfferRescinded: return "offerRescinded";
    case CallbackKind::kStatusUpdate: return "statusUpdate";
    case CallbackKind::kFrameworkMessage: return "frameworkMessage";
    case CallbackKind::kSlaveLost: return "slaveLost";
    case CallbackKind::kExecutorLost: return "executorLost";
    case CallbackKind::kError: return "error";
    case CallbackKind::kReconciled: return "onReconciled";
  }
  return "?";
}

int64_t steadyNanos() {
  return duration_cast<nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Bucket 0 holds [0, 1) us; then four buckets per octave: [2^e (1 + f/4),
// 2^e (1 + (f+1)/4)) for f = 0..3. For e < 2 the octave has fewer whole
// microseconds than buckets, so some buckets stay empty; that costs nothing.
size_t DurationHistogram::bucketOf(uint64_t micros) {
  if (micros == 0) return 0;
  const int e = 63 - __builtin_clzll(micros);
  const uint64_t f = e >= 2 ? (micros >> (e - 2)) & 3 : (micros << (2 - e)) & 3;
  return std::min<size_t>(kBuckets - 1, 1 + 4 * static_cast<size_t>(e) + f);
}

uint64_t DurationHistogram::upperBoundMicros(size_t index) {
  if (index == 0) return 1;
  const size_t e = (index - 1) / 4;
  const uint64_t f = (index - 1) % 4;
  const uint64_t base = uint64_t{1} << e;
  // (base * (4 + f + 1)) / 4, rounded up to a whole microsecond.
  return (base * (5 + f) + 3) / 4;
}

void DurationHistogram::record(nanoseconds duration) {
  const uint64_t nanos = static_cast<uint64_t>(std::max<int64_t>(0, duration.count()));
  buckets_[bucketOf(nanos / 1000)].add();
  count_.add();
  if (nanos > maxNanos_.get()) maxNanos_.set(nanos);
}

nanoseconds DurationHistogram::percentile(double q) const {
  std::array<uint64_t, kBuckets> counts;
  uint64_t total = 0;
  for (size_t i = 0; i < kBuckets; ++i) total += counts[i] = buckets_[i].get();
  if (total == 0) return nanoseconds(0);
  const uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * total)));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts[i];
    if (seen >= rank) {
      // Never above the largest duration seen: that one is exact.
      return std::min(nanoseconds(upperBoundMicros(i) * 1000), max());
    }
  }
  return max();
}

DriverMetrics snapshot(const DriverStats& stats) {
  DriverMetrics m;
  const core::CoreStats& core = *stats.core;
  for (size_t i = 0; i < core::kEventKinds; ++i) {
    if (uint64_t n = core.events[i].get()) m.eventsReceived[core::eventMetricName(i)] = n;
  }
  for (size_t i = 0; i < core::kCallKinds; ++i) {
    if (uint64_t n = core.calls[i].get()) m.callsSent[core::callMetricName(i)] = n;
  }
  m.messagesDropped = core.dropped.get();
  m.messagesReceived = stats.messagesReceived.get();
  m.bytesReceived = stats.bytesReceived.get();
  m.bytesSent = stats.bytesSent.get();
  m.eventQueueDispatches =
      static_cast<uint64_t>(std::max<int64_t>(0, stats.dispatchesPending.load()));
  const int64_t now = steadyNanos();
  int64_t paused = static_cast<int64_t>(stats.readPausedNanos.get());
  if (const int64_t since = stats.readPausedSinceNanos.load(); since > 0) paused += now - since;
  m.readPausedTime = nanoseconds(std::max<int64_t>(0, paused));

  const CallbackStats& cb = *stats.callbacks;
  m.callbacks = cb.durations.count();
  m.callbackP50 = cb.durations.percentile(0.5);
  m.callbackP99 = cb.durations.percentile(0.99);
  m.callbackMax = cb.durations.max();
  uint64_t slowest = 0;
  for (size_t i = 0; i < kCallbackKinds; ++i) {
    if (cb.maxNanos[i].get() > slowest) {
      slowest = cb.maxNanos[i].get();
      m.slowestCallback = callbackName(static_cast<CallbackKind>(i));
    }
  }
  m.slowCallbacks = cb.slow.get();
  if (const int64_t since = cb.runningSinceNanos.load(); since > 0) {
    m.runningCallback = callbackName(static_cast<CallbackKind>(cb.runningKind.load()));
    m.runningCallbackTime = nanoseconds(std::max<int64_t>(0, now - since));
  }

  m.unacknowledgedUpdates = stats.unacknowledgedUpdates.get();
  m.registrations = stats.registrations.get();
  m.reregistrations = stats.reregistrations.get();
  m.disconnections = stats.disconnections.get();
  if (m.registrations > 0) m.registrationTime = milliseconds(stats.registrationMillis.get());
  m.masterSilentWarnings = stats.masterSilentWarnings.get();
  if (const int64_t started = stats.startedAtNanos.load(); started > 0) {
    m.uptime = duration_cast<milliseconds>(nanoseconds(now - started));
  }
  return m;
}

namespace {

double seconds(nanoseconds d) { return static_cast<double>(d.count()) / 1e9; }

// Every figure once, by its metric name (docs/metrics.md).
std::vector<std::pair<std::string, double>> figures(const DriverMetrics& m) {
  std::vector<std::pair<std::string, double>> out = {
      {"scheduler/event_queue_messages", static_cast<double>(m.eventQueueMessages)},
      {"scheduler/event_queue_dispatches", static_cast<double>(m.eventQueueDispatches)},
      {"scheduler/event_queue_bytes", static_cast<double>(m.eventQueueBytes)},
      {"scheduler/read_paused", m.readPaused ? 1.0 : 0.0},
      {"scheduler/read_pauses", static_cast<double>(m.readPauses)},
      {"scheduler/read_paused_secs", seconds(m.readPausedTime)},
      {"scheduler/messages_received", static_cast<double>(m.messagesReceived)},
      {"scheduler/messages_dropped", static_cast<double>(m.messagesDropped)},
      {"scheduler/bytes_received", static_cast<double>(m.bytesReceived)},
      {"scheduler/bytes_sent", static_cast<double>(m.bytesSent)},
      {"scheduler/callbacks", static_cast<double>(m.callbacks)},
      {"scheduler/callback_secs/p50", seconds(m.callbackP50)},
      {"scheduler/callback_secs/p99", seconds(m.callbackP99)},
      {"scheduler/callback_secs/max", seconds(m.callbackMax)},
      {"scheduler/callbacks_slow", static_cast<double>(m.slowCallbacks)},
      {"scheduler/callback_running_secs", seconds(m.runningCallbackTime)},
      {"scheduler/updates_unacknowledged", static_cast<double>(m.unacknowledgedUpdates)},
      {"scheduler/registrations", static_cast<double>(m.registrations)},
      {"scheduler/reregistrations", static_cast<double>(m.reregistrations)},
      {"scheduler/disconnections", static_cast<double>(m.disconnections)},
      {"scheduler/registration_secs",
       m.registrationTime ? static_cast<double>(m.registrationTime->count()) / 1e3 : 0.0},
      {"scheduler/master_silent_warnings", static_cast<double>(m.masterSilentWarnings)},
      {"scheduler/uptime_secs", static_cast<double>(m.uptime.count()) / 1e3},
  };
  for (const auto& [kind, n] : m.eventsReceived) {
    out.emplace_back("scheduler/events_received/" + kind, static_cast<double>(n));
  }
  for (const auto& [kind, n] : m.callsSent) {
    out.emplace_back("scheduler/calls_sent/" + kind, static_cast<double>(n));
  }
  return out;
}

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

}  // namespace

std::string metricsJson(const DriverMetrics& m) {
  std::vector<std::pair<std::string, double>> all = figures(m);
  std::sort(all.begin(), all.end());
  std::string out = "{";
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) out += ',';
    // Names are ours (fixed text and the kind names above): nothing to escape.
    out += '"' + all[i].first + "\":" + number(all[i].second);
  }
  out += '}';
  return out;
}

std::string metricsPrometheus(const DriverMetrics& m) {
  std::vector<std::pair<std::string, double>> all = figures(m);
  std::sort(all.begin(), all.end());
  std::string out;
  for (const auto& [name, value] : all) {
    // `scheduler/calls_sent/accept` -> `mesos_scheduler_calls_sent_accept`.
    std::string metric = "mesos_" + name;
    std::replace(metric.begin(), metric.end(), '/', '_');
    out += "# TYPE " + metric + " gauge\n" + metric + " " + number(value) + "\n";
  }
  if (!m.slowestCallback.empty()) {
    out += "# TYPE mesos_scheduler_callback_slowest_secs gauge\n"
           "mesos_scheduler_callback_slowest_secs{callback=\"" +
           m.slowestCallback + "\"} " + number(seconds(m.callbackMax)) + "\n";
  }
  return out;
}

void addMetricsRoutes(process::Transport& transport, std::function<DriverMetrics()> metrics) {
  auto serve = [metrics](bool prometheus) {
    return [metrics, prometheus](const process::HttpRequest& request) {
      if (request.method != "GET") {
        process::HttpResponse refused(405, "text/plain", "Only GET is allowed here\n");
        refused.headers.emplace_back("Allow", "GET");
        return refused;
      }
      const DriverMetrics now = metrics();
      if (prometheus) {
        return process::HttpResponse(200, "text/plain; version=0.0.4", metricsPrometheus(now));
      }
      return process::HttpResponse(200, "application/json", metricsJson(now));
    };
  };
  transport.addRoute("/metrics/snapshot", serve(false));
  transport.addRoute("/metrics/prometheus", serve(true));
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
