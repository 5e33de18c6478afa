#include "sched/http_channel.hpp"

#include <openssl/evp.h>

#include <limits>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <glog/logging.h>

#include "process/socket.hpp"
#include "sched/codec/event_stream.hpp"

namespace mesos {
namespace internal {
namespace sched {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr char kPath[] = "/api/v1/scheduler";
constexpr char kProtobuf[] = "application/x-protobuf";
constexpr size_t kMaxAnswerBytes = 64 * 1024;  // Error bodies are short text.

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// A short, printable excerpt of a body from the master, for logs and error().
std::string excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, 512)) out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// One call as bytes on the wire. Written directly rather than through Beast's
// serializer and a stream: this runs once per call (every acknowledgement),
// and every value is ours or a header value Beast's parser already accepted
// (the stream id), so no field can break the framing.
std::string serialize(const HttpEndpoint& to, const std::string& authorization,
                      const std::string& streamId, const std::string& body) {
  std::string out;
  out.reserve(256 + body.size());
  out += "POST ";
  out += kPath;
  out += " HTTP/1.1\r\nHost: ";
  out += to.text();
  out += "\r\nContent-Type: ";
  out += kProtobuf;
  out += "\r\nAccept: ";
  out += kProtobuf;
  out += "\r\n";
  if (!authorization.empty()) out += "Authorization: " + authorization + "\r\n";
  if (!streamId.empty()) out += "Mesos-Stream-Id: " + streamId + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

// `//host:port/path` (what Mesos masters send), `http://host:port/path` or
// `https://...`. The channel keeps its own scheme either way.
std::optional<HttpEndpoint> parseLocation(const std::string& location) {
  std::string rest;
  if (location.rfind("//", 0) == 0) {
    rest = location.substr(2);
  } else if (location.rfind("http://", 0) == 0) {
    rest = location.substr(7);
  } else if (location.rfind("https://", 0) == 0) {
    rest = location.substr(8);
  } else {
    return std::nullopt;
  }
  rest = rest.substr(0, rest.find('/'));
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  const std::string port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const unsigned long value = std::stoul(port);
  if (value == 0 || value > 65535) return std::nullopt;
  HttpEndpoint endpoint{rest.substr(0, colon), static_cast<uint16_t>(value)};
  if (endpoint.host.find_first_of(" \t@/?#") != std::string::npos) return std::nullopt;
  return endpoint;
}

// Resolves (names from a redirect), connects and, with TLS, shakes hands and
// checks the master's certificate against `to.host`; all within `timeout`.
// `done("")` on success, else `done(why)`.
template <typename Done>
void connectTo(tcp::resolver& resolver, process::Socket& socket, asio::steady_timer& timer,
               const HttpEndpoint& to, std::chrono::milliseconds timeout,
               const std::shared_ptr<const process::TlsContext>& tls, Done done) {
  timer.expires_after(timeout);
  timer.async_wait([&socket, &resolver](const error_code& ec) {
    if (ec) return;
    resolver.cancel();
    error_code ignored;
    socket.tcp().close(ignored);
  });
  resolver.async_resolve(
      tcp::v4(), to.host, std::to_string(to.port),
      [&socket, &timer, done, tls, timeout, host = to.host](
          const error_code& ec, tcp::resolver::results_type results) mutable {
        if (ec) {
          timer.cancel();
          done(ec.message());
          return;
        }
        asio::async_connect(
            socket.tcp(), results,
            [&socket, &timer, done, tls, timeout, host](const error_code& ec,
                                                        const tcp::endpoint&) mutable {
              timer.cancel();
              if (ec) return done(ec.message());
              socket.tcp().set_option(tcp::no_delay(true));
              if (tls == nullptr) return done(std::string());
              socket.clientHandshake(tls, host, timeout, [done](Try<Nothing> result) mutable {
                done(result.isError() ? "TLS handshake failed: " + result.error()
                                      : std::string());
              });
            });
      });
}

}  // namespace

// ---- The subscription ----------------------------------------------------------

class HttpChannel::Stream : public std::enable_shared_from_this<Stream> {
 public:
  Stream(HttpChannel* owner, HttpEndpoint to, std::string body, int redirectsLeft)
      : endpoint(std::move(to)),
        body_(std::move(body)),
        redirectsLeft(redirectsLeft),
        owner_(owner),
        resolver_(owner->io_),
        socket_(owner->io_),
        timer_(owner->io_),
        decoder_(owner->options_.maxRecordBytes, kMaxAnswerBytes),
        readBuffer_(64 * 1024) {}

  void start() {
    request_ = serialize(endpoint, owner_->authorization_, "", body_);
    auto self = shared_from_this();
    connectTo(resolver_, socket_, timer_, endpoint, owner_->options_.connectTimeout,
              owner_->options_.tls, [self](const std::string& error) {
                if (self->owner_ == nullptr) return;
                if (!error.empty()) {
                  return self->fail("cannot connect to " + self->endpoint.text() + ": " + error);
                }
                asio::async_write(self->socket_, asio::buffer(self->request_),
                                  [self](const error_code& ec, size_t) {
                                    if (self->owner_ == nullptr) return;
                                    if (ec) return self->fail("write failed: " + ec.message());
                                    self->read();
                                  });
              });
  }

  void detach() {
    owner_ = nullptr;
    socket_.close();
    resolver_.cancel();
    timer_.cancel();
  }

  void resume() {
    if (!parked_ || owner_ == nullptr) return;
    parked_ = false;
    read();
  }

  // This subscription was sent, or taken by the master (`200`), less than
  // `age` ago.
  bool activeWithin(std::chrono::milliseconds age) const {
    return std::chrono::steady_clock::now() - (headSeen_ ? headAt_ : startedAt_) < age;
  }

  const HttpEndpoint endpoint;
  const std::string body_;
  const int redirectsLeft;

 private:
  void read() {
    if (owner_->readPaused_ && headSeen_) {
      parked_ = true;  // Backpressure: TCP pushes back on the master.
      return;
    }
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(readBuffer_), [self](const error_code& ec, size_t n) {
      if (self->owner_ == nullptr) return;
      if (ec) {
        const bool eof = process::Socket::isEof(ec);
        if (!self->headSeen_) {
          return self->fail(eof ? std::string("the master closed the connection before answering") +
                                      (self->owner_->options_.tls
                                           ? ""
                                           : " (a master that requires TLS does this; use "
                                             "https:// or LIBPROCESS_SSL_ENABLED)")
                                : "reading the answer failed: " + ec.message());
        }
        return self->fail(std::string(eof ? "the master ended the event stream"
                                           : "reading the event stream failed: " + ec.message()) +
                          (self->decoder_.midRecord() ? " in the middle of a record" : ""));
      }
      self->onBytes(std::string_view(self->readBuffer_.data(), n));
    });
  }

  void onBytes(std::string_view bytes) {
    std::vector<std::string> records;
    const bool ok = decoder_.feed(bytes, records);
    const auto& head = decoder_.head();
    if (head && !headSeen_) {
      if (head->status != 200) {
        if (!ok) return fail("bad answer to SUBSCRIBE: " + decoder_.error());
        if (!decoder_.done()) return read();  // The rest of its body.
        HttpChannel* owner = owner_;
        auto self = shared_from_this();
        detach();
        owner->onStreamHead(this, head->status, "", head->location, decoder_.body());
        return;
      }
      if (head->streamId.empty() || head->streamId.size() > 128) {
        return fail("the SUBSCRIBE response has " +
                    std::string(head->streamId.empty() ? "no" : "an oversized") +
                    " Mesos-Stream-Id");
      }
      headSeen_ = true;
      headAt_ = std::chrono::steady_clock::now();
      owner_->onStreamHead(this, 200, head->streamId, "", "");
    }
    // Records decoded before any error still count: they were well framed.
    for (std::string& record : records) {
      if (owner_ == nullptr || owner_->stream_.get() != this) return;
      owner_->handlers_.record(std::move(record));
    }
    if (owner_ == nullptr || owner_->stream_.get() != this) return;
    if (!ok) return fail("bad input on the event stream: " + decoder_.error());
    if (decoder_.done()) return fail("the master ended the event stream");
    read();
  }

  void fail(const std::string& why) {
    HttpChannel* owner = owner_;
    detach();
    if (owner == nullptr || owner->stream_.get() != this) return;
    auto keep = shared_from_this();
    owner->stream_.reset();
    owner->streamId_.clear();
    if (owner->closing_) {
      // Expected: e.g. the master ends the stream after a TEARDOWN.
      VLOG(1) << "Subscription to master " << endpoint.text() << " ended while closing: " << why;
    } else {
      LOG(WARNING) << "Subscription to master " << endpoint.text() << ": " << why;
    }
    owner->handlers_.streamEnded(why);
  }

  HttpChannel* owner_;
  tcp::resolver resolver_;
  process::Socket socket_;
  asio::steady_timer timer_;
  std::string request_;
  EventStreamDecoder decoder_;
  std::vector<char> readBuffer_;
  bool headSeen_ = false;  // A 200 head was accepted: records follow.
  std::chrono::steady_clock::time_point headAt_{};
  const std::chrono::steady_clock::time_point startedAt_ = std::chrono::steady_clock::now();
  bool parked_ = false;    // Not reading: the channel's reading is paused.
};

// ---- The calls -----------------------------------------------------------------

class HttpChannel::Calls : public std::enable_shared_from_this<Calls> {
 public:
  Calls(HttpChannel* owner, HttpEndpoint to)
      : endpoint(std::move(to)),
        owner_(owner),
        resolver_(owner->io_),
        socket_(owner->io_),
        timer_(owner->io_),
        deadline_(owner->io_) {}

  void add(const std::string& name, std::string request) {
    names_.push_back(name);
    out_ += request;
    if (!started_) {
      started_ = true;
      auto self = shared_from_this();
      connectTo(resolver_, socket_, timer_, endpoint, owner_->options_.connectTimeout,
                owner_->options_.tls, [self](const std::string& error) {
                  if (self->owner_ == nullptr) return;
                  if (!error.empty()) return self->fail("cannot connect: " + error);
                  self->connected_ = true;
                  self->write();
                  self->read();
                });
      return;
    }
    if (connected_) {
      write();
      read();
    }
  }

  size_t inFlight() const { return names_.size(); }

  void detach() {
    owner_ = nullptr;
    socket_.close();
    resolver_.cancel();
    timer_.cancel();
    deadline_.cancel();
  }

  const HttpEndpoint endpoint;

 private:
  void write() {
    if (writing_ || out_.empty()) return;
    writing_ = true;
    writingBuf_.swap(out_);
    out_.clear();
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(writingBuf_), [self](const error_code& ec, size_t) {
      if (self->owner_ == nullptr) return;
      self->writing_ = false;
      self->writingBuf_.clear();
      if (ec) return self->fail("write failed: " + ec.message());
      self->write();
    });
  }

  void read() {
    if (reading_ || names_.empty()) return;
    reading_ = true;
    parser_.emplace();
    parser_->body_limit(kMaxAnswerBytes);
    lastProgress_ = std::chrono::steady_clock::now();
    armDeadline(owner_->options_.callTimeout);
    auto self = shared_from_this();
    http::async_read(socket_, buffer_, *parser_, [self](const error_code& ec, size_t) {
      if (self->owner_ == nullptr) return;
      self->reading_ = false;
      if (ec) return self->fail("bad or missing answer: " + ec.message());
      self->onAnswer();
    });
  }

  // A master that takes calls and stops answering breaks this connection. One
  // timer for all answers (not one arming per call): when it fires it checks
  // how long the oldest unanswered call has waited, and arms again for the rest.
  void armDeadline(std::chrono::steady_clock::duration after) {
    if (deadlineArmed_) return;
    deadlineArmed_ = true;
    deadline_.expires_after(after);
    auto self = shared_from_this();
    deadline_.async_wait([self](const error_code& ec) {
      self->deadlineArmed_ = false;
      if (ec || self->owner_ == nullptr || self->names_.empty()) return;
      const auto timeout = self->owner_->options_.callTimeout;
      const auto waited = std::chrono::steady_clock::now() - self->lastProgress_;
      if (waited < timeout) return self->armDeadline(timeout - waited);
      self->fail("no answer within " + std::to_string(timeout.count()) + " ms");
    });
  }

  void onAnswer() {
    const auto& message = parser_->get();
    const int status = static_cast<int>(message.result_int());
    const std::string name = names_.front();
    names_.pop_front();
    const bool keepAlive = message.keep_alive();
    HttpChannel* owner = owner_;
    auto self = shared_from_this();
    if (status == 307) {
      LOG(WARNING) << "Master " << endpoint.text() << " redirected " << name
                   << ": it is no longer the leader; the call is lost";
    } else if (status < 200 || status >= 300) {
      owner->handlers_.answer(name, status, excerpt(message.body()));
    }
    if (owner_ == nullptr) return;  // The handler shut the channel down.
    if (!keepAlive) return fail("the master closed the calls connection");
    read();
    if (names_.empty()) owner_->closeStreamIfIdle();
  }

  void fail(const std::string& why) {
    HttpChannel* owner = owner_;
    detach();
    if (owner == nullptr) return;
    auto keep = shared_from_this();
    if (!names_.empty()) {
      LOG(WARNING) << "Calls connection to master " << endpoint.text() << ": " << why << "; "
                   << names_.size() << " call(s) lost, the first " << names_.front();
    } else {
      VLOG(1) << "Calls connection to master " << endpoint.text() << ": " << why;
    }
    names_.clear();
    if (owner->calls_.get() == this) owner->calls_.reset();
    owner->closeStreamIfIdle();
  }

  HttpChannel* owner_;
  tcp::resolver resolver_;
  process::Socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::deque<std::string> names_;  // Calls written or queued, not yet answered.
  std::string out_;
  std::string writingBuf_;
  bool started_ = false;
  bool connected_ = false;
  bool writing_ = false;
  bool reading_ = false;
  bool deadlineArmed_ = false;
  std::chrono::steady_clock::time_point lastProgress_{};  // Of the answers.
};

// ---- The channel -----------------------------------------------------------------

HttpChannel::HttpChannel(asio::io_context& io, Options options, Handlers handlers)
    : io_(io), options_(std::move(options)), handlers_(std::move(handlers)) {
  if (options_.credential) {
    // Never logged: it holds the secret.
    authorization_ = "Basic " + base64(options_.credential->principal() + ":" +
                                       options_.credential->secret());
  }
}

HttpChannel::~HttpChannel() { shutdown(); }

void HttpChannel::setMaster(HttpEndpoint master) { master_ = std::move(master); }

void HttpChannel::subscribe(std::string body) {
  // A registration retry while the master is answering the subscription (its
  // `200` or SUBSCRIBED is on the way) would only fail our own stream over; a
  // subscription older than that which still said nothing is abandoned.
  if (stream_ && !closing_ && stream_->activeWithin(options_.subscribedWithin)) {
    VLOG(1) << "Keeping the subscription in progress; not subscribing again";
    return;
  }
  if (stream_) stream_->detach();  // Abandoned: nothing of it is reported.
  stream_.reset();
  streamId_.clear();
  closing_ = false;
  VLOG(1) << "Subscribing to master " << master_.text();
  stream_ = std::make_shared<Stream>(this, master_, std::move(body), options_.maxRedirects);
  stream_->start();
}

void HttpChannel::onStreamHead(Stream* stream, int status, const std::string& streamId,
                               const std::string& location, const std::string& body) {
  if (stream_.get() != stream) return;  // Abandoned meanwhile.
  std::shared_ptr<Stream> current = stream_;
  if (status == 200) {
    streamId_ = streamId;
    streamEndpoint_ = stream->endpoint;
    VLOG(1) << "Subscription stream " << streamId << " open with master "
            << stream->endpoint.text();
    return;
  }
  stream_.reset();
  if (status == 307) {
    std::optional<HttpEndpoint> leader = parseLocation(location);
    std::string why;
    if (!leader) {
      why = "redirect to an unusable Location '" + excerpt(location) + "'";
    } else if (stream->redirectsLeft <= 0) {
      why = "too many redirects (the last to " + leader->text() + ")";
    }
    if (!why.empty()) {
      LOG(WARNING) << "Subscription to master " << stream->endpoint.text() << ": " << why;
      handlers_.streamEnded(why);
      return;
    }
    LOG(INFO) << "Master " << stream->endpoint.text() << " redirected the subscription to "
              << leader->text();
    stream_ = std::make_shared<Stream>(this, *leader, stream->body_, stream->redirectsLeft - 1);
    stream_->start();
    return;
  }
  handlers_.answer("SUBSCRIBE", status, excerpt(body));
}

void HttpChannel::call(const std::string& name, std::string body) {
  if (streamId_.empty()) {
    LOG(WARNING) << "Not sending " << name << ": no subscription stream is open";
    return;
  }
  if (calls_ && calls_->endpoint.text() != streamEndpoint_.text()) {
    calls_->detach();
    calls_.reset();
  }
  if (!calls_) calls_ = std::make_shared<Calls>(this, streamEndpoint_);
  calls_->add(name, serialize(streamEndpoint_, authorization_, streamId_, body));
}

void HttpChannel::close() {
  closing_ = true;
  closeStreamIfIdle();
}

void HttpChannel::closeStreamIfIdle() {
  if (!closing_ || callsInFlight() > 0) return;
  closing_ = false;
  if (stream_) stream_->detach();
  stream_.reset();
  streamId_.clear();
  if (calls_) calls_->detach();
  calls_.reset();
}

void HttpChannel::shutdown() {
  handlers_ = Handlers{[](std::string) {}, [](const std::string&) {},
                       [](const std::string&, int, const std::string&) {}};
  closing_ = true;
  if (calls_) calls_->detach();
  calls_.reset();
  closeStreamIfIdle();
}

void HttpChannel::setReadPaused(bool paused) {
  readPaused_ = paused;
  if (!paused && stream_) {
    std::shared_ptr<Stream> stream = stream_;
    stream->resume();
  }
}

size_t HttpChannel::callsInFlight() const { return calls_ ? calls_->inFlight() : 0; }

const std::string& HttpChannel::streamId() const { return streamId_; }

}  // namespace sched
}  // namespace internal
}  // namespace mesos
