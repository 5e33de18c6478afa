#include "sched/callback_watchdog.hpp"

#include <algorithm>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

CallbackWatchdog::CallbackWatchdog(boost::asio::io_context& io,
                                   std::shared_ptr<const CallbackStats> stats,
                                   milliseconds threshold)
    : timer_(io), stats_(std::move(stats)), threshold_(threshold) {}

void CallbackWatchdog::start() {
  if (threshold_.count() <= 0 || running_) return;
  running_ = true;
  arm();
}

void CallbackWatchdog::stop() {
  running_ = false;
  timer_.cancel();
}

void CallbackWatchdog::arm() {
  // Half the threshold: a warning comes between 1 and 1.5 thresholds into
  // the run, with two wake-ups per threshold when nothing is slow.
  timer_.expires_after(std::max(milliseconds(10), threshold_ / 2));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    look(steadyNanos());
    arm();
  });
}

bool CallbackWatchdog::look(int64_t nowNanos) {
  // `started` before and after `runningSinceNanos`: a run that ended and
  // another that began between the two reads is not mistaken for one.
  const uint64_t run = stats_->started.get();
  const int64_t since = stats_->runningSinceNanos.load();
  const auto kind = static_cast<CallbackKind>(stats_->runningKind.load());
  if (since <= 0 || stats_->started.get() != run) return false;
  const int64_t threshold = nanoseconds(threshold_).count();
  if (run != run_) {
    run_ = run;
    nextWarnNanos_ = threshold;
  }
  const int64_t running = nowNanos - since;
  if (running < nextWarnNanos_) return false;
  LOG(WARNING) << "Scheduler callback " << callbackName(kind) << "() has been running for "
               << running / 1000000 << " ms (warning threshold " << threshold_.count()
               << " ms): no other callback runs, and no update is acknowledged implicitly, "
               << "until it returns";
  // Doubling from the running time: one line per doubling, however late the look.
  while (nextWarnNanos_ <= running) nextWarnNanos_ *= 2;
  return true;
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
