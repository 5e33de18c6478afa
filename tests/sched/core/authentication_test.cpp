// Authentication on the core alone: attempt timeouts, retries, refusals and
// master changes, with exact delays.

#include "sched/core/core_harness.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {
namespace {

Options withCredential() {
  Options o = CoreHarness::defaults();
  Credential credential;
  credential.set_principal("alice");
  credential.set_secret("secret");
  o.credential = credential;
  return o;  // Timeouts: min 5 s, max 60 s, factor 1 s.
}

void finish(CoreHarness& h, AuthOutcome outcome, const std::string& reason = "") {
  const uint64_t attempt = h.authentications.back().attempt;
  h.input([&](DriverCore& c, Time t) { c.authenticationFinished(t, attempt, outcome, reason); });
}

TEST(CoreAuthenticationTest, RegistrationWaitsForAuthentication) {
  CoreHarness h(withCredential());
  h.detect();
  ASSERT_EQ(h.authentications.size(), 1u);
  EXPECT_EQ(h.authentications[0].master, kMaster);
  EXPECT_TRUE(h.sent.empty());
  finish(h, AuthOutcome::kAuthenticated);
  EXPECT_EQ(h.calls<Subscribe>().size(), 1u);
  EXPECT_FALSE(h.armed(Timer::kAuthentication));
}

TEST(CoreAuthenticationTest, TimeoutsAreTheMinimumPlusARangeThatDoublesToTheMaximum) {
  CoreHarness upper(withCredential(), false, CoreHarness::fixed(1.0));
  upper.detect();
  std::vector<int64_t> timeouts;
  for (int i = 0; i < 8; ++i) {
    timeouts.push_back(upper.armed(Timer::kAuthentication)->count());
    ASSERT_TRUE(upper.fireNext());  // Times out: the next attempt starts.
  }
  EXPECT_EQ(timeouts,
            (std::vector<int64_t>{7000, 9000, 13000, 21000, 37000, 60000, 60000, 60000}));
  EXPECT_EQ(upper.authentications.size(), 9u);
  EXPECT_TRUE(upper.sent.empty()) << "no registration before authentication";

  CoreHarness lower(withCredential(), false, CoreHarness::fixed(0.0));
  lower.detect();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(lower.armed(Timer::kAuthentication), milliseconds(5000));
    ASSERT_TRUE(lower.fireNext());
  }
}

TEST(CoreAuthenticationTest, AFailureRetriesAtOnceWithAWiderRange) {
  CoreHarness h(withCredential(), false, CoreHarness::fixed(1.0));
  h.detect();
  finish(h, AuthOutcome::kFailed, "connection reset");
  ASSERT_EQ(h.authentications.size(), 2u);
  EXPECT_EQ(h.elapsed(), 0.0);
  EXPECT_EQ(h.armed(Timer::kAuthentication), milliseconds(9000));
}

TEST(CoreAuthenticationTest, ARefusalAbortsWithoutRetrying) {
  CoreHarness h(withCredential());
  h.detect();
  finish(h, AuthOutcome::kRefused, "bad secret");
  EXPECT_EQ(h.aborts, std::vector<std::string>{"Master refused authentication"});
  EXPECT_FALSE(h.armed(Timer::kAuthentication));
  h.advance(milliseconds(120000));
  EXPECT_EQ(h.authentications.size(), 1u);
}

TEST(CoreAuthenticationTest, AResultOfAnEarlierAttemptIsIgnored) {
  CoreHarness h(withCredential());
  h.detect();
  const uint64_t first = h.authentications.back().attempt;
  ASSERT_TRUE(h.fireNext());  // Timed out; attempt 2 in flight.
  h.input([&](DriverCore& c, Time t) {
    c.authenticationFinished(t, first, AuthOutcome::kAuthenticated, "");
  });
  EXPECT_TRUE(h.sent.empty());
  h.input([&](DriverCore& c, Time t) {
    c.authenticationFinished(t, first, AuthOutcome::kRefused, "");
  });
  EXPECT_TRUE(h.aborts.empty());
}

TEST(CoreAuthenticationTest, AMasterChangeMidAttemptCountsAsAFailedAttempt) {
  CoreHarness h(withCredential(), false, CoreHarness::fixed(1.0));
  h.detect();
  EXPECT_EQ(h.armed(Timer::kAuthentication), milliseconds(7000));
  h.detect(kRogue);
  EXPECT_EQ(h.authentications.back().master, kRogue);
  EXPECT_EQ(h.armed(Timer::kAuthentication), milliseconds(9000));
  EXPECT_GE(h.authenticationCancels, 1);
}

TEST(CoreAuthenticationTest, AnAuthenticatedDriverAuthenticatesANewMasterAfresh) {
  CoreHarness h(withCredential(), false, CoreHarness::fixed(1.0));
  h.detect();
  finish(h, AuthOutcome::kAuthenticated);
  h.registered();
  h.detect(kRogue);
  EXPECT_EQ(h.armed(Timer::kAuthentication), milliseconds(7000));
  EXPECT_EQ(h.calls<Subscribe>().size(), 1u) << "the new master is not registered with yet";
}

TEST(CoreAuthenticationTest, ABrokenLinkMeansAuthenticatingAgainBeforeReregistering) {
  CoreHarness h(withCredential(), false, CoreHarness::fixed(1.0));
  h.detect();
  finish(h, AuthOutcome::kAuthenticated);
  h.registered();
  h.input([](DriverCore& c, Time t) { c.linkBroken(t, kMaster); });
  ASSERT_TRUE(h.fireNext());  // The reconnect delay.
  EXPECT_EQ(h.authentications.size(), 2u);
  EXPECT_EQ(h.calls<Subscribe>().size(), 1u);
  finish(h, AuthOutcome::kAuthenticated);
  EXPECT_EQ(h.calls<Subscribe>().size(), 2u);
}

TEST(CoreAuthenticationTest, ACredentialWithoutSecretIsARefusal) {
  Options o = withCredential();
  o.credential->clear_secret();
  CoreHarness h(o);
  h.detect();
  EXPECT_TRUE(h.authentications.empty());
  EXPECT_EQ(h.aborts, std::vector<std::string>{"Master refused authentication"});
}

TEST(CoreAuthenticationTest, NoAuthenticateeMeansAnError) {
  Options o = withCredential();
  o.authenticateeConfigured = false;
  CoreHarness h(o);
  h.detect();
  EXPECT_EQ(h.aborts, std::vector<std::string>{"No authenticatee configured for the credential"});
}

}  // namespace
}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
