#pragma once

// A raw v1 scheduler API client for the simulated master's tests, on
// Boost.Beast over blocking sockets to 127.0.0.1: one request per connection
// for calls, and an event stream reader for SUBSCRIBE. Every read has a
// deadline; nothing sleeps.

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

#include "common/recordio.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

constexpr char kProtobuf[] = "application/x-protobuf";
constexpr char kJson[] = "application/json";

struct HttpResult {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const {
    for (const auto& h : headers) {
      if (boost::beast::iequals(h.first, name)) return h.second;
    }
    return "";
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

inline void setReadTimeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

inline http::request<http::string_body> makeRequest(const std::string& method,
                                                    const std::string& target,
                                                    const std::string& contentType,
                                                    const std::string& body,
                                                    const Headers& headers) {
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1");
  if (!contentType.empty()) request.set(http::field::content_type, contentType);
  for (const auto& h : headers) request.set(h.first, h.second);
  request.body() = body;
  request.prepare_payload();
  return request;
}

// One request on a fresh connection; status 0 if no answer came.
inline HttpResult httpRequest(uint16_t port, const std::string& method, const std::string& target,
                              const std::string& contentType, const std::string& body,
                              const Headers& headers = {}) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
  HttpResult result;
  if (ec) return result;
  setReadTimeout(socket, scaled(std::chrono::seconds(10)));
  http::write(socket, makeRequest(method, target, contentType, body, headers), ec);
  if (ec) return result;
  // Read with a deadline (a streaming answer never ends): what came by then.
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::uint64_t(1) << 30);
  const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(5));
  while (!parser.is_done() && std::chrono::steady_clock::now() < deadline) {
    // Buffered bytes first: the head's read may have brought the body too.
    pollfd fd{socket.native_handle(), POLLIN, 0};
    if (buffer.size() == 0 && ::poll(&fd, 1, 100) == 0) continue;
    http::read_some(socket, buffer, parser, ec);
    if (ec) break;
  }
  if (!parser.is_header_done()) return result;
  const http::response<http::string_body>& response = parser.get();
  result.status = static_cast<int>(response.result_int());
  result.body = response.body();
  for (const auto& field : response) {
    result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return result;
}

inline HttpResult postCall(uint16_t port, const scheduler::Call& call, const Headers& headers = {}) {
  return httpRequest(port, "POST", "/api/v1/scheduler", kProtobuf, call.SerializeAsString(),
                     headers);
}

// The bytes of a v1 SUBSCRIBE (its `subscribe` in the v1 numbering).
inline std::string v1SubscribeBody(const FrameworkInfo& info,
                                   const std::vector<std::string>& suppressedRoles = {}) {
  scheduler::Call call;
  call.set_type(scheduler::Call::SUBSCRIBE);
  if (info.has_id()) *call.mutable_framework_id() = info.id();
  std::string body = call.SerializeAsString();
  internal::V1CallSubscribe subscribe;
  *subscribe.mutable_framework_info() = info;
  for (const auto& role : suppressedRoles) subscribe.add_suppressed_roles(role);
  const std::string bytes = subscribe.SerializeAsString();
  // Field 3, length-delimited.
  body += static_cast<char>((3 << 3) | 2);
  uint64_t n = bytes.size();
  while (n >= 0x80) {
    body += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  body += static_cast<char>(n);
  body += bytes;
  return body;
}

// A SUBSCRIBE's response: its head, then its records as they come.
class EventStream {
 public:
  EventStream(uint16_t port, const std::string& contentType, const std::string& body,
              const Headers& headers = {})
      : socket_(io_), records_(16 * 1024 * 1024) {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return;
    setReadTimeout(socket_, std::chrono::milliseconds(100));
    http::write(socket_, makeRequest("POST", "/api/v1/scheduler", contentType, body, headers), ec);
    if (ec) return;
    parser_.body_limit(std::uint64_t(1) << 40);
    // Beast keeps a reference to the callback: it lives as long as the parser.
    onChunk_ = [this](uint64_t, boost::beast::string_view data, boost::system::error_code&) {
      if (!records_.feed(std::string_view(data.data(), data.size()), ready_)) broken_ = true;
      return data.size();
    };
    parser_.on_chunk_body(onChunk_);
    const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(10));
    while (!parser_.is_header_done() && std::chrono::steady_clock::now() < deadline) {
      if (!readable()) continue;
      http::read_header(socket_, buffer_, parser_, ec);
      if (ec && !timedOut(ec)) return;
    }
    if (!parser_.is_header_done()) return;
    firstBodyRead_ = true;
    status_ = static_cast<int>(parser_.get().result_int());
    streamId_ = std::string(parser_.get()["Mesos-Stream-Id"]);
    contentType_ = std::string(parser_.get()[http::field::content_type]);
    chunked_ = parser_.chunked();
  }

  int status() const { return status_; }
  const std::string& streamId() const { return streamId_; }
  const std::string& contentType() const { return contentType_; }
  bool chunked() const { return chunked_; }

  // The next record, or nothing once the deadline passes or the stream ends.
  std::optional<std::string> next(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (ready_.empty() && !ended_ && std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      if (!readable()) continue;
      http::read_some(socket_, buffer_, parser_, ec);
      if (parser_.is_done()) ended_ = true;
      if (ec && !timedOut(ec)) {
        ended_ = true;
        eof_ = true;
      }
    }
    if (ready_.empty()) return std::nullopt;
    std::string record = std::move(ready_.front());
    ready_.erase(ready_.begin());
    return record;
  }

  // The next Event (protobuf streams), skipping heartbeats if asked.
  std::optional<scheduler::Event> nextEvent(bool skipHeartbeats = true,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::optional<std::string> record =
          next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (!record) return std::nullopt;
      scheduler::Event event;
      if (!event.ParseFromString(*record)) return std::nullopt;
      if (skipHeartbeats && event.type() == scheduler::Event::HEARTBEAT) continue;
      return event;
    }
    return std::nullopt;
  }

  // The next event of `type`, skipping others.
  std::optional<scheduler::Event> waitFor(scheduler::Event::Type type,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto event = nextEvent(type != scheduler::Event::HEARTBEAT,
                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                 deadline - std::chrono::steady_clock::now()));
      if (!event) return std::nullopt;
      if (event->type() == type) return event;
    }
    return std::nullopt;
  }

  // The next UPDATE for which `accept(status)` holds, skipping others.
  template <typename Predicate>
  std::optional<scheduler::Event> waitForUpdate(Predicate accept,
                                                std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto event = waitFor(scheduler::Event::UPDATE,
                           std::chrono::duration_cast<std::chrono::milliseconds>(
                               deadline - std::chrono::steady_clock::now()));
      if (!event) return std::nullopt;
      if (accept(event->update().status())) return event;
    }
    return std::nullopt;
  }

  // Whether the stream ended (last chunk or close) before the timeout.
  bool waitEnd(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (!ended_ && std::chrono::steady_clock::now() < deadline) {
      ready_.clear();
      next(std::chrono::milliseconds(100));
    }
    return ended_;
  }
  bool endedWithLastChunk() const { return parser_.is_done(); }
  bool broken() const { return broken_; }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  // Whether a read would not block for long: buffered bytes, or the socket
  // readable within 100 ms. (Asio's blocking reads wait on their own for
  // readiness, ignoring SO_RCVTIMEO, so deadlines need this.)
  bool readable() {
    // Bytes read with the head may hold whole records: parse them once.
    // Afterwards what stays buffered is an incomplete piece that needs more.
    if (firstBodyRead_) {
      firstBodyRead_ = false;
      if (buffer_.size() > 0) return true;
    }
    pollfd fd{socket_.native_handle(), POLLIN, 0};
    return ::poll(&fd, 1, 100) != 0;
  }

  static bool timedOut(const boost::system::error_code& ec) {
    return ec == boost::asio::error::would_block || ec == boost::asio::error::try_again ||
           ec == boost::asio::error::timed_out;
  }

  boost::asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  http::response_parser<http::empty_body> parser_;
  std::function<size_t(uint64_t, boost::beast::string_view, boost::system::error_code&)> onChunk_;
  internal::RecordReader records_;
  std::vector<std::string> ready_;
  int status_ = 0;
  std::string streamId_;
  std::string contentType_;
  bool chunked_ = false;
  bool ended_ = false;
  bool eof_ = false;
  bool broken_ = false;
  bool firstBodyRead_ = false;
};

}  // namespace testing
}  // namespace mesos
