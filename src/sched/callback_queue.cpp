#include "sched/callback_queue.hpp"

#include <algorithm>
#include <exception>
#include <vector>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {

struct CallbackQueue::State {
  struct Entry {
    bool always = false;
    CallbackKind kind = CallbackKind::kError;
    size_t bytes = 0;
    Callback callback;
  };

  CallbackQueueLimits limits;
  std::shared_ptr<CallbackStats> stats;
  int64_t slowThresholdNanos = 0;
  std::function<void()> onDrained;
  CallbackQueue::DeferWake deferWake;
  std::function<void()> onFlush;

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Entry> queue;
  // Read without the lock between the callbacks of one batch: once abort()
  // (which sets it under the lock) has returned, no ordinary callback starts.
  std::atomic<bool> aborted{false};
  bool shutdown = false;
  // Set when shutdown() ran on the callback thread: the loop starts nothing more.
  bool detached = false;
  // The callback thread is blocked on `wake`: only then does a push signal it.
  // Under load the thread is busy draining and pushes cost no system call.
  bool sleeping = false;
  // A deferred wake-up was handed out and has not run yet: later pushes ride
  // on it. Under `mutex`.
  bool wakeScheduled = false;
  // Queued or in the current batch and not yet finished: added under `mutex`
  // by push, taken off by the callback thread after each callback, so the
  // figures (and the drain to half) are exact to the callback.
  std::atomic<size_t> events{0};
  std::atomic<size_t> bytes{0};
  // Reported full by push() and not yet drained; written under `mutex`.
  std::atomic<bool> full{false};

  // The batch being run; callback thread only (shutdown() touches it only
  // when called on that thread). `next` is the first entry not yet started.
  std::deque<Entry> batch;
  size_t next = 0;
};

namespace {

// The thread body holds its own reference to the state, so a detached thread
// never touches freed memory.
void runLoop(std::shared_ptr<CallbackQueue::State> state);

}  // namespace

CallbackQueue::CallbackQueue(CallbackQueueLimits limits, std::function<void()> onDrained,
                             std::shared_ptr<CallbackStats> stats,
                             std::chrono::nanoseconds slowThreshold, DeferWake deferWake,
                             std::function<void()> onFlush)
    : state_(std::make_shared<State>()) {
  state_->limits = limits;
  state_->deferWake = std::move(deferWake);
  state_->onFlush = std::move(onFlush);
  state_->stats = stats ? std::move(stats) : std::make_shared<CallbackStats>();
  state_->slowThresholdNanos = slowThreshold.count();
  state_->onDrained = std::move(onDrained);
  thread_ = std::thread([state = state_] { runLoop(state); });
  threadId_ = thread_.get_id();
}

CallbackQueue::~CallbackQueue() { shutdown(); }

bool CallbackQueue::push(Callback callback, size_t bytes, CallbackKind kind) {
  bool full = false;
  bool scheduleWake = false;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->aborted || state_->shutdown) return false;
    state_->queue.push_back(State::Entry{false, kind, bytes, std::move(callback)});
    ++state_->events;
    state_->bytes += bytes;
    if (state_->sleeping && !state_->wakeScheduled) {
      if (state_->deferWake) {
        state_->wakeScheduled = scheduleWake = true;
      } else {
        state_->wake.notify_one();
      }
    }
    if (!state_->full && (state_->events >= state_->limits.maxEvents ||
                          state_->bytes >= state_->limits.maxBytes)) {
      state_->full = true;
    }
    full = state_->full;
  }
  if (scheduleWake) {
    // Holds the state, not the queue: harmless if it runs after shutdown().
    state_->deferWake([state = state_] {
      std::lock_guard<std::mutex> lock(state->mutex);
      state->wakeScheduled = false;
      if (state->sleeping) state->wake.notify_one();
    });
  }
  return full;
}

void CallbackQueue::pushAlways(Callback callback, CallbackKind kind) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->shutdown) return;
  state_->queue.push_back(State::Entry{true, kind, 0, std::move(callback)});
  ++state_->events;
  if (state_->sleeping) state_->wake.notify_one();
}

void CallbackQueue::abort() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->aborted = true;
}

void CallbackQueue::shutdown() {
  const bool self = std::this_thread::get_id() == threadId_;
  std::vector<Callback> inline_;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->shutdown = true;
    state_->aborted = true;
    // Ordinary callbacks are dropped; the driver's own error() (queued when it
    // aborted itself) is still delivered, as Mesos's destructor waits for it.
    std::deque<State::Entry> always;
    for (auto& entry : state_->queue) {
      if (entry.always) always.push_back(std::move(entry));
    }
    state_->queue = std::move(always);
    if (self) {
      // Destroyed from inside a callback: what is owed runs now, while the
      // driver still exists, and the loop starts nothing after this one.
      for (size_t i = state_->next; i < state_->batch.size(); ++i) {
        if (state_->batch[i].always) inline_.push_back(std::move(state_->batch[i].callback));
      }
      state_->next = state_->batch.size();
      for (auto& entry : state_->queue) inline_.push_back(std::move(entry.callback));
      state_->queue.clear();
      state_->detached = true;
    }
    state_->wake.notify_all();
  }
  for (Callback& callback : inline_) {
    try {
      callback();
    } catch (...) {
      LOG(ERROR) << "Scheduler callback threw an exception";
    }
  }
  if (!thread_.joinable()) return;
  if (self) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

bool CallbackQueue::onCallbackThread() const { return std::this_thread::get_id() == threadId_; }

bool CallbackQueue::idle() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->sleeping;
}

size_t CallbackQueue::depth() const {
  return state_->events.load();
}

size_t CallbackQueue::bytes() const {
  return state_->bytes.load();
}

namespace {

void runOne(const CallbackQueue::Callback& callback) {
  try {
    callback();
  } catch (const std::exception& e) {
    LOG(ERROR) << "Scheduler callback threw an exception: " << e.what();
  } catch (...) {
    LOG(ERROR) << "Scheduler callback threw a non-standard exception";
  }
}

// Runs one callback, timed: the watchdog sees it while it runs (driver.cpp),
// the histogram and its kind's maximum get its duration after.
void runTimed(CallbackQueue::State& state, const CallbackQueue::State::Entry& entry) {
  CallbackStats& stats = *state.stats;
  const auto kind = static_cast<uint8_t>(entry.kind);
  stats.started.add();
  stats.runningKind.store(kind);
  const int64_t start = steadyNanos();
  stats.runningSinceNanos.store(start);
  runOne(entry.callback);
  const int64_t took = std::max<int64_t>(0, steadyNanos() - start);
  stats.runningSinceNanos.store(0);
  stats.durations.record(std::chrono::nanoseconds(took));
  if (static_cast<uint64_t>(took) > stats.maxNanos[kind].get()) stats.maxNanos[kind].set(took);
  if (state.slowThresholdNanos > 0 && took >= state.slowThresholdNanos) stats.slow.add();
}

bool drainedToHalf(const CallbackQueue::State& state) {
  return state.events.load() <= state.limits.maxEvents / 2 &&
         state.bytes.load() <= state.limits.maxBytes / 2;
}

// Takes everything queued in one lock acquisition and runs it outside the
// lock, so a busy stream of events costs one lock round trip per batch rather
// than per callback. The counters are settled once per batch too.
void runLoop(std::shared_ptr<CallbackQueue::State> state) {
  std::unique_lock<std::mutex> lock(state->mutex);
  while (true) {
    if (!state->shutdown && state->queue.empty()) {
      state->sleeping = true;
      state->wake.wait(lock, [&] { return state->shutdown || !state->queue.empty(); });
      state->sleeping = false;
    }
    // After shutdown only `always` callbacks are left; run them, then exit.
    if (state->queue.empty() || state->detached) return;
    state->batch.swap(state->queue);
    state->next = 0;
    lock.unlock();
    size_t sinceFlush = 0;
    while (state->next < state->batch.size()) {
      CallbackQueue::State::Entry& entry = state->batch[state->next++];
      // Once abort() has returned, nothing ordinary starts.
      if (entry.always || !state->aborted.load()) runTimed(*state, entry);
      // Captures are released in order, before the next one runs. After a
      // shutdown() on this thread the entry may already be gone from the
      // driver's view, but the batch itself is still ours.
      entry.callback = nullptr;
      if (state->detached) break;  // Set on this thread: no lock needed.
      if (++sinceFlush == CallbackQueue::kFlushEvery && state->onFlush) {
        sinceFlush = 0;
        state->onFlush();
      }
      state->events.fetch_sub(1);
      state->bytes.fetch_sub(entry.bytes);
      if (state->full.load(std::memory_order_relaxed) && drainedToHalf(*state)) {
        std::unique_lock<std::mutex> relock(state->mutex);
        if (state->full && drainedToHalf(*state) && !state->shutdown) {
          state->full = false;
          relock.unlock();
          // Outside the lock: the hook posts to the I/O thread, which may push.
          if (state->onDrained) state->onDrained();
        }
      }
    }
    state->batch.clear();
    if (state->onFlush) state->onFlush();
    lock.lock();
    if (state->detached) return;
  }
}

}  // namespace

}  // namespace sched
}  // namespace internal
}  // namespace mesos
