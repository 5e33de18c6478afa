// An example framework: launches `--num_tasks` short command tasks, one per
// offer slot, waits for them to finish, and exits 0 when all did.
//
//   test_framework --master=local --num_tasks=5
//   test_framework --master=127.0.0.1:5050 --principal=p --secret-file=/path
//
// With `--principal` the driver authenticates (CRAM-MD5) before registering;
// the secret is the content of `--secret-file`, without surrounding whitespace.
//
// It shows the usual shape of a scheduler: keep per-task state, launch from
// offers, decline what you do not use, react to every terminal state, stop the
// driver when done.
//
// Up to 20 tasks it prints a line per launch and per update; on longer runs
// a progress line at most once a second instead. A summary ends every run.

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include <glog/logging.h>
#include <mesos/scheduler.hpp>

#include "example_flags.hpp"
#include "test_scheduler.hpp"

int main(int argc, char** argv) {
  examples::Flags flags = examples::parseFlags(argc, argv);
  if (!flags.ok) return 2;
  examples::initLogging(argv[0], flags.verbosity);

  constexpr int kTaskLinesUpTo = 20;
  examples::TestScheduler scheduler(flags.numTasks, flags.command,
                                    flags.numTasks <= kTaskLinesUpTo);
  mesos::FrameworkInfo framework;
  framework.set_name("Test Framework (C++)");
  framework.add_capabilities()->set_type(mesos::FrameworkInfo::Capability::PARTITION_AWARE);

  mesos::DriverConfig config;
  config.scheduler = &scheduler;
  config.framework = framework;
  config.master = flags.master;
  if (!flags.principal.empty()) {
    mesos::Credential credential;
    credential.set_principal(flags.principal);
    if (!flags.secretFile.empty()) {
      // The whole file, less surrounding whitespace (such as the final newline
      // an editor adds).
      std::ifstream in(flags.secretFile);
      std::stringstream content;
      content << in.rdbuf();
      if (!in.good()) {
        std::cerr << "Cannot read the secret from " << flags.secretFile << std::endl;
        return 2;
      }
      std::string secret = content.str();
      const size_t begin = secret.find_first_not_of(" \t\r\n");
      const size_t end = secret.find_last_not_of(" \t\r\n");
      secret = begin == std::string::npos ? "" : secret.substr(begin, end - begin + 1);
      credential.set_secret(secret);
    }
    config.credential = credential;
  }

  const auto start = std::chrono::steady_clock::now();
  auto describe = [&](const examples::TestScheduler::Progress& p) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::ostringstream line;
    line << p.launched << " launched, " << p.running << " running, " << p.finished
         << " finished, " << p.failed << " failed of " << flags.numTasks << "; " << p.offers
         << " offers; " << static_cast<int>(seconds > 0 ? p.finished / seconds : 0)
         << " tasks/s";
    return line.str();
  };
  mesos::MesosSchedulerDriver driver(config);
  mesos::Status status = driver.start();

  // A progress line at most once a second while the driver runs.
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  std::thread progress([&] {
    std::unique_lock<std::mutex> lock(mutex);
    while (!done.wait_for(lock, std::chrono::seconds(1), [&] { return finished; })) {
      std::cout << "Progress: " << describe(scheduler.progress()) << std::endl;
    }
  });
  if (status == mesos::DRIVER_RUNNING) status = driver.join();
  {
    std::lock_guard<std::mutex> lock(mutex);
    finished = true;
  }
  done.notify_all();
  progress.join();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const mesos::DriverMetrics metrics = driver.metrics();
  std::cout << "Summary: " << scheduler.finished() << "/" << flags.numTasks
            << " tasks finished (" << scheduler.launched() << " launched) in " << seconds
            << " s; driver " << mesos::Status_Name(status) << "; " << describe(scheduler.progress())
            << "; " << metrics.callbacks << " callbacks (p99 "
            << metrics.callbackP99.count() / 1000 << " us)" << std::endl;
  return status == mesos::DRIVER_STOPPED && !scheduler.failed() ? 0 : 1;
}
