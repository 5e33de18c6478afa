#pragma once

// A throwaway PKI for TLS tests on 127.0.0.1, generated in-process with the
// OpenSSL 3 C API (no openssl binary, nothing committed to the repository):
//
//   TestPki pki;
//   options.tls.caFile = pki.caFile;
//   options.tls.certFile = pki.server.certFile;
//   options.tls.keyFile = pki.server.keyFile;
//
// All files are PEM, in a fresh mkdtemp directory under $TMPDIR (or /tmp) that
// the destructor removes. Keys are RSA 2048 so RSA-only cipher lists work; all
// leaf certificates share one key (generation is the slow part), each CA has its
// own. Leaves are valid now-1h .. now+1 day unless stated otherwise.

#include <string>

namespace mesos {
namespace testing {

struct CertAndKey {
  std::string certFile;
  std::string keyFile;  // Mode 0600.
};

class TestPki {
 public:
  // Generates everything; throws std::runtime_error (with the OpenSSL error
  // text) on failure, leaving no directory behind.
  TestPki();
  ~TestPki();

  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const std::string& dir() const { return dir_; }

  std::string caFile;       // Self-signed test CA (CA:TRUE, keyCertSign).
  std::string otherCaFile;  // Another, unrelated self-signed CA.

  // Signed by the CA; CN=localhost; SAN DNS:localhost, IP:127.0.0.1;
  // EKU serverAuth+clientAuth.
  CertAndKey server;
  // Signed by the CA; CN=framework; same SAN and EKU as `server`.
  CertAndKey client;
  // Like `server` but signed by the other CA.
  CertAndKey otherCaSigned;
  // Signed by the CA; CN=elsewhere.invalid; SAN DNS:elsewhere.invalid, IP:127.0.0.2.
  CertAndKey wrongHost;
  // Like `server` but valid now-2 days .. now-1 day.
  CertAndKey expired;
  // Like `server`, but the key file is encrypted (PKCS#8, AES-256-CBC) with
  // `keyPassphrase`.
  CertAndKey encryptedKey;
  std::string keyPassphrase = "test-passphrase-1234";

  // Holds "this is not PEM\n", for load-error tests.
  std::string garbageFile;

 private:
  void generate();

  std::string dir_;
};

}  // namespace testing
}  // namespace mesos
