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
  bool aborted = false;
  bool shutdown = false;
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
  state_->wake.notify_one();
}

void CallbackQueue::pushAlways(Callback callback) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->shutdown) return;
  state_->queue.emplace_back(true, std::move(callback));
  state_->wake.notify_one();
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
  return state_->queue.size();
}

namespace {

void runLoop(std::shared_ptr<CallbackQueue::State> state) {
  std::unique_lock<std::mutex> lock(state->mutex);
  while (true) {
    state->wake.wait(lock, [&] { return state->shutdown || !state->queue.empty(); });
    // After shutdown only `always` callbacks are left; run them, then exit.
    if (state->queue.empty()) return;
    auto [always, callback] = std::move(state->queue.front());
    state->queue.pop_front();
    // Checked under the lock: once abort() has returned, nothing ordinary starts.
    if (state->aborted && !always) continue;
    lock.unlock();
    try {
      callback();
    } catch (const std::exception& e) {
      LOG(ERROR) << "Scheduler callback threw an exception: " << e.what();
    } catch (...) {
      LOG(ERROR) << "Scheduler callback threw a non-standard exception";
    }
    lock.lock();
  }
}

}  // namespace

}  // namespace sched
}  // namespace internal
}  // namespace mesos
