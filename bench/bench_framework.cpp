// The benchmark subject on this library's driver, written against the public
// API only, as a framework author would: callbacks do no work beyond what the
// workload needs. The load master starts it with
//
//   bench_framework [--api=http] --master=HOST:PORT --workload=W --n=N
//
// With --api=http the same code runs on the v1 scheduler HTTP API (subject
// ours-http): the driver subscribes at http://HOST:PORT/api/v1/scheduler and
// sends its acknowledgements and declines as POSTs.
//
// updates/latency: statusUpdate() does nothing (the driver acknowledges after it
// returns). offers: every offer is declined. reconcile: on registration it asks
// for explicit reconciliation of N tasks and prints `reconciled N` once N
// statusUpdate() callbacks have run. It runs until it is killed.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <mesos/scheduler.hpp>

#include "subject_flags.hpp"

namespace {

class BenchScheduler : public mesos::Scheduler {
 public:
  BenchScheduler(std::string workload, long n, long callbackMicros)
      : workload_(std::move(workload)), n_(n), callbackMicros_(callbackMicros) {}

  void registered(mesos::SchedulerDriver* driver, const mesos::FrameworkID&,
                  const mesos::MasterInfo&) override {
    std::cout << "registered" << std::endl;
    if (workload_ != "reconcile") return;
    std::vector<mesos::TaskStatus> statuses(static_cast<size_t>(n_));
    for (long i = 0; i < n_; ++i) {
      statuses[i].mutable_task_id()->set_value("bench-task-" + std::to_string(i));
      statuses[i].set_state(mesos::TASK_RUNNING);
    }
    driver->reconcileTasks(statuses);
  }
  void resourceOffers(mesos::SchedulerDriver* driver,
                      const std::vector<mesos::Offer>& offers) override {
    for (const mesos::Offer& offer : offers) driver->declineOffer(offer.id());
  }
  void statusUpdate(mesos::SchedulerDriver*, const mesos::TaskStatus&) override {
    if (callbackMicros_ > 0) {
      // A slow framework: busy, not asleep, as real per-update work would be.
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::microseconds(callbackMicros_);
      while (std::chrono::steady_clock::now() < until) {
      }
    }
    if (++updates_ == n_ && workload_ == "reconcile") {
      std::cout << "reconciled " << updates_ << std::endl;
    }
  }
  void reregistered(mesos::SchedulerDriver*, const mesos::MasterInfo&) override {}
  void disconnected(mesos::SchedulerDriver*) override {}
  void offerRescinded(mesos::SchedulerDriver*, const mesos::OfferID&) override {}
  void frameworkMessage(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                        const std::string&) override {}
  void slaveLost(mesos::SchedulerDriver*, const mesos::SlaveID&) override {}
  void executorLost(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                    int) override {}
  void error(mesos::SchedulerDriver*, const std::string& message) override {
    std::cerr << "bench_framework: error: " << message << std::endl;
  }

 private:
  const std::string workload_;
  const long n_;
  const long callbackMicros_;
  long updates_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::optional<bench::SubjectFlags> flags = bench::parseSubjectFlags(argc, argv);
  if (!flags) return 2;
  BenchScheduler scheduler(flags->workload, flags->n, flags->callbackMicros);
  mesos::DriverConfig config;
  config.scheduler = &scheduler;
  config.framework.set_name("bench (C++ driver)");
  config.framework.set_user("bench");
  config.master = flags->master;
  config.api = flags->api == "http" ? mesos::DriverConfig::Api::kHttp
                                    : mesos::DriverConfig::Api::kLibprocess;
  if (flags->maxQueuedEvents > 0) config.maxQueuedEvents = flags->maxQueuedEvents;
  mesos::MesosSchedulerDriver driver(config);
  return driver.run() == mesos::DRIVER_STOPPED ? 0 : 1;
}
