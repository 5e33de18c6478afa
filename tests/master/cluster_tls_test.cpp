// TLS between the driver and the simulated cluster (docs/tls.md), beyond the
// full conversation over TLS (cluster_wires_test.cpp, the CallTls and Https
// wires): every way the two sides can disagree ends without registration and
// with a warning that names the cause, downgrade serves both kinds of
// framework, the driver's certificate settings fail at start() naming the
// file, and OpenSSL's own client can talk to the cluster's port.
//
// A framework that must not register: the test first waits (with a deadline)
// for the log line of the failure, then checks that registered() never ran;
// no fixed sleeps.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "local_cluster_fixture.hpp"
#include "support/child_process.hpp"
#include "support/log_capture.hpp"

namespace mesos {
namespace testing {
namespace {

// The cluster serving TLS with `server`'s certificate (client certificates
// not asked for unless a test says so).
TlsConfig serverTls(const CertAndKey& server) {
  TlsConfig tls;
  tls.enabled = true;
  tls.certFile = server.certFile;
  tls.keyFile = server.keyFile;
  tls.caFile = testPki().caFile;
  return tls;
}

// The master's port, from `master@ip:port`.
std::string portOf(const std::string& master) { return master.substr(master.rfind(':') + 1); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The tests that run on both wires a framework can choose (libprocess with
// Calls, and the v1 HTTP API); TLS is set up by each test.
class ClusterTlsTest : public LocalClusterTest, public ::testing::WithParamInterface<Wire> {
 protected:
  void startTlsCluster(const TlsConfig& tls, int agents = 1) {
    LocalClusterOptions options = fastOptions(agents);
    options.tls = tls;
    startCluster(options);
  }
  // A driver config on this test's wire, with `tls` (nothing: plaintext).
  DriverConfig wireConfig(Recorder& recorder, const std::optional<TlsConfig>& tls,
                          const FrameworkInfo& info = frameworkInfo()) {
    DriverConfig c = config(recorder, info, GetParam().dialect);
    c.api = GetParam().http ? DriverConfig::Api::kHttp : DriverConfig::Api::kLibprocess;
    if (tls) c.tls = *tls;
    return c;
  }
  // "127.0.0.1:<port>": how both wires name the master in their warnings.
  std::string masterAddress() const {
    return "127.0.0.1:" + portOf(cluster_->master());
  }
  // The driver's warning for a TLS handshake with the master that failed for
  // `reason`, on this wire.
  bool handshakeFailureWarned(LogCapture& log, const std::string& reason) {
    return log.warned({masterAddress(), "TLS handshake failed", reason});
  }
};

INSTANTIATE_TEST_SUITE_P(Wires, ClusterTlsTest, ::testing::Values(kCallWire, kHttpWire), wireName);

// A plaintext framework against a cluster that only speaks TLS: the cluster
// drops the connection at once (what it received is no ClientHello), and the
// driver says what that likely means.
TEST_P(ClusterTlsTest, PlaintextFrameworkIsRefusedByATlsOnlyCluster) {
  LogCapture log;
  startTlsCluster(clusterTls());
  driver_ = startDriver(wireConfig(sched_, std::nullopt));

  ASSERT_TRUE(log.warned({"Closing connection from 127.0.0.1:", "TLS handshake failed"}))
      << "the cluster did not log the refused handshake:\n" << log.dump();
  if (GetParam().http) {
    ASSERT_TRUE(log.warned({masterAddress(), "closed the connection before answering", "https://"}))
        << log.dump();
  } else {
    ASSERT_TRUE(log.warned({masterAddress(), "closed by peer without answering",
                            "LIBPROCESS_SSL_ENABLED"}))
        << log.dump();
  }
  EXPECT_EQ(0, sched_.registrations());
  EXPECT_TRUE(sched_.errors().empty());
}

// A framework that trusts another CA refuses the master's certificate.
TEST_P(ClusterTlsTest, MasterCertificateFromAnUntrustedCaIsRefused) {
  LogCapture log;
  startTlsCluster(serverTls(testPki().server));
  TlsConfig tls = driverTls();
  tls.caFile = testPki().otherCaFile;
  driver_ = startDriver(wireConfig(sched_, tls));

  ASSERT_TRUE(handshakeFailureWarned(log, "certificate verify failed")) << log.dump();
  EXPECT_EQ(0, sched_.registrations());
}

// The master's certificate names another host (elsewhere.invalid, 127.0.0.2):
// the `legacy` check (after the handshake, against the reverse-DNS name of
// 127.0.0.1, localhost) refuses it.
TEST_P(ClusterTlsTest, MasterCertificateForAnotherHostIsRefused) {
  LogCapture log;
  startTlsCluster(serverTls(testPki().wrongHost));
  driver_ = startDriver(wireConfig(sched_, driverTls()));

  ASSERT_TRUE(handshakeFailureWarned(log, "hostname mismatch")) << log.dump();
  EXPECT_TRUE(!log.matching({"hostname mismatch", "elsewhere.invalid", "localhost"}).empty())
      << "the warning does not say what the certificate and the peer are:\n" << log.dump();
  EXPECT_EQ(0, sched_.registrations());
}

// The same with the `openssl` scheme and IP address verification: the master
// is addressed by its IP, which OpenSSL checks during the handshake against
// the certificate's IP SANs (127.0.0.2 is not 127.0.0.1).
TEST_P(ClusterTlsTest, MasterCertificateForAnotherIpIsRefusedByTheOpensslScheme) {
  LogCapture log;
  startTlsCluster(serverTls(testPki().wrongHost));
  TlsConfig tls = driverTls();
  tls.hostnameValidationScheme = "openssl";
  tls.verifyIpAddress = true;
  driver_ = startDriver(wireConfig(sched_, tls));

  ASSERT_TRUE(handshakeFailureWarned(log, "IP address mismatch")) << log.dump();
  EXPECT_EQ(0, sched_.registrations());
}

// The control for the test above: the right certificate passes the `openssl`
// scheme's IP check, so the refusal above is the check's doing.
TEST_P(ClusterTlsTest, RightIpPassesTheOpensslScheme) {
  startTlsCluster(clusterTls());
  TlsConfig tls = driverTls();
  tls.hostnameValidationScheme = "openssl";
  tls.verifyIpAddress = true;
  driver_ = startDriver(wireConfig(sched_, tls));
  ASSERT_TRUE(sched_.waitRegistered()) << "no registered()";
  nextOffer(sched_);
}

// An expired master certificate is refused.
TEST_P(ClusterTlsTest, ExpiredMasterCertificateIsRefused) {
  LogCapture log;
  startTlsCluster(serverTls(testPki().expired));
  driver_ = startDriver(wireConfig(sched_, driverTls()));

  ASSERT_TRUE(handshakeFailureWarned(log, "certificate has expired")) << log.dump();
  EXPECT_EQ(0, sched_.registrations());
}

// A cluster requiring client certificates refuses one signed by another CA,
// and logs it naming the peer.
TEST_P(ClusterTlsTest, ClientCertificateFromAnotherCaIsRefusedByTheCluster) {
  LogCapture log;
  startTlsCluster(clusterTls());
  TlsConfig tls = driverTls();
  tls.certFile = testPki().otherCaSigned.certFile;
  tls.keyFile = testPki().otherCaSigned.keyFile;
  driver_ = startDriver(wireConfig(sched_, tls));

  ASSERT_TRUE(log.warned({"Closing connection from 127.0.0.1:", "TLS handshake failed"}))
      << "the cluster did not log the refused client:\n" << log.dump();
  const std::vector<std::string> lines =
      log.matching({"Closing connection from 127.0.0.1:", "TLS handshake failed"});
  // Refused for the chain, not for a missing certificate.
  EXPECT_TRUE(contains(lines.front(), "certificate verify failed")) << lines.front();
  EXPECT_EQ(0, sched_.registrations());
}

// Downgrade on the cluster: a plaintext framework and a TLS one (verifying the
// master, presenting a client certificate the cluster verifies) are both
// served. On the libprocess wire the master's own connection to the plaintext
// framework fails its TLS handshake and is retried in plaintext.
TEST_P(ClusterTlsTest, DowngradeServesPlaintextAndTlsFrameworks) {
  LogCapture log;
  TlsConfig cluster = clusterTls();
  cluster.supportDowngrade = true;
  startTlsCluster(cluster, 2);

  // Both decline at once, so that the agents go round.
  auto decline = [](SchedulerDriver* d, const std::vector<Offer>& offers) {
    for (const Offer& o : offers) d->declineOffer(o.id(), refuseFor(0));
  };
  Recorder plain;
  plain.onOffers = decline;
  Recorder secure;
  secure.onOffers = decline;
  auto plainDriver = startDriver(wireConfig(plain, std::nullopt, frameworkInfo("plaintext")));
  auto secureDriver = startDriver(wireConfig(secure, driverTls(), frameworkInfo("tls")));

  ASSERT_TRUE(plain.waitRegistered()) << "the plaintext framework did not register\n" << log.dump();
  ASSERT_TRUE(secure.waitRegistered()) << "the TLS framework did not register\n" << log.dump();
  EXPECT_TRUE(plain.waitOffer(0).has_value()) << "no offer to the plaintext framework";
  EXPECT_TRUE(secure.waitOffer(0).has_value()) << "no offer to the TLS framework";
  EXPECT_NE(plain.frameworkId()->value(), secure.frameworkId()->value());
  if (!GetParam().http) {
    EXPECT_TRUE(log.warned({"TLS handshake with", "retrying in plaintext"}))
        << "the master's connection to the plaintext framework was not downgraded\n" << log.dump();
  }
  EXPECT_TRUE(plain.errors().empty());
  EXPECT_TRUE(secure.errors().empty());
}

// The driver's certificate settings that cannot be loaded: start() fails,
// after error() named the file. (Nothing of the key's passphrase is logged:
// see EncryptedKeyWithItsPassphraseRegisters.)
struct BadFiles {
  const char* name;
  std::string certFile;
  std::string keyFile;
  std::optional<std::string> keyPassphrase;
  std::string named;  // The path the error must name, quoted,
  std::string about;  // and what it says about it.
};

TEST_P(ClusterTlsTest, UnloadableCertificateSettingsAbortStart) {
  const TestPki& pki = testPki();
  const std::string missingCert = pki.dir() + "/no-such-cert.pem";
  const std::string missingKey = pki.dir() + "/no-such-key.pem";
  const std::vector<BadFiles> cases = {
      {"missing certificate", missingCert, pki.client.keyFile, std::nullopt, missingCert,
       "cannot read certificate file"},
      {"missing key", pki.client.certFile, missingKey, std::nullopt, missingKey,
       "cannot read key file"},
      {"garbage certificate", pki.garbageFile, pki.client.keyFile, std::nullopt, pki.garbageFile,
       "certificate file"},
      {"garbage key", pki.client.certFile, pki.garbageFile, std::nullopt, pki.garbageFile,
       "key file"},
      // The CA's certificate with a leaf's key.
      {"key of another certificate", pki.caFile, pki.server.keyFile, std::nullopt,
       pki.server.keyFile, "key file"},
      {"encrypted key without passphrase", pki.encryptedKey.certFile, pki.encryptedKey.keyFile,
       std::nullopt, pki.encryptedKey.keyFile, "key file"},
      {"encrypted key with a wrong passphrase", pki.encryptedKey.certFile,
       pki.encryptedKey.keyFile, std::string("wrong-passphrase-5678"), pki.encryptedKey.keyFile,
       "key file"},
  };
  startTlsCluster(clusterTls());
  for (const BadFiles& c : cases) {
    SCOPED_TRACE(c.name);
    LogCapture log;
    Recorder recorder;
    TlsConfig tls = driverTls();
    tls.certFile = c.certFile;
    tls.keyFile = c.keyFile;
    tls.keyPassphrase = c.keyPassphrase;
    MesosSchedulerDriver driver(wireConfig(recorder, tls));
    EXPECT_EQ(DRIVER_ABORTED, driver.start());
    const std::vector<std::string> errors = recorder.errors();
    ASSERT_EQ(1u, errors.size()) << "error() was not called once";
    EXPECT_TRUE(contains(errors[0], "'" + c.named + "'")) << errors[0];
    EXPECT_TRUE(contains(errors[0], c.about)) << errors[0];
    EXPECT_EQ(0, recorder.registrations());
    if (c.keyPassphrase) {
      EXPECT_FALSE(contains(errors[0], *c.keyPassphrase)) << errors[0];
      EXPECT_FALSE(contains(log.dump(), *c.keyPassphrase)) << log.dump();
    }
  }
}

// An encrypted key with its passphrase: the framework registers and gets
// offers over TLS, and the passphrase appears in no log line (verbose
// logging on, while this test's threads exist).
TEST_P(ClusterTlsTest, EncryptedKeyWithItsPassphraseRegisters) {
  const TestPki& pki = testPki();
  LogCapture log;
  const int verbosity = FLAGS_v;
  FLAGS_v = 3;  // No other thread of this test runs yet.
  startTlsCluster(clusterTls());
  TlsConfig tls = driverTls();
  tls.certFile = pki.encryptedKey.certFile;
  tls.keyFile = pki.encryptedKey.keyFile;
  tls.keyPassphrase = pki.keyPassphrase;
  driver_ = startDriver(wireConfig(sched_, tls));
  EXPECT_TRUE(sched_.waitRegistered()) << "no registered()\n" << log.dump();
  nextOffer(sched_);
  EXPECT_TRUE(sched_.errors().empty());

  // Everything stopped before the verbosity goes back and the log is read.
  driver_->stop();
  driver_.reset();
  expectStateConsistent(cluster_->stateJson(), cluster_->master());
  cluster_.reset();
  FLAGS_v = verbosity;
  const std::string lines = log.dump();
  EXPECT_FALSE(lines.empty());
  EXPECT_FALSE(contains(lines, pki.keyPassphrase)) << lines;
}

// ---- OpenSSL's own client against the cluster ------------------------------------

// `program` found on $PATH, else "".
std::string onPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

struct SClientRun {
  std::optional<int> status;  // Wait status; nothing: still running at the deadline.
  std::string out;
};

// Runs `openssl s_client` against `port` with stdin from /dev/null (it
// shakes hands, prints the session, and quits at EOF), with a deadline.
SClientRun sClient(const std::string& port, const std::string& caFile, const CertAndKey& client,
            const std::string& stderrPath) {
  const std::string openssl = onPath("openssl");
  SClientRun run;
  std::string error;
  auto child = Child::start(openssl,
                            {"s_client", "-connect", "127.0.0.1:" + port, "-CAfile", caFile,
                             "-verify_return_error", "-verify_ip", "127.0.0.1", "-cert",
                             client.certFile, "-key", client.keyFile},
                            stderrPath, &error);
  if (!child) {
    run.out = error;
    return run;
  }
  bool complete = false;
  const auto deadline = Clock::now() + scaled(Millis(20000));
  for (const std::string& line : child->readAll(deadline, &complete)) run.out += line + "\n";
  run.status = child->wait(std::max(Millis(0), std::chrono::duration_cast<Millis>(
                                                   deadline - Clock::now())));
  return run;  // The child is stopped (killed if need be) here.
}

class ClusterTlsInteropTest : public LocalClusterTest {};

TEST_F(ClusterTlsInteropTest, OpensslClientTalksTlsToTheClusterWithMutualVerification) {
  ASSERT_FALSE(onPath("openssl").empty())
      << "this test needs the openssl program on PATH (package openssl)";
  LocalClusterOptions options = fastOptions();
  options.tls = clusterTls();
  startCluster(options);
  const std::string port = portOf(cluster_->master());
  const std::string stderrPath = testPki().dir() + "/s_client.err";

  // Trusting the test CA: verified both ways (the cluster requires the
  // client certificate), and the IP address checked by OpenSSL.
  SClientRun ok = sClient(port, testPki().caFile, testPki().client, stderrPath);
  ASSERT_TRUE(ok.status.has_value()) << "s_client did not finish in time:\n" << ok.out;
  EXPECT_TRUE(WIFEXITED(*ok.status) && WEXITSTATUS(*ok.status) == 0)
      << "s_client " << Child::describe(*ok.status) << "\n" << ok.out;
  EXPECT_TRUE(contains(ok.out, "Verify return code: 0 (ok)")) << ok.out;

  // Trusting another CA: the handshake fails and s_client says so.
  SClientRun refused = sClient(port, testPki().otherCaFile, testPki().client, stderrPath);
  ASSERT_TRUE(refused.status.has_value()) << "s_client did not finish in time:\n" << refused.out;
  EXPECT_FALSE(WIFEXITED(*refused.status) && WEXITSTATUS(*refused.status) == 0)
      << "s_client accepted the master's certificate with another CA\n" << refused.out;
  EXPECT_FALSE(contains(refused.out, "Verify return code: 0 (ok)")) << refused.out;
}

}  // namespace
}  // namespace testing
}  // namespace mesos
