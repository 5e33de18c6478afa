#pragma once

// OpenSSL contexts built from TlsOptions (process/tls_options.hpp), one per
// role, and the checks libprocess makes of a peer's certificate
// (docs/tls.md, "Who verifies what").
//
// Threads: immutable once created; shared by every socket of a driver or a
// cluster, on any thread (an SSL_CTX may be used by several threads once it is
// no longer modified). Lifetime: held by shared_ptr by each socket using it.

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "common/try.hpp"
#include "process/tls_options.hpp"

namespace mesos {
namespace internal {
namespace process {

class TlsContext {
 public:
  enum class Role { kClient, kServer };

  // Loads the certificate, key and trusted CAs and applies the protocol,
  // cipher and curve settings. An error names the file or the setting at
  // fault (never the key's contents or passphrase). `options.enabled` is not
  // looked at: the caller decides whether TLS is used at all.
  // `clientOnly` (the HTTP API, which never accepts connections): only the
  // client role is set up, and a certificate is optional, as for any HTTPS
  // client; one is loaded (and presented when asked) if given.
  static Try<std::shared_ptr<const TlsContext>> create(const TlsOptions& options,
                                                        bool clientOnly = false);

  const TlsOptions& options() const { return options_; }
  boost::asio::ssl::context& context(Role role) const {
    return role == Role::kClient ? *client_ : *server_;
  }

  // Whether a connection in `role` checks the peer's certificate at all.
  bool verifies(Role role) const {
    return role == Role::kClient ? options_.verifyServerCert : options_.requireClientCert;
  }

  // Client role, before the handshake: what OpenSSL itself must check with
  // the `openssl` scheme (the host name, else the peer's IP), and SNI.
  // `hostname` is the name the peer was addressed by ("" for an IP literal).
  Try<Nothing> prepareClient(SSL* ssl, const std::string& hostname,
                             const std::string& peerIp) const;

  // After a successful handshake: the `legacy` scheme's checks (a
  // certificate, a verified chain, and the name: a DNS SAN equal to `name`,
  // with `verifyIpAddress` an IP SAN equal to `peerIp`, else a CN equal to
  // `name`). `name` is the reverse-DNS name of the peer, else the name it was
  // addressed by, else "". Nothing to check when the role does not verify or
  // the scheme is `openssl`.
  Try<Nothing> checkPeer(SSL* ssl, Role role, const std::string& name,
                         const std::string& peerIp) const;

  // The legacy name check of `cert` alone (the part of checkPeer that reads
  // the peer's certificate; fuzz/tls_fuzz.cpp).
  static Try<Nothing> matchName(X509* cert, const std::string& name, const std::string& peerIp,
                                bool verifyIpAddress);

  // One line for a failed handshake: OpenSSL's reason and, when a
  // certificate did not verify, why (unknown CA, expired, hostname mismatch).
  static std::string describe(const boost::system::error_code& ec, SSL* ssl);

 private:
  explicit TlsContext(TlsOptions options);

  TlsOptions options_;
  std::unique_ptr<boost::asio::ssl::context> client_;
  std::unique_ptr<boost::asio::ssl::context> server_;
};

// The settings of `config` over the environment (TlsOptions::resolve); null
// when TLS is off, else the loaded context. Errors name the variable or file.
Try<std::shared_ptr<const TlsContext>> tlsFromConfig(const TlsConfig& config,
                                                     bool clientOnly = false);

}  // namespace process
}  // namespace internal
}  // namespace mesos
