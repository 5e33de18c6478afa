#include "sched/callback_queue.hpp"

#include <exception>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {

struct CallbackQueue::State {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::pair<bool, Callback>> queue;  // (always, callback)
  // Read without the lock between the callbacks of one batch: once abort()
  // (which sets it under the lock) has returned, no ordinary callback starts.
  std::atomic<bool> aborted{false};
  bool shutdown = false;
  // The callback thread is blocked on `wake`: only then does a push signal it.
  // Under load the thread is busy draining and pushes cost no system call.
  bool sleeping = false;
  // Callbacks taken from `queue` and not yet run, for depth().
  std::atomic<size_t> inBatch{0};
};

namespace {

// The thread body holds its own reference to the state, so a detached thread
// never touches freed memory.
void runLoop(std::shared_ptr<CallbackQueue::State> state);

}  // namespace

CallbackQueue::CallbackQueue() : state_(std::make_shared<State>()) {
  thread_ = std::thread([state = state_] { runLoop(state); });
}

CallbackQueue::~CallbackQueue() { shutdown(); }

void CallbackQueue::push(Callback callback) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->aborted || state_->shutdown) return;
  state_->queue.emplace_back(false, std::move(callback));
  if (state_->sleeping) state_->wake.notify_one();
}

void CallbackQueue::pushAlways(Callback callback) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->shutdown) return;
  state_->queue.emplace_back(true, std::move(callback));
  if (state_->sleeping) state_->wake.notify_one();
}

void CallbackQueue::abort() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->aborted = true;
}

void CallbackQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->shutdown = true;
    state_->aborted = true;
    // Ordinary callbacks are dropped; the driver's own error() (queued when it
    // aborted itself) is still delivered, as Mesos's destructor waits for it.
    std::deque<std::pair<bool, Callback>> always;
    for (auto& entry : state_->queue) {
      if (entry.first) always.push_back(std::move(entry));
    }
    state_->queue = std::move(always);
    state_->wake.notify_all();
  }
  if (!thread_.joinable()) return;
  if (std::this_thread::get_id() == thread_.get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

bool CallbackQueue::onCallbackThread() const {
  return std::this_thread::get_id() == thread_.get_id();
}

size_t CallbackQueue::depth() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->queue.size() + state_->inBatch.load();
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

// Takes everything queued in one lock acquisition and runs it outside the
// lock, so a busy stream of events costs one lock round trip per batch rather
// than per callback.
void runLoop(std::shared_ptr<CallbackQueue::State> state) {
  std::deque<std::pair<bool, CallbackQueue::Callback>> batch;
  std::unique_lock<std::mutex> lock(state->mutex);
  while (true) {
    if (!state->shutdown && state->queue.empty()) {
      state->sleeping = true;
      state->wake.wait(lock, [&] { return state->shutdown || !state->queue.empty(); });
      state->sleeping = false;
    }
    // After shutdown only `always` callbacks are left; run them, then exit.
    if (state->queue.empty()) return;
    batch.swap(state->queue);
    state->inBatch.store(batch.size());
    lock.unlock();
    for (auto& [always, callback] : batch) {
      state->inBatch.fetch_sub(1);
      // Once abort() has returned, nothing ordinary starts.
      if (always || !state->aborted.load()) runOne(callback);
      callback = nullptr;  // Captures are released in order, before the next one runs.
    }
    batch.clear();
    lock.lock();
  }
}

}  // namespace

}  // namespace sched
}  // namespace internal
}  // namespace mesos
