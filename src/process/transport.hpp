#pragma once

// The libprocess transport (docs/protocol.md, "The wire"): one listening
// socket, any number of local processes (ids) behind it, and one persistent
// outbound connection per peer address. Knows nothing about frameworks or
// protobuf.
//
// Threads: a Transport lives on one `io_context` and every method must be called
// on the thread running it (or before it runs). Handlers are invoked on that thread.
// Lifetime: `stop()` (also run by the destructor) closes every socket and cancels
// every timer; no handler is invoked after it. Handlers must not destroy the
// Transport; they may call any other method, including `stop()`.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "common/try.hpp"
#include "process/decoder.hpp"
#include "process/message.hpp"
#include "process/response.hpp"
#include "process/stream.hpp"
#include "process/transport_options.hpp"
#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace process {

class TransportCore;

struct TransportStats {
  uint64_t messagesReceived = 0;
  uint64_t messagesSent = 0;
  uint64_t requestsRejected = 0;    // Answered 4xx/5xx.
  uint64_t connectionsRefused = 0;  // Over `maxInboundConnections`.
  uint64_t inboundConnections = 0;  // Currently open.
  uint64_t outboundConnections = 0;  // Currently open or connecting.
};

class Transport {
 public:
  using MessageHandler = std::function<void(Message&&)>;
  using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
  using ExitedHandler = std::function<void(const UPID&)>;
  using LinkId = uint64_t;

  Transport(boost::asio::io_context& io, TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds and listens; fixes the advertised address. Errors say what failed.
  Try<Nothing> start();
  // Closes everything. Idempotent.
  void stop();

  // The UPID of local process `id` as peers must address it.
  UPID self(const std::string& id) const;
  // The port actually bound (useful with port 0).
  uint16_t boundPort() const;

  // Messages whose receiver id is `id` go to `handler`; others get 404.
  void addProcess(const std::string& id, MessageHandler handler);
  void removeProcess(const std::string& id);
  // Ordinary HTTP requests (not libprocess messages) for exactly `path`.
  void addRoute(const std::string& path, HttpHandler handler);

  // Queues one message to `to` on the persistent connection to its address,
  // connecting first if needed. Never blocks and never waits for the response.
  // Fails only when the peer's queue is full (`maxQueuedBytesPerPeer`). Messages
  // queued on a connection that then breaks are lost, as with libprocess; the next
  // send reconnects.
  Try<Nothing> send(const UPID& from, const UPID& to, std::string_view name,
                    std::string_view body);
  // Same, with the sender pre-formatted (`from.toString()`), for hot paths.
  Try<Nothing> send(const std::string& from, const UPID& to, std::string_view name,
                    std::string_view body);

  // Watches the connection to `to`'s address (opening it if needed). When it
  // breaks, or cannot be opened, `handler(to)` runs once and the link is gone.
  LinkId link(const UPID& to, ExitedHandler handler);
  void unlink(LinkId id);

  // Backpressure: while paused, no inbound connection starts a new read (the
  // bytes of a read already under way are still decoded and served), so TCP
  // pushes back on the senders. A connection left unread this way has no idle
  // or request timeout until reading resumes. New connections are accepted
  // but not read either.
  void setReadPaused(bool paused);
  bool readPaused() const;

  // Orderly close of outbound connections: each connected one with nothing
  // left to write gets a FIN (shutdown of its sending side) and is kept
  // reading until the peer closes too, so the peer has read everything we
  // sent before our socket goes (closing with unread responses would make the
  // kernel reset the connection and may lose the last message, e.g. a
  // TEARDOWN). `finishingOutbound()` counts those not yet closed by the peer.
  void finishOutbound();
  size_t finishingOutbound() const;

  TransportStats stats() const;
  // Bytes queued or being written on all outbound connections; 0 once every
  // message handed to `send()` has been written to a socket (or dropped).
  size_t queuedBytes() const;
  const TransportOptions& options() const;


 private:
  // Shared so that aborted completion handlers may outlive the Transport.
  std::shared_ptr<TransportCore> core_;
};

}  // namespace process
}  // namespace internal
}  // namespace mesos
