#include "sched/scheduler_process.hpp"

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "common/clock.hpp"
#include "common/uuid.hpp"

namespace mesos {
namespace internal {
namespace sched {

using process::UPID;
namespace asio = boost::asio;

namespace {

core::Options coreOptions(const ProcessOptions& o) {
  core::Options c;
  c.framework = o.framework;
  c.credential = o.credential;
  c.authenticateeConfigured = static_cast<bool>(o.authenticatee);
  c.implicitAcknowledgements = o.implicitAcknowledgements;
  c.suppressedRoles = o.suppressedRoles;
  c.offerConstraints = o.offerConstraints;
  c.reconnectOnLinkLoss = o.reconnectOnLinkLoss;
  c.registrationBackoffFactor = o.registrationBackoffFactor;
  c.maxMessageBytes = o.maxMessageBytes;
  c.authenticationBackoffFactor = o.authenticationBackoffFactor;
  c.authenticationTimeoutMin = o.authenticationTimeoutMin;
  c.authenticationTimeoutMax = o.authenticationTimeoutMax;
  c.missedHeartbeats = o.missedHeartbeats;
  c.stats = o.stats->core;
  if (o.reconciliation) {
    c.reconcile = core::Options::Reconcile{
        o.reconciliation->tasks,
        {o.reconciliation->retryDelay, o.reconciliation->maxRetryDelay}};
  }
  c.startFreshWhenRemoved = o.startFreshWhenRemoved;
  return c;
}

ProcessOptions withStats(ProcessOptions o) {
  if (!o.stats) o.stats = std::make_shared<DriverStats>();
  return o;
}

core::AuthOutcome coreOutcome(auth::Outcome outcome) {
  switch (outcome) {
    case auth::Outcome::kAuthenticated: return core::AuthOutcome::kAuthenticated;
    case auth::Outcome::kRefused: return core::AuthOutcome::kRefused;
    case auth::Outcome::kFailed: break;
  }
  return core::AuthOutcome::kFailed;
}

std::unique_ptr<core::Codec> makeCodec(const ProcessOptions& o) {
  if (o.http) return core::makeHttpCodec();
  return o.dialect == DriverConfig::Dialect::kLegacy ? core::makeLegacyCodec()
                                                     : core::makeCallCodec();
}

}  // namespace

SchedulerProcess::SchedulerProcess(asio::io_context& io, process::Transport* transport,
                                   ProcessOptions options, FacadeHandlers handlers)
    : io_(io),
      transport_(transport),
      options_(withStats(std::move(options))),
      handlers_(std::move(handlers)),
      codec_(makeCodec(options_)),
      core_(std::make_unique<core::DriverCore>(coreOptions(options_), *codec_,
                                               systemUnitRandom())),
      // A fresh UUID per driver object lets the master tell two runs of one
      // scheduler apart even when they reuse an address.
      self_(transport != nullptr ? transport->self("scheduler-" + randomUuidString())
                                 : process::UPID()),
      selfText_(self_.toString()),
      resolver_(io),
      stats_(*options_.stats),
      silenceTimer_(io) {
  for (auto& timer : timers_) timer = std::make_unique<asio::steady_timer>(io);
  CHECK(options_.http || transport_ != nullptr) << "the libprocess wire needs a transport";
}

size_t SchedulerProcess::callsInFlight() const { return http_ ? http_->callsInFlight() : 0; }

void SchedulerProcess::closeConnections() {
  if (http_) http_->shutdown();
}

void SchedulerProcess::setReadPaused(bool paused) {
  if (http_) http_->setReadPaused(paused);
}

SchedulerProcess::~SchedulerProcess() = default;

template <typename Input>
void SchedulerProcess::feed(Input&& input) {
  input(*core_, nowSeconds());
  if (executing_) return;  // The loop below, further up the stack, takes them.
  executing_ = true;
  // Two vectors swap roles, so a message costs no allocation of its own here.
  for (core_->takeEffects(executingEffects_); !executingEffects_.empty();
       core_->takeEffects(executingEffects_)) {
    for (core::Effect& effect : executingEffects_) execute(std::move(effect));
  }
  executing_ = false;
}

void SchedulerProcess::start(std::shared_ptr<detector::MasterDetector> detector) {
  detector_ = std::move(detector);
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  if (transport_ != nullptr) {
    transport_->addProcess(self_.id, [weak](process::Message&& message) {
      auto self = weak.lock();
      if (!self) return;
      self->countReceived(message.body.size());
      self->heardFrom(message.from);
      self->feed([&message](core::DriverCore& core, core::Time now) {
        core.messageReceived(now, message.from, message.name, message.body);
      });
    });
  } else {
    startHttp();
  }
  LOG(INFO) << "Scheduler driver "
            << (transport_ != nullptr ? selfText_
                                      : std::string(options_.httpTls ? "(HTTPS)" : "(HTTP)"))
            << " started for framework '" << options_.framework.name() << "' ("
            << codec_->dialect() << " dialect)";
  detector_->start(
      [weak](const std::optional<MasterInfo>& leader) {
        if (auto self = weak.lock()) {
          self->feed([&leader](core::DriverCore& core, core::Time now) {
            core.masterDetected(now, leader);
          });
        }
      },
      [weak](const std::string& why) {
        if (auto self = weak.lock()) {
          self->feed([&why](core::DriverCore& core, core::Time now) {
            core.detectionFailed(now, why);
          });
        }
      });
}

void SchedulerProcess::stop(bool failover) {
  // No acknowledgement is sent after stop(); closing the outbox also keeps a
  // callback that outlives the driver from posting to its I/O context.
  if (ackOutbox_) ackOutbox_->close();
  feed([failover](core::DriverCore& core, core::Time now) { core.stop(now, failover); });
  if (stopped_) return;
  stopped_ = true;
  silenceTimer_.cancel();
  if (detector_) detector_->stop();
  resolver_.close();
  if (transport_ != nullptr) transport_->removeProcess(self_.id);
}

void SchedulerProcess::startHttp() {
  // Records of the current stream are from the master the core follows: the
  // channel opened that stream to it (or to where its redirect pointed) and
  // reports nothing of an abandoned one.
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  HttpChannel::Handlers handlers;
  handlers.record = [weak](std::string record) {
    auto self = weak.lock();
    if (!self) return;
    self->countReceived(record.size());
    self->feed([&record](core::DriverCore& core, core::Time now) {
      core.messageReceived(now, core.masterPid(), core::kStreamedEventName, record);
    });
  };
  handlers.streamEnded = [weak](const std::string&) {
    auto self = weak.lock();
    if (!self) return;
    self->feed([](core::DriverCore& core, core::Time now) {
      core.linkBroken(now, core.masterPid());
    });
  };
  handlers.answer = [weak](const std::string& call, int status, const std::string& body) {
    auto self = weak.lock();
    if (!self) return;
    self->feed([&](core::DriverCore& core, core::Time now) {
      core.answerReceived(now, call, status, body);
    });
  };
  HttpChannel::Options options;
  options.credential = options_.credential;
  options.maxRecordBytes = options_.maxMessageBytes;
  options.tls = options_.httpTls;
  http_ = std::make_unique<HttpChannel>(io_, options, std::move(handlers));
}

void SchedulerProcess::abort() {
  feed([](core::DriverCore& core, core::Time now) { core.abort(now); });
}

// ---- Effects ----------------------------------------------------------------

void SchedulerProcess::execute(core::Effect&& effect) {
  std::visit(
      [this](auto&& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, core::Send>) {
          send(std::move(e));
        } else if constexpr (std::is_same_v<T, core::Invoke>) {
          invoke(std::move(e));
        } else if constexpr (std::is_same_v<T, core::ArmTimer>) {
          armTimer(e);
        } else if constexpr (std::is_same_v<T, core::CancelTimer>) {
          timer(e.timer).cancel();
        } else if constexpr (std::is_same_v<T, core::Link>) {
          link(e.master);
        } else if constexpr (std::is_same_v<T, core::Unlink>) {
          unlink();
        } else if constexpr (std::is_same_v<T, core::Resolve>) {
          resolve(e);
        } else if constexpr (std::is_same_v<T, core::StartAuthentication>) {
          startAuthentication(e);
        } else if constexpr (std::is_same_v<T, core::CancelAuthentication>) {
          authenticatee_.reset();
        } else if constexpr (std::is_same_v<T, core::SetConnected>) {
          if (handlers_.connected != nullptr) handlers_.connected->store(e.connected);
        } else if constexpr (std::is_same_v<T, core::AbortWithError>) {
          handlers_.abortWithError(e.message);
        } else if constexpr (std::is_same_v<T, core::ForgetFrameworkId>) {
          if (options_.frameworkIdStore) options_.frameworkIdStore->forget();
        }
      },
      std::move(effect));
}

void SchedulerProcess::send(core::Send&& send) {
  // An explicit acknowledgement is counted by its uuid once sent (countSent)
  // and keeps its parts; otherwise only the call's kind is used after this.
  const bool keep = !options_.implicitAcknowledgements &&
                    std::holds_alternative<core::Acknowledge>(send.call);
  Try<core::WireMessage> wire =
      keep ? codec_->encode(send.call) : codec_->encodeMoving(std::move(send.call));
  if (wire.isError()) {
    LOG(ERROR) << "Not sending " << core::callName(send.call) << " to " << send.to << ": "
               << wire.error();
    return;
  }
  countSent(send.call, wire->body.size());
  if (http_) {
    if (std::holds_alternative<core::Subscribe>(send.call)) {
      http_->subscribe(std::move(wire->body));
    } else {
      http_->call(wire->name, std::move(wire->body));
    }
    return;
  }
  if (std::holds_alternative<core::Subscribe>(send.call)) watchSilence(send.to);
  Try<Nothing> sent = transport_->send(selfText_, send.to, wire->name, wire->body);
  if (sent.isError()) {
    LOG(WARNING) << "Failed to send " << wire->name << " to " << send.to << ": " << sent.error();
  }
}

void SchedulerProcess::invoke(core::Invoke&& invoke) {
  countCallback(invoke.callback);
  if (auto* update = std::get_if<core::Update>(&invoke.callback)) {
    std::optional<ImplicitAck> ack;
    if (update->ack) {
      if (!ackOutbox_) ackOutbox_ = std::make_shared<AckOutbox>(io_, weak_from_this());
      ack = ImplicitAck{ackOutbox_, std::move(*update->ack), TaskStatus(), true};
    }
    handlers_.statusUpdate(std::move(update->status), std::move(ack), invoke.bytes);
    return;
  }
  const CallbackKind kind = std::visit(
      [](auto&& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, core::Registered>) return CallbackKind::kRegistered;
        if constexpr (std::is_same_v<T, core::Reregistered>) return CallbackKind::kReregistered;
        if constexpr (std::is_same_v<T, core::Disconnected>) return CallbackKind::kDisconnected;
        if constexpr (std::is_same_v<T, core::Offers>) return CallbackKind::kResourceOffers;
        if constexpr (std::is_same_v<T, core::OfferRescinded>) return CallbackKind::kOfferRescinded;
        if constexpr (std::is_same_v<T, core::AgentLost>) return CallbackKind::kSlaveLost;
        if constexpr (std::is_same_v<T, core::ExecutorExited>) return CallbackKind::kExecutorLost;
        if constexpr (std::is_same_v<T, core::ExecutorData>) return CallbackKind::kFrameworkMessage;
        if constexpr (std::is_same_v<T, core::ReconcileDone>) return CallbackKind::kReconciled;
        return CallbackKind::kStatusUpdate;
      },
      invoke.callback);
  SchedulerCall call = std::visit(
      [this](auto&& c) -> SchedulerCall {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, core::Registered>) {
          // The id is on disk before the scheduler hears of it.
          return [c, store = options_.frameworkIdStore](Scheduler* s, SchedulerDriver* d) {
            if (store) store->save(c.frameworkId.value());
            s->registered(d, c.frameworkId, c.master);
          };
        } else if constexpr (std::is_same_v<T, core::Reregistered>) {
          return [c](Scheduler* s, SchedulerDriver* d) { s->reregistered(d, c.master); };
        } else if constexpr (std::is_same_v<T, core::Disconnected>) {
          return [](Scheduler* s, SchedulerDriver* d) { s->disconnected(d); };
        } else if constexpr (std::is_same_v<T, core::Offers>) {
          return [offers = std::move(c.offers)](Scheduler* s, SchedulerDriver* d) {
            s->resourceOffers(d, offers);
          };
        } else if constexpr (std::is_same_v<T, core::OfferRescinded>) {
          return [c](Scheduler* s, SchedulerDriver* d) { s->offerRescinded(d, c.offerId); };
        } else if constexpr (std::is_same_v<T, core::AgentLost>) {
          return [c](Scheduler* s, SchedulerDriver* d) { s->slaveLost(d, c.slaveId); };
        } else if constexpr (std::is_same_v<T, core::ExecutorExited>) {
          return [c](Scheduler* s, SchedulerDriver* d) {
            s->executorLost(d, c.executorId, c.slaveId, c.status);
          };
        } else if constexpr (std::is_same_v<T, core::ExecutorData>) {
          return [c = std::move(c)](Scheduler* s, SchedulerDriver* d) {
            s->frameworkMessage(d, c.executorId, c.slaveId, c.data);
          };
        } else if constexpr (std::is_same_v<T, core::ReconcileDone>) {
          std::function<void(SchedulerDriver*)> done;
          if (options_.reconciliation) done = options_.reconciliation->onReconciled;
          return [done](Scheduler*, SchedulerDriver* d) {
            if (done) done(d);
          };
        } else {
          static_assert(std::is_same_v<T, core::Update>);
          return nullptr;  // Handled above.
        }
      },
      std::move(invoke.callback));
  handlers_.callback(std::move(call), invoke.bytes, kind);
}

asio::steady_timer& SchedulerProcess::timer(core::Timer which) {
  return *timers_[static_cast<size_t>(which)];
}

void SchedulerProcess::armTimer(const core::ArmTimer& arm) {
  asio::steady_timer& t = timer(arm.timer);
  t.expires_after(arm.delay);
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  t.async_wait([weak, which = arm.timer, seq = arm.seq](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    // A timer re-armed after this expiry was queued has a newer seq: the core
    // ignores this one.
    self->feed([which, seq](core::DriverCore& core, core::Time now) {
      core.timerFired(now, which, seq);
    });
  });
}

void SchedulerProcess::link(const UPID& master) {
  checkAdvertisedAddress(master);
  if (http_) {
    // The master's libprocess port serves the HTTP API too.
    http_->setMaster(HttpEndpoint{process::formatIp(master.ip), master.port});
    return;
  }
  unlink();
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  link_ = transport_->link(master, [weak](const UPID& pid) {
    auto self = weak.lock();
    if (!self) return;
    self->link_.reset();
    self->feed([&pid](core::DriverCore& core, core::Time now) { core.linkBroken(now, pid); });
  });
}

void SchedulerProcess::unlink() {
  if (http_) {
    http_->close();
    return;
  }
  if (link_) transport_->unlink(*link_);
  link_.reset();
}

void SchedulerProcess::resolve(const core::Resolve& resolve) {
  // Off this thread: start() and the I/O thread never wait for DNS.
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  process::resolveAsync(resolver_, resolve.host, [weak, token = resolve.token](Try<uint32_t> ip) {
    auto self = weak.lock();
    if (!self) return;
    self->feed([token, &ip](core::DriverCore& core, core::Time now) {
      core.masterResolved(now, token, ip);
    });
  });
}

void SchedulerProcess::startAuthentication(const core::StartAuthentication& start) {
  if (transport_ == nullptr) return;  // The HTTP API authenticates each request.
  authenticatee_ = options_.authenticatee(io_, *transport_);
  watchSilence(start.master);
  VLOG(1) << "Authenticating through " << authenticatee_->self();
  std::weak_ptr<SchedulerProcess> weak = shared_from_this();
  authenticatee_->authenticate(
      start.master, self_, *options_.credential,
      [weak, attempt = start.attempt, master = start.master](auth::Outcome outcome,
                                                             const std::string& reason) {
        auto self = weak.lock();
        if (!self) return;
        // An answer, even a refusal, proves the master reaches us.
        if (outcome != auth::Outcome::kFailed) self->heardFrom(master);
        self->feed([&](core::DriverCore& core, core::Time now) {
          core.authenticationFinished(now, attempt, coreOutcome(outcome), reason);
        });
      });
}

// ---- User calls -------------------------------------------------------------

void SchedulerProcess::requestResources(const std::vector<Request>& requests) {
  feed([&](core::DriverCore& core, core::Time now) { core.requestResources(now, requests); });
}

void SchedulerProcess::acceptOffers(const std::vector<OfferID>& offerIds,
                                    const std::vector<Offer::Operation>& operations,
                                    const Filters& filters) {
  feed([&](core::DriverCore& core, core::Time now) {
    core.acceptOffers(now, offerIds, operations, filters);
  });
}

void SchedulerProcess::declineOffer(const OfferID& offerId, const Filters& filters) {
  feed([&](core::DriverCore& core, core::Time now) { core.declineOffer(now, offerId, filters); });
}

void SchedulerProcess::killTask(const TaskID& taskId) {
  feed([&](core::DriverCore& core, core::Time now) { core.killTask(now, taskId); });
}

void SchedulerProcess::reviveOffers(const std::vector<std::string>& roles) {
  feed([&](core::DriverCore& core, core::Time now) { core.reviveOffers(now, roles); });
}

void SchedulerProcess::suppressOffers(const std::vector<std::string>& roles) {
  feed([&](core::DriverCore& core, core::Time now) { core.suppressOffers(now, roles); });
}

void SchedulerProcess::acknowledgeStatusUpdate(const TaskStatus& status) {
  feed([&](core::DriverCore& core, core::Time now) { core.acknowledgeStatusUpdate(now, status); });
}

void SchedulerProcess::sendFrameworkMessage(const ExecutorID& executorId, const SlaveID& slaveId,
                                            const std::string& data) {
  feed([&](core::DriverCore& core, core::Time now) {
    core.sendFrameworkMessage(now, executorId, slaveId, data);
  });
}

void SchedulerProcess::reconcileTasks(std::vector<TaskStatus> statuses) {
  feed([&](core::DriverCore& core, core::Time now) {
    core.reconcileTasks(now, std::move(statuses));
  });
}

void SchedulerProcess::updateFramework(const FrameworkInfo& info,
                                       const std::vector<std::string>& suppressedRoles,
                                       const scheduler::OfferConstraints& offerConstraints) {
  feed([&](core::DriverCore& core, core::Time now) {
    core.updateFramework(now, info, suppressedRoles, offerConstraints);
  });
}

void SchedulerProcess::updateProcessed(core::AckRef ack, TaskID taskId) {
  feed([&](core::DriverCore& core, core::Time now) {
    core.updateProcessed(now, std::move(ack), std::move(taskId));
  });
}

// ---- AckOutbox --------------------------------------------------------------

namespace {
// The outbox the callback thread queued acks in since its last flush. One
// callback thread serves one driver, so one outbox at a time; a reference
// keeps it valid until the flush.
thread_local std::shared_ptr<AckOutbox> t_unflushed;
}  // namespace

void AckOutbox::addDeferred(SchedulerProcess::ImplicitAck&& ack) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;  // `ack` is freed here, on the caller's thread.
    pending_.push_back(std::move(ack));
  }
  if (t_unflushed.get() == this) return;
  if (t_unflushed) t_unflushed->flush();
  t_unflushed = shared_from_this();
}

void AckOutbox::flushDeferred() {
  if (std::shared_ptr<AckOutbox> outbox = std::move(t_unflushed)) outbox->flush();
}

void AckOutbox::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || drainPosted_ || pending_.empty()) return;
  drainPosted_ = true;
  asio::post(io_, [self = shared_from_this()] { self->drain(); });
}

void AckOutbox::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
}

void AckOutbox::drain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    draining_.swap(pending_);
    drainPosted_ = false;
  }
  std::shared_ptr<SchedulerProcess> process = process_.lock();
  for (SchedulerProcess::ImplicitAck& ack : draining_) {
    if (process) process->implicitAckReturned(ack);
  }
  draining_.clear();
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
