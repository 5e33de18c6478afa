// An example of a long-lived framework: keeps `--tasks` tasks running, replaces
// any that end, and survives its own restart. Its FrameworkID is saved to
// `--framework_id_file`; a restarted scheduler reads it back and fails over to
// the running framework (within `--failover_timeout` seconds), then reconciles
// to learn the state of its tasks.
//
//   mesos-local-master --port=5050 &
//   long_lived_framework --master=127.0.0.1:5050 --run_seconds=5
//   long_lived_framework --master=127.0.0.1:5050 --run_seconds=5   # fails over
//   long_lived_framework --master=127.0.0.1:5050 --run_seconds=1 --teardown
//
// Exits 0 after `--run_seconds` with every wanted task running; non-zero on an
// error from the driver.
//
// After a failover, the earlier instance's tasks are adopted and count toward
// `--tasks` (see long_lived_scheduler.hpp).

#include <chrono>
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
                << " [--master=local] [--tasks=3] [--run_seconds=5] [--failover_timeout=60]"
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
  FrameworkInfo framework;
  framework.set_name("Long Lived Framework (C++)");
  framework.set_failover_timeout(options.failoverTimeout);
  std::ifstream saved(options.frameworkIdFile);
  std::string id;
  if (options.master != "local" && std::getline(saved, id) && !id.empty()) {
    std::cout << "Failing over to framework " << id << std::endl;
    framework.mutable_id()->set_value(id);
  }

  MesosSchedulerDriver driver(&scheduler, framework, options.master);
  if (driver.start() != DRIVER_RUNNING) return 1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.runSeconds);
  while (std::chrono::steady_clock::now() < deadline && !driver.stopped()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
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
