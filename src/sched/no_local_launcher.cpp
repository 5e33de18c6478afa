// `localLauncher()` of mesos_scheduler_driver, the driver without the simulated
// cluster (sched/local_launcher.hpp): `master = "local"` makes start() return
// DRIVER_ABORTED and call error() with this message.

#include "sched/local_launcher.hpp"

namespace mesos {
namespace internal {
namespace sched {

namespace {

class NoLocalLauncher final : public LocalLauncher {
 public:
  Try<std::unique_ptr<LocalClusterHandle>> launch(const DriverConfig&) override {
    return Error(
        "this program is linked with mesos_scheduler_driver, the driver without the embedded "
        "simulated cluster; link mesos_scheduler (the installed mesos::scheduler, "
        "-lmesos-scheduler) to use master 'local'");
  }
};

}  // namespace

LocalLauncher& localLauncher() {
  // Never destroyed: a driver may still start during static destruction.
  static LocalLauncher* const launcher = new NoLocalLauncher();
  return *launcher;
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
