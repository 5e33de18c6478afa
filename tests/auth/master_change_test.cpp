// Authentication racing with master detection (docs/protocol.md,
// "Authentication"): the state machine (SchedulerProcess) on its own I/O thread
// with a detector the test scripts, and two FakeMasters playing the
// authenticator by hand.

#include <gtest/gtest.h>
#include <mesos/authentication/authentication.pb.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/authenticatee.hpp"
#include "detector/detector.hpp"
#include "sched/scheduler_process.hpp"
#include "support/fake_master.hpp"
#include "support/io_thread.hpp"
#include "support/transport_node.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::AuthenticateMessage;
using internal::AuthenticationCompletedMessage;
using internal::AuthenticationMechanismsMessage;
using internal::AuthenticationStartMessage;
using internal::detector::MasterDetector;
using internal::process::Transport;
using internal::process::UPID;
using internal::sched::ProcessOptions;
using internal::sched::SchedulerProcess;
using Millis = std::chrono::milliseconds;

constexpr char kSession[] = "crammd5-authenticator-session(1)";
constexpr char kAuthenticate[] = "mesos.internal.AuthenticateMessage";
constexpr char kCall[] = "mesos.scheduler.Call";

// Announces whatever leader the test says, on the I/O thread.
class ScriptedDetector : public MasterDetector {
 public:
  void start(Listener onLeader, FailureListener) override { listener_ = std::move(onLeader); }
  void stop() override { listener_ = nullptr; }
  void appoint(const std::optional<MasterInfo>& leader) {
    if (listener_) listener_(leader);
  }

 private:
  Listener listener_;
};

class MasterChangeTest : public ::testing::Test {
 protected:
  MasterChangeTest() {
    a_.addProcess(kSession);
    b_.addProcess(kSession);
  }

  ~MasterChangeTest() override {
    io_.run([&] {
      if (process_) process_->stop(/*failover=*/true);
      process_.reset();
      transport_.reset();
      return 0;
    });
  }

  // Starts the state machine with a credential and attempts that take at
  // least `timeoutMin` to time out.
  void start(Millis timeoutMin = Millis(60000), Millis backoffFactor = Millis(0)) {
    ProcessOptions options;
    options.framework.set_name("master-change-test");
    options.framework.set_user("tester");
    Credential credential;
    credential.set_principal("alice");
    credential.set_secret("alice-secret");
    options.credential = credential;
    options.authenticatee = internal::auth::authenticateeFactory("crammd5").get();
    options.authenticationTimeoutMin = timeoutMin;
    options.authenticationBackoffFactor = backoffFactor;
    options.authenticationTimeoutMax = Millis(60000);

    SchedulerProcess::FacadeHandlers hooks;
    hooks.callback = [](SchedulerProcess::SchedulerCall, size_t,
                        internal::sched::CallbackKind) {};
    hooks.statusUpdate = [](TaskStatus, std::optional<internal::sched::SchedulerProcess::ImplicitAck>,
                             size_t) {};
    hooks.abortWithError = [this](const std::string& message) {
      std::lock_guard<std::mutex> lock(mutex_);
      errors_.push_back(message);
    };
    io_.run([&] {
      transport_ = std::make_unique<Transport>(io_.io(), loopbackTransport());
      EXPECT_TRUE(transport_->start().isSome());
      process_ = std::make_shared<SchedulerProcess>(io_.io(), transport_.get(), options, hooks);
      process_->start(detector_);
      return 0;
    });
  }

  void appoint(const std::optional<MasterInfo>& leader) {
    io_.run([&] {
      detector_->appoint(leader);
      return 0;
    });
  }

  // The next AuthenticateMessage at `master`; returns its sender.
  UPID expectAuthenticate(FakeMaster& master) {
    auto message = master.expect<AuthenticateMessage>();
    EXPECT_EQ(scheduler(), message.pid());
    return master.lastFrom();
  }

  // Completes the handshake as `master`'s session would (the response is not
  // checked here: authenticatee_test.cpp does that).
  void complete(FakeMaster& master, const UPID& authenticatee) {
    AuthenticationMechanismsMessage mechanisms;
    mechanisms.add_mechanisms("CRAM-MD5");
    master.sendAs(kSession, authenticatee, mechanisms);
    master.expect<AuthenticationStartMessage>();
    master.sendAs(kSession, authenticatee, AuthenticationCompletedMessage());
  }

  std::string scheduler() {
    return io_.run([&] { return process_->self().toString(); });
  }

  std::vector<std::string> errors() {
    std::lock_guard<std::mutex> lock(mutex_);
    return errors_;
  }

  FakeMaster a_;
  FakeMaster b_;
  IoThread io_;
  std::shared_ptr<ScriptedDetector> detector_ = std::make_shared<ScriptedDetector>();
  std::unique_ptr<Transport> transport_;
  std::shared_ptr<SchedulerProcess> process_;
  std::mutex mutex_;
  std::vector<std::string> errors_;
};

TEST_F(MasterChangeTest, NewMasterDuringAnAttemptRestartsAuthenticationAgainstIt) {
  start();
  appoint(a_.info());
  const UPID first = expectAuthenticate(a_);

  appoint(b_.info());
  const UPID second = expectAuthenticate(b_);
  EXPECT_NE(first.id, second.id) << "a new attempt, a new authenticatee";

  // The old master's session finishing late changes nothing: that attempt
  // and its process are gone.
  AuthenticationMechanismsMessage mechanisms;
  mechanisms.add_mechanisms("CRAM-MD5");
  a_.sendAs(kSession, first, mechanisms);
  a_.sendAs(kSession, first, AuthenticationCompletedMessage());

  complete(b_, second);
  b_.expectCall(scheduler::Call::SUBSCRIBE);
  EXPECT_EQ(scheduler(), b_.lastFrom().toString());
  EXPECT_EQ(0u, a_.count(kCall)) << "subscribed to the old master";
  EXPECT_EQ(0u, a_.count("mesos.internal.AuthenticationStartMessage"));
  EXPECT_EQ(1u, b_.count(kAuthenticate));
  EXPECT_TRUE(errors().empty());
}

TEST_F(MasterChangeTest, NewMasterAfterAuthenticatingIsAuthenticatedAgain) {
  start();
  appoint(a_.info());
  complete(a_, expectAuthenticate(a_));
  a_.expectCall(scheduler::Call::SUBSCRIBE);

  appoint(b_.info());
  const UPID second = expectAuthenticate(b_);
  EXPECT_EQ(0u, b_.count(kCall)) << "subscribed before authenticating with the new master";
  complete(b_, second);
  b_.expectCall(scheduler::Call::SUBSCRIBE);
}

TEST_F(MasterChangeTest, LosingTheMasterStopsRetriesUntilOneIsDetected) {
  start(Millis(50), Millis(25));  // Attempts time out after 50-100 ms.
  appoint(a_.info());
  expectAuthenticate(a_);
  expectAuthenticate(a_);  // A timeout retries...

  appoint(std::nullopt);
  // ...but with no master nothing is retried: ten timeouts' worth of silence,
  // once what was sent before the master went away has been taken.
  while (a_.waitFor(kAuthenticate, Millis(50))) {
  }
  EXPECT_FALSE(a_.waitFor(kAuthenticate, Millis(1000)).has_value())  // Scaled by waitFor.
      << "retried without a master";

  appoint(a_.info());
  expectAuthenticate(a_);
  EXPECT_TRUE(errors().empty());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
