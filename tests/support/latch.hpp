#pragma once

// Counting latch for callbacks that happen on another thread:
//   Latch offers;
//   EXPECT_CALL(sched, resourceOffers(_, _)).WillOnce(Notify(&offers));
//   ASSERT_TRUE(offers.wait());

#include <chrono>
#include <condition_variable>
#include <mutex>

#include <gmock/gmock.h>

#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

class Latch {
 public:
  void notify() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    changed_.notify_all();
  }
  // Waits until notified at least `n` times in total.
  bool wait(int n = 1, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout), [&] { return count_ >= n; });
  }
  int count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

ACTION_P(Notify, latch) { latch->notify(); }

}  // namespace testing
}  // namespace mesos
