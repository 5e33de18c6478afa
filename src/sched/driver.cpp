// `MesosSchedulerDriver`: the thread-safe facade over the I/O thread (transport +
// state machine) and the callback thread. See scheduler.hpp for the contract.

#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <glog/logging.h>
#include <mesos/scheduler.hpp>

#include "detector/detector.hpp"
#include "process/transport.hpp"
#include "sched/callback_queue.hpp"
#include "sched/callback_watchdog.hpp"
#include "sched/driver_stats.hpp"
#include "sched/driver_options.hpp"
#include "sched/local_launcher.hpp"
#include "sched/scheduler_process.hpp"

namespace mesos {

using internal::Nothing;
using internal::Try;
using internal::sched::CallbackKind;
using internal::sched::CallbackQueue;
using internal::sched::SchedulerProcess;
namespace asio = boost::asio;

class MesosSchedulerDriver::Impl {
 public:
  Impl(SchedulerDriver* driver, DriverConfig config)
      : driver_(driver), config_(std::move(config)), scheduler_(config_.scheduler) {}

  ~Impl() { shutdown(); }

  // Stops both threads; idempotent. Run by the facade's destructor while the
  // facade is still whole, so that an error() owed to the scheduler can still
  // call the driver (see CallbackQueue::shutdown()).
  void shutdown();

  Status start();
  Status stop(bool failover);
  Status abort();
  Status join();
  Status status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
  }
  // Never true once stopped or aborted, whatever the I/O thread last saw.
  bool connected() const { return running_->load() && connected_.load(); }
  DriverMetrics metrics() const;
  bool implicitAcknowledgements() const { return config_.implicitAcknowledgements; }

  // Runs `fn(process)` on the I/O thread if the driver is running.
  template <typename F>
  Status dispatch(F&& fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_ != DRIVER_RUNNING) return status_;
    ++stats_->dispatchesPending;
    asio::post(io_, [process = process_, stats = stats_, fn = std::forward<F>(fn)]() mutable {
      --stats->dispatchesPending;
      fn(*process);
    });
    return status_;
  }

  // Aborts the driver, then (always) delivers `error(message)`. Thread: any.
  Status abortWithError(const std::string& message);

 private:
  Status failStart(std::unique_lock<std::mutex>& lock, const std::string& message);
  SchedulerProcess::FacadeHandlers makeFacadeHandlers();
  void setReadPaused(bool paused);  // I/O thread.

  SchedulerDriver* const driver_;
  const DriverConfig config_;
  Scheduler* const scheduler_;

  mutable std::mutex mutex_;
  std::condition_variable stateChanged_;
  Status status_ = DRIVER_NOT_STARTED;
  std::atomic<bool> connected_{false};
  // False once stopped or aborted: checked before sending an implicit ack.
  // Shared with the callbacks, which may run on after the driver is destroyed
  // from inside one of them.
  const std::shared_ptr<std::atomic<bool>> running_ = std::make_shared<std::atomic<bool>>(false);
  bool shutDown_ = false;  // Under mutex_.
  // Backpressure (I/O thread writes; any thread reads).
  std::atomic<bool> readPaused_{false};
  std::atomic<uint64_t> readPauses_{0};
  // What metrics() reports; shared with the runtime and the callback queue.
  const std::shared_ptr<internal::sched::DriverStats> stats_ =
      std::make_shared<internal::sched::DriverStats>();

  // Declared first: destroyed last, after everything that holds handlers on it.
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::unique_ptr<internal::process::Transport> transport_;
  std::shared_ptr<SchedulerProcess> process_;
  std::unique_ptr<CallbackQueue> callbacks_;
  std::unique_ptr<internal::sched::CallbackWatchdog> watchdog_;  // I/O thread.
  // The embedded simulated cluster when the master string is `local`.
  std::unique_ptr<internal::sched::LocalClusterHandle> localCluster_;
  std::thread ioThread_;
};

SchedulerProcess::FacadeHandlers MesosSchedulerDriver::Impl::makeFacadeHandlers() {
  SchedulerProcess::FacadeHandlers hooks;
  CallbackQueue* callbacks = callbacks_.get();
  Scheduler* scheduler = scheduler_;
  SchedulerDriver* driver = driver_;
  // Both run on the I/O thread, which the destructor joins before the queue goes.
  hooks.callback = [this, callbacks, scheduler, driver](SchedulerProcess::SchedulerCall call,
                                                        size_t bytes, CallbackKind kind) {
    const bool full =
        callbacks->push([call = std::move(call), scheduler, driver] { call(scheduler, driver); },
                        bytes, kind);
    if (full) setReadPaused(true);
  };
  hooks.statusUpdate = [this, callbacks, scheduler, driver](
                           TaskStatus status, std::optional<SchedulerProcess::ImplicitAck> ack,
                           size_t bytes) {
    // Runs on the callback thread, possibly after the driver was destroyed by
    // the callback itself: it touches only what it owns or shares.
    auto run = [running = running_, status = std::move(status), ack = std::move(ack), scheduler,
                driver]() mutable {
      bool returned = false;
      try {
        scheduler->statusUpdate(driver, status);
        returned = true;
      } catch (const std::exception& e) {
        LOG(ERROR) << "statusUpdate() threw for task " << status.task_id().value() << ": "
                   << e.what() << "; the update is not acknowledged (it will be sent again)";
      } catch (...) {
        LOG(ERROR) << "statusUpdate() threw for task " << status.task_id().value()
                   << "; the update is not acknowledged (it will be sent again)";
      }
      if (!ack) return;
      // An abort() or stop() inside the callback suppresses the acknowledgement,
      // and so does a callback that did not return: the framework has not
      // processed the update, so the agent's retry gives it another chance.
      ack->send = returned && running->load();
      ack->status = std::move(status);
      // Taken out first: an ack that held its outbox while queued in it
      // would keep the outbox alive forever if the drain never ran.
      std::shared_ptr<internal::sched::AckOutbox> outbox = std::move(ack->outbox);
      outbox->addDeferred(std::move(*ack));  // Sent at the batch's flush.
    };
    if (callbacks->push(std::move(run), bytes, CallbackKind::kStatusUpdate)) setReadPaused(true);
  };
  hooks.abortWithError = [this](const std::string& message) { abortWithError(message); };
  hooks.connected = &connected_;
  return hooks;
}

void MesosSchedulerDriver::Impl::setReadPaused(bool paused) {
  if ((!transport_ && !process_) || readPaused_.load() == paused) return;
  if (paused) {
    ++readPauses_;
    VLOG(1) << "Callback queue full (" << callbacks_->depth() << " events, " << callbacks_->bytes()
            << " bytes); pausing reads until it drains";
  } else {
    VLOG(1) << "Callback queue drained; reading again";
  }
  readPaused_ = paused;
  const int64_t now = internal::sched::steadyNanos();
  if (paused) {
    stats_->readPausedSinceNanos.store(now);
  } else if (const int64_t since = stats_->readPausedSinceNanos.exchange(0); since > 0) {
    stats_->readPausedNanos.add(static_cast<uint64_t>(now - since));
  }
  if (transport_) {
    transport_->setReadPaused(paused);
  } else {
    process_->setReadPaused(paused);  // The HTTP API's event stream.
  }
}

DriverMetrics MesosSchedulerDriver::Impl::metrics() const {
  DriverMetrics metrics = internal::sched::snapshot(*stats_);
  std::lock_guard<std::mutex> lock(mutex_);
  if (callbacks_) {
    metrics.eventQueueMessages = callbacks_->depth();
    metrics.eventQueueBytes = callbacks_->bytes();
  }
  metrics.readPaused = readPaused_.load();
  metrics.readPauses = readPauses_.load();
  return metrics;
}

Status MesosSchedulerDriver::Impl::failStart(std::unique_lock<std::mutex>& lock,
                                             const std::string& message) {
  // Caller holds `lock`. As Mesos, error() has run when start() returns; it
  // runs on the callback thread like every callback, and without the lock, so
  // it may call the driver.
  LOG(ERROR) << message;
  status_ = DRIVER_ABORTED;
  stateChanged_.notify_all();
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> ran = done->get_future();
  Scheduler* scheduler = scheduler_;
  SchedulerDriver* driver = driver_;
  callbacks_->pushAlways(
      [scheduler, driver, message, done] {
        struct Signal {
          std::shared_ptr<std::promise<void>> done;
          ~Signal() { done->set_value(); }
        } signal{done};
        scheduler->error(driver, message);
      },
      CallbackKind::kError);
  lock.unlock();
  ran.wait();
  return DRIVER_ABORTED;
}

Status MesosSchedulerDriver::Impl::start() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (status_ != DRIVER_NOT_STARTED || shutDown_) return status_;
  if (scheduler_ == nullptr) {
    LOG(ERROR) << "MesosSchedulerDriver started without a Scheduler";
    status_ = DRIVER_ABORTED;
    return status_;
  }
  internal::sched::CallbackQueueLimits limits;
  if (config_.maxQueuedEvents) limits.maxEvents = std::max<size_t>(1, *config_.maxQueuedEvents);
  if (config_.maxQueuedEventBytes) limits.maxBytes = std::max<size_t>(1, *config_.maxQueuedEventBytes);
  // The callback thread never outlives the I/O context's owner while it can
  // call this (see CallbackQueue): reading resumes on the I/O thread.
  Try<internal::sched::ResolvedOptions> options = internal::sched::resolveOptions(config_);
  const std::chrono::milliseconds slow =
      options.isSome() ? options->callbackWarningThreshold : std::chrono::milliseconds(0);
  // Pushes come from the I/O thread: a sleeping callback thread is woken once
  // the handler that parsed a read buffer returns, with all of its messages.
  callbacks_ = std::make_unique<CallbackQueue>(
      limits, [this] { asio::post(io_, [this] { setReadPaused(false); }); }, stats_->callbacks,
      slow, [this](std::function<void()> wake) { asio::post(io_, std::move(wake)); },
      &internal::sched::AckOutbox::flushDeferred);
  stats_->startedAtNanos.store(internal::sched::steadyNanos());
  if (options.isError()) return failStart(lock, "Invalid driver configuration: " + options.error());
  internal::sched::ProcessOptions processOptions = options->process;
  processOptions.stats = stats_;

  // The HTTP API needs no transport: no listening socket at all.
  if (!options->process.http) {
    transport_ = std::make_unique<internal::process::Transport>(io_, options->transport);
    Try<Nothing> listening = transport_->start();
    if (listening.isError()) {
      return failStart(lock, "Failed to start the transport: " + listening.error());
    }
  }

  std::string master = options->master;
  if (master == "local" || master == "localquiet") {
    // Like Mesos, `local` starts a cluster owned by this driver (configured by
    // `MESOS_NUM_SLAVES` etc.) and detects its master as a fixed address. The
    // cluster comes from the launcher linked in (sched/local_launcher.hpp).
    Try<std::unique_ptr<internal::sched::LocalClusterHandle>> cluster =
        internal::sched::localLauncher().launch(config_);
    if (cluster.isError()) {
      return failStart(lock, "Failed to create a master detector for '" + config_.master +
                       "': " + cluster.error());
    }
    localCluster_ = std::move(cluster).get();
    master = localCluster_->master();
    LOG(INFO) << "Started a local simulated cluster at " << master;
  }
  Try<std::shared_ptr<internal::detector::MasterDetector>> detector =
      internal::detector::createMasterDetector(master, io_, options->detector);
  if (detector.isError()) {
    return failStart(lock, "Failed to create a master detector for '" + config_.master +
                     "': " + detector.error());
  }

  process_ = std::make_shared<SchedulerProcess>(io_, transport_.get(), processOptions,
                                                makeFacadeHandlers());
  const internal::process::UPID self = process_->self();
  // With the embedded cluster everything is on this host: any address works.
  if (transport_ && !localCluster_) internal::sched::warnAboutAddresses(*transport_, self);
  running_->store(true);
  status_ = DRIVER_RUNNING;
  work_.emplace(asio::make_work_guard(io_));
  asio::post(io_, [process = process_, detector = detector.get()] { process->start(detector); });
  if (transport_) internal::sched::addMetricsRoutes(*transport_, [this] { return metrics(); });
  watchdog_ = std::make_unique<internal::sched::CallbackWatchdog>(io_, stats_->callbacks, slow);
  asio::post(io_, [watchdog = watchdog_.get()] { watchdog->start(); });
  ioThread_ = std::thread([this] { io_.run(); });
  return status_;
}

Status MesosSchedulerDriver::Impl::stop(bool failover) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_ != DRIVER_RUNNING && status_ != DRIVER_ABORTED) return status_;
  const bool wasAborted = status_ == DRIVER_ABORTED;
  status_ = DRIVER_STOPPED;
  running_->store(false);  // connected() is false from here on.
  if (callbacks_) callbacks_->abort();
  if (process_) {
    asio::post(io_, [process = process_, failover] { process->stop(failover); });
  }
  stateChanged_.notify_all();
  return wasAborted ? DRIVER_ABORTED : DRIVER_STOPPED;
}

Status MesosSchedulerDriver::Impl::abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_ != DRIVER_RUNNING) return status_;
  status_ = DRIVER_ABORTED;
  running_->store(false);  // connected() is false from here on.
  callbacks_->abort();
  asio::post(io_, [process = process_] { process->abort(); });
  stateChanged_.notify_all();
  return status_;
}

Status MesosSchedulerDriver::Impl::abortWithError(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_ != DRIVER_RUNNING) return status_;
  LOG(ERROR) << "Aborting the driver: " << message;
  status_ = DRIVER_ABORTED;
  running_->store(false);
  callbacks_->abort();
  Scheduler* scheduler = scheduler_;
  SchedulerDriver* driver = driver_;
  callbacks_->pushAlways([scheduler, driver, message] { scheduler->error(driver, message); });
  asio::post(io_, [process = process_] { process->abort(); });
  stateChanged_.notify_all();
  return status_;
}

Status MesosSchedulerDriver::Impl::join() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (callbacks_ && callbacks_->onCallbackThread()) {
    LOG(ERROR) << "SchedulerDriver::join() called from a scheduler callback; it would wait "
               << "for itself. Returning DRIVER_ABORTED without waiting";
    return DRIVER_ABORTED;
  }
  stateChanged_.wait(lock, [this] { return status_ != DRIVER_RUNNING; });
  return status_;
}

void MesosSchedulerDriver::Impl::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutDown_) return;
    shutDown_ = true;
    running_->store(false);
    // A thread blocked in join() returns: the driver is gone, as if aborted.
    if (status_ == DRIVER_RUNNING) status_ = DRIVER_ABORTED;
    stateChanged_.notify_all();
  }
  if (callbacks_ && callbacks_->onCallbackThread()) {
    VLOG(1) << "MesosSchedulerDriver destroyed from inside one of its own callbacks";
  }
  if (callbacks_) callbacks_->shutdown();
  if (!ioThread_.joinable()) return;

  // Terminate the state machine without a goodbye (as Mesos's destructor), give
  // what is already queued (e.g. a TEARDOWN from stop()) a bounded time to be
  // written and read by its peer (an orderly close: see
  // Transport::finishOutbound()), then close everything on the I/O thread and
  // let it exit.
  asio::post(io_, [this] {
    process_->stop(/*failover=*/true);
    auto timer = std::make_shared<asio::steady_timer>(io_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [this, timer, deadline, poll] {
      const bool late = std::chrono::steady_clock::now() >= deadline;
      // On the HTTP API: calls (a TEARDOWN) not yet answered by the master.
      const size_t queued = transport_ ? transport_->queuedBytes() : process_->callsInFlight();
      if (queued == 0 && transport_) transport_->finishOutbound();
      if (!late && (queued > 0 || (transport_ && transport_->finishingOutbound() > 0))) {
        timer->expires_after(std::chrono::milliseconds(5));
        timer->async_wait([poll](const boost::system::error_code&) { (*poll)(); });
        return;
      }
      if (queued > 0) {
        LOG(WARNING) << "Closing the driver with " << queued << " bytes not yet written to "
                     << "their peers (e.g. a TEARDOWN from stop()): the peer did not take them "
                     << "within 2 s";
      }
      process_->closeConnections();
      if (watchdog_) watchdog_->stop();
      process_.reset();
      transport_.reset();
      work_.reset();
      io_.stop();
      *poll = nullptr;  // Break the self-reference.
    };
    (*poll)();
  });
  ioThread_.join();
}

// ---- MesosSchedulerDriver ----------------------------------------------------

namespace {

DriverConfig makeConfig(Scheduler* scheduler, const FrameworkInfo& framework,
                        const std::string& master, bool implicitAcknowledgements,
                        const Credential* credential,
                        const std::vector<std::string>& suppressedRoles) {
  DriverConfig config;
  config.scheduler = scheduler;
  config.framework = framework;
  config.master = master;
  config.implicitAcknowledgements = implicitAcknowledgements;
  if (credential != nullptr) config.credential = *credential;
  config.suppressedRoles = suppressedRoles;
  return config;
}

}  // namespace

MesosSchedulerDriver::MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                                           const std::string& master)
    : MesosSchedulerDriver(makeConfig(scheduler, framework, master, true, nullptr, {})) {}

MesosSchedulerDriver::MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                                           const std::string& master,
                                           const Credential& credential)
    : MesosSchedulerDriver(makeConfig(scheduler, framework, master, true, &credential, {})) {}

MesosSchedulerDriver::MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                                           const std::string& master,
                                           bool implicitAcknowledgements)
    : MesosSchedulerDriver(
          makeConfig(scheduler, framework, master, implicitAcknowledgements, nullptr, {})) {}

MesosSchedulerDriver::MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                                           const std::string& master,
                                           bool implicitAcknowledgements,
                                           const Credential& credential)
    : MesosSchedulerDriver(
          makeConfig(scheduler, framework, master, implicitAcknowledgements, &credential, {})) {}

MesosSchedulerDriver::MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                                           const std::vector<std::string>& suppressedRoles,
                                           const std::string& master,
                                           bool implicitAcknowledgements)
    : MesosSchedulerDriver(makeConfig(scheduler, framework, master, implicitAcknowledgements,
                                      nullptr, suppressedRoles)) {}

MesosSchedulerDriver::MesosSchedulerDriver(Scheduler* scheduler, const FrameworkInfo& framework,
                                           const std::vector<std::string>& suppressedRoles,
                                           const std::string& master,
                                           bool implicitAcknowledgements,
                                           const Credential& credential)
    : MesosSchedulerDriver(makeConfig(scheduler, framework, master, implicitAcknowledgements,
                                      &credential, suppressedRoles)) {}

MesosSchedulerDriver::MesosSchedulerDriver(DriverConfig config)
    : impl_(std::make_shared<Impl>(this, std::move(config))) {}

MesosSchedulerDriver::~MesosSchedulerDriver() {
  // While this object is still whole: an error() delivered during shutdown may
  // call it. The Impl itself may outlive this (a thread still in join()).
  impl_->shutdown();
}

Status MesosSchedulerDriver::start() { return impl_->start(); }
Status MesosSchedulerDriver::stop(bool failover) { return impl_->stop(failover); }
Status MesosSchedulerDriver::abort() { return impl_->abort(); }
Status MesosSchedulerDriver::join() {
  // A reference of its own: the driver may be destroyed while this waits.
  std::shared_ptr<Impl> impl = impl_;
  return impl->join();
}

Status MesosSchedulerDriver::run() {
  std::shared_ptr<Impl> impl = impl_;
  Status status = impl->start();
  return status != DRIVER_RUNNING ? status : impl->join();
}

Status MesosSchedulerDriver::requestResources(const std::vector<Request>& requests) {
  return impl_->dispatch([requests](SchedulerProcess& p) { p.requestResources(requests); });
}

Status MesosSchedulerDriver::launchTasks(const std::vector<OfferID>& offerIds,
                                         const std::vector<TaskInfo>& tasks,
                                         const Filters& filters) {
  // Identical to an ACCEPT with one LAUNCH, even when `tasks` is empty.
  Offer::Operation operation;
  operation.set_type(Offer::Operation::LAUNCH);
  for (const TaskInfo& task : tasks) *operation.mutable_launch()->add_task_infos() = task;
  operation.mutable_launch();
  return acceptOffers(offerIds, {operation}, filters);
}

Status MesosSchedulerDriver::launchTasks(const OfferID& offerId,
                                         const std::vector<TaskInfo>& tasks,
                                         const Filters& filters) {
  return launchTasks(std::vector<OfferID>{offerId}, tasks, filters);
}

Status MesosSchedulerDriver::killTask(const TaskID& taskId) {
  return impl_->dispatch([taskId](SchedulerProcess& p) { p.killTask(taskId); });
}

Status MesosSchedulerDriver::acceptOffers(const std::vector<OfferID>& offerIds,
                                          const std::vector<Offer::Operation>& operations,
                                          const Filters& filters) {
  return impl_->dispatch([offerIds, operations, filters](SchedulerProcess& p) {
    p.acceptOffers(offerIds, operations, filters);
  });
}

Status MesosSchedulerDriver::declineOffer(const OfferID& offerId, const Filters& filters) {
  return impl_->dispatch(
      [offerId, filters](SchedulerProcess& p) { p.declineOffer(offerId, filters); });
}

Status MesosSchedulerDriver::reviveOffers() {
  return impl_->dispatch([](SchedulerProcess& p) { p.reviveOffers({}); });
}

Status MesosSchedulerDriver::reviveOffers(const std::vector<std::string>& roles) {
  if (roles.empty()) return impl_->status();
  return impl_->dispatch([roles](SchedulerProcess& p) { p.reviveOffers(roles); });
}

Status MesosSchedulerDriver::suppressOffers() {
  return impl_->dispatch([](SchedulerProcess& p) { p.suppressOffers({}); });
}

Status MesosSchedulerDriver::suppressOffers(const std::vector<std::string>& roles) {
  if (roles.empty()) return impl_->status();
  return impl_->dispatch([roles](SchedulerProcess& p) { p.suppressOffers(roles); });
}

Status MesosSchedulerDriver::acknowledgeStatusUpdate(const TaskStatus& status) {
  if (impl_->status() != DRIVER_RUNNING) return impl_->status();
  if (impl_->implicitAcknowledgements()) {
    // Mesos aborts the whole process here; we abort the driver and say why.
    return impl_->abortWithError(
        "Cannot call acknowledgeStatusUpdate: implicit acknowledgements are enabled");
  }
  return impl_->dispatch([status](SchedulerProcess& p) { p.acknowledgeStatusUpdate(status); });
}

Status MesosSchedulerDriver::sendFrameworkMessage(const ExecutorID& executorId,
                                                  const SlaveID& slaveId,
                                                  const std::string& data) {
  return impl_->dispatch([executorId, slaveId, data](SchedulerProcess& p) {
    p.sendFrameworkMessage(executorId, slaveId, data);
  });
}

Status MesosSchedulerDriver::reconcileTasks(const std::vector<TaskStatus>& statuses) {
  // One copy (the caller keeps its vector), moved from here to the wire: a
  // reconciliation of every task of a large framework is tens of megabytes.
  return impl_->dispatch([statuses](SchedulerProcess& p) mutable {
    p.reconcileTasks(std::move(statuses));
  });
}

Status MesosSchedulerDriver::updateFramework(const FrameworkInfo& frameworkInfo,
                                             const std::vector<std::string>& suppressedRoles,
                                             scheduler::OfferConstraints&& offerConstraints) {
  if (impl_->status() != DRIVER_RUNNING) return impl_->status();
  std::set<std::string> unique(suppressedRoles.begin(), suppressedRoles.end());
  if (unique.size() != suppressedRoles.size()) {
    // Mesos aborts the whole process here; we abort the driver and say why.
    return impl_->abortWithError(
        "updateFramework() called with duplicate entries in the suppressed roles");
  }
  return impl_->dispatch([frameworkInfo, suppressedRoles,
                          constraints = std::move(offerConstraints)](SchedulerProcess& p) {
    p.updateFramework(frameworkInfo, suppressedRoles, constraints);
  });
}

bool MesosSchedulerDriver::connected() const { return impl_->connected(); }

bool MesosSchedulerDriver::stopped() const { return impl_->status() != DRIVER_RUNNING; }

DriverMetrics MesosSchedulerDriver::metrics() const { return impl_->metrics(); }

Status MesosSchedulerDriver::status() const { return impl_->status(); }

}  // namespace mesos
