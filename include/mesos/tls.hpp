#pragma once

/// @file
/// TLS settings of the driver and of the simulated cluster: the same knobs as
/// libprocess's `LIBPROCESS_SSL_*` environment variables, one field each.
///
/// Every field is optional: a field that is set wins over its variable, an
/// unset field is read from the environment (`LIBPROCESS_SSL_<NAME>`, or the
/// old prefix `SSL_<NAME>`, which loses to the new one), and an unset variable
/// leaves the default given below. The names after the prefix are
/// case-insensitive; booleans accept `true`, `false`, `1` and `0`; any other
/// value makes `start()` fail with `error()` naming the variable.
///
/// Where the defaults depart from libprocess's, the field says so and why.
/// docs/tls.md has every variable, who verifies what, and how to run the
/// simulated cluster with TLS.
///
/// Threading and lifetime: a plain value, copied into the driver at
/// construction; files are read at `start()`.

#include <optional>
#include <string>

namespace mesos {

/// TLS settings; see the file comment.
struct TlsConfig {
  /// TLS on (`ENABLED`; default false). With the libprocess wire, every
  /// connection the driver opens (to masters, to agents) is TLS and its
  /// listener accepts only TLS (see `supportDowngrade`). With the HTTP API,
  /// the driver uses `https` (as an `https://` master string does).
  std::optional<bool> enabled;
  /// Also accept plaintext on the listener, recognised by its first bytes,
  /// and retry a libprocess connection whose TLS handshake failed in
  /// plaintext (`SUPPORT_DOWNGRADE`; default false). Lets an attacker bypass
  /// verification; meant for migrating a cluster. Never used over HTTP.
  std::optional<bool> supportDowngrade;
  /// PEM certificate chain presented in both roles (`CERT_FILE`); required
  /// when TLS is on.
  std::optional<std::string> certFile;
  /// PEM private key matching `certFile` (`KEY_FILE`); required when TLS is on.
  std::optional<std::string> keyFile;
  /// Passphrase of an encrypted `keyFile`. Not read from the environment
  /// (libprocess has no such variable) and never logged.
  std::optional<std::string> keyPassphrase;
  /// Client role: the server's certificate must verify against the trusted
  /// CAs and match the peer's name (`VERIFY_SERVER_CERT`, old name
  /// `VERIFY_CERT`; default false, but true for an `https://` master string).
  std::optional<bool> verifyServerCert;
  /// Server role: ask for a client certificate, refuse a client without one,
  /// and verify it (`REQUIRE_CLIENT_CERT`, old name `REQUIRE_CERT`; default
  /// false). Implies `verifyServerCert`.
  std::optional<bool> requireClientCert;
  /// Let a certificate's IP-address SAN match the peer's IP (`VERIFY_IPADD`;
  /// default false).
  std::optional<bool> verifyIpAddress;
  /// Longest certificate chain accepted when verifying
  /// (`VERIFICATION_DEPTH`; default 4).
  std::optional<int> verificationDepth;
  /// Trusted CA certificates in one PEM file (`CA_FILE`). With neither this
  /// nor `caDir`: OpenSSL's default locations.
  std::optional<std::string> caFile;
  /// Trusted CA certificates in a hashed directory, as `c_rehash` makes one
  /// (`CA_DIR`).
  std::optional<std::string> caDir;
  /// OpenSSL cipher list for TLS 1.2 and older (`CIPHERS`). Default:
  /// OpenSSL's own default list, which includes the suites of libprocess's
  /// default (`AES128-SHA`, `AES256-SHA`, ...) so both sides still agree, but
  /// prefers forward-secret suites; libprocess's default list has none.
  std::optional<std::string> ciphers;
  /// `:`-separated ECDH curves, or `auto` (`ECDH_CURVES`; default `auto`).
  std::optional<std::string> ecdhCurves;
  /// How the peer's name is checked (`HOSTNAME_VALIDATION_SCHEME`):
  /// `legacy` (default; after the handshake, both roles, the reverse-DNS name
  /// of the peer's IP or the name the peer was addressed by) or `openssl`
  /// (during the handshake, client role only, OpenSSL's own matching).
  std::optional<std::string> hostnameValidationScheme;
  /// SSL 3.0 (`ENABLE_SSL_V3`; default false). OpenSSL 3 cannot speak it at
  /// all, so this only matters with an older OpenSSL.
  std::optional<bool> enableSslV3;
  /// TLS 1.0 (`ENABLE_TLS_V1_0`; default false).
  std::optional<bool> enableTlsV1_0;
  /// TLS 1.1 (`ENABLE_TLS_V1_1`; default false).
  std::optional<bool> enableTlsV1_1;
  /// TLS 1.2 (`ENABLE_TLS_V1_2`; default true).
  std::optional<bool> enableTlsV1_2;
  /// TLS 1.3 (`ENABLE_TLS_V1_3`; default true). libprocess leaves 1.3 off
  /// because of a defect of its libevent socket; this driver's sockets have
  /// no such defect, and a peer without 1.3 simply negotiates 1.2.
  std::optional<bool> enableTlsV1_3;
};

}  // namespace mesos
