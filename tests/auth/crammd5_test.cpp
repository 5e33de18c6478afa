// CRAM-MD5 in isolation (docs/protocol.md, "Authentication"): the server's
// verification against RFC 2195's published example, the Cyrus SASL client
// against the same example, the sans-I/O server session's answers to every
// message order, and the JSON credentials file.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/authentication/authentication.pb.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "auth/crammd5_server.hpp"
#include "auth/credentials.hpp"
#include "auth/sasl_client.hpp"

namespace mesos {
namespace internal {
namespace auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Result = CramMd5ServerSession::Result;

// RFC 2195, section 2: the example exchange.
constexpr char kRfcChallenge[] = "<1896.697170952@postoffice.reston.mci.net>";
constexpr char kRfcSecret[] = "tanstaaftanstaaf";
constexpr char kRfcDigest[] = "b913a602c7eda7a495b4e6e7334d3890";

constexpr char kStart[] = "mesos.internal.AuthenticationStartMessage";
constexpr char kStep[] = "mesos.internal.AuthenticationStepMessage";

Credential credential(const std::string& principal, const std::string& secret) {
  Credential c;
  c.set_principal(principal);
  c.set_secret(secret);
  return c;
}

std::string serialized(const google::protobuf::Message& message) {
  std::string body;
  message.SerializePartialToString(&body);
  return body;
}

std::string startBody(const std::string& mechanism = "CRAM-MD5") {
  AuthenticationStartMessage start;
  start.set_mechanism(mechanism);
  start.set_data("");
  return serialized(start);
}

std::string stepBody(const std::string& data) {
  AuthenticationStepMessage step;
  step.set_data(data);
  return serialized(step);
}

// The SASL client's answer to `challenge`: the client side, independent of
// the server code under test.
std::string saslResponse(const Credential& c, const std::string& challenge) {
  auto client = SaslClient::create("mesos", "localhost", c);
  EXPECT_TRUE(client.isSome()) << client.error();
  if (client.isError()) return "";
  auto started = client.get()->start("CRAM-MD5");
  EXPECT_TRUE(started.isSome()) << started.error();
  auto response = client.get()->step(challenge);
  EXPECT_TRUE(response.isSome()) << response.error();
  return response.isSome() ? response.get() : "";
}

// ---- Verification -----------------------------------------------------------

TEST(CramMd5Test, DigestMatchesTheRfc2195Example) {
  EXPECT_EQ(kRfcDigest, cramMd5Digest(kRfcSecret, kRfcChallenge));
}

TEST(CramMd5Test, VerifiesTheRfc2195ExampleResponse) {
  const CredentialMap credentials = {{"tim", kRfcSecret}, {"other", "x"}};
  auto principal =
      verifyCramMd5Response(credentials, kRfcChallenge, std::string("tim ") + kRfcDigest);
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ("tim", *principal);
}

TEST(CramMd5Test, RejectsWrongDigestsUsersAndShapes) {
  const CredentialMap credentials = {{"tim", kRfcSecret}};
  const std::string good = std::string("tim ") + kRfcDigest;
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.replace(0, 3, "tim");
  for (const std::string& response : {
           std::string("tim b913a602c7eda7a495b4e6e7334d3891"),  // One digit off.
           std::string("tom ") + kRfcDigest,                     // Unknown principal.
           upper,                                                // Hex must be lowercase.
           std::string("tim ") + std::string(kRfcDigest).substr(0, 31),
           std::string("tim ") + kRfcDigest + "0",
           std::string("tim") + kRfcDigest,  // No space.
           std::string(" ") + kRfcDigest,    // No principal.
           std::string("tim "),
           std::string(""),
       }) {
    EXPECT_FALSE(verifyCramMd5Response(credentials, kRfcChallenge, response).has_value())
        << "'" << response << "'";
  }
  EXPECT_FALSE(verifyCramMd5Response({}, kRfcChallenge, good).has_value()) << "no credentials";
  EXPECT_FALSE(verifyCramMd5Response(credentials, "<other@host>", good).has_value())
      << "another challenge";
}

TEST(CramMd5Test, PrincipalMayContainSpaces) {
  const CredentialMap credentials = {{"tim the user", kRfcSecret}};
  auto principal =
      verifyCramMd5Response(credentials, kRfcChallenge, std::string("tim the user ") + kRfcDigest);
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ("tim the user", *principal);
}

TEST(CramMd5Test, ChallengesAreCyrusStyleAndFresh) {
  const std::string a = makeCramMd5Challenge("host.example");
  const std::string b = makeCramMd5Challenge("host.example");
  EXPECT_TRUE(std::regex_match(a, std::regex(R"(<[0-9]+\.[0-9]+@host\.example>)"))) << a;
  EXPECT_NE(a, b);
}

// ---- The SASL client (the driver's side) ------------------------------------

TEST(SaslClientTest, AnswersTheRfc2195ChallengeExactly) {
  auto client =
      SaslClient::create("mesos", "postoffice.reston.mci.net", credential("tim", kRfcSecret));
  ASSERT_TRUE(client.isSome()) << client.error();
  auto started = client.get()->start("CRAM-MD5");
  ASSERT_TRUE(started.isSome()) << started.error();
  EXPECT_EQ("CRAM-MD5", started->mechanism);
  EXPECT_EQ("", started->data) << "CRAM-MD5 is server-first";
  auto response = client.get()->step(kRfcChallenge);
  ASSERT_TRUE(response.isSome()) << response.error();
  EXPECT_EQ(std::string("tim ") + kRfcDigest, response.get());
}

TEST(SaslClientTest, StartFailsWithoutAUsableMechanism) {
  auto client = SaslClient::create("mesos", "localhost", credential("tim", kRfcSecret));
  ASSERT_TRUE(client.isSome()) << client.error();
  auto started = client.get()->start("NO-SUCH-MECHANISM");
  ASSERT_TRUE(started.isError());
  EXPECT_THAT(started.error(), Not(HasSubstr(kRfcSecret)));
}

// ---- The server session (sans-I/O) ------------------------------------------

class SessionTest : public ::testing::Test {
 protected:
  CredentialMap credentials_ = {{"alice", "alice-secret"}};
  CramMd5ServerSession session_{credentials_, "master.example"};

  std::string challengeAfterStart() {
    auto opening = session_.begin();
    EXPECT_EQ(Result::kContinue, opening.result);
    auto challenge = session_.onMessage(kStart, startBody());
    EXPECT_EQ(Result::kContinue, challenge.result);
    auto* step = dynamic_cast<AuthenticationStepMessage*>(challenge.reply.get());
    EXPECT_NE(nullptr, step) << "the challenge is a step";
    return step != nullptr ? step->data() : "";
  }

  static std::string errorText(const CramMd5ServerSession::Output& out) {
    auto* error = dynamic_cast<AuthenticationErrorMessage*>(out.reply.get());
    return error != nullptr ? error->error() : "<no AuthenticationErrorMessage>";
  }
};

TEST_F(SessionTest, BeginsWithTheMechanisms) {
  auto out = session_.begin();
  auto* mechanisms = dynamic_cast<AuthenticationMechanismsMessage*>(out.reply.get());
  ASSERT_NE(nullptr, mechanisms);
  ASSERT_EQ(1, mechanisms->mechanisms_size());
  EXPECT_EQ("CRAM-MD5", mechanisms->mechanisms(0));
}

TEST_F(SessionTest, AuthenticatesTheSaslClientsResponse) {
  const std::string challenge = challengeAfterStart();
  EXPECT_TRUE(std::regex_match(challenge, std::regex(R"(<[0-9]+\.[0-9]+@master\.example>)")))
      << challenge;
  auto out = session_.onMessage(
      kStep, stepBody(saslResponse(credential("alice", "alice-secret"), challenge)));
  EXPECT_EQ(Result::kAuthenticated, out.result);
  EXPECT_EQ("alice", out.principal);
  EXPECT_NE(nullptr, dynamic_cast<AuthenticationCompletedMessage*>(out.reply.get()));
}

TEST_F(SessionTest, WrongSecretIsRefused) {
  const std::string challenge = challengeAfterStart();
  auto out =
      session_.onMessage(kStep, stepBody(saslResponse(credential("alice", "nope"), challenge)));
  EXPECT_EQ(Result::kRefused, out.result);
  EXPECT_NE(nullptr, dynamic_cast<AuthenticationFailedMessage*>(out.reply.get()));
}

TEST_F(SessionTest, NoCredentialsRefusesEveryone) {
  CredentialMap none;
  CramMd5ServerSession session(none, "master.example");
  session.begin();
  auto challenge = session.onMessage(kStart, startBody());
  auto* step = dynamic_cast<AuthenticationStepMessage*>(challenge.reply.get());
  ASSERT_NE(nullptr, step);
  auto out =
      session.onMessage(kStep, stepBody(saslResponse(credential("alice", ""), step->data())));
  EXPECT_EQ(Result::kRefused, out.result);
}

TEST_F(SessionTest, StepBeforeStartIsAnError) {
  session_.begin();
  auto out = session_.onMessage(kStep, stepBody("alice 0123"));
  EXPECT_EQ(Result::kError, out.result);
  EXPECT_EQ("Unexpected authentication 'step' received", errorText(out));
}

TEST_F(SessionTest, SecondStartIsAnError) {
  challengeAfterStart();
  auto out = session_.onMessage(kStart, startBody());
  EXPECT_EQ(Result::kError, out.result);
  EXPECT_EQ("Unexpected authentication 'start' received", errorText(out));
}

TEST_F(SessionTest, StartBeforeBeginIsAnError) {
  auto out = session_.onMessage(kStart, startBody());
  EXPECT_EQ(Result::kError, out.result);
  EXPECT_EQ("Unexpected authentication 'start' received", errorText(out));
}

TEST_F(SessionTest, GarbageBodiesAreErrors) {
  session_.begin();
  auto start = session_.onMessage(kStart, "\xff\xff\xff\xff");
  EXPECT_EQ(Result::kError, start.result);
  EXPECT_THAT(errorText(start), HasSubstr("Malformed"));

  CramMd5ServerSession other(credentials_, "master.example");
  other.begin();
  other.onMessage(kStart, startBody());
  auto step = other.onMessage(kStep, std::string("\x0a\xff", 2));  // Truncated field.
  EXPECT_EQ(Result::kError, step.result);
  EXPECT_THAT(errorText(step), HasSubstr("Malformed"));
  EXPECT_EQ(Result::kContinue, other.onMessage(kStep, stepBody("x")).result)
      << "nothing after the end";
  EXPECT_EQ(nullptr, other.onMessage(kStep, stepBody("x")).reply);
}

TEST_F(SessionTest, AnotherMechanismIsAnError) {
  session_.begin();
  auto out = session_.onMessage(kStart, startBody("PLAIN"));
  EXPECT_EQ(Result::kError, out.result);
}

TEST_F(SessionTest, UnknownMessagesAreIgnored) {
  session_.begin();
  auto out = session_.onMessage("mesos.internal.Whatever", "junk");
  EXPECT_EQ(Result::kContinue, out.result);
  EXPECT_EQ(nullptr, out.reply);
  auto challenge = session_.onMessage(kStart, startBody());
  EXPECT_NE(nullptr, dynamic_cast<AuthenticationStepMessage*>(challenge.reply.get()))
      << "the attempt goes on";
}

// ---- The credentials file -----------------------------------------------------

TEST(CredentialsTest, ParsesMesosJsonFormat) {
  auto parsed = parseCredentialsJson(
      R"({"credentials":[{"principal":"a","secret":"s1"},{"principal":"b c","secret":"","x":1}]})");
  ASSERT_TRUE(parsed.isSome()) << parsed.error();
  ASSERT_EQ(2u, parsed->size());
  EXPECT_EQ("a", (*parsed)[0].principal());
  EXPECT_EQ("s1", (*parsed)[0].secret());
  EXPECT_EQ("b c", (*parsed)[1].principal());
  EXPECT_EQ("", (*parsed)[1].secret());
  EXPECT_EQ("s1", toCredentialMap(parsed.get())["a"]);
}

TEST(CredentialsTest, RejectsBadShapesWithoutQuotingSecrets) {
  for (const std::string& json : {
           std::string(R"({"credentials":[{"secret":"hidden-secret"}]})"),
           std::string(R"({"credentials":[{"principal":"","secret":"hidden-secret"}]})"),
           std::string(R"({"credentials":[{"principal":"a"}]})"),
           std::string(R"({"credentials":[{"principal":"a","secret":7}]})"),
           std::string(R"({"credentials":[]})"),
           std::string(R"({"principal":"a","secret":"hidden-secret"})"),
           std::string(R"({"credentials":[{"principal":"a","secret":"hidden-secret"})"),
           std::string(R"([])"),
           std::string(""),
       }) {
    auto parsed = parseCredentialsJson(json);
    ASSERT_TRUE(parsed.isError()) << json;
    EXPECT_THAT(parsed.error(), Not(HasSubstr("hidden-secret"))) << json;
  }
}

TEST(CredentialsTest, LoadsAPathOrAFileUrl) {
  const std::string path = ::testing::TempDir() + "credentials-test.json";
  {
    std::ofstream out(path);
    out << R"({"credentials": [{"principal": "p", "secret": "s"}]})";
  }
  for (const std::string& spec : {path, "file://" + path}) {
    auto loaded = loadCredentialsFile(spec);
    ASSERT_TRUE(loaded.isSome()) << spec << ": " << loaded.error();
    ASSERT_EQ(1u, loaded->size());
    EXPECT_EQ("p", (*loaded)[0].principal());
  }
  std::remove(path.c_str());
  auto missing = loadCredentialsFile(path);
  ASSERT_TRUE(missing.isError());
  EXPECT_THAT(missing.error(), HasSubstr(path));
}

}  // namespace
}  // namespace auth
}  // namespace internal
}  // namespace mesos
