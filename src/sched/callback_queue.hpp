#pragma once

// The driver's callback thread: runs queued `Scheduler` callbacks one at a time,
// in the order they were queued.
//
// Thread: `push*`, `abort`, `shutdown`, `depth`, `bytes` from any thread. Once
// `abort()` or `shutdown()` has returned, no ordinary callback starts; callbacks
// pushed with `pushAlways` (the driver's own `error()` after it aborted itself)
// still run, even during `shutdown()`.
//
// Backpressure: every callback carries a cost in bytes (the size of the message
// it came from). When the queue holds `maxEvents` callbacks or `maxBytes` bytes,
// `push` reports it is full; once the callback thread has drained it below half
// of both, it calls `onDrained` (on the callback thread, once per fill). The
// driver pauses reading from the network in between, so the queue stays bounded
// and TCP pushes back on the sender (see driver.cpp).
//
// Wake-ups: a push normally wakes a sleeping callback thread at once. With a
// `deferWake` hook the push instead hands the hook one wake-up to run later
// (the driver posts it behind the I/O handler that is parsing a read buffer),
// and the pushes until it runs ride on it: one wake-up per read buffer rather
// than per message, which is most of what a status update costs otherwise
// (docs/PERFORMANCE.md). `onFlush` runs on the callback thread after every
// batch and every `kFlushEvery` callbacks within one: the driver sends the
// acknowledgements the batch produced in one hand-over to the I/O thread.
//
// Timing: every callback run by the thread is timed into `CallbackStats`
// (sched/driver_stats.hpp): its duration, its kind's maximum, and while it
// runs, its kind and start, which the driver's watchdog reads.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "sched/driver_stats.hpp"

namespace mesos {
namespace internal {
namespace sched {

struct CallbackQueueLimits {
  size_t maxEvents = 4096;
  size_t maxBytes = 32 * 1024 * 1024;
};

class CallbackQueue {
 public:
  using Callback = std::function<void()>;
  // Receives a wake-up to run soon on any thread (it is cheap and safe to run
  // after the queue is gone).
  using DeferWake = std::function<void(std::function<void()> wake)>;
  static constexpr size_t kFlushEvery = 128;

  // `onDrained` runs on the callback thread; it may run while `shutdown()` is
  // under way, never after it returned (the thread is joined or detached).
  // `stats` (made when null) receives the timings; a callback that runs at
  // least `slowThreshold` (when positive) counts as slow there.
  explicit CallbackQueue(CallbackQueueLimits limits = {}, std::function<void()> onDrained = {},
                         std::shared_ptr<CallbackStats> stats = nullptr,
                         std::chrono::nanoseconds slowThreshold = std::chrono::nanoseconds(0),
                         DeferWake deferWake = {}, std::function<void()> onFlush = {});
  // Shuts down and joins the thread (see `shutdown()`).
  ~CallbackQueue();
  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;

  // Queues `callback`; returns true when the queue is now full (the caller
  // should stop producing until `onDrained`). A full queue still accepts.
  // A sleeping callback thread is woken now or, with `deferWake`, by the
  // wake-up handed to it (once per sleep).
  // `kind` names the callback in the timings.
  bool push(Callback callback, size_t bytes = 0,
            CallbackKind kind = CallbackKind::kResourceOffers);
  void pushAlways(Callback callback, CallbackKind kind = CallbackKind::kError);
  void abort();
  // Drops the ordinary callbacks still queued, runs the `pushAlways` ones (so
  // an error() the driver queued when it aborted itself is never lost), then
  // stops the thread and joins it. Called on the callback thread itself (the
  // driver destroyed inside a callback), it runs the `pushAlways` callbacks
  // right there, before returning, and detaches the thread, which then starts
  // nothing more: whatever the callbacks would touch may be gone after return.
  void shutdown();

  bool onCallbackThread() const;
  // True while the callback thread waits for work (a snapshot). Thread: any.
  bool idle() const;
  size_t depth() const;
  size_t bytes() const;

  struct State;  // Shared with the thread body, which may outlive the queue.

 private:
  std::shared_ptr<State> state_;
  std::thread thread_;
  // Fixed at construction: read by any thread while shutdown() joins thread_.
  std::thread::id threadId_;
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
