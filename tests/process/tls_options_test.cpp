// The TLS settings (process/tls_options.hpp) as libprocess reads them from
// the environment, and the errors of loading them (process/tls_context.hpp):
// each names the variable or the file at fault, and never the passphrase.

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <stdlib.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "process/socket.hpp"
#include "process/tls_context.hpp"
#include "process/tls_options.hpp"
#include "support/log_capture.hpp"
#include "support/openssl_util.hpp"
#include "support/test_pki.hpp"

extern char** environ;

namespace mesos {
namespace internal {
namespace process {
namespace {

using mesos::testing::LogCapture;
using mesos::testing::clientHello;
using mesos::testing::TestPki;

TestPki& pki() {
  static TestPki instance;
  return instance;
}

// Clears every LIBPROCESS_SSL_* and SSL_* variable (machines often set
// SSL_CERT_FILE for other programs) and restores them afterwards.
class SslEnvironment {
 public:
  SslEnvironment() {
    std::vector<std::string> names;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      const std::string name = text.substr(0, text.find('='));
      if (name.rfind("LIBPROCESS_SSL_", 0) == 0 || name.rfind("SSL_", 0) == 0) {
        saved_[name] = text.substr(name.size() + 1);
        names.push_back(name);
      }
    }
    for (const std::string& name : names) unsetenv(name.c_str());
  }
  ~SslEnvironment() {
    for (const std::string& name : set_) unsetenv(name.c_str());
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }
  void set(const std::string& name, const std::string& value) {
    setenv(name.c_str(), value.c_str(), 1);
    set_.push_back(name);
  }

 private:
  std::map<std::string, std::string> saved_;
  std::vector<std::string> set_;
};

TEST(TlsOptionsTest, DefaultsAreLibprocessOnesExceptTls13) {
  SslEnvironment env;
  Try<TlsOptions> o = TlsOptions::resolve(TlsConfig{});
  ASSERT_TRUE(o.isSome()) << o.error();
  EXPECT_FALSE(o->enabled);
  EXPECT_FALSE(o->supportDowngrade);
  EXPECT_FALSE(o->verifyServerCert);
  EXPECT_FALSE(o->requireClientCert);
  EXPECT_FALSE(o->verifyIpAddress);
  EXPECT_EQ(4, o->verificationDepth);
  EXPECT_EQ("auto", o->ecdhCurves);
  EXPECT_EQ(TlsOptions::HostnameScheme::kLegacy, o->hostnameScheme);
  EXPECT_FALSE(o->enableSslV3 || o->enableTlsV1_0 || o->enableTlsV1_1);
  EXPECT_TRUE(o->enableTlsV1_2);
  EXPECT_TRUE(o->enableTlsV1_3);
}

TEST(TlsOptionsTest, EveryVariableIsReadWithItsNameInAnyCase) {
  SslEnvironment env;
  env.set("LIBPROCESS_SSL_ENABLED", "true");
  env.set("LIBPROCESS_SSL_support_downgrade", "1");
  env.set("LIBPROCESS_SSL_CERT_FILE", "/c.pem");
  env.set("LIBPROCESS_SSL_KEY_FILE", "/k.pem");
  env.set("LIBPROCESS_SSL_Verify_Server_Cert", "TRUE");
  env.set("LIBPROCESS_SSL_VERIFY_IPADD", "true");
  env.set("LIBPROCESS_SSL_VERIFICATION_DEPTH", "7");
  env.set("LIBPROCESS_SSL_CA_FILE", "/ca.pem");
  env.set("LIBPROCESS_SSL_CA_DIR", "/cas");
  env.set("LIBPROCESS_SSL_CIPHERS", "AES128-SHA");
  env.set("LIBPROCESS_SSL_ECDH_CURVES", "prime256v1");
  env.set("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "openssl");
  env.set("LIBPROCESS_SSL_ENABLE_TLS_V1_1", "true");
  env.set("LIBPROCESS_SSL_ENABLE_TLS_V1_3", "false");
  Try<TlsOptions> o = TlsOptions::resolve(TlsConfig{});
  ASSERT_TRUE(o.isSome()) << o.error();
  EXPECT_TRUE(o->enabled);
  EXPECT_TRUE(o->supportDowngrade);
  EXPECT_EQ("/c.pem", o->certFile);
  EXPECT_EQ("/k.pem", o->keyFile);
  EXPECT_TRUE(o->verifyServerCert);
  EXPECT_TRUE(o->verifyIpAddress);
  EXPECT_EQ(7, o->verificationDepth);
  EXPECT_EQ("/ca.pem", o->caFile);
  EXPECT_EQ("/cas", o->caDir);
  EXPECT_EQ("AES128-SHA", o->ciphers);
  EXPECT_EQ("prime256v1", o->ecdhCurves);
  EXPECT_EQ(TlsOptions::HostnameScheme::kOpenssl, o->hostnameScheme);
  EXPECT_TRUE(o->enableTlsV1_1);
  EXPECT_FALSE(o->enableTlsV1_3);
}

TEST(TlsOptionsTest, OldPrefixIsReadAndLosesToTheNewOne) {
  SslEnvironment env;
  env.set("SSL_ENABLED", "true");
  env.set("SSL_KEY_FILE", "/old.pem");
  env.set("LIBPROCESS_SSL_KEY_FILE", "/new.pem");
  LogCapture log;
  Try<TlsOptions> o = TlsOptions::resolve(TlsConfig{});
  ASSERT_TRUE(o.isSome()) << o.error();
  EXPECT_TRUE(o->enabled);
  EXPECT_EQ("/new.pem", o->keyFile);
  EXPECT_FALSE(log.matching({"LIBPROCESS_SSL_KEY_FILE", "SSL_KEY_FILE"}).empty()) << log.dump();
}

TEST(TlsOptionsTest, OpensslsOwnCertFileVariableIsNotOurCertificate) {
  SslEnvironment env;
  env.set("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt");
  Try<TlsOptions> o = TlsOptions::resolve(TlsConfig{});
  ASSERT_TRUE(o.isSome()) << o.error();
  EXPECT_EQ("", o->certFile);
}

TEST(TlsOptionsTest, OldNamesOfTheChecksSwitchThemOn) {
  SslEnvironment env;
  env.set("LIBPROCESS_SSL_VERIFY_CERT", "true");
  Try<TlsOptions> verify = TlsOptions::resolve(TlsConfig{});
  ASSERT_TRUE(verify.isSome());
  EXPECT_TRUE(verify->verifyServerCert);
  EXPECT_FALSE(verify->requireClientCert);

  SslEnvironment again;
  again.set("LIBPROCESS_SSL_REQUIRE_CERT", "1");
  Try<TlsOptions> require = TlsOptions::resolve(TlsConfig{});
  ASSERT_TRUE(require.isSome());
  EXPECT_TRUE(require->requireClientCert);
  EXPECT_TRUE(require->verifyServerCert);  // Implied, as in libprocess.
}

TEST(TlsOptionsTest, ExplicitFieldsWinOverTheEnvironment) {
  SslEnvironment env;
  env.set("LIBPROCESS_SSL_ENABLED", "true");
  env.set("LIBPROCESS_SSL_CERT_FILE", "/env.pem");
  env.set("LIBPROCESS_SSL_VERIFICATION_DEPTH", "not a number");  // Never read.
  TlsConfig config;
  config.enabled = false;
  config.certFile = "/config.pem";
  config.verificationDepth = 2;
  Try<TlsOptions> o = TlsOptions::resolve(config);
  ASSERT_TRUE(o.isSome()) << o.error();
  EXPECT_FALSE(o->enabled);
  EXPECT_EQ("/config.pem", o->certFile);
  EXPECT_EQ(2, o->verificationDepth);
}

TEST(TlsOptionsTest, BadValuesAreErrorsNamingTheVariable) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"LIBPROCESS_SSL_ENABLED", "yes"},
      {"SSL_SUPPORT_DOWNGRADE", "on"},
      {"LIBPROCESS_SSL_VERIFICATION_DEPTH", "4x"},
      {"LIBPROCESS_SSL_VERIFICATION_DEPTH", "-1"},
      {"LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "strict"},
  };
  for (const auto& [name, value] : bad) {
    SslEnvironment env;
    env.set(name, value);
    Try<TlsOptions> o = TlsOptions::resolve(TlsConfig{});
    ASSERT_TRUE(o.isError()) << name << "=" << value;
    const std::string suffix = name.substr(name.find("SSL_") + 4);
    EXPECT_NE(std::string::npos, o.error().find(suffix)) << o.error();
  }
}

// ---- Loading ------------------------------------------------------------------

TlsOptions serverOptions() {
  TlsOptions o;
  o.enabled = true;
  o.certFile = pki().server.certFile;
  o.keyFile = pki().server.keyFile;
  o.caFile = pki().caFile;
  o.verifyServerCert = true;
  o.requireClientCert = true;
  return o;
}

std::string loadError(const TlsOptions& o) {
  Try<std::shared_ptr<const TlsContext>> context = TlsContext::create(o);
  return context.isError() ? context.error() : std::string();
}

TEST(TlsContextTest, LoadsTheTestCertificates) {
  EXPECT_EQ("", loadError(serverOptions()));
}

TEST(TlsContextTest, AFileThatCannotBeLoadedIsNamed) {
  TlsOptions missingCert = serverOptions();
  missingCert.certFile = pki().dir() + "/absent.pem";
  EXPECT_NE(std::string::npos, loadError(missingCert).find(missingCert.certFile));

  TlsOptions missingKey = serverOptions();
  missingKey.keyFile = pki().dir() + "/absent-key.pem";
  EXPECT_NE(std::string::npos, loadError(missingKey).find(missingKey.keyFile));

  TlsOptions garbage = serverOptions();
  garbage.certFile = pki().garbageFile;
  EXPECT_NE(std::string::npos, loadError(garbage).find(pki().garbageFile));

  TlsOptions garbageKey = serverOptions();
  garbageKey.keyFile = pki().garbageFile;
  EXPECT_NE(std::string::npos, loadError(garbageKey).find(pki().garbageFile));

  TlsOptions missingCa = serverOptions();
  missingCa.caFile = pki().dir() + "/absent-ca.pem";
  EXPECT_NE(std::string::npos, loadError(missingCa).find(missingCa.caFile));

  // A key that is not the certificate's: the CA's certificate with a leaf key.
  TlsOptions mismatch = serverOptions();
  mismatch.certFile = pki().caFile;
  const std::string error = loadError(mismatch);
  EXPECT_NE(std::string::npos, error.find("does not match")) << error;
  EXPECT_NE(std::string::npos, error.find(mismatch.keyFile)) << error;

  TlsOptions none = serverOptions();
  none.certFile.clear();
  EXPECT_NE(std::string::npos, loadError(none).find("LIBPROCESS_SSL_CERT_FILE"));
}

TEST(TlsContextTest, AnEncryptedKeyNeedsItsPassphraseWhichIsNeverShown) {
  LogCapture log;
  TlsOptions o = serverOptions();
  o.certFile = pki().encryptedKey.certFile;
  o.keyFile = pki().encryptedKey.keyFile;
  const std::string without = loadError(o);
  EXPECT_NE(std::string::npos, without.find(o.keyFile)) << without;
  EXPECT_NE(std::string::npos, without.find("passphrase")) << without;

  o.keyPassphrase = "wrong-" + pki().keyPassphrase;
  const std::string wrong = loadError(o);
  EXPECT_NE("", wrong);
  EXPECT_EQ(std::string::npos, wrong.find(o.keyPassphrase)) << wrong;

  o.keyPassphrase = pki().keyPassphrase;
  EXPECT_EQ("", loadError(o));
  EXPECT_EQ(std::string::npos, log.dump().find(pki().keyPassphrase)) << log.dump();
}

TEST(TlsContextTest, ProtocolCipherAndCurveSettingsAreChecked) {
  TlsOptions none = serverOptions();
  none.enableTlsV1_2 = false;
  none.enableTlsV1_3 = false;
  EXPECT_NE(std::string::npos, loadError(none).find("every TLS protocol version is disabled"));

  TlsOptions ciphers = serverOptions();
  ciphers.ciphers = "NO-SUCH-CIPHER";
  EXPECT_NE(std::string::npos, loadError(ciphers).find("LIBPROCESS_SSL_CIPHERS"));

  TlsOptions curves = serverOptions();
  curves.ecdhCurves = "no-such-curve";
  EXPECT_NE(std::string::npos, loadError(curves).find("LIBPROCESS_SSL_ECDH_CURVES"));

  // libprocess's own default list still loads (its suites are RSA-only).
  TlsOptions libprocessDefault = serverOptions();
  libprocessDefault.ciphers =
      "AES128-SHA:AES256-SHA:RC4-SHA:DHE-RSA-AES128-SHA:DHE-DSS-AES128-SHA:"
      "DHE-RSA-AES256-SHA:DHE-DSS-AES256-SHA";
  EXPECT_EQ("", loadError(libprocessDefault));
}

TEST(TlsContextTest, VerificationDepthAndModesReachOpenssl) {
  // OpenSSL counts the depth in untrusted intermediates, as libprocess hands
  // it over; the test chain (a CA and a leaf) has none to cut, so the setting
  // is checked where it lands.
  TlsOptions o = serverOptions();
  o.verificationDepth = 7;
  Try<std::shared_ptr<const TlsContext>> context = TlsContext::create(o);
  ASSERT_TRUE(context.isSome()) << context.error();
  SSL_CTX* client = (*context)->context(TlsContext::Role::kClient).native_handle();
  SSL_CTX* server = (*context)->context(TlsContext::Role::kServer).native_handle();
  EXPECT_EQ(7, SSL_CTX_get_verify_depth(client));
  EXPECT_EQ(7, SSL_CTX_get_verify_depth(server));
  EXPECT_EQ(SSL_VERIFY_PEER, SSL_CTX_get_verify_mode(client));
  EXPECT_EQ(SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, SSL_CTX_get_verify_mode(server));

  o.verifyServerCert = false;
  o.requireClientCert = false;
  context = TlsContext::create(o);
  ASSERT_TRUE(context.isSome()) << context.error();
  EXPECT_EQ(SSL_VERIFY_NONE,
            SSL_CTX_get_verify_mode((*context)->context(TlsContext::Role::kClient).native_handle()));
  EXPECT_EQ(SSL_VERIFY_NONE,
            SSL_CTX_get_verify_mode((*context)->context(TlsContext::Role::kServer).native_handle()));
}

// ---- Recognising a ClientHello (downgrade) -----------------------------------------

bool looksLikeTls(const std::string& bytes) {
  return Socket::looksLikeTls(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

TEST(SocketTest, AClientHelloIsRecognisedFromItsFirstBytes) {
  const std::string hello = clientHello();
  ASSERT_GT(hello.size(), 6u);
  EXPECT_TRUE(looksLikeTls(hello));
  EXPECT_TRUE(looksLikeTls(hello.substr(0, 6)));
  EXPECT_TRUE(looksLikeTls(hello.substr(0, 1)));  // Nothing yet rules it out.
  EXPECT_TRUE(looksLikeTls(std::string("\x80\x2e\x01\x03\x01", 5)));  // SSLv2 format.

  EXPECT_FALSE(looksLikeTls("POST /master/mesos.internal.Msg HTTP/1.1\r\n"));
  EXPECT_FALSE(looksLikeTls("GET / HTTP/1.1\r\n"));
  EXPECT_FALSE(looksLikeTls(std::string("\x16\x02", 2)));              // Not version 3.
  EXPECT_FALSE(looksLikeTls(std::string("\x16\x03\x01\x00\x10\x02", 6)));  // A ServerHello.
  EXPECT_FALSE(looksLikeTls(std::string("\x80\x2e\x02", 3)));          // SSLv2, not a hello.
  EXPECT_FALSE(looksLikeTls(""));
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
