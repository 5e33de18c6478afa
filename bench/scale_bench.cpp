// Scale: one driver with many running tasks on the simulated cluster.
//
//   scale_bench --master_binary=PATH [--tasks=50000] [--agents=100] [--timeout=600]
//
// Starts `mesos-local-master` (PATH) as a child process on a free loopback
// port with --agents agents, then runs one framework on this library's public
// API in this process: it launches --tasks long-running tasks (the simulated
// agents' built-in executor, which runs until told to finish) from the offers,
// waits until every one is TASK_RUNNING, injects a master failover (SIGUSR1:
// the master closes every connection and comes back at the same address with
// the agents and their tasks), and once the driver has re-registered asks for
// explicit reconciliation of every task, then implicit reconciliation, and
// waits for an answer for every task each time. Prints one JSON line: the
// phases' times, this process's CPU time and peak RSS (the driver and the
// framework's own bookkeeping, one byte per task; the master is another
// process, whose peak RSS is reported separately), and per phase the CPU
// seconds of this process and of the master ([ours, master]): a phase where
// the master's CPU time is close to the wall time is the master's to speed up.

#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <mesos/scheduler.hpp>

#include "subject_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long statusKiB(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
  }
  return 0;
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

uint16_t freePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// What the framework is waiting for; the main thread waits on `changed`.
enum class Phase { kLaunch, kFailover, kExplicit, kImplicit, kDone };

class ScaleScheduler : public mesos::Scheduler {
 public:
  explicit ScaleScheduler(long tasks) : tasks_(tasks), state_(static_cast<size_t>(tasks), 0) {}

  // After a failover the new master knows the framework only from its agents
  // and answers the re-registration as Mesos does, with registered().
  void registered(mesos::SchedulerDriver*, const mesos::FrameworkID&,
                  const mesos::MasterInfo&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (++registrations_ > 1) reregistered_ = true;
    changed_.notify_all();
  }
  void reregistered(mesos::SchedulerDriver*, const mesos::MasterInfo&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    reregistered_ = true;
    changed_.notify_all();
  }
  void resourceOffers(mesos::SchedulerDriver* driver,
                      const std::vector<mesos::Offer>& offers) override {
    for (const mesos::Offer& offer : offers) {
      double cpus = 0, mem = 0;
      for (const mesos::Resource& r : offer.resources()) {
        if (r.name() == "cpus") cpus = r.scalar().value();
        if (r.name() == "mem") mem = r.scalar().value();
      }
      std::vector<mesos::TaskInfo> launch;
      while (launched_ < tasks_ && cpus >= kCpus && mem >= kMem) {
        launch.push_back(task(offer, launched_++));
        cpus -= kCpus;
        mem -= kMem;
      }
      if (launch.empty()) {
        driver->declineOffer(offer.id());
      } else {
        driver->launchTasks(offer.id(), launch);
      }
    }
  }
  void statusUpdate(mesos::SchedulerDriver*, const mesos::TaskStatus& status) override {
    const long index = std::atol(status.task_id().value().c_str() + 2);
    if (index < 0 || index >= tasks_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (status.reason() == mesos::TaskStatus::REASON_RECONCILIATION) {
      if (phase_ == Phase::kExplicit && state_[index] == 1) {
        state_[index] = 2;
        ++answered_;
      } else if (phase_ == Phase::kImplicit && state_[index] == 2) {
        state_[index] = 3;
        ++answered_;
      }
    } else if (status.state() == mesos::TASK_RUNNING && state_[index] == 0) {
      state_[index] = 1;
      ++running_;
    } else if (status.state() != mesos::TASK_RUNNING && status.state() != mesos::TASK_STARTING) {
      ++unexpected_;
    }
    if (running_ == tasks_ || answered_ == tasks_) changed_.notify_all();
  }
  void disconnected(mesos::SchedulerDriver*) override {}
  void offerRescinded(mesos::SchedulerDriver*, const mesos::OfferID&) override {}
  void frameworkMessage(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                        const std::string&) override {}
  void slaveLost(mesos::SchedulerDriver*, const mesos::SlaveID&) override {}
  void executorLost(mesos::SchedulerDriver*, const mesos::ExecutorID&, const mesos::SlaveID&,
                    int) override {}
  void error(mesos::SchedulerDriver*, const std::string& message) override {
    std::cerr << "scale_bench: error: " << message << std::endl;
    std::lock_guard<std::mutex> lock(mutex_);
    failed_ = true;
    changed_.notify_all();
  }

  // Waits until `done` (under the lock) or the deadline; false on timeout or error.
  template <typename Done>
  bool waitFor(Clock::time_point deadline, Done done) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return failed_ || done(); }) && !failed_;
  }
  bool allRunning() const { return running_ == tasks_; }
  bool allAnswered() const { return answered_ == tasks_; }
  bool reregistered() const { return reregistered_; }
  long unexpected() const { return unexpected_; }
  // Starts a reconciliation phase: the answers counted from here.
  void begin(Phase phase) {
    std::lock_guard<std::mutex> lock(mutex_);
    phase_ = phase;
    answered_ = 0;
  }
  std::vector<mesos::TaskStatus> statuses() const {
    std::vector<mesos::TaskStatus> out(static_cast<size_t>(tasks_));
    for (long i = 0; i < tasks_; ++i) {
      out[i].mutable_task_id()->set_value(taskId(i));
      out[i].set_state(mesos::TASK_RUNNING);
    }
    return out;
  }

 private:
  static constexpr double kCpus = 0.01;
  static constexpr double kMem = 1;

  static std::string taskId(long i) { return "t-" + std::to_string(i); }
  static mesos::TaskInfo task(const mesos::Offer& offer, long i) {
    mesos::TaskInfo task;
    task.set_name("scale");
    task.mutable_task_id()->set_value(taskId(i));
    *task.mutable_slave_id() = offer.slave_id();
    for (auto [name, value] : {std::pair<const char*, double>{"cpus", kCpus}, {"mem", kMem}}) {
      mesos::Resource* r = task.add_resources();
      r->set_name(name);
      r->set_type(mesos::Value::SCALAR);
      r->mutable_scalar()->set_value(value);
    }
    // The built-in executor: runs until told to finish (no process per task).
    mesos::ExecutorInfo* executor = task.mutable_executor();
    executor->mutable_executor_id()->set_value("scale-executor");
    executor->mutable_command()->set_value("true");
    return task;
  }

  const long tasks_;
  long launched_ = 0;  // Callback thread only.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<uint8_t> state_;  // 0 launched, 1 running, 2 explicit answer, 3 implicit answer.
  long running_ = 0;
  long answered_ = 0;
  long unexpected_ = 0;
  int registrations_ = 0;
  bool reregistered_ = false;
  bool failed_ = false;
  Phase phase_ = Phase::kLaunch;
};

std::string flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind(prefix, 0) == 0) return argv[i] + prefix.size();
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string binary = flag(argc, argv, "master_binary", "");
  const long tasks = std::atol(flag(argc, argv, "tasks", "50000").c_str());
  const long agents = std::atol(flag(argc, argv, "agents", "100").c_str());
  const long timeoutSeconds = std::atol(flag(argc, argv, "timeout", "600").c_str());
  if (binary.empty() || tasks <= 0 || agents <= 0) {
    std::cerr << "usage: scale_bench --master_binary=PATH [--tasks=N] [--agents=N]" << std::endl;
    return 2;
  }
  const uint16_t port = freePort();
  // Room for every task on every agent, offered often.
  const long perAgent = (tasks + agents - 1) / agents;
  bench::SubjectProcess master(
      {binary, "--ip=127.0.0.1", "--port=" + std::to_string(port),
       "--agents=" + std::to_string(agents), "--agent_cpus=" + std::to_string(perAgent / 100 + 1),
       "--agent_mem=" + std::to_string(perAgent + 64), "--allocation_interval=100ms", "--quiet"},
      {});
  const auto deadline = Clock::now() + std::chrono::seconds(timeoutSeconds);
  auto fail = [&](const std::string& what) {
    std::cout << "{\"workload\": \"scale\", \"tasks\": " << tasks << ", \"error\": \"" << what
              << "\"}" << std::endl;
    return 1;
  };
  // The banner ("Simulated master ... at ...") comes once the master listens.
  {
    FILE* out = fdopen(master.releaseStdout(), "r");
    char line[512];
    bool listening = false;
    while (!listening && out != nullptr && std::fgets(line, sizeof line, out) != nullptr) {
      listening = std::string(line).rfind("Simulated master", 0) == 0;
    }
    if (!listening) return fail("mesos-local-master did not start");
    // Its later output is not read; the pipe stays open until it exits.
    (void)out;
  }

  ScaleScheduler scheduler(tasks);
  mesos::DriverConfig config;
  config.scheduler = &scheduler;
  config.framework.set_name("scale bench");
  config.framework.set_user("bench");
  config.framework.set_failover_timeout(3600);
  config.master = "127.0.0.1:" + std::to_string(port);
  mesos::MesosSchedulerDriver driver(config);

  // CPU seconds of this process and of the master at a phase's end.
  auto masterCpu = [&master] {
    bench::ProcSample sample;
    std::string error;
    return master.sample(&sample, &error) ? sample.cpuSeconds : 0.0;
  };
  std::vector<std::pair<double, double>> cpu{{cpuSeconds(), masterCpu()}};
  auto phaseCpu = [&] {
    cpu.emplace_back(cpuSeconds(), masterCpu());
    const auto& [self, other] = cpu[cpu.size() - 2];
    char text[96];
    std::snprintf(text, sizeof text, "[%.3f, %.3f]", cpu.back().first - self,
                  cpu.back().second - other);
    return std::string(text);
  };
  const Clock::time_point start = Clock::now();
  if (driver.start() != mesos::DRIVER_RUNNING) return fail("driver did not start");
  if (!scheduler.waitFor(deadline, [&] { return scheduler.allRunning(); })) {
    return fail("not every task reached TASK_RUNNING");
  }
  const double launchSeconds = secondsSince(start);
  const std::string launchCpus = phaseCpu();
  const long launchPeak = statusKiB("/proc/self/status", "VmHWM");

  const Clock::time_point failover = Clock::now();
  kill(master.pid(), SIGUSR1);
  if (!scheduler.waitFor(deadline, [&] { return scheduler.reregistered(); })) {
    return fail("no re-registration after the failover");
  }
  const double reregisterSeconds = secondsSince(failover);
  const std::string failoverCpus = phaseCpu();
  const long failoverPeak = statusKiB("/proc/self/status", "VmHWM");
  scheduler.begin(Phase::kExplicit);
  Clock::time_point phase = Clock::now();
  driver.reconcileTasks(scheduler.statuses());
  if (!scheduler.waitFor(deadline, [&] { return scheduler.allAnswered(); })) {
    return fail("explicit reconciliation did not answer every task");
  }
  const double explicitSeconds = secondsSince(phase);
  const std::string explicitCpus = phaseCpu();
  const long explicitPeak = statusKiB("/proc/self/status", "VmHWM");
  scheduler.begin(Phase::kImplicit);
  phase = Clock::now();
  driver.reconcileTasks({});
  if (!scheduler.waitFor(deadline, [&] { return scheduler.allAnswered(); })) {
    return fail("implicit reconciliation did not answer every task");
  }
  const double implicitSeconds = secondsSince(phase);
  const std::string implicitCpus = phaseCpu();

  const std::string self = "/proc/self/status";
  const std::string masterStatus = "/proc/" + std::to_string(master.pid()) + "/status";
  const long peak = statusKiB(self, "VmHWM");
  const long masterPeak = statusKiB(masterStatus, "VmHWM");
  const double totalCpu = cpuSeconds();
  driver.stop(false);
  driver.join();
  std::printf(
      "{\"workload\": \"scale\", \"tasks\": %ld, \"agents\": %ld, \"launch_s\": %.3f, "
      "\"reregister_s\": %.3f, \"explicit_s\": %.3f, \"implicit_s\": "
      "%.3f, \"cpu_s\": %.3f, \"peak_rss_kib\": %ld, \"launch_peak_rss_kib\": %ld, "
      "\"failover_peak_rss_kib\": %ld, \"explicit_peak_rss_kib\": %ld, "
      "\"master_peak_rss_kib\": %ld, \"unexpected_updates\": %ld, \"cpu_s_by_phase\": "
      "{\"launch\": %s, \"failover\": %s, \"explicit\": %s, \"implicit\": %s}}\n",
      tasks, agents, launchSeconds, reregisterSeconds, explicitSeconds,
      implicitSeconds, totalCpu, peak, launchPeak, failoverPeak, explicitPeak, masterPeak,
      scheduler.unexpected(), launchCpus.c_str(), failoverCpus.c_str(), explicitCpus.c_str(),
      implicitCpus.c_str());
  return 0;
}
