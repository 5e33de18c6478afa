// `localLauncher()` of mesos_scheduler, the driver with the simulated cluster
// (sched/local_launcher.hpp): `master = "local"` starts a LocalCluster owned by
// the driver, configured by `DriverConfig::localCluster` or, unset, the
// `MESOS_*` variables (LocalClusterOptions::fromEnvironment), like Mesos's
// `local`. Compiled into mesos_scheduler only, never into mesos_master, so that
// each driver library holds exactly one definition.

#include <glog/logging.h>
#include <mesos/local/cluster.hpp>

#include "sched/local_launcher.hpp"

namespace mesos {
namespace internal {
namespace sched {

namespace {

class ClusterHandle final : public LocalClusterHandle {
 public:
  explicit ClusterHandle(std::unique_ptr<local::LocalCluster> cluster)
      : cluster_(std::move(cluster)) {}
  std::string master() const override { return cluster_->master(); }

 private:
  std::unique_ptr<local::LocalCluster> cluster_;
};

class ClusterLauncher final : public LocalLauncher {
 public:
  Try<std::unique_ptr<LocalClusterHandle>> launch(const DriverConfig& config) override {
    std::string problems;
    local::LocalClusterOptions options =
        config.localCluster ? *config.localCluster
                            : local::LocalClusterOptions::fromEnvironment(&problems);
    if (!options.tls) options.tls = config.tls;
    if (!problems.empty()) LOG(WARNING) << "Local cluster configuration: " << problems;
    std::string error;
    std::unique_ptr<local::LocalCluster> cluster = local::LocalCluster::start(options, &error);
    if (!cluster) return Error(error);
    return std::unique_ptr<LocalClusterHandle>(std::make_unique<ClusterHandle>(std::move(cluster)));
  }
};

}  // namespace

LocalLauncher& localLauncher() {
  // Never destroyed: a driver may still start during static destruction.
  static LocalLauncher* const launcher = new ClusterLauncher();
  return *launcher;
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
