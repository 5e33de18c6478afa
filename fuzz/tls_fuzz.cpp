// libFuzzer target for what the TLS code reads from a peer (docs/tls.md):
//  - mode 0: the first bytes of an accepted connection, as the downgrade
//    check sees them (Socket::looksLikeTls);
//  - mode 1: a peer's certificate (DER) and the name and IP it is checked
//    against, as the legacy host name check reads it (TlsContext::matchName);
//  - mode 2: a client's bytes into the server side of a handshake with our
//    server context (the settings of src/process/tls_context.cpp, a client
//    certificate required), then the legacy checks of a finished handshake.
// Input: [mode][rest]. Mode 1's rest: [flags][name length][name][4 IP bytes][DER].
// Oracles (besides the sanitizers): an HTTP request line never looks like TLS;
// a name check that passes without IP matching had a name; a mismatch's text
// is printable.

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "process/socket.hpp"
#include "process/tls_context.hpp"
#include "support/test_pki.hpp"

using namespace mesos::internal;
using namespace mesos::internal::process;

namespace {

const TlsContext& serverContext() {
  // Made once; the files are removed at exit with the PKI.
  static mesos::testing::TestPki pki;
  static std::shared_ptr<const TlsContext> context = [] {
    TlsOptions o;
    o.enabled = true;
    o.certFile = pki.server.certFile;
    o.keyFile = pki.server.keyFile;
    o.caFile = pki.caFile;
    o.verifyServerCert = true;
    o.requireClientCert = true;
    o.verifyIpAddress = true;
    Try<std::shared_ptr<const TlsContext>> created = TlsContext::create(o);
    if (created.isError()) std::abort();
    return created.get();
  }();
  return *context;
}

void downgradeCheck(const uint8_t* data, size_t size) {
  const bool tls = Socket::looksLikeTls(data, size);
  if (size > 0 && ((data[0] >= 'A' && data[0] <= 'Z') || (data[0] >= 'a' && data[0] <= 'z')) &&
      tls) {
    std::abort();  // A request line would be taken for a ClientHello.
  }
}

void nameCheck(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const bool verifyIp = (data[0] & 1) != 0;
  const size_t nameLength = std::min<size_t>(data[1], size - 2);
  const std::string name(reinterpret_cast<const char*>(data + 2), nameLength);
  data += 2 + nameLength;
  size -= 2 + nameLength;
  if (size < 4) return;
  const std::string ip = std::to_string(data[0]) + "." + std::to_string(data[1]) + "." +
                         std::to_string(data[2]) + "." + std::to_string(data[3]);
  data += 4;
  size -= 4;
  const unsigned char* der = data;
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &der, static_cast<long>(size)), X509_free);
  if (!cert) return;
  Try<Nothing> matched = TlsContext::matchName(cert.get(), name, ip, verifyIp);
  if (matched.isSome() && !verifyIp && name.empty()) std::abort();
  if (matched.isError()) {
    const std::string& text = matched.error();
    const size_t shown = text.find(" the peer is ");
    for (size_t i = 0; i < std::min(shown, text.size()); ++i) {
      if (text[i] < 0x20 || text[i] >= 0x7f) std::abort();  // Peer bytes reach the log.
    }
  }
}

void serverHandshake(const uint8_t* data, size_t size) {
  const TlsContext& context = serverContext();
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(
      SSL_new(context.context(TlsContext::Role::kServer).native_handle()), SSL_free);
  if (!ssl) std::abort();
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl.get(), in, out);
  SSL_set_accept_state(ssl.get());
  BIO_write(in, data, static_cast<int>(size));
  BIO_set_mem_eof_return(in, 0);
  // Bounded: each round consumes input or ends the handshake.
  for (int round = 0; round < 8; ++round) {
    const int result = SSL_do_handshake(ssl.get());
    char discard[4096];
    while (BIO_read(out, discard, sizeof(discard)) > 0) {
    }
    if (result == 1) {
      (void)context.checkPeer(ssl.get(), TlsContext::Role::kServer, "localhost", "127.0.0.1");
      break;
    }
    if (SSL_get_error(ssl.get(), result) != SSL_ERROR_WANT_READ) break;
  }
  (void)TlsContext::describe(boost::system::error_code(), ssl.get());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  switch (data[0] % 3) {
    case 0:
      downgradeCheck(data + 1, size - 1);
      break;
    case 1:
      nameCheck(data + 1, size - 1);
      break;
    default:
      serverHandshake(data + 1, size - 1);
      break;
  }
  return 0;
}
