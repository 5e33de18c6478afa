#include "process/tls_options.hpp"

#include <glog/logging.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>

extern char** environ;

namespace mesos {
namespace internal {
namespace process {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// One variable as found: its full name (for messages) and its value.
struct Found {
  std::string name;
  std::string value;
};

// The `LIBPROCESS_SSL_*` and `SSL_*` variables by lower-cased suffix; the new
// prefix wins (docs/tls.md, "Variables").
std::map<std::string, Found> sslEnvironment() {
  std::map<std::string, Found> byNew;
  std::map<std::string, Found> byOld;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) continue;
    const std::string name(*entry, static_cast<size_t>(eq - *entry));
    // OpenSSL's own variable (the trusted CA bundle), set on many machines
    // for every program: not the old name of LIBPROCESS_SSL_CERT_FILE here
    // (docs/tls.md, "Variables").
    if (name == "SSL_CERT_FILE") continue;
    for (const char* prefix : {"LIBPROCESS_SSL_", "SSL_"}) {
      const size_t n = std::strlen(prefix);
      if (name.size() > n && name.compare(0, n, prefix) == 0) {
        auto& into = n == 4 ? byOld : byNew;
        into[lower(name.substr(n))] = Found{name, eq + 1};
        break;
      }
    }
  }
  for (auto& [key, old] : byOld) {
    auto it = byNew.find(key);
    if (it == byNew.end()) {
      byNew.emplace(key, std::move(old));
    } else if (it->second.value != old.value) {
      LOG(WARNING) << "Both " << it->second.name << " and " << old.name
                   << " are set; using " << it->second.name;
    }
  }
  return byNew;
}

class Reader {
 public:
  Reader() : env_(sslEnvironment()) {}

  template <typename T>
  Try<Nothing> read(const std::optional<T>& explicitValue, const char* key, T* into) {
    if (explicitValue) {
      *into = *explicitValue;
      return Nothing();
    }
    auto it = env_.find(key);
    if (it == env_.end()) return Nothing();
    return parse(it->second, into);
  }

 private:
  static Try<Nothing> parse(const Found& found, bool* into) {
    const std::string v = lower(found.value);
    if (v == "true" || v == "1") {
      *into = true;
    } else if (v == "false" || v == "0") {
      *into = false;
    } else {
      return Error(found.name + " must be true, false, 1 or 0, not '" + found.value + "'");
    }
    return Nothing();
  }
  static Try<Nothing> parse(const Found& found, int* into) {
    try {
      size_t used = 0;
      const int value = std::stoi(found.value, &used);
      if (used != found.value.size()) throw std::invalid_argument("trailing characters");
      *into = value;
    } catch (const std::exception&) {
      return Error(found.name + " must be a number, not '" + found.value + "'");
    }
    return Nothing();
  }
  static Try<Nothing> parse(const Found& found, std::string* into) {
    *into = found.value;
    return Nothing();
  }

  std::map<std::string, Found> env_;
};

}  // namespace

bool TlsOptions::inEnvironment(const std::string& name) {
  return sslEnvironment().count(lower(name)) > 0;
}

Try<TlsOptions> TlsOptions::resolve(const TlsConfig& config) {
  TlsOptions o;
  Reader r;
  std::string scheme = "legacy";
  bool legacyVerify = false;
  bool legacyRequire = false;
  for (Try<Nothing> step : {
           r.read(config.enabled, "enabled", &o.enabled),
           r.read(config.supportDowngrade, "support_downgrade", &o.supportDowngrade),
           r.read(config.certFile, "cert_file", &o.certFile),
           r.read(config.keyFile, "key_file", &o.keyFile),
           r.read(config.verifyServerCert, "verify_server_cert", &o.verifyServerCert),
           r.read(std::optional<bool>(), "verify_cert", &legacyVerify),
           r.read(config.requireClientCert, "require_client_cert", &o.requireClientCert),
           r.read(std::optional<bool>(), "require_cert", &legacyRequire),
           r.read(config.verifyIpAddress, "verify_ipadd", &o.verifyIpAddress),
           r.read(config.verificationDepth, "verification_depth", &o.verificationDepth),
           r.read(config.caFile, "ca_file", &o.caFile),
           r.read(config.caDir, "ca_dir", &o.caDir),
           r.read(config.ciphers, "ciphers", &o.ciphers),
           r.read(config.ecdhCurves, "ecdh_curves", &o.ecdhCurves),
           r.read(config.hostnameValidationScheme, "hostname_validation_scheme", &scheme),
           r.read(config.enableSslV3, "enable_ssl_v3", &o.enableSslV3),
           r.read(config.enableTlsV1_0, "enable_tls_v1_0", &o.enableTlsV1_0),
           r.read(config.enableTlsV1_1, "enable_tls_v1_1", &o.enableTlsV1_1),
           r.read(config.enableTlsV1_2, "enable_tls_v1_2", &o.enableTlsV1_2),
           r.read(config.enableTlsV1_3, "enable_tls_v1_3", &o.enableTlsV1_3),
       }) {
    if (step.isError()) return Error(step.error());
  }
  if (config.keyPassphrase) o.keyPassphrase = *config.keyPassphrase;

  // The old names only ever switch a check on, as libprocess reads them.
  if (legacyVerify && !config.verifyServerCert) {
    LOG(WARNING) << "LIBPROCESS_SSL_VERIFY_CERT is deprecated; use "
                    "LIBPROCESS_SSL_VERIFY_SERVER_CERT";
    o.verifyServerCert = true;
  }
  if (legacyRequire && !config.requireClientCert) {
    LOG(WARNING) << "LIBPROCESS_SSL_REQUIRE_CERT is deprecated; use "
                    "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT";
    o.requireClientCert = true;
  }
  if (o.requireClientCert) o.verifyServerCert = true;

  scheme = lower(scheme);
  if (scheme == "legacy") {
    o.hostnameScheme = HostnameScheme::kLegacy;
  } else if (scheme == "openssl") {
    o.hostnameScheme = HostnameScheme::kOpenssl;
  } else {
    return Error("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME must be 'legacy' or 'openssl', not '" +
                 scheme + "'");
  }
  if (o.verificationDepth < 0) {
    return Error("LIBPROCESS_SSL_VERIFICATION_DEPTH must not be negative");
  }
  return o;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
