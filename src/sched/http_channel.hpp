#pragma once

// The driver's two HTTP connections to the master on the v1 scheduler HTTP API
// (docs/protocol.md, "The v1 scheduler HTTP API"), on Boost.Beast: outbound
// only, no listening socket.
//
//  - The subscription: one POST of SUBSCRIBE whose `200` response never ends;
//    its chunked body carries RecordIO records (common/recordio.hpp), each an
//    `Event`, handed over one by one. Its `Mesos-Stream-Id` header names the
//    subscription; `307` redirects are followed (bounded) to the leader.
//  - The calls: every other call is a POST on a second keep-alive connection to
//    the same master, pipelined, carrying the current stream id; non-2xx
//    answers are reported with the call's name.
//
// A new subscription abandons the previous one: nothing of an abandoned stream
// (records, its end, its answer) is reported, so the core sees only the
// current stream. Every byte from the master is untrusted: a bad status line,
// header, chunking or record length ends the stream with a log line and
// `streamEnded`, never more than `maxRecordBytes` buffered per record.
//
// Thread: the I/O thread only (every method and every handler). Lifetime:
// handlers are never called after `shutdown()`; pending completions hold the
// connection objects, not the channel.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <mesos/mesos.pb.h>

#include "process/tls_context.hpp"

namespace mesos {
namespace internal {
namespace sched {

struct HttpEndpoint {
  std::string host;  // Numeric IPv4 or a name (a redirect's Location).
  uint16_t port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};

class HttpChannel {
 public:
  struct Options {
    std::optional<Credential> credential;  // HTTP Basic on every request when set.
    size_t maxRecordBytes = 64 * 1024 * 1024 - 1;
    int maxRedirects = 4;  // Per subscription attempt.
    std::chrono::milliseconds connectTimeout{std::chrono::seconds(10)};
    // A call unanswered this long breaks the calls connection (its calls are
    // lost with a log line, as on a broken libprocess link).
    std::chrono::milliseconds callTimeout{std::chrono::seconds(60)};
    // A SUBSCRIBE retry keeps a subscription sent, or accepted (`200`), less
    // than this long ago; an older one that still said nothing is abandoned.
    std::chrono::milliseconds subscribedWithin{std::chrono::seconds(15)};
    // `https`: every connection is TLS with these settings, the server's
    // certificate checked against the host the master was addressed by
    // (docs/tls.md). Null: `http`. A redirect keeps the scheme.
    std::shared_ptr<const process::TlsContext> tls;
  };
  struct Handlers {
    // One record of the current subscription's stream, in order.
    std::function<void(std::string record)> record;
    // The current subscription failed or ended (connect, read, bad input, EOF).
    std::function<void(const std::string& why)> streamEnded;
    // The master answered `call` ("SUBSCRIBE", "ACCEPT", ...) with a status
    // other than 2xx and other than a redirect that was followed.
    std::function<void(const std::string& call, int status, const std::string& body)> answer;
  };

  HttpChannel(boost::asio::io_context& io, Options options, Handlers handlers);
  ~HttpChannel();
  HttpChannel(const HttpChannel&) = delete;
  HttpChannel& operator=(const HttpChannel&) = delete;

  // Where the next subscription goes.
  void setMaster(HttpEndpoint master);
  // Abandons any current subscription and POSTs `body` as a new one.
  void subscribe(std::string body);
  // Queues one call (`name` for logs and answers); dropped with a log line
  // when there is no subscription to name.
  void call(const std::string& name, std::string body);
  // Ends the subscription once every call handed over has been answered (a
  // TEARDOWN is not overtaken by the stream's end), or at once if none is.
  void close();
  // Closes everything now; no handler runs after this.
  void shutdown();
  // Backpressure: while paused the event stream is not read (records already
  // read are still handed over), so TCP pushes back on the master.
  void setReadPaused(bool paused);

  // Calls handed over and not yet answered (or failed).
  size_t callsInFlight() const;
  // The current subscription's stream id; empty when there is none.
  const std::string& streamId() const;

  class Stream;
  class Calls;

 private:
  void onStreamHead(Stream* stream, int status, const std::string& streamId,
                    const std::string& location, const std::string& body);
  void closeStreamIfIdle();

  boost::asio::io_context& io_;
  const Options options_;
  Handlers handlers_;
  std::string authorization_;  // "Basic ...", or empty.
  HttpEndpoint master_;
  std::shared_ptr<Stream> stream_;
  std::string streamId_;         // Of the current stream, once its head arrived.
  HttpEndpoint streamEndpoint_;  // Where it is (after redirects): calls go there.
  std::shared_ptr<Calls> calls_;
  bool closing_ = false;  // close() waits for the calls in flight.
  bool readPaused_ = false;
  friend class Stream;
  friend class Calls;
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
