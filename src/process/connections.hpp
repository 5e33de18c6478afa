#pragma once

// The two kinds of sockets a Transport owns. Internal to src/process.
//
// Runs on: the transport's I/O thread only. Each connection keeps a raw pointer
// to its owner, which `detach()` clears when the transport stops; completion
// handlers hold a `shared_ptr` to the connection and return at once once detached.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "process/decoder.hpp"
#include "process/socket.hpp"
#include "process/stream.hpp"

namespace mesos {
namespace internal {
namespace process {

class TransportCore;

// A socket we connected to a peer: carries our messages out, discards whatever
// comes back (the peer's 202s), and reports when it breaks.
class Outbound : public std::enable_shared_from_this<Outbound> {
 public:
  Outbound(TransportCore* owner, uint64_t key, boost::asio::ip::tcp::endpoint peer);
  void connect();
  // Bytes waiting or in flight.
  size_t queued() const { return pending_.size() + writing_.size() - writeOffset_; }
  // Where the next message is appended; call `flush()` afterwards.
  std::string& pending() { return pending_; }
  void flush();
  // Sends FIN once nothing is left to write and reads on until the peer closes.
  void finish();
  bool finishing() const { return finishing_ && !closed_; }
  void detach();
  uint64_t key() const { return key_; }

 private:
  void onConnect(const boost::system::error_code& ec);
  void onHandshake(Try<Nothing> result);
  void connected();
  void startWrite();
  void writeSome();
  void startRead();
  void armTimer(std::chrono::milliseconds timeout, const char* what);
  void fail(const std::string& why);

  TransportCore* owner_;
  const uint64_t key_;
  const boost::asio::ip::tcp::endpoint peer_;
  Socket socket_;
  boost::asio::steady_timer timer_;
  uint64_t timerGeneration_ = 0;
  bool connected_ = false;
  bool downgraded_ = false;  // Retrying in plaintext after a failed TLS handshake.
  bool answered_ = false;    // The peer sent something back.
  uint64_t sent_ = 0;        // Bytes of completed writes.
  bool writing_in_flight_ = false;
  bool closed_ = false;
  bool finishing_ = false;
  bool finSent_ = false;
  std::string pending_;
  std::string writing_;
  size_t writeOffset_ = 0;  // Of `writing_`, already written.
  std::array<char, 4096> readBuffer_;
};

// A socket a peer connected to us: requests in, responses out, in order.
// Never used to send our own messages (docs/protocol.md, "The wire").
class Inbound : public std::enable_shared_from_this<Inbound> {
 public:
  Inbound(TransportCore* owner, boost::asio::ip::tcp::socket socket);
  void start();
  // Reads again after the transport's reading was paused (see Transport).
  void resume();
  void detach();

  // A streaming response on this connection (process/stream.hpp). Once one
  // is attached, the connection belongs to it: what the peer sends is read
  // (to learn of its close) and discarded, and no idle or request timeout
  // applies; a stalled write still times out.
  bool writeChunk(std::string_view data);
  void endStream();
  void abortStream();

 private:
  using Clock = std::chrono::steady_clock;
  void ready();
  void startRead();
  void onRead(const boost::system::error_code& ec, size_t n);
  void startWrite();
  void updateDeadlines();
  void onTimer();
  void close(const char* why);

  TransportCore* owner_;
  Socket socket_;
  std::string peerText_;
  RequestDecoder decoder_;
  std::vector<HttpRequest> requests_;
  boost::asio::steady_timer timer_;
  bool timerArmed_ = false;
  Clock::time_point requestStart_{};  // Zero when no partial request is buffered.
  Clock::time_point lastActivity_{};
  Clock::time_point writeStart_{};    // Zero when no write is in flight.
  bool writing_ = false;
  bool closeAfterWrite_ = false;
  bool closed_ = false;
  bool parked_ = false;  // Not reading: the transport's reading is paused.
  std::string out_;
  std::string writingBuf_;
  std::vector<char> readBuffer_;
  std::shared_ptr<ResponseStream> stream_;
};

}  // namespace process
}  // namespace internal
}  // namespace mesos
