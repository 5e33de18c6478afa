#pragma once

// A streaming HTTP response (chunked): an endpoint answers a request with a
// head now and body chunks later, for as long as the connection lives (the
// master's v1 scheduler event stream, docs/protocol.md "The v1 scheduler HTTP
// API"). Knows nothing about what the chunks carry.
//
// Threads: the transport's I/O thread only, as everything in Transport.
// Lifetime: the handler creates one, puts it in its HttpResponse and keeps a
// reference; the transport attaches it to the request's connection. Chunks
// written before that (from inside the handler) are sent right after the head.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace mesos {
namespace internal {
namespace process {

class Inbound;

class ResponseStream {
 public:
  ResponseStream() = default;
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  // Queues `data` as one chunk (nothing for empty data). False once the stream
  // is closed. A peer that does not read is dropped (logged, as a broken
  // connection: `onClosed` runs) when more than the transport's
  // `maxQueuedBytesPerStream` would wait; then this returns false too.
  bool write(std::string_view data);
  // Orderly end: the last chunk (`0\r\n\r\n`), then the connection closes once
  // everything is written. `onClosed` does not run.
  void end();
  // Closes the connection now, without the last chunk. `onClosed` does not run.
  void abort();
  bool closed() const { return closed_ || peerGone_; }

  // Runs once when the connection closes for any other reason: the peer
  // closed it, it broke, or the peer stopped reading (see `write`). Never
  // after the transport stopped.
  void onClosed(std::function<void()> handler) { onClosed_ = std::move(handler); }

  // Called by the connection (connections.cpp).
  void attach(const std::shared_ptr<Inbound>& connection, std::string& out);
  // The connection is gone: writes fail from now on; `connectionClosed()`
  // (run from a handler of its own) then runs `onClosed`.
  void markClosed() { peerGone_ = true; }
  void connectionClosed();

 private:
  std::weak_ptr<Inbound> connection_;
  bool attached_ = false;
  bool closed_ = false;    // Ended or aborted by its owner.
  bool peerGone_ = false;  // The connection closed otherwise.
  bool ending_ = false;    // end() called before attach.
  bool aborting_ = false;  // abort() called before attach.
  std::string early_;      // Chunks written before attach, already framed.
  std::function<void()> onClosed_;
};

}  // namespace process
}  // namespace internal
}  // namespace mesos
