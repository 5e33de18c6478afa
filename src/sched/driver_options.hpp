#pragma once

// Turns a `DriverConfig` plus the environment (`LIBPROCESS_*`, `MESOS_*`) into
// the options of the state machine and of the transport. Explicit config wins.

#include <mesos/scheduler.hpp>

#include "common/try.hpp"
#include "detector/detector.hpp"
#include "process/transport_options.hpp"
#include "sched/scheduler_process.hpp"

namespace mesos {
namespace internal {
namespace sched {

struct ResolvedOptions {
  // The master string for the detector (an `http://` prefix removed).
  std::string master;
  bool https = false;  // The master string said `https://`.
  ProcessOptions process;
  process::TransportOptions transport;
  detector::DetectorOptions detector;
  // The callback watchdog's threshold (0: off).
  std::chrono::milliseconds callbackWarningThreshold{std::chrono::seconds(1)};
};

// Fills an empty `user` (current OS user) and `hostname` (override, else the
// local host name), as Mesos's driver does at construction.
FrameworkInfo completeFrameworkInfo(const DriverConfig& config);

Try<ResolvedOptions> resolveOptions(const DriverConfig& config);

}  // namespace sched
}  // namespace internal
}  // namespace mesos
