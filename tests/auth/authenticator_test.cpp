// The simulated master's authenticator (docs/protocol.md, "Authentication"),
// driven by hand: `RawClient` is a framework's libprocess instance with a
// scheduler process S and an authenticatee process A, sending exactly the
// messages a test wants. The response to a challenge comes from the Cyrus SASL
// client, so the master's verification is checked against an implementation
// that is not its own.
//
// "Nothing else arrived" is shown by ordering, not by waiting: the master
// answers messages in the order they arrive on one connection and its
// processes share one connection back, so once the answer to a later message
// has arrived, any answer to an earlier one would have arrived first.

#include <mesos/authentication/authentication.pb.h>

#include <deque>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>

#include "auth/sasl_client.hpp"
#include "auth/state_text.hpp"
#include "master/master_test_util.hpp"
#include "process/transport.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::AuthenticateMessage;
using internal::AuthenticationErrorMessage;
using internal::AuthenticationStartMessage;
using internal::AuthenticationStepMessage;
using internal::process::Message;
using internal::process::Transport;
using internal::process::UPID;
using ::testing::HasSubstr;
using Call = scheduler::Call;

constexpr char kMechanisms[] = "mesos.internal.AuthenticationMechanismsMessage";
constexpr char kStep[] = "mesos.internal.AuthenticationStepMessage";
constexpr char kStart[] = "mesos.internal.AuthenticationStartMessage";
constexpr char kCompleted[] = "mesos.internal.AuthenticationCompletedMessage";
constexpr char kFailed[] = "mesos.internal.AuthenticationFailedMessage";
constexpr char kError[] = "mesos.internal.AuthenticationErrorMessage";
constexpr char kRegistered[] = "mesos.internal.FrameworkRegisteredMessage";
constexpr char kFrameworkError[] = "mesos.internal.FrameworkErrorMessage";

Credential credential(const std::string& principal, const std::string& secret) {
  Credential c;
  c.set_principal(principal);
  c.set_secret(secret);
  return c;
}

// A framework's libprocess instance, by hand (see the file comment).
class RawClient {
 public:
  explicit RawClient(uint16_t port = 0) {
    internal::process::TransportOptions options;
    options.bindIp = "127.0.0.1";
    options.bindPort = port;
    io_.run([&] {
      transport_ = std::make_unique<Transport>(io_.io(), options);
      auto started = transport_->start();
      EXPECT_TRUE(started.isSome()) << started.error();
      for (const char* id : {"scheduler-raw", "crammd5-authenticatee(1)"}) {
        transport_->addProcess(id, [this](Message&& m) {
          std::lock_guard<std::mutex> lock(mutex_);
          ++counts_[m.name];
          queue_.push_back(std::move(m));
          arrived_.notify_all();
        });
      }
      scheduler_ = transport_->self("scheduler-raw");
      authenticatee_ = transport_->self("crammd5-authenticatee(1)");
      return 0;
    });
  }
  ~RawClient() { close(); }

  // Closes every connection (the master sees the links break).
  void close() {
    io_.run([&] {
      transport_.reset();
      return 0;
    });
  }

  const UPID& scheduler() const { return scheduler_; }
  const UPID& authenticatee() const { return authenticatee_; }
  uint16_t port() const { return scheduler_.port; }

  void send(const UPID& from, const UPID& to, const google::protobuf::Message& message) {
    std::string body;
    message.SerializePartialToString(&body);
    sendRaw(from, to, message.GetTypeName(), body);
  }
  void sendRaw(const UPID& from, const UPID& to, const std::string& name, const std::string& body) {
    io_.run([&] {
      if (transport_) {
        EXPECT_TRUE(transport_->send(from, to, name, body).isSome());
      }
      return 0;
    });
  }

  // The first message named one of `names` (others stay queued).
  std::optional<Message> waitFor(std::initializer_list<const char*> names,
                                 Millis timeout = Millis(10000)) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::optional<Message> found;
    arrived_.wait_for(lock, scaled(timeout), [&] {
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        for (const char* name : names) {
          if (it->name != name) continue;
          found = std::move(*it);
          queue_.erase(it);
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::optional<Message> waitFor(const char* name, Millis timeout = Millis(10000)) {
    return waitFor({name}, timeout);
  }

  size_t count(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = counts_.find(name);
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  IoThread io_;
  std::unique_ptr<Transport> transport_;
  UPID scheduler_;
  UPID authenticatee_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Message> queue_;
  std::map<std::string, size_t> counts_;
};

LocalClusterOptions authOptions() {
  LocalClusterOptions options = fastOptions();
  options.realCommands = false;
  options.authenticateFrameworks = true;
  options.credentials = {credential("alice", "alice-secret"), credential("bob", "bob-secret")};
  return options;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  void startCluster(const LocalClusterOptions& options = authOptions()) {
    std::string error;
    cluster_ = LocalCluster::start(options, &error);
    ASSERT_TRUE(cluster_) << error;
    internal::Try<UPID> pid = UPID::parse(cluster_->master());
    ASSERT_TRUE(pid.isSome());
    master_ = pid.get();
  }

  // Step 1: A -> M AuthenticateMessage{pid = S}; returns the session (the
  // sender of the mechanisms).
  UPID authenticate(RawClient& client) {
    AuthenticateMessage message;
    message.set_pid(client.scheduler().toString());
    client.send(client.authenticatee(), master_, message);
    auto mechanisms = client.waitFor(kMechanisms);
    EXPECT_TRUE(mechanisms.has_value()) << "no AuthenticationMechanismsMessage";
    if (!mechanisms) return UPID();
    internal::AuthenticationMechanismsMessage parsed;
    EXPECT_TRUE(parsed.ParseFromString(mechanisms->body));
    EXPECT_EQ(1, parsed.mechanisms_size());
    EXPECT_EQ(client.authenticatee(), mechanisms->to);
    return mechanisms->from;
  }

  // Steps 3-4: Start, and the challenge it gets.
  std::string start(RawClient& client, const UPID& session) {
    AuthenticationStartMessage message;
    message.set_mechanism("CRAM-MD5");
    message.set_data("");
    client.send(client.authenticatee(), session, message);
    auto step = client.waitFor(kStep);
    EXPECT_TRUE(step.has_value()) << "no challenge";
    AuthenticationStepMessage challenge;
    if (step) {
      EXPECT_TRUE(challenge.ParseFromString(step->body));
    }
    return challenge.data();
  }

  // Step 5 with the SASL client's response; the name of the outcome message.
  std::string respond(RawClient& client, const UPID& session, const std::string& challenge,
                      const Credential& c) {
    auto sasl = internal::auth::SaslClient::create("mesos", "localhost", c);
    EXPECT_TRUE(sasl.isSome()) << sasl.error();
    if (sasl.isError()) return "";
    EXPECT_TRUE(sasl.get()->start("CRAM-MD5").isSome());
    auto response = sasl.get()->step(challenge);
    EXPECT_TRUE(response.isSome()) << response.error();
    AuthenticationStepMessage step;
    step.set_data(response.isSome() ? response.get() : "");
    client.send(client.authenticatee(), session, step);
    auto outcome = client.waitFor({kCompleted, kFailed, kError});
    return outcome ? outcome->name : "<none>";
  }

  std::string handshake(RawClient& client, const Credential& c) {
    const UPID session = authenticate(client);
    return respond(client, session, start(client, session), c);
  }

  void subscribe(RawClient& client, const FrameworkInfo& info = frameworkInfo()) {
    Call call;
    call.set_type(Call::SUBSCRIBE);
    *call.mutable_subscribe()->mutable_framework_info() = info;
    if (info.has_id()) *call.mutable_framework_id() = info.id();
    client.send(client.scheduler(), master_, call);
  }

  // The text of the next FrameworkErrorMessage, skipping the master's
  // best-effort "Framework disconnected" (sent when a link breaks).
  std::string frameworkError(RawClient& client) {
    for (;;) {
      auto error = client.waitFor(kFrameworkError);
      if (!error) return "<no FrameworkErrorMessage>";
      internal::FrameworkErrorMessage message;
      EXPECT_TRUE(message.ParseFromString(error->body));
      if (message.message() != "Framework disconnected") return message.message();
    }
  }

  std::string errorText(const std::optional<Message>& m) {
    if (!m) return "<none>";
    AuthenticationErrorMessage error;
    EXPECT_TRUE(error.ParseFromString(m->body));
    return error.error();
  }

  std::unique_ptr<LocalCluster> cluster_;
  UPID master_;
};

TEST_F(AuthenticatorTest, HandshakeFollowsTheProtocolThenSubscriptionRegisters) {
  startCluster();
  RawClient client;
  const UPID session = authenticate(client);
  EXPECT_TRUE(std::regex_match(session.id, std::regex(R"(crammd5-authenticator-session\(\d+\))")))
      << session;
  EXPECT_EQ(master_.address(), session.address()) << "the session lives on the master";
  const std::string challenge = start(client, session);
  EXPECT_TRUE(std::regex_match(challenge, std::regex(R"(<[0-9]+\.[0-9]+@[^>]+>)"))) << challenge;
  EXPECT_EQ(kCompleted, respond(client, session, challenge, credential("alice", "alice-secret")));

  subscribe(client);
  ASSERT_TRUE(client.waitFor(kRegistered).has_value());
  EXPECT_EQ(std::vector<std::string>{"alice"}, principalsInState(cluster_->stateJson()))
      << "the authenticated principal is filled in";
}

TEST_F(AuthenticatorTest, UnauthenticatedSubscriptionIsRefused) {
  startCluster();
  RawClient client;
  subscribe(client);
  EXPECT_EQ("Framework at " + client.scheduler().toString() + " is not authenticated",
            frameworkError(client));

  internal::RegisterFrameworkMessage legacy;
  *legacy.mutable_framework() = frameworkInfo();
  client.send(client.scheduler(), master_, legacy);
  EXPECT_EQ("Framework at " + client.scheduler().toString() + " is not authenticated",
            frameworkError(client));
  EXPECT_EQ(0u, client.count(kRegistered));
}

TEST_F(AuthenticatorTest, WrongSecretOrUnknownPrincipalIsRefused) {
  startCluster();
  RawClient client;
  EXPECT_EQ(kFailed, handshake(client, credential("alice", "bob-secret")));
  EXPECT_EQ(kFailed, handshake(client, credential("carol", "alice-secret")));
  subscribe(client);
  EXPECT_THAT(frameworkError(client), HasSubstr("is not authenticated"));
}

TEST_F(AuthenticatorTest, WithoutCredentialsEveryAttemptIsRefused) {
  LocalClusterOptions options = authOptions();
  options.credentials.clear();
  startCluster(options);
  RawClient client;
  EXPECT_EQ(kFailed, handshake(client, credential("alice", "alice-secret")));
}

TEST_F(AuthenticatorTest, StepBeforeStartIsAnError) {
  startCluster();
  RawClient client;
  const UPID session = authenticate(client);
  AuthenticationStepMessage step;
  step.set_data("alice 00000000000000000000000000000000");
  client.send(client.authenticatee(), session, step);
  EXPECT_EQ("Unexpected authentication 'step' received", errorText(client.waitFor(kError)));
}

TEST_F(AuthenticatorTest, SecondStartIsAnError) {
  startCluster();
  RawClient client;
  const UPID session = authenticate(client);
  start(client, session);
  AuthenticationStartMessage again;
  again.set_mechanism("CRAM-MD5");
  client.send(client.authenticatee(), session, again);
  EXPECT_EQ("Unexpected authentication 'start' received", errorText(client.waitFor(kError)));
}

TEST_F(AuthenticatorTest, GarbageBodiesEndTheAttemptAndTheMasterCarriesOn) {
  startCluster();
  RawClient client;
  UPID session = authenticate(client);
  client.sendRaw(client.authenticatee(), session, kStart, "\xff\xff\xff\xff");
  EXPECT_THAT(errorText(client.waitFor(kError)), HasSubstr("Malformed"));

  session = authenticate(client);
  start(client, session);
  client.sendRaw(client.authenticatee(), session, kStep, std::string("\x0a\xff", 2));
  EXPECT_THAT(errorText(client.waitFor(kError)), HasSubstr("Malformed"));

  // A malformed AuthenticateMessage is dropped; the next one works.
  client.sendRaw(client.authenticatee(), master_, "mesos.internal.AuthenticateMessage", "\xff");
  AuthenticateMessage badPid;
  badPid.set_pid("not a upid");
  client.send(client.authenticatee(), master_, badPid);
  EXPECT_EQ(kCompleted, handshake(client, credential("bob", "bob-secret")));
  EXPECT_EQ(3u, client.count(kMechanisms)) << "the two dropped attempts got no session";
}

TEST_F(AuthenticatorTest, SessionIgnoresOtherSenders) {
  startCluster();
  RawClient client;
  const UPID session = authenticate(client);
  AuthenticationStartMessage message;
  message.set_mechanism("CRAM-MD5");
  client.send(client.scheduler(), session, message);  // Not the authenticatee.
  const std::string challenge = start(client, session);
  EXPECT_EQ(kCompleted, respond(client, session, challenge, credential("alice", "alice-secret")));
  EXPECT_EQ(1u, client.count(kStep)) << "only the authenticatee's start was answered";
}

TEST_F(AuthenticatorTest, NewAttemptForTheSameSchedulerDiscardsThePrevious) {
  startCluster();
  RawClient client;
  const UPID first = authenticate(client);
  const UPID second = authenticate(client);
  EXPECT_NE(first, second);
  AuthenticationStartMessage message;
  message.set_mechanism("CRAM-MD5");
  client.send(client.authenticatee(), first, message);  // To the discarded session.
  const std::string challenge = start(client, second);
  EXPECT_EQ(kCompleted, respond(client, second, challenge, credential("alice", "alice-secret")));
  EXPECT_EQ(1u, client.count(kStep)) << "the discarded session answered";
  EXPECT_EQ(0u, client.count(kError));
}

TEST_F(AuthenticatorTest, SubscriptionDuringAnAttemptWaitsForItsOutcome) {
  startCluster();
  RawClient client;
  const UPID session = authenticate(client);
  subscribe(client);  // Parked: refusing it now would be wrong.
  const std::string challenge = start(client, session);
  EXPECT_EQ(kCompleted, respond(client, session, challenge, credential("alice", "alice-secret")));
  EXPECT_TRUE(client.waitFor(kRegistered).has_value());
  EXPECT_EQ(0u, client.count(kFrameworkError));
}

TEST_F(AuthenticatorTest, ParkedSubscriptionIsRefusedWhenTheAttemptTimesOut) {
  LocalClusterOptions options = authOptions();
  options.authenticationTimeout = Millis(200);
  startCluster(options);
  RawClient client;
  authenticate(client);
  subscribe(client);
  EXPECT_THAT(frameworkError(client), HasSubstr("is not authenticated"));
}

TEST_F(AuthenticatorTest, PrincipalMustMatchTheAuthenticatedOne) {
  startCluster();
  RawClient client;
  EXPECT_EQ(kCompleted, handshake(client, credential("alice", "alice-secret")));
  FrameworkInfo info = frameworkInfo();
  info.set_principal("bob");
  subscribe(client, info);
  EXPECT_EQ("Framework principal 'bob' does not match authenticated principal 'alice'",
            frameworkError(client));
}

TEST_F(AuthenticatorTest, NotRequiredStillChecksTheAuthenticatedPrincipal) {
  LocalClusterOptions options = authOptions();
  options.authenticateFrameworks = false;
  startCluster(options);
  RawClient anonymous;
  subscribe(anonymous);
  EXPECT_TRUE(anonymous.waitFor(kRegistered).has_value()) << "no authentication needed";

  RawClient client;
  EXPECT_EQ(kCompleted, handshake(client, credential("alice", "alice-secret")));
  FrameworkInfo info = frameworkInfo();
  info.set_principal("bob");
  subscribe(client, info);
  EXPECT_THAT(frameworkError(client), HasSubstr("does not match authenticated principal"));
}

TEST_F(AuthenticatorTest, AuthenticationIsForgottenWhenTheFrameworkDisconnects) {
  startCluster();
  auto client = std::make_unique<RawClient>();
  EXPECT_EQ(kCompleted, handshake(*client, credential("alice", "alice-secret")));
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  subscribe(*client, info);
  auto registered = client->waitFor(kRegistered);
  ASSERT_TRUE(registered.has_value());
  internal::FrameworkRegisteredMessage message;
  ASSERT_TRUE(message.ParseFromString(registered->body));

  // The same scheduler UPID comes back on a new connection.
  const uint16_t port = client->port();
  client->close();
  ASSERT_TRUE(waitUntil([&] { return someFrameworkDisconnected(cluster_->stateJson()); }))
      << "the master did not notice the disconnection";
  client = std::make_unique<RawClient>(port);
  *info.mutable_id() = message.framework_id();
  subscribe(*client, info);
  EXPECT_THAT(frameworkError(*client), HasSubstr("is not authenticated"));

  EXPECT_EQ(kCompleted, handshake(*client, credential("alice", "alice-secret")));
  subscribe(*client, info);
  EXPECT_TRUE(
      client->waitFor({kRegistered, "mesos.internal.FrameworkReregisteredMessage"}).has_value())
      << "re-registers after authenticating again";
}

}  // namespace
}  // namespace testing
}  // namespace mesos
