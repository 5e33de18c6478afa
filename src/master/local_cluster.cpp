#include <mesos/local/cluster.hpp>

#include <cstdlib>
#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "auth/credentials.hpp"
#include "common/duration.hpp"
#include "master/master.hpp"

namespace mesos {
namespace local {

using internal::master::MasterOptions;
using internal::master::SimulatedMaster;

struct LocalCluster::Impl {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::unique_ptr<SimulatedMaster> master;
  std::thread thread;
  std::string pid;
  MasterOptions options;

  template <typename F>
  auto run(F&& fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::forward<F>(fn));
    auto result = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return result.get();
  }

  ~Impl() {
    if (!thread.joinable()) return;
    run([this] {
      master.reset();
      return 0;
    });
    work.reset();
    io.stop();
    thread.join();
  }
};

LocalClusterOptions LocalClusterOptions::fromEnvironment(std::string* error) {
  LocalClusterOptions options;
  auto complain = [error](const std::string& why) {
    if (error != nullptr) *error += (error->empty() ? "" : "; ") + why;
  };
  if (const char* n = std::getenv("MESOS_NUM_SLAVES")) {
    const int agents = std::atoi(n);
    if (agents > 0 && agents <= 1000) {
      options.agents = agents;
    } else {
      complain(std::string("MESOS_NUM_SLAVES='") + n + "' is not a number in 1..1000");
    }
  }
  if (const char* attributes = std::getenv("MESOS_ATTRIBUTES")) {
    options.agentAttributes = attributes;
  }
  if (const char* workDir = std::getenv("MESOS_WORK_DIR")) options.workDir = workDir;
  if (const char* resources = std::getenv("MESOS_RESOURCES")) {
    options.agentResources = resources;  // Checked when the cluster starts.
  }
  if (std::getenv("MESOS_ALLOCATION_INTERVAL") != nullptr) {
    auto d = internal::durationFromEnv("MESOS_ALLOCATION_INTERVAL", options.allocationInterval);
    if (d.isSome() && d->count() > 0) options.allocationInterval = d.get();
    else complain(d.isError() ? d.error() : "MESOS_ALLOCATION_INTERVAL must be positive");
  }
  if (std::getenv("MESOS_OFFER_TIMEOUT") != nullptr) {
    auto d = internal::durationFromEnv("MESOS_OFFER_TIMEOUT", std::chrono::milliseconds(0));
    if (d.isSome()) options.offerTimeout = d.get();
    else complain(d.error());
  }
  for (const char* name : {"MESOS_AUTHENTICATE_FRAMEWORKS", "MESOS_AUTHENTICATE"}) {
    const char* value = std::getenv(name);
    if (value == nullptr) continue;
    const std::string text = value;
    if (text == "true" || text == "1") {
      options.authenticateFrameworks = true;
    } else if (text != "false" && text != "0") {
      complain(std::string(name) + "='" + text + "' is not true or false");
    }
    break;
  }
  if (const char* path = std::getenv("MESOS_CREDENTIALS")) {
    auto credentials = internal::auth::loadCredentialsFile(path);
    if (credentials.isSome()) options.credentials = credentials.get();
    else complain(credentials.error());
  }
  return options;
}

LocalCluster::LocalCluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalCluster::~LocalCluster() = default;

std::unique_ptr<LocalCluster> LocalCluster::start(const LocalClusterOptions& options,
                                                  std::string* error) {
  MasterOptions m;
  m.ip = options.ip;
  m.port = options.port;
  m.numAgents = options.agents;
  m.agentCpus = options.agentCpus;
  m.agentMem = options.agentMem;
  m.agentDisk = options.agentDisk;
  m.agentResources = options.agentResources;
  m.agentAttributes = options.agentAttributes;
  m.allocationInterval = options.allocationInterval;
  m.offerTimeout = options.offerTimeout;
  m.taskRunTime = options.taskRunTime;
  m.realCommands = options.realCommands;
  m.workDir = options.workDir;
  m.statusUpdateRetry = options.statusUpdateRetry;
  m.authenticateFrameworks = options.authenticateFrameworks;
  m.credentials = options.credentials;
  m.authenticationTimeout = options.authenticationTimeout;
  m.heartbeatInterval = options.heartbeatInterval;
  m.authenticateHttpFrameworks = options.authenticateHttpFrameworks;
  internal::Try<std::shared_ptr<const internal::process::TlsContext>> tls =
      internal::process::tlsFromConfig(options.tls.value_or(TlsConfig{}));
  if (tls.isError()) {
    if (error != nullptr) *error = "Failed to start the local cluster: " + tls.error();
    return nullptr;
  }
  m.tls = tls.get();

  auto impl = std::make_unique<Impl>();
  impl->options = m;
  impl->master = std::make_unique<SimulatedMaster>(impl->io, m);
  // Started before the thread runs, so nothing else touches it concurrently.
  internal::Try<internal::Nothing> started = impl->master->start();
  if (started.isError()) {
    if (error != nullptr) *error = "Failed to start the local cluster: " + started.error();
    return nullptr;
  }
  impl->pid = impl->master->pid().toString();
  // Once, at WARNING (shown by default): where a user can look at the cluster.
  const internal::process::UPID& pid = impl->master->pid();
  LOG(WARNING) << "Local cluster: master at " << (m.tls ? "https" : "http") << "://"
               << internal::process::formatIp(pid.ip) << ":" << pid.port
               << "/ (state at /master/state)";
  impl->work.emplace(boost::asio::make_work_guard(impl->io));
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<LocalCluster>(new LocalCluster(std::move(impl)));
}

std::string LocalCluster::master() const {
  return impl_->run([&] { return impl_->pid; });
}

bool LocalCluster::removeAgent(size_t index) {
  return impl_->run([&] { return impl_->master && impl_->master->removeAgent(index); });
}

std::string LocalCluster::stateJson() const {
  return impl_->run([&] { return impl_->master ? impl_->master->stateJson() : std::string("{}"); });
}

bool LocalCluster::restartMaster(std::string* error) {
  return impl_->run([&] {
    MasterOptions options = impl_->options;
    if (impl_->master) options.port = impl_->master->pid().port;
    impl_->master.reset();
    impl_->master = std::make_unique<SimulatedMaster>(impl_->io, options);
    internal::Try<internal::Nothing> started = impl_->master->start();
    if (started.isError()) {
      if (error != nullptr) *error = "Failed to restart the master: " + started.error();
      impl_->master.reset();
      return false;
    }
    impl_->pid = impl_->master->pid().toString();
    return true;
  });
}

}  // namespace local
}  // namespace mesos
