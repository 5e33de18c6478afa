// The driver's authentication (docs/protocol.md, "Authentication") against a
// FakeMaster that plays the authenticator by hand: message flow and addressing,
// the timeout and retry, what is retried and what aborts, untrusted input.
//
// "The driver did not act on X" is shown by ordering rather than by waiting:
// the driver handles messages one at a time, in the order they arrive on the
// master's connection, and everything it sends to the master's address goes
// out on one connection. So once it has answered a message sent after X, any
// reaction to X (such as a SUBSCRIBE) would already have arrived.

#include <mesos/authentication/authentication.pb.h>

#include <regex>

#include "auth/crammd5_server.hpp"
#include "sched/driver_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::AuthenticateMessage;
using internal::AuthenticationCompletedMessage;
using internal::AuthenticationErrorMessage;
using internal::AuthenticationFailedMessage;
using internal::AuthenticationMechanismsMessage;
using internal::AuthenticationStartMessage;
using internal::AuthenticationStepMessage;
using internal::process::UPID;
using ::testing::HasSubstr;
using Call = scheduler::Call;
using Millis = std::chrono::milliseconds;

constexpr char kSession[] = "crammd5-authenticator-session(1)";
constexpr char kAuthenticate[] = "mesos.internal.AuthenticateMessage";
constexpr char kStart[] = "mesos.internal.AuthenticationStartMessage";
constexpr char kStep[] = "mesos.internal.AuthenticationStepMessage";
constexpr char kCall[] = "mesos.scheduler.Call";
constexpr char kChallenge[] = "<1234.5678@fake-master>";

class AuthenticateeTest : public DriverTest {
 protected:
  AuthenticateeTest() { master_.addProcess(kSession); }

  // Authentication on, with attempts that time out only after a minute, so
  // that any quick retry is the driver reacting to what it was sent.
  DriverConfig authConfig(const std::string& secret = "alice-secret") {
    DriverConfig c = config();
    Credential credential;
    credential.set_principal("alice");
    credential.set_secret(secret);
    c.credential = credential;
    c.authenticationTimeoutMin = Millis(60000);
    c.authenticationTimeoutMax = Millis(60000);
    return c;
  }

  UPID session() const { return UPID(kSession, master_.pid().ip, master_.pid().port); }

  // Step 1: the AuthenticateMessage; returns its sender, the authenticatee.
  UPID expectAuthenticate() {
    auto message = master_.expect<AuthenticateMessage>();
    scheduler_ = UPID::parse(message.pid()).get();
    return master_.lastFrom();
  }

  // Steps 2-3: mechanisms from the session, and the authenticatee's start.
  void sendMechanisms(const UPID& authenticatee) {
    AuthenticationMechanismsMessage mechanisms;
    mechanisms.add_mechanisms("CRAM-MD5");
    master_.sendAs(kSession, authenticatee, mechanisms);
  }
  // The start, sent by `*from` (if given).
  AuthenticationStartMessage expectStart(UPID* from = nullptr) {
    AuthenticationStartMessage start;
    auto message = master_.waitFor(kStart);
    EXPECT_TRUE(message.has_value()) << "no AuthenticationStartMessage";
    if (!message) return start;
    EXPECT_EQ(session(), message->to) << "the start goes to the sender of the mechanisms";
    EXPECT_TRUE(start.ParseFromString(message->body));
    if (from != nullptr) *from = message->from;
    return start;
  }

  // Steps 4-5: a challenge, and the response.
  std::string challenge(const UPID& authenticatee, const std::string& data = kChallenge) {
    AuthenticationStepMessage step;
    step.set_data(data);
    master_.sendAs(kSession, authenticatee, step);
    return master_.expect<AuthenticationStepMessage>().data();
  }

  // Steps 1-5, answered correctly; returns the authenticatee.
  UPID upToTheResponse() {
    const UPID authenticatee = expectAuthenticate();
    sendMechanisms(authenticatee);
    expectStart();
    EXPECT_EQ(std::string("alice ") + internal::auth::cramMd5Digest("alice-secret", kChallenge),
              challenge(authenticatee));
    return authenticatee;
  }

  void expectRetry() {
    EXPECT_TRUE(master_.received(kAuthenticate, scaled(Millis(10000))))
        << "the driver did not retry at once";
  }
};

TEST_F(AuthenticateeTest, AuthenticatesFollowingTheProtocolThenSubscribes) {
  start(authConfig());

  const UPID authenticatee = expectAuthenticate();
  EXPECT_TRUE(std::regex_match(authenticatee.id, std::regex(R"(crammd5-authenticatee\(\d+\))")))
      << authenticatee;
  EXPECT_EQ(0u, scheduler_.id.rfind("scheduler-", 0)) << "the pid field is the scheduler";
  EXPECT_EQ(scheduler_.address(), authenticatee.address()) << "same libprocess instance";

  sendMechanisms(authenticatee);
  UPID from;
  AuthenticationStartMessage start = expectStart(&from);
  EXPECT_EQ("CRAM-MD5", start.mechanism());
  EXPECT_TRUE(start.has_data()) << "data present, though empty";
  EXPECT_EQ("", start.data());
  EXPECT_EQ(authenticatee, from);

  EXPECT_EQ(std::string("alice ") + internal::auth::cramMd5Digest("alice-secret", kChallenge),
            challenge(authenticatee));
  EXPECT_EQ(0u, master_.count(kCall)) << "registration waits for authentication";

  master_.sendAs(kSession, authenticatee, AuthenticationCompletedMessage());
  master_.expectCall(Call::SUBSCRIBE);
  EXPECT_EQ(scheduler_, master_.lastFrom()) << "the authenticated identity subscribes";
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  EXPECT_EQ(1u, master_.count(kAuthenticate));
}

TEST_F(AuthenticateeTest, UnansweredAttemptTimesOutAndRetriesWithANewProcess) {
  DriverConfig c = authConfig();
  c.authenticationTimeoutMin = Millis(500);
  c.authenticationBackoffFactor = Millis(250);  // Ranges [500, 1000], [500, 1500] ms...
  start(c);
  const auto begin = std::chrono::steady_clock::now();
  const UPID first = expectAuthenticate();  // The master swallows it.
  const UPID client = scheduler_;
  const UPID second = expectAuthenticate();
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(elapsed, Millis(490)) << "retried before the minimum timeout";
  EXPECT_NE(first.id, second.id) << "each attempt is a new authenticatee process";
  EXPECT_EQ(client, scheduler_) << "for the same scheduler";
  EXPECT_EQ(0u, master_.count(kCall));

  // The abandoned attempt is gone: a late mechanisms message to it starts
  // nothing, while the current attempt (with >= 500 ms left) answers.
  sendMechanisms(first);
  sendMechanisms(second);
  UPID from;
  expectStart(&from);
  EXPECT_EQ(second, from);
  EXPECT_EQ(1u, master_.count(kStart));
}

TEST_F(AuthenticateeTest, CompletionFromAProcessThatIsNotTheAuthenticatorIsIgnored) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  sendMechanisms(authenticatee);
  expectStart();

  // From another process at the master's address, and from the master itself.
  master_.sendAs("crammd5-authenticator-session(2)", authenticatee,
                 AuthenticationCompletedMessage());
  master_.send(authenticatee, AuthenticationCompletedMessage());
  master_.send(authenticatee, AuthenticationFailedMessage());
  // Still in the handshake: the real session's challenge is answered.
  EXPECT_EQ(std::string("alice ") + internal::auth::cramMd5Digest("alice-secret", kChallenge),
            challenge(authenticatee));
  EXPECT_EQ(0u, master_.count(kCall)) << "registered on a spoofed completion";

  master_.sendAs(kSession, authenticatee, AuthenticationCompletedMessage());
  master_.expectCall(Call::SUBSCRIBE);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  EXPECT_EQ(1u, master_.count(kAuthenticate));
  EXPECT_EQ(DRIVER_RUNNING, driver_->status()) << "the spoofed failure was ignored too";
}

TEST_F(AuthenticateeTest, MechanismsFromAnotherAddressAreIgnored) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  FakeMaster elsewhere(0, kSession);
  AuthenticationMechanismsMessage mechanisms;
  mechanisms.add_mechanisms("CRAM-MD5");
  elsewhere.send(authenticatee, mechanisms);
  // Another connection, so no ordering to lean on: an authenticatee that took
  // the bait would answer `elsewhere` within this bound.
  EXPECT_FALSE(elsewhere.received(kStart, Millis(300)));
  sendMechanisms(authenticatee);
  expectStart();
  master_.sendAs(kSession, authenticatee, AuthenticationCompletedMessage());
  master_.expectCall(Call::SUBSCRIBE);
  EXPECT_EQ(0u, elsewhere.count(kStart));
  EXPECT_EQ(1u, master_.count(kAuthenticate));
}

TEST_F(AuthenticateeTest, GarbageStepIsAFailedAttemptRetriedAtOnce) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  sendMechanisms(authenticatee);
  expectStart();
  master_.sendRawAs(kSession, authenticatee, kStep, "\xff\xff\xff\xff");
  expectRetry();
  EXPECT_EQ(0u, master_.count(kCall));
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

TEST_F(AuthenticateeTest, GarbageMechanismsIsAFailedAttemptRetriedAtOnce) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  master_.sendRawAs(kSession, authenticatee, "mesos.internal.AuthenticationMechanismsMessage",
                    "\x0a\xff");
  expectRetry();
}

TEST_F(AuthenticateeTest, StepBeforeTheMechanismsIsAFailedAttemptRetriedAtOnce) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  AuthenticationStepMessage step;
  step.set_data(kChallenge);
  master_.send(authenticatee, step);  // From the master, out of order.
  expectRetry();
  EXPECT_EQ(0u, master_.count(kStep));
}

TEST_F(AuthenticateeTest, SecondMechanismsMessageIsAFailedAttemptRetriedAtOnce) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  sendMechanisms(authenticatee);
  expectStart();
  sendMechanisms(authenticatee);
  expectRetry();
}

TEST_F(AuthenticateeTest, MechanismsWithoutCramMd5IsAFailedAttempt) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  AuthenticationMechanismsMessage mechanisms;
  mechanisms.add_mechanisms("GSSAPI");
  master_.sendAs(kSession, authenticatee, mechanisms);
  expectRetry();
}

TEST_F(AuthenticateeTest, SaslErrorIsAFailedAttemptRetriedAtOnce) {
  start(authConfig());
  const UPID authenticatee = upToTheResponse();
  // CRAM-MD5 has one challenge; SASL fails on a second.
  AuthenticationStepMessage step;
  step.set_data(kChallenge);
  master_.sendAs(kSession, authenticatee, step);
  expectRetry();
  EXPECT_EQ(0u, master_.count(kCall));
}

TEST_F(AuthenticateeTest, AuthenticationErrorIsRetriedAtOnce) {
  start(authConfig());
  const UPID authenticatee = upToTheResponse();
  AuthenticationErrorMessage error;
  error.set_error("internal trouble");
  master_.sendAs(kSession, authenticatee, error);
  const UPID retry = expectAuthenticate();
  EXPECT_NE(authenticatee.id, retry.id);
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

TEST_F(AuthenticateeTest, NoAuthenticatorLoadedFromTheMasterIsRetried) {
  start(authConfig());
  const UPID authenticatee = expectAuthenticate();
  AuthenticationErrorMessage error;
  error.set_error("No authenticator loaded");
  master_.send(authenticatee, error);
  expectRetry();
}

TEST_F(AuthenticateeTest, RefusalAbortsTheDriverWithError) {
  start(authConfig());
  const UPID authenticatee = upToTheResponse();
  master_.sendAs(kSession, authenticatee, AuthenticationFailedMessage());
  std::optional<CallbackEvent> failed = sched_.wait(Callback::kError);
  ASSERT_TRUE(failed);
  EXPECT_EQ("Master refused authentication", failed->message);
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
  EXPECT_EQ(0u, master_.count(kCall));
  EXPECT_EQ(1u, master_.count(kAuthenticate)) << "no retry after a refusal";
}

TEST_F(AuthenticateeTest, CredentialWithoutSecretIsRefusedWithoutAskingTheMaster) {
  DriverConfig c = authConfig();
  c.credential->clear_secret();
  start(c);
  std::optional<CallbackEvent> failed = sched_.wait(Callback::kError);
  ASSERT_TRUE(failed);
  EXPECT_EQ("Master refused authentication", failed->message);
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
  EXPECT_EQ(0u, master_.count(kAuthenticate));
  EXPECT_EQ(0u, master_.count(kCall));
}

TEST_F(AuthenticateeTest, UnknownAuthenticateeFailsStart) {
  DriverConfig c = authConfig();
  c.authenticatee = "kerberos";
  driver_ = std::make_unique<MesosSchedulerDriver>(c);
  EXPECT_EQ(DRIVER_ABORTED, driver_->start());
  std::optional<CallbackEvent> failed = sched_.wait(Callback::kError);
  ASSERT_TRUE(failed);
  EXPECT_THAT(failed->message, HasSubstr("unknown authenticatee 'kerberos'"));
}

TEST_F(AuthenticateeTest, WithoutCredentialTheDriverSubscribesAtOnce) {
  DriverConfig c = config();
  c.authenticatee = "kerberos";  // Irrelevant without a credential.
  startRegistered(c);
  EXPECT_EQ(0u, master_.count(kAuthenticate));
}

TEST_F(AuthenticateeTest, ReauthenticatesBeforeReregisteringAfterALostLink) {
  DriverConfig c = authConfig();
  c.registrationBackoffFactor = Millis(50);
  start(c);
  UPID authenticatee = upToTheResponse();
  master_.sendAs(kSession, authenticatee, AuthenticationCompletedMessage());
  master_.expectCall(Call::SUBSCRIBE);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));

  const uint16_t port = master_.pid().port;
  master_.stop();
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected));

  FakeMaster restarted(port);
  restarted.addProcess(kSession);
  auto again = restarted.expect<AuthenticateMessage>();
  EXPECT_EQ(scheduler_.toString(), again.pid());
  EXPECT_EQ(0u, restarted.count(kCall)) << "re-registered before re-authenticating";
  authenticatee = restarted.lastFrom();
  AuthenticationMechanismsMessage mechanisms;
  mechanisms.add_mechanisms("CRAM-MD5");
  restarted.sendAs(kSession, authenticatee, mechanisms);
  restarted.expect<AuthenticationStartMessage>();
  restarted.sendAs(kSession, authenticatee, AuthenticationCompletedMessage());
  Call call = restarted.expectCall(Call::SUBSCRIBE);
  EXPECT_EQ(kFrameworkId, call.framework_id().value());
  restarted.reregistered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kReregistered));
  driver_.reset();  // Before `restarted` goes.
}

}  // namespace
}  // namespace testing
}  // namespace mesos
