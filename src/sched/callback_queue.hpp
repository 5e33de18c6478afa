#pragma once

// The driver's callback thread: runs queued `Scheduler` callbacks one at a time,
// in the order they were queued.
//
// Thread: `push*`, `abort`, `shutdown` from any thread. Once `abort()` or
// `shutdown()` has returned, no ordinary callback starts; callbacks pushed with
// `pushAlways` (the driver's own `error()` after it aborted itself) still run,
// even during `shutdown()`.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace mesos {
namespace internal {
namespace sched {

class CallbackQueue {
 public:
  using Callback = std::function<void()>;

  CallbackQueue();
  // Shuts down and joins the thread; if called on the callback thread itself it
  // detaches instead (the thread finishes its current callback and exits).
  ~CallbackQueue();
  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;

  void push(Callback callback);
  void pushAlways(Callback callback);
  void abort();
  // Drops the ordinary callbacks still queued, runs the `pushAlways` ones (so
  // an error() the driver queued when it aborted itself is never lost), then
  // stops the thread and joins it.
  void shutdown();

  bool onCallbackThread() const;
  size_t depth() const;

  struct State;  // Shared with the thread body, which may outlive the queue.

 private:
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
