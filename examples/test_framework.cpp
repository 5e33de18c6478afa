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

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <glog/logging.h>
#include <mesos/scheduler.hpp>

#include "example_flags.hpp"
#include "test_scheduler.hpp"

int main(int argc, char** argv) {
  examples::Flags flags = examples::parseFlags(argc, argv);
  if (!flags.ok) return 2;
  examples::initLogging(argv[0], flags.verbosity);

  examples::TestScheduler scheduler(flags.numTasks, flags.command);
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
  mesos::MesosSchedulerDriver driver(config);
  const mesos::Status status = driver.run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "Summary: " << scheduler.finished() << "/" << flags.numTasks
            << " tasks finished (" << scheduler.launched() << " launched) in " << seconds
            << " s; driver " << mesos::Status_Name(status) << std::endl;
  return status == mesos::DRIVER_STOPPED && !scheduler.failed() ? 0 : 1;
}
