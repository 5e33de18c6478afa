// The simulated master driven by the real driver: offers, filters, revive,
// suppress, offer timeouts, and two frameworks sharing a cluster.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::StartsWith;

// ---- Offers ---------------------------------------------------------------------

TEST_F(LocalClusterTest, OffersComeFromEveryAgent) {
  startCluster(fastOptions(3));
  startRegistered();
  ASSERT_TRUE(sched_.waitFor([&] {
    std::set<std::string> agents;
    for (const auto& o : sched_.offers()) agents.insert(o.offer.slave_id().value());
    return agents.size() == 3;
  }));

  const Struct s = state();
  std::map<std::string, std::string> pids;  // Agent id -> pid.
  for (const Struct& agent : structs(s, "slaves")) pids[str(agent, "id")] = str(agent, "pid");
  ASSERT_EQ(3u, pids.size());

  std::set<std::string> paths;
  for (const auto& timed : sched_.offers()) {
    const Offer& offer = timed.offer;
    SCOPED_TRACE(offer.ShortDebugString());
    EXPECT_EQ(sched_.frameworkId()->value(), offer.framework_id().value());
    EXPECT_THAT(offer.id().value(), StartsWith(str(s, "id") + "-O"));
    EXPECT_THAT(offer.slave_id().value(), StartsWith(str(s, "id") + "-S"));
    ASSERT_EQ(1u, pids.count(offer.slave_id().value()));
    // The agent's pid is `slave(N)@ip:port`; the offer's url names the same.
    const std::string& pid = pids[offer.slave_id().value()];
    EXPECT_THAT(pid, StartsWith("slave("));
    EXPECT_EQ(pid, offer.url().path().substr(1) + "@" + offer.url().address().ip() + ":" +
                       std::to_string(offer.url().address().port()));
    paths.insert(offer.url().path());
    double cpus = 0;
    for (const Resource& r : offer.resources()) {
      if (r.name() == "cpus") cpus += r.scalar().value();
    }
    EXPECT_DOUBLE_EQ(4, cpus);
  }
  EXPECT_EQ(std::set<std::string>({"/slave(1)", "/slave(2)", "/slave(3)"}), paths);
}

// ResourceOffersMessage.pids[i] is the UPID of offers[i]'s agent (the driver
// hides it, so a raw framework looks).
TEST_F(LocalClusterTest, OfferMessagePidsNameEachOffersAgent) {
  startCluster(fastOptions(3));
  RawFramework raw;
  raw.subscribe(masterPid());
  ASSERT_TRUE(waitUntil([&] {
    std::set<std::string> agents;
    for (const auto& m : raw.all<internal::ResourceOffersMessage>()) {
      for (const Offer& o : m.offers()) agents.insert(o.slave_id().value());
    }
    return agents.size() == 3;
  }));
  std::map<std::string, std::string> pids;
  for (const Struct& agent : structs(state(), "slaves")) pids[str(agent, "id")] = str(agent, "pid");
  std::set<std::string> seen;
  for (const auto& m : raw.all<internal::ResourceOffersMessage>()) {
    ASSERT_EQ(m.offers_size(), m.pids_size());
    for (int i = 0; i < m.offers_size(); ++i) {
      EXPECT_EQ(pids[m.offers(i).slave_id().value()], m.pids(i));
      seen.insert(m.pids(i).substr(0, m.pids(i).find('@')));
    }
  }
  EXPECT_EQ(std::set<std::string>({"slave(1)", "slave(2)", "slave(3)"}), seen);
}

TEST_F(LocalClusterTest, DeclineFiltersTheAgentForRefuseSeconds) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto declined = Clock::now();
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(0.3)));

  auto again = sched_.waitOffer(before);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(offer.slave_id().value(), again->offer.slave_id().value());
  EXPECT_NE(offer.id().value(), again->offer.id().value());
  const long long waited = millisSince(declined, again->at);
  EXPECT_GE(waited, 300) << "offered again inside the 0.3 s filter";
  EXPECT_LT(waited, 2300) << "the filter outlived its 0.3 s";
}

TEST_F(LocalClusterTest, DeclineWithoutFiltersRefusesForFiveSeconds) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto declined = Clock::now();
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id()));  // Filters(): 5 s.

  auto again = sched_.waitOffer(before, {}, Millis(15000));
  ASSERT_TRUE(again.has_value());
  const long long waited = millisSince(declined, again->at);
  EXPECT_GE(waited, 5000) << "offered again inside the default 5 s filter";
  EXPECT_LT(waited, 8000);
}

// What an ACCEPT leaves unused is declined with the call's filters, and a
// negative refuse_seconds means the default 5 s (as for DECLINE).
TEST_F(LocalClusterTest, AcceptWithNegativeRefuseSecondsFiltersLeftoversForFiveSeconds) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto accepted = Clock::now();
  launch(offer, {commandTask("t", offer.slave_id(), "sleep 30")}, refuseFor(-1));
  auto again = sched_.waitOffer(before, {}, Millis(15000));
  ASSERT_TRUE(again.has_value());
  const long long waited = millisSince(accepted, again->at);
  if (waited < 4000) {
    FAIL() << "master regression: leftovers of an ACCEPT with refuse_seconds=-1 were offered again "
                 << waited << " ms later (no filter instead of the default 5 s)";
  }
  EXPECT_GE(waited, 5000);
  EXPECT_LT(waited, 8000);
}

TEST_F(LocalClusterTest, ReviveClearsFilters) {
  startCluster();
  startRegistered();
  Offer offer = nextOffer(sched_);
  const size_t before = sched_.offerCount();
  const auto declined = Clock::now();
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offer.id(), refuseFor(3600)));
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());

  auto again = sched_.waitOffer(before);
  ASSERT_TRUE(again.has_value()) << "revive did not clear the one-hour filter";
  EXPECT_EQ(offer.slave_id().value(), again->offer.slave_id().value());
  EXPECT_LT(millisSince(declined, again->at), 5000);
}

// (Suppress and revive on every wire: tests/master/cluster_wires_test.cpp.)

TEST_F(LocalClusterTest, OfferTimeoutRescindsTheOffer) {
  LocalClusterOptions options = fastOptions();
  options.offerTimeout = Millis(200);
  startCluster(options);
  const auto started = Clock::now();  // Before the first offer was made.
  startRegistered();
  auto first = sched_.waitOffer(0);
  ASSERT_TRUE(first.has_value());
  const std::string id = first->offer.id().value();

  ASSERT_TRUE(sched_.waitFor([&] {
    auto r = sched_.rescinded();
    return std::find(r.begin(), r.end(), id) != r.end();
  }));
  EXPECT_GE(millisSince(started, sched_.rescindedAt(id)), 200);
  EXPECT_LT(millisSince(first->at, sched_.rescindedAt(id)), 3000);
  // The resources come back in a new offer.
  auto again = sched_.waitOffer(1);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(id, again->offer.id().value());
}

TEST_F(LocalClusterTest, TwoFrameworksShareTheCluster) {
  startCluster(fastOptions(2));
  auto decliner = [](SchedulerDriver* d, const std::vector<Offer>& offers) {
    for (const Offer& o : offers) d->declineOffer(o.id(), refuseFor(0.05));
  };
  sched_.onOffers = decliner;
  Recorder other;
  other.onOffers = decliner;
  startRegistered();
  auto driverB = startDriver(config(other, frameworkInfo("other")));
  ASSERT_TRUE(other.waitRegistered());

  ASSERT_TRUE(sched_.waitFor([&] { return sched_.offers().size() >= 3; }));
  ASSERT_TRUE(other.waitFor([&] { return other.offers().size() >= 3; }));
  const std::string a = sched_.frameworkId()->value();
  const std::string b = other.frameworkId()->value();
  EXPECT_EQ(masterId() + "-0000", a);
  EXPECT_EQ(masterId() + "-0001", b);
  for (const auto& o : sched_.offers()) EXPECT_EQ(a, o.offer.framework_id().value());
  for (const auto& o : other.offers()) EXPECT_EQ(b, o.offer.framework_id().value());
  EXPECT_EQ(2u, structs(state(), "frameworks").size());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
