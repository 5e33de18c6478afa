// Registration, reconnection and master resolution on the core alone: exact
// delays from a fake clock and a fixed generator.

#include <cmath>

#include "sched/core/core_harness.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {
namespace {

// Seconds between consecutive elements.
std::vector<int64_t> gapsMs(const std::vector<double>& times) {
  std::vector<int64_t> out;
  for (size_t i = 1; i < times.size(); ++i) {
    out.push_back(static_cast<int64_t>(std::llround((times[i] - times[i - 1]) * 1000)));
  }
  return out;
}

TEST(CoreRegistrationTest, SubscribesAtOnceWhenAMasterIsDetected) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  ASSERT_EQ(h.links, std::vector<process::UPID>{kMaster});
  ASSERT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_EQ(h.sent[0].to, kMaster);
  EXPECT_EQ(h.sent[0].at, 0.0);
  EXPECT_EQ(h.sent[0].wireName, "mesos.scheduler.Call");
  EXPECT_FALSE(h.calls<Subscribe>()[0].force);
}

TEST(CoreRegistrationTest, UpperBoundsDoubleFromTheFactorToSixtySeconds) {
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(1.0));
  h.detect();
  h.advance(milliseconds(242 * 1000));
  EXPECT_EQ(gapsMs(h.callTimes<Subscribe>()),
            (std::vector<int64_t>{2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
}

TEST(CoreRegistrationTest, LowerBoundIsZero) {
  // A zero draw retries at once; the core still goes through the timer (no
  // loop inside one input), so each retry is one timer expiry.
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(0.0));
  h.detect();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(h.fireNext());
  EXPECT_EQ(gapsMs(h.callTimes<Subscribe>()), (std::vector<int64_t>{0, 0, 0, 0, 0}));
  EXPECT_EQ(h.armed(Timer::kRegistration), milliseconds(0));
}

TEST(CoreRegistrationTest, HalfDrawsAreHalfTheBound) {
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(0.5));
  h.detect();
  h.advance(milliseconds(62000));
  EXPECT_EQ(gapsMs(h.callTimes<Subscribe>()),
            (std::vector<int64_t>{1000, 2000, 4000, 8000, 16000, 30000}));
}

TEST(CoreRegistrationTest, TheFailoverTimeoutCapsTheBoundAtATenth) {
  Options o = CoreHarness::defaults();
  o.framework.set_failover_timeout(30);  // A cap of 3 s.
  CoreHarness h(o, false, CoreHarness::fixed(1.0));
  h.detect();
  h.advance(milliseconds(15000));
  EXPECT_EQ(gapsMs(h.callTimes<Subscribe>()), (std::vector<int64_t>{2000, 3000, 3000, 3000, 3000}));
}

TEST(CoreRegistrationTest, AHugeFailoverTimeoutDoesNotLiftTheSixtySecondCap) {
  Options o = CoreHarness::defaults();
  o.framework.set_failover_timeout(7 * 24 * 3600);
  CoreHarness h(o, false, CoreHarness::fixed(1.0));
  h.detect();
  h.advance(milliseconds(250000));
  const auto gaps = gapsMs(h.callTimes<Subscribe>());
  ASSERT_GE(gaps.size(), 6u);
  EXPECT_EQ(gaps[5], 60000);
}

TEST(CoreRegistrationTest, RetriesStopOnceRegistered) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.advance(milliseconds(2000));
  ASSERT_EQ(h.calls<Subscribe>().size(), 2u);
  h.registered();
  EXPECT_TRUE(h.connected);
  EXPECT_FALSE(h.armed(Timer::kRegistration));
  h.advance(milliseconds(10 * 60 * 1000));
  EXPECT_EQ(h.calls<Subscribe>().size(), 2u);
  ASSERT_EQ(h.callbacksOf<Registered>().size(), 1u);
  EXPECT_EQ(h.callbacksOf<Registered>()[0].frameworkId.value(), "framework-1");
}

TEST(CoreRegistrationTest, ARegistrationAfterANewMasterStartsFromTheFactorAgain) {
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(1.0));
  h.detect();
  h.advance(milliseconds(14000));  // Retries at 2, 6, 14 s: the bound is now 16 s.
  ASSERT_EQ(h.calls<Subscribe>().size(), 4u);
  h.clear();
  h.detect(kRogue);  // Another master is elected.
  h.advance(milliseconds(2000));
  EXPECT_EQ(gapsMs(h.callTimes<Subscribe>()), (std::vector<int64_t>{2000}));
  EXPECT_EQ(h.sent.back().to, kRogue);
}

TEST(CoreRegistrationTest, AFrameworkWithAnIdResubscribesWithForceUntilRegistered) {
  Options o = CoreHarness::defaults();
  o.framework.mutable_id()->set_value("framework-1");
  CoreHarness h(o);
  h.detect();
  ASSERT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_TRUE(h.calls<Subscribe>()[0].force);
  internal::FrameworkReregisteredMessage m;
  m.mutable_framework_id()->set_value("framework-1");
  m.mutable_master_info()->set_id("m");
  m.mutable_master_info()->set_ip(1);
  m.mutable_master_info()->set_port(1);
  h.receive(kMaster, m);
  EXPECT_EQ(h.callbacksOf<Reregistered>().size(), 1u);
  // A later re-registration (new master) is no failover any more.
  h.detect();
  EXPECT_FALSE(h.calls<Subscribe>().back().force);
}

TEST(CoreRegistrationTest, NoMasterMeansNoSubscribeAndDisconnected) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.detectNone();
  EXPECT_FALSE(h.connected);
  EXPECT_EQ(h.callbacksOf<Disconnected>().size(), 1u);
  h.advance(milliseconds(120000));
  EXPECT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_EQ(h.unlinks, 1);
}

// ---- Broken links -------------------------------------------------------------

TEST(CoreReconnectTest, ABrokenLinkDisconnectsThenRelinksAfterABackoff) {
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(1.0));
  h.detect();
  h.registered();
  h.clear();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  EXPECT_FALSE(h.connected);
  EXPECT_EQ(h.callbacksOf<Disconnected>().size(), 1u);
  EXPECT_EQ(h.armed(Timer::kReconnect), milliseconds(2000));
  h.advance(milliseconds(1999));
  EXPECT_TRUE(h.links.empty());
  h.advance(milliseconds(1));
  EXPECT_EQ(h.links, std::vector<process::UPID>{kMaster});
  ASSERT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_EQ(h.sent[0].at, 2.0);
}

TEST(CoreReconnectTest, RepeatedBreaksDoubleTheReconnectDelayUntilRegistered) {
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(1.0));
  h.detect();
  h.registered();
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i) {
    h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
    delays.push_back(h.armed(Timer::kReconnect)->count());
    ASSERT_TRUE(h.fireNext());
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{2000, 4000, 8000, 16000, 32000, 60000, 60000}));
  h.registered();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  EXPECT_EQ(h.armed(Timer::kReconnect), milliseconds(2000)) << "registration resets it";
}

TEST(CoreReconnectTest, ABrokenLinkToAnotherProcessChangesNothing) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.clear();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kRogue); });
  EXPECT_TRUE(h.connected);
  EXPECT_TRUE(h.callbacks.empty());
  EXPECT_FALSE(h.armed(Timer::kReconnect));
}

TEST(CoreReconnectTest, WithReconnectOffABrokenLinkIsIgnoredAsMesosDoes) {
  Options o = CoreHarness::defaults();
  o.reconnectOnLinkLoss = false;
  CoreHarness h(o);
  h.detect();
  h.registered();
  h.clear();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  EXPECT_TRUE(h.connected);
  EXPECT_TRUE(h.callbacks.empty());
  EXPECT_FALSE(h.armed(Timer::kReconnect));
}

TEST(CoreReconnectTest, StopAfterABrokenLinkStillTearsDownAtTheMaster) {
  CoreHarness h(CoreHarness::defaults());
  h.detect();
  h.registered();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  h.clear();
  h.input([](DriverCore& c, Time t) { c.stop(t, /*failover=*/false); });
  ASSERT_EQ(h.calls<Teardown>().size(), 1u);
  EXPECT_EQ(h.calls<Teardown>()[0].frameworkId->value(), "framework-1");
  EXPECT_FALSE(h.armed(Timer::kReconnect));
}

// ---- Resolution ---------------------------------------------------------------

TEST(CoreResolveTest, AHostNameIsResolvedThenRegisteredWith) {
  CoreHarness h(CoreHarness::defaults());
  h.detectPid("master@mesos.example:5050");
  ASSERT_EQ(h.resolves.size(), 1u);
  EXPECT_EQ(h.resolves[0].host, "mesos.example");
  EXPECT_TRUE(h.sent.empty());
  const uint64_t token = h.resolves[0].token;
  h.input([&](DriverCore& c, Time t) { c.masterResolved(t, token, Try<uint32_t>(0x0a000001u)); });
  ASSERT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_EQ(h.sent[0].to, process::UPID("master", 0x0a000001u, 5050));
}

TEST(CoreResolveTest, FailedLookupsAreRetriedWithADoublingDelayWithoutJitter) {
  CoreHarness h(CoreHarness::defaults(), false, CoreHarness::fixed(0.0));
  h.detectPid("master@mesos.example:5050");
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i) {
    const uint64_t token = h.resolves.back().token;
    h.input([&](DriverCore& c, Time t) { c.masterResolved(t, token, Error("no such host")); });
    delays.push_back(h.armed(Timer::kReconnect)->count());
    ASSERT_TRUE(h.fireNext());
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{2000, 4000, 8000, 16000, 32000, 60000, 60000}));
  EXPECT_EQ(h.resolves.size(), 8u);
}

TEST(CoreResolveTest, AnAnswerForAnEarlierLeaderIsIgnored) {
  CoreHarness h(CoreHarness::defaults());
  h.detectPid("master@old.example:5050");
  const uint64_t stale = h.resolves.back().token;
  h.detect();  // A new leader with a numeric pid.
  h.clear();
  h.input([&](DriverCore& c, Time t) { c.masterResolved(t, stale, Try<uint32_t>(0x0a000001u)); });
  EXPECT_TRUE(h.sent.empty());
  EXPECT_TRUE(h.links.empty());
}

}  // namespace
}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
