// The arithmetic behind the metrics and the watchdog's schedule, with a clock
// the test drives: histogram buckets and percentiles, and one WARNING per
// doubling of a callback's running time.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "sched/callback_watchdog.hpp"
#include "sched/driver_stats.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(DurationHistogramTest, BucketsAreQuarterOctavesAndBoundTheirValues) {
  for (uint64_t us : {0ull, 1ull, 2ull, 3ull, 5ull, 7ull, 100ull, 1000ull, 123456ull,
                      (1ull << 30) + 17}) {
    const size_t bucket = DurationHistogram::bucketOf(us);
    EXPECT_LT(us, DurationHistogram::upperBoundMicros(bucket)) << us;
    if (bucket > 0) {
      EXPECT_GE(us, DurationHistogram::upperBoundMicros(bucket - 1)) << us;
    }
    // Each bucket is at most a quarter octave (plus rounding) wide.
    if (us >= 8) {
      EXPECT_LE(DurationHistogram::upperBoundMicros(bucket), us + us / 4 + 1) << us;
    }
  }
  EXPECT_EQ(DurationHistogram::bucketOf(1000), DurationHistogram::bucketOf(1001));
  EXPECT_NE(DurationHistogram::bucketOf(1000), DurationHistogram::bucketOf(2000));
}

TEST(DurationHistogramTest, PercentilesComeFromTheRightBucketAndTheMaximumIsExact) {
  DurationHistogram h;
  EXPECT_EQ(h.percentile(0.5), nanoseconds(0));
  for (int i = 0; i < 98; ++i) h.record(microseconds(10));
  h.record(milliseconds(5));
  h.record(milliseconds(50) + nanoseconds(7));
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.max(), milliseconds(50) + nanoseconds(7));
  const nanoseconds p50 = h.percentile(0.5);
  EXPECT_GE(p50, microseconds(10));
  EXPECT_LE(p50, microseconds(13));
  const nanoseconds p99 = h.percentile(0.99);
  EXPECT_GE(p99, milliseconds(5));
  EXPECT_LE(p99, milliseconds(7));
  EXPECT_EQ(h.percentile(1.0), h.max());
}

class WatchdogTest : public ::testing::Test {
 protected:
  // A callback of `kind` that started at `at` (test clock, ns).
  void begin(CallbackKind kind, int64_t at) {
    stats_->started.add();
    stats_->runningKind.store(static_cast<uint8_t>(kind));
    stats_->runningSinceNanos.store(at);
  }
  void end() { stats_->runningSinceNanos.store(0); }
  static int64_t ms(int64_t n) { return n * 1000000; }

  boost::asio::io_context io_;  // Never run: the test calls look() itself.
  std::shared_ptr<CallbackStats> stats_ = std::make_shared<CallbackStats>();
  CallbackWatchdog watchdog_{io_, stats_, milliseconds(1000)};
};

TEST_F(WatchdogTest, WarnsAtTheThresholdThenAtEachDoubling) {
  const int64_t t0 = ms(5000);
  EXPECT_FALSE(watchdog_.look(t0));  // Nothing runs.
  begin(CallbackKind::kResourceOffers, t0);
  EXPECT_FALSE(watchdog_.look(t0 + ms(999)));
  EXPECT_TRUE(watchdog_.look(t0 + ms(1000)));
  EXPECT_FALSE(watchdog_.look(t0 + ms(1500)));
  EXPECT_FALSE(watchdog_.look(t0 + ms(1999)));
  EXPECT_TRUE(watchdog_.look(t0 + ms(2000)));
  EXPECT_FALSE(watchdog_.look(t0 + ms(3000)));
  // A late look warns once, however many doublings it missed.
  EXPECT_TRUE(watchdog_.look(t0 + ms(9000)));
  EXPECT_FALSE(watchdog_.look(t0 + ms(15000)));
  EXPECT_TRUE(watchdog_.look(t0 + ms(16000)));
}

TEST_F(WatchdogTest, ANewCallbackStartsItsOwnSchedule) {
  begin(CallbackKind::kStatusUpdate, ms(100));
  EXPECT_TRUE(watchdog_.look(ms(1200)));
  end();
  EXPECT_FALSE(watchdog_.look(ms(1300)));
  begin(CallbackKind::kStatusUpdate, ms(1300));
  EXPECT_FALSE(watchdog_.look(ms(2000)));
  EXPECT_TRUE(watchdog_.look(ms(2300)));  // 1 s into the second run.
}

TEST_F(WatchdogTest, OffWithoutAThreshold) {
  CallbackWatchdog off(io_, stats_, milliseconds(0));
  off.start();
  EXPECT_EQ(io_.poll(), 0u);  // Armed nothing.
}

}  // namespace
}  // namespace sched
}  // namespace internal
}  // namespace mesos
