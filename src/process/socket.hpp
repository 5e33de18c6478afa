#pragma once

// A TCP connection that is plaintext or TLS (docs/tls.md): what every
// connection of the transport and of the HTTP API channel reads and writes
// through. Asio's ssl::stream over the same tcp::socket; the choice is made
// once, before the first byte of a message is read or written.
//
// Threads: as a tcp::socket, one thread (the io_context's) at a time; one read
// and one write may be in flight together. Lifetime: the owner keeps the
// Socket alive until the completion handlers it passed have run (they hold the
// owner); `close()` cancels everything, including a handshake in progress.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "common/try.hpp"
#include "process/tls_context.hpp"

namespace mesos {
namespace internal {
namespace process {

class Socket {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  using Done = std::function<void(Try<Nothing>)>;

  explicit Socket(boost::asio::io_context& io) : plain_(io) {}
  explicit Socket(boost::asio::ip::tcp::socket socket) : plain_(std::move(socket)) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  boost::asio::ip::tcp::socket& tcp() { return tls_ ? tls_->next_layer() : plain_; }
  executor_type get_executor() { return plain_.get_executor(); }
  bool secure() const { return tls_.has_value(); }

  // Client role, on a connected socket: the TLS handshake, then the checks of
  // the server's certificate. `hostname` is the name the peer was addressed
  // by ("" when it was an IP literal). `done` gets an error text naming the
  // reason (never the peer: the caller knows how it names it).
  void clientHandshake(std::shared_ptr<const TlsContext> tls, const std::string& hostname,
                       std::chrono::milliseconds timeout, Done done);

  // Server role, on an accepted socket: with downgrade supported, looks at
  // the first bytes and stays plaintext unless they start a TLS ClientHello;
  // otherwise (or then) the TLS handshake and the client certificate's checks.
  void serverHandshake(std::shared_ptr<const TlsContext> tls, std::chrono::milliseconds timeout,
                       Done done);

  // Whether `bytes` (the first `n` bytes a peer sent, n >= 1) can start a TLS
  // ClientHello: a handshake record (0x16, major version 3, type 1) or an
  // SSLv2-format hello (top bit set, type 1 in the third byte). Bytes not yet
  // received do not count against it.
  static bool looksLikeTls(const unsigned char* bytes, size_t n);

  // The peer closed: EOF, or over TLS a close without close_notify (which
  // libprocess peers never send), not an error worth more than EOF.
  static bool isEof(const boost::system::error_code& ec);

  void close();
  // Closed, then a fresh plaintext socket (for a new connect). Only with no
  // operation in progress.
  void reset();

  template <typename Buffers, typename Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, size_t)>(
        [this](auto handler, const Buffers& b) {
          if (tls_) {
            tls_->async_read_some(b, std::move(handler));
          } else {
            plain_.async_read_some(b, std::move(handler));
          }
        },
        token, buffers);
  }

  template <typename Buffers, typename Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, size_t)>(
        [this](auto handler, const Buffers& b) {
          if (tls_) {
            tls_->async_write_some(b, std::move(handler));
          } else {
            plain_.async_write_some(b, std::move(handler));
          }
        },
        token, buffers);
  }

 private:
  struct Handshake;
  std::shared_ptr<Handshake> begin(std::chrono::milliseconds timeout, Done done);
  void handshake(std::shared_ptr<Handshake> state, std::shared_ptr<const TlsContext> tls,
                 TlsContext::Role role, const std::string& hostname);

  boost::asio::ip::tcp::socket plain_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::weak_ptr<Handshake> handshake_;
};

// TCP keepalive on `socket` (see TransportOptions::keepaliveIdle): probes
// after `idle` without traffic, every `interval`, failing the connection after
// `probes` unanswered ones; TCP_USER_TIMEOUT gets the same total. A zero
// `idle` does nothing. Failures are logged (VLOG) and otherwise ignored: a
// connection without keepalive still works.
void setKeepalive(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds idle,
                  std::chrono::milliseconds interval, int probes);

}  // namespace process
}  // namespace internal
}  // namespace mesos
