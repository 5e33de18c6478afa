// The libprocess transport over TLS (docs/tls.md): messages both ways with
// mutual verification, downgrade on and off, each verification failure, and
// hostile input during the handshake. Each refusal is checked three ways:
// the message never arrives, the reason is logged at WARNING on one line
// naming the peer, and the transport keeps serving others afterwards.

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <gtest/gtest.h>

#include "process/tls_context.hpp"
#include "process/transport.hpp"
#include "support/log_capture.hpp"
#include "support/openssl_util.hpp"
#include "support/raw_client.hpp"
#include "support/test_pki.hpp"
#include "support/transport_node.hpp"

namespace mesos {
namespace internal {
namespace process {
namespace {

using namespace std::chrono_literals;
using mesos::testing::LogCapture;
using mesos::testing::clientHello;
using mesos::testing::loopbackTransport;
using mesos::testing::RawClient;
using mesos::testing::TestPki;
using mesos::testing::TransportNode;
using mesos::testing::waitUntil;
using CertAndKey = mesos::testing::CertAndKey;

TestPki& pki() {
  static TestPki instance;
  return instance;
}

// TLS with mutual verification against the test CA, presenting `identity`.
TlsOptions tls(const CertAndKey& identity) {
  TlsOptions o;
  o.enabled = true;
  o.certFile = identity.certFile;
  o.keyFile = identity.keyFile;
  o.caFile = pki().caFile;
  o.verifyServerCert = true;
  o.requireClientCert = true;
  return o;
}

TransportOptions transport(const TlsOptions& o) {
  TransportOptions t = loopbackTransport();
  Try<std::shared_ptr<const TlsContext>> context = TlsContext::create(o);
  EXPECT_TRUE(context.isSome()) << context.error();
  if (context.isSome()) t.tls = context.get();
  return t;
}

std::string address(TransportNode& node) { return node.pid().address(); }

// Sends one message from `from` to `to`'s process "p".
void send(TransportNode& from, TransportNode& to, const std::string& body) {
  const UPID sender = from.pid();
  const UPID receiver = to.pid();
  Try<Nothing> sent = from.io().run(
      [&] { return from.transport().send(sender, receiver, "test.Message", body); });
  EXPECT_TRUE(sent.isSome()) << sent.error();
}

bool delivered(TransportNode& to, size_t count) {
  return waitUntil([&] { return to.count() >= count; }, 10s);
}

TEST(TlsTransportTest, MessagesFlowBothWaysWithMutualVerification) {
  TransportNode a(transport(tls(pki().client)));
  TransportNode b(transport(tls(pki().server)));
  send(a, b, "to b");
  send(b, a, "to a");
  ASSERT_TRUE(delivered(b, 1));
  ASSERT_TRUE(delivered(a, 1));
  EXPECT_EQ(std::vector<std::string>{"to b"}, b.bodies());
  EXPECT_EQ(std::vector<std::string>{"to a"}, a.bodies());
}

TEST(TlsTransportTest, LibprocessCiphersAndTls12OnlyStillAgree) {
  TlsOptions old = tls(pki().client);
  old.ciphers = "AES128-SHA:AES256-SHA";
  old.enableTlsV1_3 = false;
  TransportNode a(transport(old));
  TransportNode b(transport(tls(pki().server)));
  send(a, b, "old settings");
  EXPECT_TRUE(delivered(b, 1));
}

TEST(TlsTransportTest, TlsOnlyListenerRefusesPlaintextAndKeepsServing) {
  TransportNode b(transport(tls(pki().server)));
  TransportNode plain;
  LogCapture log;
  send(plain, b, "in the clear");
  EXPECT_TRUE(log.warned({"Closing connection from 127.0.0.1:", "TLS handshake failed"}))
      << log.dump();
  TransportNode a(transport(tls(pki().client)));
  send(a, b, "over TLS");
  ASSERT_TRUE(delivered(b, 1));
  EXPECT_EQ(std::vector<std::string>{"over TLS"}, b.bodies());
}

TEST(TlsTransportTest, TlsClientCannotTalkToAPlaintextListener) {
  TransportNode plain;
  TransportNode a(transport(tls(pki().client)));
  LogCapture log;
  send(a, plain, "hello");
  EXPECT_TRUE(log.warned({"Connection to " + address(plain), "TLS handshake failed"}))
      << log.dump();
  EXPECT_EQ(0u, plain.count());
}

TEST(TlsTransportTest, DowngradeServesPlaintextAndTlsPeersAlike) {
  TlsOptions downgrade = tls(pki().server);
  downgrade.supportDowngrade = true;
  TransportNode b(transport(downgrade));
  TransportNode plain;
  TransportNode a(transport(tls(pki().client)));
  send(plain, b, "plaintext");
  ASSERT_TRUE(delivered(b, 1));
  send(a, b, "tls");
  ASSERT_TRUE(delivered(b, 2));
  EXPECT_EQ((std::vector<std::string>{"plaintext", "tls"}), b.bodies());
}

TEST(TlsTransportTest, DowngradeRetriesAFailedHandshakeInPlaintext) {
  TlsOptions downgrade = tls(pki().client);
  downgrade.supportDowngrade = true;
  TransportNode a(transport(downgrade));
  TransportNode plain;
  LogCapture log;
  send(a, plain, "retried");
  ASSERT_TRUE(delivered(plain, 1));
  EXPECT_FALSE(log.matching({"retrying in plaintext", address(plain)}).empty()) << log.dump();
}

// The client checks the server: each kind of bad server certificate stops
// the message, with OpenSSL's reason and the peer in one WARNING line.
struct BadServer {
  const char* name;
  CertAndKey TestPki::*identity;
  const char* scheme;
  bool verifyIp;
  const char* reason;
};

class ServerVerificationTest : public ::testing::TestWithParam<BadServer> {};

INSTANTIATE_TEST_SUITE_P(
    Certificates, ServerVerificationTest,
    ::testing::Values(
        BadServer{"OtherCa", &TestPki::otherCaSigned, "legacy", false,
                  "unable to get local issuer certificate"},
        BadServer{"Expired", &TestPki::expired, "legacy", false, "certificate has expired"},
        BadServer{"WrongHostLegacy", &TestPki::wrongHost, "legacy", false, "hostname mismatch"},
        BadServer{"WrongIpLegacy", &TestPki::wrongHost, "legacy", true, "hostname mismatch"},
        BadServer{"WrongIpOpenssl", &TestPki::wrongHost, "openssl", true, "IP address mismatch"},
        BadServer{"NoNameOpenssl", &TestPki::server, "openssl", false, "No DNS name given"}),
    [](const ::testing::TestParamInfo<BadServer>& info) { return info.param.name; });

TEST_P(ServerVerificationTest, RefusedWithTheReasonAndThePeer) {
  TlsOptions client = tls(pki().client);
  client.hostnameScheme = std::string(GetParam().scheme) == "openssl"
                              ? TlsOptions::HostnameScheme::kOpenssl
                              : TlsOptions::HostnameScheme::kLegacy;
  client.verifyIpAddress = GetParam().verifyIp;
  TlsOptions server = tls(pki().*GetParam().identity);
  server.requireClientCert = false;
  TransportNode b(transport(server));
  TransportNode a(transport(client));
  LogCapture log;
  send(a, b, "refused");
  EXPECT_TRUE(log.warned({"Connection to " + address(b), "TLS handshake failed", GetParam().reason}))
      << log.dump();
  EXPECT_EQ(0u, b.count());

  // The same client accepts the right certificate under the same rules.
  TlsOptions good = tls(pki().server);
  good.requireClientCert = false;
  TransportNode c(transport(good));
  if (std::string(GetParam().name) != "NoNameOpenssl") {
    send(a, c, "accepted");
    EXPECT_TRUE(delivered(c, 1)) << log.dump();
  }
}

TEST(TlsTransportTest, OpensslSchemeAcceptsTheRightIpAddress) {
  TlsOptions client = tls(pki().client);
  client.hostnameScheme = TlsOptions::HostnameScheme::kOpenssl;
  client.verifyIpAddress = true;
  TransportNode b(transport(tls(pki().server)));
  TransportNode a(transport(client));
  send(a, b, "checked by OpenSSL");
  EXPECT_TRUE(delivered(b, 1));
}

TEST(TlsTransportTest, ServerRequiringClientCertificatesRefusesOtherCas) {
  TransportNode b(transport(tls(pki().server)));
  TlsOptions stranger = tls(pki().otherCaSigned);
  stranger.verifyServerCert = false;  // The client would accept b.
  TransportNode a(transport(stranger));
  LogCapture log;
  send(a, b, "stranger");
  EXPECT_TRUE(log.warned({"Closing connection from 127.0.0.1:", "TLS handshake failed",
                          "certificate verify failed"}))
      << log.dump();
  EXPECT_EQ(0u, b.count());
}

// Under both schemes: with `openssl` the handshake itself must refuse (no
// check runs after it); with `legacy` both do.
class ClientWithoutCertificateTest : public ::testing::TestWithParam<TlsOptions::HostnameScheme> {};

INSTANTIATE_TEST_SUITE_P(Schemes, ClientWithoutCertificateTest,
                         ::testing::Values(TlsOptions::HostnameScheme::kLegacy,
                                           TlsOptions::HostnameScheme::kOpenssl),
                         [](const ::testing::TestParamInfo<TlsOptions::HostnameScheme>& info) {
                           return info.param == TlsOptions::HostnameScheme::kLegacy ? "Legacy"
                                                                                   : "Openssl";
                         });

TEST_P(ClientWithoutCertificateTest, ServerRequiringClientCertificatesRefusesIt) {
  TlsOptions server = tls(pki().server);
  server.hostnameScheme = GetParam();
  TransportNode b(transport(server));
  const uint16_t port = b.pid().port;
  LogCapture log;
  {
    // A TLS client presenting no certificate at all.
    boost::asio::io_context io;
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream(io, ctx);
    stream.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    // With TLS 1.3 the client's handshake ends before the server decides;
    // the refusal then arrives as the first read's error. A server that let
    // the client in would wait for a request: the deadline ends the wait.
    std::optional<boost::system::error_code> outcome;
    char byte = 0;
    stream.async_handshake(boost::asio::ssl::stream_base::client,
                           [&](const boost::system::error_code& ec) {
                             if (ec) {
                               outcome = ec;
                               return;
                             }
                             stream.async_read_some(boost::asio::buffer(&byte, 1),
                                                    [&](const boost::system::error_code& e,
                                                        size_t) { outcome = e; });
                           });
    io.run_for(mesos::testing::scaled(10s));
    ASSERT_TRUE(outcome.has_value()) << "a client without a certificate got through";
    EXPECT_TRUE(*outcome) << "a client without a certificate got through";
  }
  EXPECT_TRUE(log.warned({"Closing connection from 127.0.0.1:", "TLS handshake failed",
                          "certificate"}))
      << log.dump();
  TransportNode a(transport(tls(pki().client)));
  send(a, b, "still serving");
  EXPECT_TRUE(delivered(b, 1));
}

// A client whose settings cannot agree with the server's: no message, and
// the client says why.
void expectNoAgreement(const TlsOptions& client, const TlsOptions& server, const std::string& why) {
  TransportNode b(transport(server));
  TransportNode a(transport(client));
  LogCapture log;
  send(a, b, "no agreement");
  EXPECT_TRUE(log.warned({"Connection to " + address(b), "TLS handshake failed", why}))
      << log.dump();
  EXPECT_EQ(0u, b.count());
}

TEST(TlsTransportTest, DisjointCiphersDoNotAgree) {
  TlsOptions client = tls(pki().client);
  TlsOptions server = tls(pki().server);
  client.enableTlsV1_3 = server.enableTlsV1_3 = false;  // CIPHERS is about TLS <= 1.2.
  client.ciphers = "AES128-SHA";
  server.ciphers = "AES256-SHA";
  expectNoAgreement(client, server, "handshake failure");
}

TEST(TlsTransportTest, DisjointCurvesDoNotAgree) {
  TlsOptions client = tls(pki().client);
  TlsOptions server = tls(pki().server);
  client.ecdhCurves = "secp384r1";
  server.ecdhCurves = "prime256v1";
  expectNoAgreement(client, server, "handshake failure");
}

TEST(TlsTransportTest, DisjointProtocolVersionsDoNotAgree) {
  TlsOptions client = tls(pki().client);
  TlsOptions server = tls(pki().server);
  client.enableTlsV1_2 = false;  // 1.3 only
  server.enableTlsV1_3 = false;  // 1.2 only
  expectNoAgreement(client, server, "protocol version");
}

TEST(TlsTransportTest, CaDirectoryIsTrusted) {
  // A hashed directory as c_rehash makes it: <subject hash>.0 holding the CA.
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_file(pki().caFile.c_str(), "r"), BIO_free);
  ASSERT_TRUE(in);
  std::unique_ptr<X509, decltype(&X509_free)> ca(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr),
                                                 X509_free);
  ASSERT_TRUE(ca);
  char hashed[32];
  std::snprintf(hashed, sizeof(hashed), "%08lx.0", X509_subject_name_hash(ca.get()));
  const std::string directory = pki().dir() + "/cas";
  ASSERT_EQ(0, ::mkdir(directory.c_str(), 0700));
  std::unique_ptr<BIO, decltype(&BIO_free)> out(
      BIO_new_file((directory + "/" + hashed).c_str(), "w"), BIO_free);
  ASSERT_TRUE(out);
  ASSERT_EQ(1, PEM_write_bio_X509(out.get(), ca.get()));
  out.reset();

  TlsOptions client = tls(pki().client);
  client.caFile.clear();
  client.caDir = directory;
  TlsOptions server = tls(pki().server);
  server.requireClientCert = false;
  TransportNode b(transport(server));
  TransportNode a(transport(client));
  send(a, b, "trusted through the directory");
  EXPECT_TRUE(delivered(b, 1));

  // And without it, OpenSSL's default locations do not know the test CA.
  client.caDir.clear();
  expectNoAgreement(client, server, "certificate verify failed");
}

// ---- Hostile input during the handshake ------------------------------------------

class TlsBadInputTest : public ::testing::TestWithParam<bool> {
 protected:
  // `b` with downgrade as the parameter says; a short handshake deadline.
  void SetUp() override {
    TlsOptions o = tls(pki().server);
    o.supportDowngrade = GetParam();
    TransportOptions t = transport(o);
    t.requestTimeout = 500ms;
    b_ = std::make_unique<TransportNode>(t);
  }
  uint16_t port() { return b_->pid().port; }
  bool allClosed() {
    return waitUntil([&] { return b_->stats().inboundConnections == 0; }, 10s);
  }
  // After each attack, a good peer still gets through.
  void expectStillServing() {
    TransportNode a(transport(tls(pki().client)));
    send(a, *b_, "still serving");
    EXPECT_TRUE(delivered(*b_, 1));
  }
  std::unique_ptr<TransportNode> b_;
};

INSTANTIATE_TEST_SUITE_P(Downgrade, TlsBadInputTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "On" : "Off";
                         });

TEST_P(TlsBadInputTest, GarbageBytesCloseTheConnection) {
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  // Starts like a handshake record, then nonsense.
  client.send(std::string("\x16\x03\x01\x00\x20", 5) + std::string(32, '\x7f'));
  EXPECT_TRUE(client.waitForClose(10s));
  EXPECT_TRUE(allClosed());
  expectStillServing();
}

TEST_P(TlsBadInputTest, HalfAClientHelloThenEofClosesTheConnection) {
  const std::string hello = clientHello();
  {
    RawClient client(port());
    ASSERT_TRUE(client.connected());
    client.send(hello.substr(0, hello.size() / 2));
  }
  EXPECT_TRUE(allClosed());
  expectStillServing();
}

TEST_P(TlsBadInputTest, HalfAClientHelloThenSilenceTimesOut) {
  const std::string hello = clientHello();
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  client.send(hello.substr(0, hello.size() / 2));
  EXPECT_TRUE(client.waitForClose(10s));
  EXPECT_TRUE(allClosed());
  expectStillServing();
}

TEST_P(TlsBadInputTest, SilenceTimesOut) {
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  EXPECT_TRUE(client.waitForClose(10s));
  EXPECT_TRUE(allClosed());
  expectStillServing();
}

TEST_P(TlsBadInputTest, AOneMebibyteRecordClosesTheConnection) {
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  // A handshake record header claiming the largest length, and 1 MiB behind
  // it: far beyond what a TLS record may hold. The send may fail part-way once
  // the server has closed; that is the point.
  std::string record("\x16\x03\x03\xff\xff", 5);
  record += std::string(1024 * 1024, 'A');
  client.send(record);
  EXPECT_TRUE(client.waitForClose(10s));
  EXPECT_TRUE(allClosed());
  expectStillServing();
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
