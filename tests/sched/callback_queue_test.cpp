// The callback thread's hand-offs (sched/callback_queue.hpp): with a deferred
// wake-up, a burst of pushes into a sleeping thread costs one wake-up, and the
// flush hook runs after every batch and every kFlushEvery callbacks in one.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "sched/callback_queue.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace {

using namespace std::chrono_literals;

// Waits for `done` with a deadline; true when it came.
bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds deadline = 10s) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Collects the wake-ups the queue hands out instead of waking its thread.
struct Wakes {
  std::mutex mutex;
  std::vector<std::function<void()>> pending;
  size_t handedOut = 0;

  CallbackQueue::DeferWake hook() {
    return [this](std::function<void()> wake) {
      std::lock_guard<std::mutex> lock(mutex);
      ++handedOut;
      pending.push_back(std::move(wake));
    };
  }
  void runAll() {
    std::vector<std::function<void()>> wakes;
    {
      std::lock_guard<std::mutex> lock(mutex);
      wakes.swap(pending);
    }
    for (auto& wake : wakes) wake();
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return handedOut;
  }
};

TEST(CallbackQueueTest, ABurstIntoASleepingThreadHandsOutOneWake) {
  Wakes wakes;
  CallbackQueue queue({}, {}, nullptr, 0ns, wakes.hook());
  std::atomic<int> ran{0};
  for (int round = 1; round <= 3; ++round) {
    ASSERT_TRUE(waitFor([&] { return queue.idle(); })) << "round " << round;
    for (int i = 0; i < 1000; ++i) queue.push([&ran] { ++ran; });
    // Exactly one per sleep, however many pushes rode on it.
    EXPECT_EQ(wakes.count(), static_cast<size_t>(round));
    wakes.runAll();
    ASSERT_TRUE(waitFor([&] { return ran.load() == 1000 * round; })) << ran.load();
  }
}

TEST(CallbackQueueTest, WithoutTheHookAPushWakesTheThreadItself) {
  CallbackQueue queue;
  std::atomic<int> ran{0};
  ASSERT_TRUE(waitFor([&] { return queue.idle(); }));
  queue.push([&ran] { ++ran; });
  EXPECT_TRUE(waitFor([&] { return ran.load() == 1; }));
}

TEST(CallbackQueueTest, TheFlushHookRunsWithinLongBatchesAndAfterEach) {
  Wakes wakes;
  std::atomic<size_t> flushes{0};
  CallbackQueue queue({}, {}, nullptr, 0ns, wakes.hook(), [&flushes] { ++flushes; });
  ASSERT_TRUE(waitFor([&] { return queue.idle(); }));
  const size_t n = 2 * CallbackQueue::kFlushEvery + 10;
  std::vector<size_t> seen(n, 0);
  std::atomic<size_t> ran{0};
  for (size_t i = 0; i < n; ++i) {
    queue.push([&, i] {
      seen[i] = flushes.load();
      ++ran;
    });
  }
  wakes.runAll();  // One batch: everything was queued before the thread woke.
  ASSERT_TRUE(waitFor([&] { return ran.load() == n && flushes.load() == 3; }))
      << ran.load() << " ran, " << flushes.load() << " flushes";
  EXPECT_EQ(seen[CallbackQueue::kFlushEvery - 1], 0u);
  EXPECT_EQ(seen[CallbackQueue::kFlushEvery], 1u);
  EXPECT_EQ(seen[2 * CallbackQueue::kFlushEvery], 2u);
}

}  // namespace
}  // namespace sched
}  // namespace internal
}  // namespace mesos
