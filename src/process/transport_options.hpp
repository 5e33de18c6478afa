#pragma once

// Configuration of one libprocess transport (one listening socket).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/try.hpp"
#include "process/tls_context.hpp"

namespace mesos {
namespace internal {
namespace process {

struct TransportOptions {
  // Address to bind (`LIBPROCESS_IP`); "0.0.0.0" = all interfaces.
  std::string bindIp = "0.0.0.0";
  // Port to bind (`LIBPROCESS_PORT`); 0 = an ephemeral port chosen by the OS.
  uint16_t bindPort = 0;
  // Written into this transport's UPIDs instead of the bound address
  // (`LIBPROCESS_ADVERTISE_IP`, `LIBPROCESS_ADVERTISE_PORT`). Never bound.
  std::optional<std::string> advertiseIp;
  std::optional<uint16_t> advertisePort;

  // Largest request header section accepted, in bytes.
  size_t maxHeaderBytes = 80 * 1024;
  // Largest message body accepted, in bytes. A 10,000-offer ResourceOffersMessage
  // is a few MiB; protobuf itself refuses bodies near 64 MiB and above.
  uint64_t maxBodyBytes = 64ull * 1024 * 1024;
  // Accepted connections beyond this many are closed at once.
  size_t maxInboundConnections = 1024;
  // Time allowed to receive one whole request once its first byte arrived.
  std::chrono::milliseconds requestTimeout{std::chrono::seconds(30)};
  // An accepted connection with no traffic at all for this long is closed; 0 =
  // never. Off by default: the master's link to a scheduler may be silent for
  // hours, and closing it tells the master the scheduler died
  // (docs/protocol.md, "The wire").
  std::chrono::milliseconds idleTimeout{0};
  // Time a write may make no progress at all before the peer is considered
  // stuck (outbound: per partial write, so a slow reader is not stuck).
  std::chrono::milliseconds writeTimeout{std::chrono::seconds(30)};
  // Time allowed for an outbound connect.
  std::chrono::milliseconds connectTimeout{std::chrono::seconds(10)};
  // Bytes that may wait per outbound peer; a send beyond it fails.
  size_t maxQueuedBytesPerPeer = 256ull * 1024 * 1024;
  // Bytes of a streaming response (process/stream.hpp) that may wait for its
  // peer to read them; beyond that the peer is dropped.
  size_t maxQueuedBytesPerStream = 16ull * 1024 * 1024;

  // TCP keepalive on every connection, opened and accepted (docs/protocol.md,
  // "Liveness"): after `keepaliveIdle` without traffic the kernel probes the
  // peer every `keepaliveInterval`, and `keepaliveProbes` unanswered probes
  // fail the connection, so a silent partition becomes a broken link instead
  // of a hang. TCP_USER_TIMEOUT is set to the same total, so data sent into
  // the partition fails as fast. The kernel counts whole seconds (at least 1).
  // A zero `keepaliveIdle` leaves keepalive off.
  std::chrono::milliseconds keepaliveIdle{std::chrono::seconds(30)};
  std::chrono::milliseconds keepaliveInterval{std::chrono::seconds(10)};
  int keepaliveProbes = 3;

  // TLS on every connection, accepted and opened (docs/tls.md); null:
  // plaintext. With `supportDowngrade`, plaintext peers are served too and a
  // failed outbound handshake is retried in plaintext.
  std::shared_ptr<const TlsContext> tls;

  // Applies the `LIBPROCESS_*` variables (docs/protocol.md, "The wire") on top
  // of `base` (unset variables leave `base` untouched). Bad values are errors.
  static Try<TransportOptions> fromEnvironment(TransportOptions base);
};

}  // namespace process
}  // namespace internal
}  // namespace mesos
