// An example of a long-lived framework: keeps `--tasks` tasks running, replaces
// any that end, and survives its own restart. The driver keeps its FrameworkID
// in `--framework_id_file` (DriverConfig::frameworkIdFile); a restarted
// scheduler fails over to the running framework (within `--failover_timeout`
// seconds), then reconciles to learn the state of its tasks. If the master
// removed the framework meanwhile, it starts a new one (kStartFresh).
//
//   mesos-local-master --port=5050 &
//   long_lived_framework --master=127.0.0.1:5050              # until Ctrl-C
//   long_lived_framework --master=127.0.0.1:5050              # fails over
//   long_lived_framework --master=127.0.0.1:5050 --run_seconds=1 --teardown
//
// Runs until SIGINT or SIGTERM (or for `--run_seconds`, when given), then
// stops with failover, so that the next instance takes the tasks over; logs
// the driver's metrics every 10 s. Exits 0 with every wanted task running;
// non-zero on an error from the driver.
//
// After a failover, the earlier instance's tasks are adopted and count toward
// `--tasks` (see long_lived_scheduler.hpp).

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <glog/logging.h>
#include <mesos/scheduler.hpp>

#include "example_flags.hpp"
#include "long_lived_scheduler.hpp"

namespace {

using namespace examples;

volatile std::sig_atomic_t stopRequested = 0;
void requestStop(int) { stopRequested = 1; }

// The figures an operator looks at first (docs/metrics.md has all of them).
void logMetrics(const DriverMetrics& m) {
  std::cout << "Metrics: " << m.registrations << " registrations, " << m.disconnections
            << " disconnections, " << m.messagesReceived << " messages in, " << m.messagesDropped
            << " dropped, " << m.callbacks << " callbacks (p99 " << m.callbackP99.count() / 1000
            << " us, slowest " << (m.slowestCallback.empty() ? "none" : m.slowestCallback)
            << "), " << m.unacknowledgedUpdates << " updates unacknowledged, "
            << m.eventQueueMessages << " events queued" << std::endl;
}

bool parse(int argc, char** argv, LongLivedOptions* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--master") o->master = value;
    else if (name == "--tasks") o->tasks = std::atoi(value.c_str());
    else if (name == "--run_seconds") o->runSeconds = std::atoi(value.c_str());
    else if (name == "--failover_timeout") o->failoverTimeout = std::atof(value.c_str());
    else if (name == "--framework_id_file") o->frameworkIdFile = value;
    else if (name == "--teardown") o->teardown = true;
    else if (name == "--v") o->verbosity = std::atoi(value.c_str());
    else {
      std::cerr << "Unknown flag " << arg << "\nUsage: " << argv[0]
                << " [--master=local] [--tasks=3] [--run_seconds=0 (until SIGINT/SIGTERM)]"
                   " [--failover_timeout=60]"
                   " [--framework_id_file=PATH] [--teardown] [--v=N]\n";
      return false;
    }
  }
  return o->tasks > 0 && o->runSeconds >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  LongLivedOptions options;
  if (!parse(argc, argv, &options)) return 2;
  examples::initLogging(argv[0], options.verbosity);

  LongLivedScheduler scheduler(options);
  DriverConfig config;
  config.scheduler = &scheduler;
  config.master = options.master;
  config.framework.set_name("Long Lived Framework (C++)");
  config.framework.set_failover_timeout(options.failoverTimeout);
  // The embedded cluster is new on every run: nothing there to fail over to.
  if (options.master != "local") {
    std::ifstream saved(options.frameworkIdFile);
    std::string id;
    if (std::getline(saved, id) && !id.empty()) {
      std::cout << "Failing over to framework " << id << std::endl;
    }
    config.frameworkIdFile = options.frameworkIdFile;
    config.onFrameworkRemoved = DriverConfig::FrameworkRemovedPolicy::kStartFresh;
  }

  std::signal(SIGINT, requestStop);
  std::signal(SIGTERM, requestStop);
  MesosSchedulerDriver driver(config);
  if (driver.start() != DRIVER_RUNNING) return 1;
  const auto start = std::chrono::steady_clock::now();
  auto lastMetrics = start;
  while (!stopRequested && !driver.stopped() &&
         (options.runSeconds == 0 ||
          std::chrono::steady_clock::now() < start + std::chrono::seconds(options.runSeconds))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (std::chrono::steady_clock::now() - lastMetrics >= std::chrono::seconds(10)) {
      lastMetrics = std::chrono::steady_clock::now();
      logMetrics(driver.metrics());
    }
  }
  if (stopRequested) std::cout << "Stopping (signal received)" << std::endl;
  const LongLivedScheduler::Counts counts = scheduler.counts();
  // Without --teardown the framework stays (failover): a restarted scheduler
  // takes its tasks back within the failover timeout.
  driver.stop(/*failover=*/!options.teardown);
  if (options.teardown) std::remove(options.frameworkIdFile.c_str());
  std::cout << "Summary: " << counts.running << "/" << options.tasks << " tasks running ("
            << counts.adopted << " adopted from an earlier instance), " << counts.replaced
            << " replaced, " << counts.killed << " surplus killed; framework "
            << (options.teardown ? "torn down" : "left for failover") << std::endl;
  return !scheduler.failed() && counts.running == options.tasks ? 0 : 1;
}
