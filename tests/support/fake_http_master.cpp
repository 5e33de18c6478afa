#include "support/fake_http_master.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/algorithm/string/case_conv.hpp>

#include "common/recordio.hpp"

namespace mesos {
namespace testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

class Connection;

}  // namespace

class FakeHttpMaster::Impl : public std::enable_shared_from_this<Impl> {
 public:
  explicit Impl(asio::io_context& io) : io_(io), acceptor_(io) {}

  uint16_t listen() {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
    return acceptor_.local_endpoint().port();
  }

  void accept();
  void stop();

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::vector<std::weak_ptr<Connection>> connections_;  // I/O thread only.

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::shared_ptr<Stream>> subscribes_;
  size_t subscribeCount_ = 0;
  std::deque<HttpCallRequest> calls_;
  std::map<int, size_t> callCounts_;
  int answerStatus_ = 202;
  std::string answerBody_;
};

namespace {

class Connection : public FakeHttpMaster::Stream,
                   public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<FakeHttpMaster::Impl> owner, tcp::socket socket)
      : owner_(std::move(owner)), socket_(std::move(socket)) {}

  void start() { read(); }

  const HttpCallRequest& request() const override { return request_; }

  void write(std::string bytes) override {
    asio::post(socket_.get_executor(), [self = shared_from_this(), bytes = std::move(bytes)] {
      self->queue_.push_back(std::move(bytes));
      if (self->queue_.size() == 1) self->writeNext();
    });
  }

  void close() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->closeAfterWrites_ = true;
      if (self->queue_.empty()) self->shut();
    });
  }

  bool closedByPeer() const override { return peerClosed_.load(); }

  void shut() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    peerClosed_ = true;
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(64 * 1024 * 1024);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](const error_code& ec, size_t) {
                       if (ec) {
                         self->peerClosed_ = true;
                         return;
                       }
                       self->onRequest();
                     });
  }

  void onRequest() {
    const auto& message = parser_->get();
    HttpCallRequest request;
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers[boost::algorithm::to_lower_copy(std::string(field.name_string()))] =
          std::string(field.value());
    }
    request.body = message.body();
    request.call.ParsePartialFromString(request.body);
    if (request.call.type() == scheduler::Call::SUBSCRIBE) {
      // The connection is the test's from now on; keep reading only to notice EOF.
      request_ = std::move(request);
      {
        std::lock_guard<std::mutex> lock(owner_->mutex_);
        owner_->subscribes_.push_back(shared_from_this());
        ++owner_->subscribeCount_;
      }
      owner_->arrived_.notify_all();
      watchEof();
      return;
    }
    int status;
    std::string body;
    {
      std::lock_guard<std::mutex> lock(owner_->mutex_);
      ++owner_->callCounts_[request.call.type()];
      owner_->calls_.push_back(std::move(request));
      status = owner_->answerStatus_;
      body = owner_->answerBody_;
    }
    owner_->arrived_.notify_all();
    http::response<http::string_body> response{static_cast<http::status>(status), 11};
    response.body() = body;
    if (!body.empty()) response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.prepare_payload();
    std::ostringstream out;
    out << response;
    queue_.push_back(out.str());
    if (queue_.size() == 1) writeNext();
    read();
  }

  void watchEof() {
    socket_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](
                                                        const error_code& ec, size_t) {
      if (ec) {
        self->peerClosed_ = true;
        return;
      }
      self->watchEof();
    });
  }

  void writeNext() {
    if (queue_.empty()) {
      if (closeAfterWrites_) shut();
      return;
    }
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](const error_code& ec, size_t) {
                        self->queue_.pop_front();
                        if (ec) {
                          self->peerClosed_ = true;
                          return;
                        }
                        self->writeNext();
                      });
  }

  std::shared_ptr<FakeHttpMaster::Impl> owner_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpCallRequest request_;
  std::deque<std::string> queue_;
  bool closeAfterWrites_ = false;
  std::atomic<bool> peerClosed_{false};
  std::array<char, 4096> scratch_;
};

}  // namespace

void FakeHttpMaster::Impl::accept() {
  acceptor_.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket socket) {
    if (ec) return;
    auto connection = std::make_shared<Connection>(self, std::move(socket));
    self->connections_.push_back(connection);
    connection->start();
    self->accept();
  });
}

void FakeHttpMaster::Impl::stop() {
  error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : connections_) {
    if (auto connection = weak.lock()) connection->shut();
  }
  connections_.clear();
  // Queued streams hold this object (through their owner): break the cycle.
  std::lock_guard<std::mutex> lock(mutex_);
  subscribes_.clear();
}

FakeHttpMaster::FakeHttpMaster() : impl_(std::make_shared<Impl>(io_.io())) {
  port_ = io_.run([this] { return impl_->listen(); });
}

FakeHttpMaster::~FakeHttpMaster() { stop(); }

void FakeHttpMaster::stop() {
  io_.run([this] { impl_->stop(); });
}

std::shared_ptr<FakeHttpMaster::Stream> FakeHttpMaster::expectSubscribe(
    std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex_);
  if (!impl_->arrived_.wait_for(lock, timeout, [&] { return !impl_->subscribes_.empty(); })) {
    return nullptr;
  }
  std::shared_ptr<Stream> stream = impl_->subscribes_.front();
  impl_->subscribes_.pop_front();
  return stream;
}

size_t FakeHttpMaster::subscribeCount() const {
  std::lock_guard<std::mutex> lock(impl_->mutex_);
  return impl_->subscribeCount_;
}

std::optional<HttpCallRequest> FakeHttpMaster::expectCall(scheduler::Call::Type type,
                                                          std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex_);
  std::optional<HttpCallRequest> found;
  impl_->arrived_.wait_for(lock, timeout, [&] {
    for (auto it = impl_->calls_.begin(); it != impl_->calls_.end(); ++it) {
      if (it->call.type() == type) {
        found = std::move(*it);
        impl_->calls_.erase(it);
        return true;
      }
    }
    return false;
  });
  return found;
}

size_t FakeHttpMaster::callCount(scheduler::Call::Type type) const {
  std::lock_guard<std::mutex> lock(impl_->mutex_);
  auto it = impl_->callCounts_.find(type);
  return it == impl_->callCounts_.end() ? 0 : it->second;
}

void FakeHttpMaster::answerCalls(int status, std::string body) {
  std::lock_guard<std::mutex> lock(impl_->mutex_);
  impl_->answerStatus_ = status;
  impl_->answerBody_ = std::move(body);
}

scheduler::Event FakeHttpMaster::subscribed(const std::string& frameworkId, double heartbeat) {
  scheduler::Event event;
  event.set_type(scheduler::Event::SUBSCRIBED);
  event.mutable_subscribed()->mutable_framework_id()->set_value(frameworkId);
  event.mutable_subscribed()->set_heartbeat_interval_seconds(heartbeat);
  MasterInfo* info = event.mutable_subscribed()->mutable_master_info();
  info->set_id("fake-http-master");
  info->set_ip(0x0100007f);
  info->set_port(5050);
  return event;
}

scheduler::Event FakeHttpMaster::heartbeat() {
  scheduler::Event event;
  event.set_type(scheduler::Event::HEARTBEAT);
  return event;
}

void FakeHttpMaster::Stream::head(const std::string& streamId) {
  std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\n";
  if (!streamId.empty()) head += "Mesos-Stream-Id: " + streamId + "\r\n";
  write(head + "\r\n");
}

void FakeHttpMaster::Stream::chunk(const std::string& bytes) {
  std::ostringstream size;
  size << std::hex << bytes.size();
  write(size.str() + "\r\n" + bytes + "\r\n");
}

void FakeHttpMaster::Stream::event(const scheduler::Event& event) {
  std::string record;
  internal::appendRecord(record, event.SerializeAsString());
  chunk(record);
}

void FakeHttpMaster::Stream::answer(int status, const std::string& extraHeaders,
                                    const std::string& body) {
  write("HTTP/1.1 " + std::to_string(status) + " X\r\n" + extraHeaders +
        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  close();
}

}  // namespace testing
}  // namespace mesos
