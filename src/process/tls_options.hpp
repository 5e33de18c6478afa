#pragma once

// The TLS settings resolved: a `mesos::TlsConfig` (include/mesos/tls.hpp) with
// the `LIBPROCESS_SSL_*` environment filled in under it and every default
// applied. Plain data; docs/tls.md lists the variables and their defaults.

#include <mesos/tls.hpp>

#include <string>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace process {

struct TlsOptions {
  enum class HostnameScheme { kLegacy, kOpenssl };

  bool enabled = false;
  bool supportDowngrade = false;
  std::string certFile;
  std::string keyFile;
  std::string keyPassphrase;  // Never logged.
  bool verifyServerCert = false;
  bool requireClientCert = false;
  bool verifyIpAddress = false;
  int verificationDepth = 4;
  std::string caFile;
  std::string caDir;
  std::string ciphers;  // Empty: OpenSSL's default list.
  std::string ecdhCurves = "auto";
  HostnameScheme hostnameScheme = HostnameScheme::kLegacy;
  bool enableSslV3 = false;
  bool enableTlsV1_0 = false;
  bool enableTlsV1_1 = false;
  bool enableTlsV1_2 = true;
  bool enableTlsV1_3 = true;

  // `config`'s set fields, else the environment (`LIBPROCESS_SSL_<NAME>`,
  // else the old `SSL_<NAME>`; names after the prefix in any case), else the
  // defaults. A value that does not parse is an error naming the variable.
  // Nothing is checked beyond parsing (files are read by TlsContext).
  static Try<TlsOptions> resolve(const TlsConfig& config);
  // Whether a variable for `name` ("verify_server_cert") is set, under
  // either prefix.
  static bool inEnvironment(const std::string& name);
};

}  // namespace process
}  // namespace internal
}  // namespace mesos
