#include "common/backoff.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace mesos {
namespace internal {
namespace {

using std::chrono::milliseconds;

UnitRandom fixed(double f) {
  return [f] { return f; };
}

std::vector<int64_t> draws(Backoff& backoff, const UnitRandom& random, int n) {
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(backoff.next(random).count());
  return out;
}

TEST(BackoffTest, UpperBoundsDoubleUpToTheCap) {
  Backoff backoff({milliseconds(2000), milliseconds(60000), milliseconds(0), true});
  EXPECT_EQ(draws(backoff, fixed(1.0), 7),
            (std::vector<int64_t>{2000, 4000, 8000, 16000, 32000, 60000, 60000}));
}

TEST(BackoffTest, LowerBoundIsTheFloor) {
  Backoff backoff({milliseconds(2000), milliseconds(60000), milliseconds(5000), true});
  EXPECT_EQ(draws(backoff, fixed(0.0), 3), (std::vector<int64_t>{5000, 5000, 5000}));
  backoff.reset();
  EXPECT_EQ(draws(backoff, fixed(0.5), 3), (std::vector<int64_t>{6000, 7000, 9000}));
}

TEST(BackoffTest, WithoutJitterTheGeneratorIsNotCalled) {
  Backoff backoff({milliseconds(100), milliseconds(350), milliseconds(0), false});
  int calls = 0;
  UnitRandom counting = [&calls] {
    ++calls;
    return 0.0;
  };
  EXPECT_EQ(draws(backoff, counting, 4), (std::vector<int64_t>{100, 200, 350, 350}));
  EXPECT_EQ(calls, 0);
}

TEST(BackoffTest, ResetStartsOver) {
  Backoff backoff({milliseconds(10), milliseconds(1000), milliseconds(0), false});
  draws(backoff, fixed(1), 3);
  EXPECT_EQ(backoff.bound(), milliseconds(80));
  backoff.reset();
  EXPECT_EQ(backoff.next(fixed(1)), milliseconds(10));
}

TEST(BackoffTest, CapAtLowersTheBound) {
  Backoff backoff({milliseconds(2000), milliseconds(60000), milliseconds(0), true});
  backoff.capAt(milliseconds(500));
  EXPECT_EQ(draws(backoff, fixed(1.0), 2), (std::vector<int64_t>{500, 500}));
}

TEST(BackoffTest, OutOfRangeDrawsAreClamped) {
  Backoff backoff({milliseconds(100), milliseconds(100), milliseconds(0), true});
  EXPECT_EQ(backoff.next(fixed(7.0)), milliseconds(100));
  EXPECT_EQ(backoff.next(fixed(-1.0)), milliseconds(0));
}

TEST(BackoffTest, SeededGeneratorsRepeat) {
  UnitRandom a = seededUnitRandom(42);
  UnitRandom b = seededUnitRandom(42);
  for (int i = 0; i < 100; ++i) {
    const double x = a();
    EXPECT_EQ(x, b());
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
  }
}

TEST(BackoffTest, LongOutagesDoNotOverflow) {
  Backoff backoff({milliseconds(1), milliseconds::max() / 4, milliseconds(0), false});
  milliseconds last{0};
  for (int i = 0; i < 200; ++i) last = backoff.next(fixed(1));
  EXPECT_EQ(last, milliseconds::max() / 4);
}

}  // namespace
}  // namespace internal
}  // namespace mesos
