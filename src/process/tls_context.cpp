#include "process/tls_context.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace process {

namespace asio = boost::asio;

namespace {

// OpenSSL's reasons, oldest (the root cause, e.g. "no start line") first and
// the last one (e.g. "PEM lib") after it; the queue is emptied.
std::string opensslError() {
  unsigned long code = 0;
  unsigned long first = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) {
    if (first == 0) first = code;
    last = code;
  }
  if (first == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(first, text, sizeof(text));
  std::string out = text;
  if (last != first) {
    ERR_error_string_n(last, text, sizeof(text));
    out += std::string(" (") + text + ")";
  }
  return out;
}

// A file that cannot be opened is reported as such, before OpenSSL's less
// direct "no such file" from deep inside its PEM reader.
Try<Nothing> readable(const std::string& what, const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) {
    return Error("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  }
  std::fclose(file);
  return Nothing();
}

// Whether a PEM key file holds an encrypted key (only the markers are read).
bool encrypted(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return false;
  char head[4096];
  const size_t n = std::fread(head, 1, sizeof(head), file);
  std::fclose(file);
  return std::string(head, n).find("ENCRYPTED") != std::string::npos;
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct NamesDeleter {
  void operator()(GENERAL_NAMES* n) const { GENERAL_NAMES_free(n); }
};

// The versions switched on, as a minimum and maximum plus holes to cut out.
Try<Nothing> applyVersions(SSL_CTX* ctx, const TlsOptions& o) {
  struct Version {
    bool on;
    int version;
    uint64_t noFlag;
  };
  const Version versions[] = {
      {o.enableSslV3, SSL3_VERSION, SSL_OP_NO_SSLv3},
      {o.enableTlsV1_0, TLS1_VERSION, SSL_OP_NO_TLSv1},
      {o.enableTlsV1_1, TLS1_1_VERSION, SSL_OP_NO_TLSv1_1},
      {o.enableTlsV1_2, TLS1_2_VERSION, SSL_OP_NO_TLSv1_2},
      {o.enableTlsV1_3, TLS1_3_VERSION, SSL_OP_NO_TLSv1_3},
  };
  int min = 0;
  int max = 0;
  uint64_t off = SSL_OP_NO_COMPRESSION;
  for (const Version& v : versions) {
    if (v.on) {
      if (min == 0) min = v.version;
      max = v.version;
    } else {
      off |= v.noFlag;
    }
  }
  if (min == 0) return Error("every TLS protocol version is disabled (LIBPROCESS_SSL_ENABLE_*)");
  // Explicit bounds, so that the system's openssl.cnf does not silently undo
  // a version the operator switched on.
  SSL_CTX_set_min_proto_version(ctx, min);
  SSL_CTX_set_max_proto_version(ctx, max);
  SSL_CTX_set_options(ctx, off);
  return Nothing();
}

Try<Nothing> verifyPeers(SSL_CTX* ctx, const TlsOptions& o, TlsContext::Role role);

Try<Nothing> configure(asio::ssl::context& context, const TlsOptions& o,
                       TlsContext::Role role, bool certificateOptional) {
  SSL_CTX* ctx = context.native_handle();
  // Never prompts on a terminal: an encrypted key without a configured
  // passphrase fails to load instead. (Asio owns the callback's storage.)
  boost::system::error_code ignored;
  context.set_password_callback(
      [passphrase = o.keyPassphrase](size_t, asio::ssl::context::password_purpose) {
        return passphrase;
      },
      ignored);
  Try<Nothing> versions = applyVersions(ctx, o);
  if (versions.isError()) return versions;
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (!o.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, o.ciphers.c_str()) != 1) {
    return Error("LIBPROCESS_SSL_CIPHERS '" + o.ciphers + "': " + opensslError());
  }
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (o.ecdhCurves != "auto" && SSL_CTX_set1_curves_list(ctx, o.ecdhCurves.c_str()) != 1) {
    return Error("LIBPROCESS_SSL_ECDH_CURVES '" + o.ecdhCurves + "': " + opensslError());
  }

  // The same certificate in both roles, as libprocess presents it.
  if (certificateOptional && o.certFile.empty() && o.keyFile.empty()) {
    return verifyPeers(ctx, o, role);
  }
  if (o.certFile.empty()) return Error("TLS needs a certificate: set LIBPROCESS_SSL_CERT_FILE");
  if (o.keyFile.empty()) return Error("TLS needs a private key: set LIBPROCESS_SSL_KEY_FILE");
  Try<Nothing> certReadable = readable("certificate file", o.certFile);
  if (certReadable.isError()) return certReadable;
  if (SSL_CTX_use_certificate_chain_file(ctx, o.certFile.c_str()) != 1) {
    return Error("cannot load certificate file '" + o.certFile + "': " + opensslError());
  }
  Try<Nothing> keyReadable = readable("key file", o.keyFile);
  if (keyReadable.isError()) return keyReadable;
  if (SSL_CTX_use_PrivateKey_file(ctx, o.keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
    const std::string reason = opensslError();
    if (reason.find("key values mismatch") != std::string::npos) {
      return Error("key file '" + o.keyFile + "' does not match certificate file '" + o.certFile +
                   "'");
    }
    return Error("cannot load key file '" + o.keyFile + "': " + reason +
                 (o.keyPassphrase.empty() && encrypted(o.keyFile)
                      ? " (the key is encrypted: set its passphrase)"
                      : ""));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Error("key file '" + o.keyFile + "' does not match certificate file '" + o.certFile +
                 "'");
  }
  return verifyPeers(ctx, o, role);
}

// Whom this role checks, against which CAs.
Try<Nothing> verifyPeers(SSL_CTX* ctx, const TlsOptions& o, TlsContext::Role role) {
  const bool verify =
      role == TlsContext::Role::kClient ? o.verifyServerCert : o.requireClientCert;
  if (!verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return Nothing();
  }
  if (!o.caFile.empty() || !o.caDir.empty()) {
    if (!o.caFile.empty()) {
      Try<Nothing> caReadable = readable("CA file", o.caFile);
      if (caReadable.isError()) return caReadable;
    }
    if (SSL_CTX_load_verify_locations(ctx, o.caFile.empty() ? nullptr : o.caFile.c_str(),
                                      o.caDir.empty() ? nullptr : o.caDir.c_str()) != 1) {
      return Error("cannot load trusted CAs from '" + (o.caFile.empty() ? o.caDir : o.caFile) +
                   "': " + opensslError());
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return Error("cannot load OpenSSL's default trusted CAs: " + opensslError());
  }
  int mode = SSL_VERIFY_PEER;
  if (role == TlsContext::Role::kServer) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  SSL_CTX_set_verify(ctx, mode, nullptr);
  SSL_CTX_set_verify_depth(ctx, o.verificationDepth);
  return Nothing();
}

bool isIpLiteral(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

TlsContext::TlsContext(TlsOptions options)
    : options_(std::move(options)),
      client_(std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client)),
      server_(std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server)) {}

Try<std::shared_ptr<const TlsContext>> TlsContext::create(const TlsOptions& options,
                                                          bool clientOnly) {
  std::shared_ptr<TlsContext> context(new TlsContext(options));
  ERR_clear_error();
  for (Role role : {Role::kClient, Role::kServer}) {
    if (clientOnly && role == Role::kServer) continue;
    Try<Nothing> done = configure(context->context(role), context->options_, role, clientOnly);
    if (done.isError()) return Error(done.error());
  }
  return std::shared_ptr<const TlsContext>(std::move(context));
}

Try<Nothing> TlsContext::prepareClient(SSL* ssl, const std::string& hostname,
                                       const std::string& peerIp) const {
  const bool name = !hostname.empty() && !isIpLiteral(hostname);
  if (name) SSL_set_tlsext_host_name(ssl, hostname.c_str());
  if (!options_.verifyServerCert || options_.hostnameScheme != TlsOptions::HostnameScheme::kOpenssl) {
    return Nothing();
  }
  if (name) {
    if (SSL_set1_host(ssl, hostname.c_str()) != 1) return Error("cannot check host name " + hostname);
    return Nothing();
  }
  if (!options_.verifyIpAddress) {
    return Error("No DNS name given and IP address verification is disabled "
                 "(LIBPROCESS_SSL_VERIFY_IPADD)");
  }
  if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), peerIp.c_str()) != 1) {
    return Error("cannot check IP address " + peerIp);
  }
  return Nothing();
}

Try<Nothing> TlsContext::checkPeer(SSL* ssl, Role role, const std::string& name,
                                   const std::string& peerIp) const {
  // With `openssl`, OpenSSL checked everything during the handshake (the
  // server role checks the chain only, as libprocess does).
  if (!verifies(role) || options_.hostnameScheme == TlsOptions::HostnameScheme::kOpenssl) {
    return Nothing();
  }
  std::unique_ptr<X509, X509Deleter> cert(SSL_get1_peer_certificate(ssl));
  if (!cert) return Error("peer did not provide a certificate");
  const long result = SSL_get_verify_result(ssl);
  if (result != X509_V_OK) {
    return Error(std::string("could not verify peer certificate: ") +
                 X509_verify_cert_error_string(result));
  }
  if (name.empty() && !options_.verifyIpAddress) {
    if (role == Role::kServer) {
      return Error("cannot verify peer certificate: peer hostname unknown (" + peerIp +
                   " has no reverse DNS name; to match an IP address SAN instead, set "
                   "LIBPROCESS_SSL_VERIFY_IPADD)");
    }
    return Nothing();
  }

  return matchName(cert.get(), name, peerIp, options_.verifyIpAddress);
}

Try<Nothing> TlsContext::matchName(X509* cert, const std::string& name, const std::string& peerIp,
                                   bool verifyIpAddress) {
  unsigned char ip[4];
  const bool haveIp = inet_pton(AF_INET, peerIp.c_str(), ip) == 1;
  std::string presented;
  std::unique_ptr<GENERAL_NAMES, NamesDeleter> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names.get(), i);
    if (entry->type == GEN_DNS) {
      const ASN1_STRING* s = entry->d.dNSName;
      const std::string dns(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                            static_cast<size_t>(ASN1_STRING_length(s)));
      if (!name.empty() && dns == name) return Nothing();
      presented += (presented.empty() ? "" : ", ") + dns;
    } else if (entry->type == GEN_IPADD) {
      const ASN1_STRING* s = entry->d.iPAddress;
      if (verifyIpAddress && haveIp && ASN1_STRING_length(s) == 4 &&
          std::memcmp(ASN1_STRING_get0_data(s), ip, 4) == 0) {
        return Nothing();
      }
      char text[INET6_ADDRSTRLEN] = "?";
      if (ASN1_STRING_length(s) == 4) inet_ntop(AF_INET, ASN1_STRING_get0_data(s), text, sizeof(text));
      presented += (presented.empty() ? "" : ", ") + std::string(text);
    }
  }
  // The whole CN, with its length: a CN holding a NUL byte must not match
  // the part before it.
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int at = subject == nullptr ? -1 : X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at >= 0) {
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
    const std::string cn(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                         static_cast<size_t>(ASN1_STRING_length(s)));
    if (!name.empty() && name == cn) return Nothing();
    presented += (presented.empty() ? "CN " : ", CN ") + cn;
  }
  // The names come from the peer: printable and bounded before they are logged.
  std::string shown;
  for (char c : presented.substr(0, 512)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  return Error("hostname mismatch: the certificate is for " +
               (shown.empty() ? std::string("no name") : shown) + ", the peer is " +
               (name.empty() ? std::string("unnamed") : name) + " at " + peerIp);
}

std::string TlsContext::describe(const boost::system::error_code& ec, SSL* ssl) {
  std::string text = ec.message();
  if (ssl != nullptr) {
    const long result = SSL_get_verify_result(ssl);
    if (result != X509_V_OK) {
      text += std::string(": ") + X509_verify_cert_error_string(result);
    }
  }
  return text;
}

Try<std::shared_ptr<const TlsContext>> tlsFromConfig(const TlsConfig& config, bool clientOnly) {
  Try<TlsOptions> options = TlsOptions::resolve(config);
  if (options.isError()) return Error(options.error());
  if (!options->enabled) return std::shared_ptr<const TlsContext>();
  if (options->supportDowngrade) {
    LOG(WARNING) << "TLS with downgrade: plaintext peers are accepted and failed TLS "
                    "connections are retried in plaintext (LIBPROCESS_SSL_SUPPORT_DOWNGRADE)";
  }
  return TlsContext::create(options.get(), clientOnly);
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
