#pragma once

// The master string `local`: the driver asks a `LocalLauncher` for an embedded
// cluster and detects that cluster's master like any fixed address.
//
// The driver only declares the interface; the simulated cluster (src/master, a
// layer above the driver) implements it, so the driver's own code never
// includes or links the simulator. Which launcher a program has is settled at
// link time: `localLauncher()` has exactly one definition in each of the two
// driver libraries (src/CMakeLists.txt):
//   mesos_scheduler_driver   sched/no_local_launcher.cpp: refuses `local`,
//                            naming the library to link instead;
//   mesos_scheduler          master/local_launcher.cpp: starts a LocalCluster.
// The driver's own objects call it, so the linker always takes the definition
// from the archive that holds them; nothing depends on a static registration
// object surviving the link (see src/CMakeLists.txt for why).
//
// Threads: `launch()` runs on the thread calling `start()`. Lifetime: the driver
// owns the handle and drops it after its I/O thread has stopped.

#include <memory>
#include <string>

#include <mesos/scheduler.hpp>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace sched {

// A cluster started for one driver; destroying the handle stops the cluster.
class LocalClusterHandle {
 public:
  virtual ~LocalClusterHandle() = default;
  // The cluster's master, `master@ip:port`: what the driver detects.
  virtual std::string master() const = 0;
};

class LocalLauncher {
 public:
  virtual ~LocalLauncher() = default;
  // Starts a cluster configured by `config.localCluster` (unset: the `MESOS_*`
  // environment), or says why it cannot.
  virtual Try<std::unique_ptr<LocalClusterHandle>> launch(const DriverConfig& config) = 0;
};

// The launcher this program was linked with (never null).
LocalLauncher& localLauncher();

}  // namespace sched
}  // namespace internal
}  // namespace mesos
