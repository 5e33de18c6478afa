#pragma once

// The callback watchdog (README, "Callback watchdog"): a Scheduler callback
// that runs longer than a threshold holds up every other callback and, with
// implicit acknowledgements, the acknowledgement of its update. The watchdog
// looks at the callback thread's timings (sched/driver_stats.hpp) every half
// threshold and, while one callback run lasts, logs one WARNING naming it
// once it has run for the threshold, then again at twice that, four times,
// and so on. Counting slow callbacks is the callback thread's own job
// (CallbackQueue), so one that ends between two looks still counts.
//
// Thread: the I/O thread (the io_context given), for every method.

#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sched/driver_stats.hpp"

namespace mesos {
namespace internal {
namespace sched {

class CallbackWatchdog {
 public:
  // A non-positive threshold makes a watchdog that never looks.
  CallbackWatchdog(boost::asio::io_context& io, std::shared_ptr<const CallbackStats> stats,
                   std::chrono::milliseconds threshold);
  void start();
  void stop();

  // One look, at steady-clock time `nowNanos`; returns whether it warned.
  // Public for tests, which drive it with their own clock.
  bool look(int64_t nowNanos);

 private:
  void arm();

  boost::asio::steady_timer timer_;
  const std::shared_ptr<const CallbackStats> stats_;
  const std::chrono::milliseconds threshold_;
  bool running_ = false;
  uint64_t run_ = 0;          // The callback run being watched (CallbackStats::started).
  int64_t nextWarnNanos_ = 0;  // Its running time at the next warning.
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
