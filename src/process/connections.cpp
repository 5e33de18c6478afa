#include "process/connections.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <glog/logging.h>

#include "process/transport_core.hpp"

namespace mesos {
namespace internal {
namespace process {

namespace asio = boost::asio;
using asio::ip::tcp;

// ---- Outbound ------------------------------------------------------------------

Outbound::Outbound(TransportCore* owner, uint64_t key, tcp::endpoint peer)
    : owner_(owner), key_(key), peer_(peer), socket_(owner->io()), timer_(owner->io()) {}

void Outbound::connect() {
  armTimer(owner_->options().connectTimeout, "connect");
  socket_.tcp().async_connect(peer_, [self = shared_from_this()](const boost::system::error_code& ec) {
    self->onConnect(ec);
  });
}

void Outbound::onConnect(const boost::system::error_code& ec) {
  if (owner_ == nullptr || closed_) return;
  ++timerGeneration_;
  timer_.cancel();
  if (ec) {
    fail("connect failed: " + ec.message());
    return;
  }
  boost::system::error_code ignored;
  socket_.tcp().set_option(tcp::no_delay(true), ignored);
  const TransportOptions& options = owner_->options();
  setKeepalive(socket_.tcp(), options.keepaliveIdle, options.keepaliveInterval,
               options.keepaliveProbes);
  const std::shared_ptr<const TlsContext>& tls = options.tls;
  if (tls == nullptr || downgraded_) {
    connected();
    return;
  }
  // The peer's UPID holds an IP literal, so there is no name to hand to the
  // certificate checks (docs/tls.md, "Who verifies what").
  socket_.clientHandshake(tls, "", owner_->options().connectTimeout,
                          [self = shared_from_this()](Try<Nothing> result) {
                            self->onHandshake(std::move(result));
                          });
}

void Outbound::onHandshake(Try<Nothing> result) {
  if (owner_ == nullptr || closed_) return;
  if (result.isSome()) {
    connected();
    return;
  }
  if (!owner_->options().tls->options().supportDowngrade) {
    fail("TLS handshake failed: " + result.error());
    return;
  }
  // Downgrade: the same messages over a new plaintext connection.
  LOG(WARNING) << "TLS handshake with " << peer_ << " failed (" << result.error()
               << "); retrying in plaintext (LIBPROCESS_SSL_SUPPORT_DOWNGRADE)";
  downgraded_ = true;
  socket_.reset();
  connect();
}

void Outbound::connected() {
  connected_ = true;
  VLOG(1) << "Connected to " << peer_ << (socket_.secure() ? " (TLS)" : "");
  startRead();
  flush();
}

void Outbound::flush() {
  if (connected_ && !writing_in_flight_ && !pending_.empty()) startWrite();
}

void Outbound::startWrite() {
  // Everything queued so far goes out in one write; what is queued meanwhile
  // waits for the next one. This batches bursts into few syscalls.
  writing_.swap(pending_);
  writeOffset_ = 0;
  writing_in_flight_ = true;
  writeSome();
}

void Outbound::writeSome() {
  // The write timeout is about progress, not about the whole batch: a peer
  // that reads slowly (e.g. a scheduler applying backpressure) is not stuck.
  armTimer(owner_->options().writeTimeout, "write");
  socket_.async_write_some(
      asio::buffer(writing_.data() + writeOffset_, writing_.size() - writeOffset_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        if (self->owner_ == nullptr || self->closed_) return;
        ++self->timerGeneration_;
        if (ec) {
          self->writing_in_flight_ = false;
          self->fail("write failed: " + ec.message());
          return;
        }
        self->writeOffset_ += n;
        if (self->writeOffset_ < self->writing_.size()) {
          self->writeSome();
          return;
        }
        self->writing_in_flight_ = false;
        self->sent_ += self->writing_.size();
        self->writing_.clear();
        self->writeOffset_ = 0;
        if (!self->pending_.empty()) {
          self->startWrite();
        } else {
          self->timer_.cancel();
          if (self->finishing_) self->finish();
        }
      });
}

void Outbound::startRead() {
  // The peer answers each message with an HTTP response we have no use for; read
  // and discard them so the peer never blocks, and learn of EOF or errors.
  socket_.async_read_some(
      asio::buffer(readBuffer_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        if (self->owner_ == nullptr || self->closed_) return;
        self->answered_ = self->answered_ || n > 0;
        if (ec) {
          self->fail(Socket::isEof(ec) ? "closed by peer" : "read failed: " + ec.message());
          return;
        }
        self->startRead();
      });
}

void Outbound::finish() {
  if (closed_ || !connected_) return;
  finishing_ = true;
  if (writing_in_flight_ || !pending_.empty() || finSent_) return;
  finSent_ = true;
  boost::system::error_code ignored;
  socket_.tcp().shutdown(tcp::socket::shutdown_send, ignored);
}

void Outbound::armTimer(std::chrono::milliseconds timeout, const char* what) {
  const uint64_t generation = ++timerGeneration_;
  timer_.expires_after(timeout);
  timer_.async_wait([self = shared_from_this(), generation, what](
                        const boost::system::error_code& ec) {
    if (ec || self->owner_ == nullptr || self->closed_) return;
    if (generation != self->timerGeneration_) return;
    self->fail(std::string(what) + " timed out");
  });
}

void Outbound::fail(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  const size_t lost = queued();
  // A peer closing an idle connection is ordinary (it exited or restarted);
  // losing queued messages or a socket error is worth a warning.
  if (why == "closed by peer" && !answered_ && !socket_.secure() && writeOffset_ + sent_ > 0) {
    // What a TLS-only peer does to a plaintext client: say so, since the
    // peer's log is not ours to read.
    LOG(WARNING) << "Connection to " << peer_ << " closed by peer without answering what we "
                 << "sent; a peer that requires TLS does this (LIBPROCESS_SSL_ENABLED)";
  } else if (finishing_ && lost == 0 && why == "closed by peer") {
    VLOG(1) << "Connection to " << peer_ << " finished (" << why << ")";
  } else if (lost > 0 || why != "closed by peer") {
    LOG(WARNING) << "Connection to " << peer_ << " broke (" << why << ")"
                 << (lost > 0 ? "; dropping " + std::to_string(lost) + " queued bytes" : "");
  } else {
    LOG(INFO) << "Connection to " << peer_ << " closed by peer";
  }
  socket_.close();
  timer_.cancel();
  pending_.clear();
  TransportCore* owner = owner_;
  owner_ = nullptr;
  owner->onOutboundBroken(this);
}

void Outbound::detach() {
  owner_ = nullptr;
  closed_ = true;
  socket_.close();
  timer_.cancel();
}

// ---- Inbound -------------------------------------------------------------------

Inbound::Inbound(TransportCore* owner, tcp::socket socket)
    : owner_(owner),
      socket_(std::move(socket)),
      decoder_(DecoderLimits{owner->options().maxHeaderBytes, owner->options().maxBodyBytes}),
      timer_(socket_.get_executor()),
      readBuffer_(64 * 1024) {
  boost::system::error_code ec;
  const tcp::endpoint remote = socket_.tcp().remote_endpoint(ec);
  peerText_ = ec ? std::string("(unknown peer)")
                 : remote.address().to_string() + ":" + std::to_string(remote.port());
}

void Inbound::start() {
  VLOG(2) << "Accepted connection from " << peerText_;
  const TransportOptions& options = owner_->options();
  setKeepalive(socket_.tcp(), options.keepaliveIdle, options.keepaliveInterval,
               options.keepaliveProbes);
  const std::shared_ptr<const TlsContext>& tls = options.tls;
  if (tls == nullptr) {
    ready();
    return;
  }
  // No request is read before the handshake (or, with downgrade, the look
  // at the first bytes) is done; it has the request timeout to finish.
  socket_.serverHandshake(
      tls, owner_->options().requestTimeout, [self = shared_from_this()](Try<Nothing> result) {
        if (self->owner_ == nullptr || self->closed_) return;
        if (result.isError()) {
          LOG(WARNING) << "Closing connection from " << self->peerText_
                       << ": TLS handshake failed: " << result.error();
          self->close("TLS handshake failed");
          return;
        }
        self->ready();
      });
}

void Inbound::ready() {
  lastActivity_ = Clock::now();
  updateDeadlines();
  if (owner_->readPaused()) {
    parked_ = true;
    return;
  }
  startRead();
}

void Inbound::resume() {
  if (!parked_ || closed_ || owner_ == nullptr) return;
  parked_ = false;
  lastActivity_ = Clock::now();
  if (requestStart_ != Clock::time_point{}) requestStart_ = lastActivity_;
  updateDeadlines();
  startRead();
}

void Inbound::startRead() {
  socket_.async_read_some(asio::buffer(readBuffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      size_t n) { self->onRead(ec, n); });
}

void Inbound::onRead(const boost::system::error_code& ec, size_t n) {
  if (owner_ == nullptr || closed_) return;
  if (stream_) {
    // The connection carries a streaming response: a request sent on it is
    // never answered (docs/protocol.md, "The v1 scheduler HTTP API"). Reading
    // goes on only to learn when the peer closes.
    if (ec) {
      close("peer closed the stream");
      return;
    }
    VLOG(2) << "Discarding " << n << " bytes from " << peerText_ << " (streaming connection)";
    startRead();
    return;
  }
  if (ec) {
    // A peer may close right after its last request; everything complete has been
    // served already. Flush any responses still queued, then close. A request cut
    // short is lost: say so.
    if (decoder_.midRequest()) {
      LOG(WARNING) << "Connection from " << peerText_ << " closed in the middle of a request ("
                   << (Socket::isEof(ec) ? std::string("EOF") : ec.message())
                   << "); dropping the partial request";
    } else if (!Socket::isEof(ec)) {
      VLOG(1) << "Read from " << peerText_ << " failed: " << ec.message();
    }
    closeAfterWrite_ = true;
    if (!writing_) close("peer closed");
    return;
  }

  lastActivity_ = Clock::now();
  requests_.clear();
  const boost::system::error_code decodeError = decoder_.feed(readBuffer_.data(), n, requests_);

  for (size_t i = 0; i < requests_.size(); ++i) {
    HttpRequest& request = requests_[i];
    std::shared_ptr<ResponseStream> stream = owner_->serve(request, peerText_, out_);
    if (owner_ == nullptr) return;  // A handler stopped the transport.
    if (stream) {
      stream_ = std::move(stream);
      stream_->attach(shared_from_this(), out_);
      if (stream_->closed()) closeAfterWrite_ = true;  // Ended by the handler already.
      if (i + 1 < requests_.size()) {
        VLOG(1) << "Dropping " << requests_.size() - i - 1 << " request(s) pipelined after a "
                << "streaming response from " << peerText_;
      }
      break;
    }
    if (!request.keepAlive) {
      closeAfterWrite_ = true;
      break;
    }
  }
  if (decodeError && !closeAfterWrite_ && !stream_) {
    LOG(WARNING) << "Closing connection from " << peerText_
                 << ": malformed HTTP request (" << decodeError.message() << ")";
    ++owner_->stats.requestsRejected;
    appendResponse(out_, statusForDecodeError(decodeError), {}, {}, true);
    closeAfterWrite_ = true;
  }

  if (!writing_ && !out_.empty()) startWrite();
  if (closeAfterWrite_) {
    if (!writing_) close("done");
    return;
  }
  updateDeadlines();
  if (owner_->readPaused()) {
    // Backpressure: the socket is left unread until the transport resumes.
    parked_ = true;
    return;
  }
  startRead();
}

void Inbound::startWrite() {
  writingBuf_.clear();
  writingBuf_.swap(out_);
  writing_ = true;
  writeStart_ = Clock::now();
  updateDeadlines();
  asio::async_write(socket_, asio::buffer(writingBuf_),
                    [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                      if (self->owner_ == nullptr || self->closed_) return;
                      self->writing_ = false;
                      self->writeStart_ = {};
                      if (ec) {
                        self->close("write failed");
                        return;
                      }
                      if (!self->out_.empty()) {
                        self->startWrite();
                      } else if (self->closeAfterWrite_) {
                        self->close("done");
                      }
                    });
}

bool Inbound::writeChunk(std::string_view data) {
  if (owner_ == nullptr || closed_ || closeAfterWrite_) return false;
  const size_t limit = owner_->options().maxQueuedBytesPerStream;
  const size_t waiting = out_.size() + (writing_ ? writingBuf_.size() : 0);
  if (waiting + data.size() > limit) {
    LOG(WARNING) << "Closing the streaming response to " << peerText_ << ": " << waiting
                 << " bytes not yet read by the peer (limit " << limit << ")";
    close("stream peer not reading");
    return false;
  }
  appendChunk(out_, data);
  if (!writing_) startWrite();
  return true;
}

void Inbound::endStream() {
  if (owner_ == nullptr || closed_ || closeAfterWrite_) return;
  appendLastChunk(out_);
  closeAfterWrite_ = true;
  if (!writing_) startWrite();
}

void Inbound::abortStream() {
  if (owner_ == nullptr || closed_) return;
  close("stream aborted");
}

void Inbound::updateDeadlines() {
  // A streaming connection decodes nothing more: no request is in progress.
  const bool mid = !stream_ && decoder_.midRequest();
  if (mid && requestStart_ == Clock::time_point{}) requestStart_ = Clock::now();
  if (!mid) requestStart_ = {};
  const bool idle = owner_->options().idleTimeout.count() > 0 && !stream_;
  const bool needed =
      requestStart_ != Clock::time_point{} || writeStart_ != Clock::time_point{} || idle;
  if (!needed || timerArmed_) return;

  Clock::time_point deadline = Clock::time_point::max();
  const TransportOptions& options = owner_->options();
  if (requestStart_ != Clock::time_point{}) deadline = std::min(deadline, requestStart_ + options.requestTimeout);
  if (writeStart_ != Clock::time_point{}) deadline = std::min(deadline, writeStart_ + options.writeTimeout);
  if (idle) deadline = std::min(deadline, lastActivity_ + options.idleTimeout);

  timerArmed_ = true;
  timer_.expires_at(deadline);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->timerArmed_ = false;
    if (ec || self->owner_ == nullptr || self->closed_) return;
    self->onTimer();
  });
}

void Inbound::onTimer() {
  const TransportOptions& options = owner_->options();
  const Clock::time_point now = Clock::now();
  if (parked_) {
    // Not reading is our choice, not the peer's fault: no idle or request
    // timeout while parked (a stalled write still times out).
    lastActivity_ = now;
    if (requestStart_ != Clock::time_point{}) requestStart_ = now;
  }
  if (requestStart_ != Clock::time_point{} && now >= requestStart_ + options.requestTimeout) {
    LOG(WARNING) << "Closing connection from " << peerText_ << ": request not complete after "
                 << options.requestTimeout.count() << " ms";
    close("request timeout");
    return;
  }
  if (writeStart_ != Clock::time_point{} && now >= writeStart_ + options.writeTimeout) {
    LOG(WARNING) << "Closing connection from " << peerText_ << ": peer not reading responses for "
                 << options.writeTimeout.count() << " ms";
    close("write timeout");
    return;
  }
  // A stream may be silent between events for as long as its producer likes.
  if (options.idleTimeout.count() > 0 && !stream_ && now >= lastActivity_ + options.idleTimeout) {
    LOG(WARNING) << "Closing connection from " << peerText_ << ": idle for "
                 << options.idleTimeout.count() << " ms";
    close("idle timeout");
    return;
  }
  updateDeadlines();
}

void Inbound::close(const char* why) {
  if (closed_) return;
  closed_ = true;
  VLOG(2) << "Closing connection from " << peerText_ << " (" << why << ")";
  boost::system::error_code ignored;
  socket_.tcp().shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close();
  timer_.cancel();
  TransportCore* owner = owner_;
  owner_ = nullptr;
  if (stream_ && !stream_->closed()) {
    // Told later, from a handler of its own: the close may happen while the
    // stream's owner is in the middle of writing to it.
    asio::post(socket_.get_executor(),
               [stream = stream_, core = std::weak_ptr<TransportCore>(owner->shared_from_this())] {
                 std::shared_ptr<TransportCore> alive = core.lock();
                 if (alive && !alive->stopped()) stream->connectionClosed();
               });
    stream_->markClosed();
  }
  // Last: this may release the final reference to `this` outside a handler.
  auto keepAlive = shared_from_this();
  owner->onInboundClosed(this);
}

void Inbound::detach() {
  owner_ = nullptr;
  closed_ = true;
  socket_.close();
  timer_.cancel();
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
