// Hostile and malformed input on the inbound side of the transport. Each case
// checks three things: the offending request is refused (the connection is closed,
// or the request is answered with an error status and never reaches a process),
// the cause is logged at WARNING, and other connections keep working.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <glog/logging.h>
#include <gtest/gtest.h>

#include "process/transport.hpp"
#include "support/io_thread.hpp"
#include "support/transport_node.hpp"
#include "support/raw_client.hpp"
#include "support/log_capture.hpp"

namespace mesos {
namespace internal {
namespace process {
namespace {

using namespace std::chrono_literals;
using mesos::testing::IoThread;
using mesos::testing::TransportNode;
using mesos::testing::loopbackTransport;
using mesos::testing::RawClient;
using mesos::testing::scaled;
using mesos::testing::waitUntil;
using mesos::testing::LogCapture;

constexpr auto kDeadline = 10s;
const std::string kFrom = "sender(1)@127.0.0.1:9";

// A client that can half-close (shut down its sending side), which RawClient cannot.
class HalfClosingClient {
 public:
  explicit HalfClosingClient(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~HalfClosingClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  // Writes `bytes`, then shuts down the sending side (the server reads EOF).
  bool sendAndShutdown(const std::string& bytes) {
    for (size_t off = 0; off < bytes.size();) {
      const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return ::shutdown(fd_, SHUT_WR) == 0;
  }
  // Reads until the server closes; false if it did not before `timeout`.
  bool readToEof(std::chrono::milliseconds timeout, std::string* data) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return true;
      data->append(buf, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

// A libprocess message with a Content-Length body, as mesos-go sends them.
std::string message(const std::string& path, const std::string& body,
                    const std::string& from = kFrom) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nLibprocess-From: " + from +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Headers of a libprocess message with a chunked body (the body is up to the test).
std::string chunkedHead(const std::string& path) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: libprocess/" + kFrom +
         "\r\nLibprocess-From: " + kFrom + "\r\nTransfer-Encoding: chunked\r\n\r\n";
}

// Status codes of the responses in `data`, in order.
std::vector<int> statuses(const std::string& data) {
  std::vector<int> out;
  for (size_t pos = data.find("HTTP/1.1 "); pos != std::string::npos;
       pos = data.find("HTTP/1.1 ", pos + 1)) {
    out.push_back(std::atoi(data.c_str() + pos + 9));
  }
  return out;
}

bool hasResponses(const std::string& data, size_t n) {
  return statuses(data).size() >= n && data.size() >= 4 &&
         data.compare(data.size() - 4, 4, "\r\n\r\n") == 0;
}

class BadInputTest : public ::testing::Test {
 protected:
  void start(TransportOptions options = loopbackTransport()) {
    server_ = std::make_unique<TransportNode>(options);
    port_ = server_->pid().port;
  }

  // Another peer's transport still gets a message through to the server.
  void expectOthersUnaffected() {
    const size_t before = server_->count();
    TransportNode peer;
    const UPID from = peer.pid(), to = server_->pid();
    ASSERT_TRUE(peer.io().run(
        [&] { return peer.transport().send(from, to, "test.After", "after").isSome(); }));
    ASSERT_TRUE(waitUntil([&] { return server_->count() == before + 1; }, kDeadline));
    EXPECT_EQ("after", server_->bodies().back());
  }

  // Waits until the server has no inbound connection left.
  bool serverClosedAll() {
    return waitUntil([&] { return server_->stats().inboundConnections == 0; }, kDeadline);
  }

  // A well-behaved request on `client`'s connection is still delivered.
  void expectConnectionStillUsable(RawClient& client, size_t responsesBefore) {
    const size_t delivered = server_->count();
    ASSERT_TRUE(client.send(message("/p/test.Good", "good")));
    const std::string data = client.readUntil(
        [&](const std::string& d) { return hasResponses(d, responsesBefore + 1); },
        scaled(kDeadline));
    ASSERT_EQ(responsesBefore + 1, statuses(data).size()) << data;
    EXPECT_EQ(202, statuses(data).back()) << data;
    ASSERT_TRUE(waitUntil([&] { return server_->count() == delivered + 1; }, kDeadline));
    EXPECT_EQ("good", server_->bodies().back());
    EXPECT_FALSE(client.eof());
  }

  LogCapture log_;  // Declared first: outlives the nodes.
  std::unique_ptr<TransportNode> server_;
  uint16_t port_ = 0;
};

// ---- Malformed HTTP: answered with an error status (when the peer still reads),
// ---- then the connection is closed.

TEST_F(BadInputTest, GarbageBytesCloseTheConnection) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  // A TLS ClientHello sent to the plain-text port, followed by binary noise.
  static const char kGarbage[] =
      "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\0\xff garbage\r\n\r\n";
  ASSERT_TRUE(client.send(std::string(kGarbage, sizeof(kGarbage) - 1)));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{400}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, OneMebibyteRequestLineClosesTheConnection) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  // The server stops reading at the header limit (80 KiB), so the send may fail.
  client.send("POST /p/" + std::string(1 << 20, 'a') + " HTTP/1.1\r\nLibprocess-From: " + kFrom +
              "\r\n\r\n");
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  // Closing with unread input resets the connection, which may discard the 431.
  const std::vector<int> got = statuses(client.data());
  EXPECT_TRUE(got.empty() || got == std::vector<int>{431}) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "header limit exceeded"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, HeaderSectionOverTheLimitIsRefused) {
  TransportOptions options = loopbackTransport();
  options.maxHeaderBytes = 4096;
  start(options);
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  std::string request = message("/p/test.Big", "x");
  request.insert(request.find("\r\n") + 2, "X-Filler: " + std::string(6000, 'f') + "\r\n");
  ASSERT_TRUE(client.send(request));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{431}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "header limit exceeded"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, ContentLengthOverTheBodyLimitIsRefused) {
  TransportOptions options = loopbackTransport();
  options.maxBodyBytes = 1024;
  start(options);
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  // Refused on the header alone: the body is never sent.
  std::string request = message("/p/test.Big", std::string(1025, 'b'));
  request.resize(request.find("\r\n\r\n") + 4);
  ASSERT_TRUE(client.send(request));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{413}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "body limit exceeded"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, ChunkedBodyOverTheBodyLimitIsRefused) {
  TransportOptions options = loopbackTransport();
  options.maxBodyBytes = 1024;
  start(options);
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  // Each chunk is within the limit; together they are not.
  std::string request = chunkedHead("/p/test.Big");
  for (int i = 0; i < 3; ++i) request += "200\r\n" + std::string(512, 'c') + "\r\n";
  request += "0\r\n\r\n";
  ASSERT_TRUE(client.send(request));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{413}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "body limit exceeded"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, TruncatedChunkedBodyThenEofIsNotDelivered) {
  start();
  HalfClosingClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.sendAndShutdown(chunkedHead("/p/test.Cut") + "10\r\nonly 8 b"));
  std::string data;
  ASSERT_TRUE(client.readToEof(scaled(kDeadline), &data));
  EXPECT_EQ("", data);  // Nothing to answer: no request was completed.
  EXPECT_TRUE(log_.warned({"closed", "middle of a request"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, NonHexChunkSizeIsRefused) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(chunkedHead("/p/test.Bad") + "zz\r\nabc\r\n0\r\n\r\n"));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{400}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "bad chunk"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, ChunkSizeOverTwoToTheSixtyFourIsRefused) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  // 2^64 + 3: must not wrap around to a 3-byte chunk.
  ASSERT_TRUE(client.send(chunkedHead("/p/test.Bad") + "10000000000000003\r\nabc\r\n0\r\n\r\n"));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{400}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "bad chunk"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, EndlessChunkExtensionIsRefusedAtTheHeaderLimit) {
  // Chunk-size lines (with their extensions) and trailers must be buffered whole,
  // like headers; they are bounded by the same limit.
  TransportOptions options = loopbackTransport();
  options.maxHeaderBytes = 4096;
  start(options);
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  client.send(chunkedHead("/p/test.Bad") + "3;ext=" + std::string(1 << 20, 'e'));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  const std::vector<int> got = statuses(client.data());
  EXPECT_TRUE(got.empty() || got == std::vector<int>{431}) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "header limit exceeded"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, NegativeContentLengthIsRefused) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  std::string request = message("/p/test.Bad", "abc");
  request.replace(request.find("Content-Length: 3"), 17, "Content-Length: -1");
  ASSERT_TRUE(client.send(request));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{400}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "bad Content-Length"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

TEST_F(BadInputTest, OverflowingContentLengthIsRefused) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  std::string request = message("/p/test.Bad", "abc");
  // 2^64 + 3: must not wrap around to 3.
  request.replace(request.find("Content-Length: 3"), 17,
                  "Content-Length: 18446744073709551619");
  ASSERT_TRUE(client.send(request));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{400}, statuses(client.data())) << client.data();
  EXPECT_TRUE(log_.warned({"malformed HTTP request", "bad Content-Length"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

// ---- Well-formed HTTP that is not a deliverable message: answered with an error
// ---- status, dropped, and the connection stays usable.

TEST_F(BadInputTest, GetToAMessagePathIsNotDelivered) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  std::string request = message("/p/test.Get", "");
  request.replace(0, 4, "GET");
  ASSERT_TRUE(client.send(request));
  const std::string data =
      client.readUntil([](const std::string& d) { return hasResponses(d, 1); }, scaled(kDeadline));
  EXPECT_EQ(std::vector<int>{404}, statuses(data)) << data;
  EXPECT_TRUE(log_.warned({"GET /p/test.Get", "POST"})) << log_.dump();
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectConnectionStillUsable(client, 1);
  expectOthersUnaffected();
  EXPECT_EQ((std::vector<std::string>{"good", "after"}), server_->bodies());
}

TEST_F(BadInputTest, BadLibprocessFromIsRefusedWith400) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(message("/p/test.Bad", "bad", "not-a-upid")));
  const std::string data =
      client.readUntil([](const std::string& d) { return hasResponses(d, 1); }, scaled(kDeadline));
  EXPECT_EQ(std::vector<int>{400}, statuses(data)) << data;
  EXPECT_TRUE(log_.warned({"bad sender", "not-a-upid"})) << log_.dump();
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectConnectionStillUsable(client, 1);
  expectOthersUnaffected();
  EXPECT_EQ((std::vector<std::string>{"good", "after"}), server_->bodies());
}

TEST_F(BadInputTest, UnknownReceiverIdIsAnswered404) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(message("/nobody/test.Lost", "lost")));
  const std::string data =
      client.readUntil([](const std::string& d) { return hasResponses(d, 1); }, scaled(kDeadline));
  EXPECT_EQ(std::vector<int>{404}, statuses(data)) << data;
  EXPECT_TRUE(log_.warned({"test.Lost", "no process 'nobody'"})) << log_.dump();
  EXPECT_EQ(1u, server_->stats().requestsRejected);
  expectConnectionStillUsable(client, 1);
  expectOthersUnaffected();
  EXPECT_EQ((std::vector<std::string>{"good", "after"}), server_->bodies());
}

TEST(BadInputDecoderTest, EmptyChunkedBodyArrivingInPiecesIsDecoded) {
  // Found by fuzz/decoder_fuzz: Boost 1.74's parser asserts (aborting debug builds)
  // when a chunked body starts with its last chunk ("0\r\n") and the parser then
  // sees it with only one more byte. Every split must decode the same request.
  const std::string request = chunkedHead("/p/test.Empty") + "0\r\n\r\n";
  const size_t bodyStart = request.size() - 5;
  for (size_t first = bodyStart; first <= request.size(); ++first) {
    for (size_t step = 1; step <= 2; ++step) {
      RequestDecoder decoder;
      std::vector<HttpRequest> out;
      ASSERT_FALSE(decoder.feed(request.data(), first, out));
      for (size_t pos = first; pos < request.size(); pos += step) {
        ASSERT_FALSE(decoder.feed(request.data() + pos, std::min(step, request.size() - pos), out));
      }
      ASSERT_EQ(1u, out.size()) << first << "/" << step;
      EXPECT_EQ("", out[0].body);
      EXPECT_FALSE(decoder.midRequest());
    }
  }
}

// ---- Abusive peers.

TEST_F(BadInputTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  constexpr size_t kLimit = 8, kClients = 12;
  TransportOptions options = loopbackTransport();
  options.maxInboundConnections = kLimit;
  start(options);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (size_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<RawClient>(port_));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  // The listener accepts in connection order: the first kLimit are kept.
  ASSERT_TRUE(waitUntil(
      [&] { return server_->stats().connectionsRefused == kClients - kLimit; }, kDeadline))
      << server_->stats().connectionsRefused;
  EXPECT_EQ(kLimit, server_->stats().inboundConnections);
  for (size_t i = kLimit; i < kClients; ++i) {
    EXPECT_TRUE(clients[i]->waitForClose(scaled(kDeadline))) << i;
    EXPECT_EQ("", clients[i]->data());
  }
  EXPECT_EQ(kClients - kLimit, log_.matching({"Refusing connection", "limit 8"}).size())
      << log_.dump();
  for (size_t i = 0; i < kLimit; ++i) {
    ASSERT_TRUE(clients[i]->send(message("/p/test.Each", std::to_string(i)))) << i;
  }
  for (size_t i = 0; i < kLimit; ++i) {
    const std::string data = clients[i]->readUntil(
        [](const std::string& d) { return hasResponses(d, 1); }, scaled(kDeadline));
    EXPECT_EQ(std::vector<int>{202}, statuses(data)) << i << ": " << data;
  }
  ASSERT_TRUE(waitUntil([&] { return server_->count() == kLimit; }, kDeadline));
  std::vector<std::string> bodies = server_->bodies();
  std::sort(bodies.begin(), bodies.end());
  for (size_t i = 0; i < kLimit; ++i) EXPECT_EQ(std::to_string(i), bodies[i]);

  // Once connections go, new ones are accepted again.
  clients.clear();
  ASSERT_TRUE(serverClosedAll());
  expectOthersUnaffected();
  EXPECT_EQ(kClients - kLimit, server_->stats().connectionsRefused);
}

TEST_F(BadInputTest, SlowClientIsClosedAtTheRequestTimeout) {
  TransportOptions options = loopbackTransport();
  options.requestTimeout = 1s;
  start(options);
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  const std::string request = message("/p/test.Slow", "slow");
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + scaled(kDeadline);
  size_t sent = 0;
  // One byte every 100 ms; waiting for the close doubles as the pause.
  while (sent < request.size() && !client.eof() && std::chrono::steady_clock::now() < deadline) {
    if (!client.send(request.substr(sent, 1))) break;
    ++sent;
    client.readUntil([](const std::string&) { return false; }, 100ms);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_LT(sent, request.size()) << "the whole request went through";
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, scaled(5s));
  EXPECT_TRUE(log_.warned({"request not complete after 1000 ms"})) << log_.dump();
  EXPECT_TRUE(serverClosedAll());
  expectOthersUnaffected();
  EXPECT_EQ(std::vector<std::string>{"after"}, server_->bodies());
}

// ---- Legitimate edge cases: served in full, no warning.

TEST_F(BadInputTest, HalfCloseAfterACompleteRequestStillDelivers) {
  start();
  HalfClosingClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.sendAndShutdown(chunkedHead("/p/test.Last") + "4\r\nlast\r\n0\r\n\r\n"));
  std::string data;
  ASSERT_TRUE(client.readToEof(scaled(kDeadline), &data));
  EXPECT_EQ(std::vector<int>{202}, statuses(data)) << data;
  ASSERT_TRUE(waitUntil([&] { return server_->count() == 1; }, kDeadline));
  EXPECT_EQ(std::vector<std::string>{"last"}, server_->bodies());
  EXPECT_TRUE(serverClosedAll());
  EXPECT_TRUE(log_.matching({}).empty()) << log_.dump();
  expectOthersUnaffected();
}

TEST_F(BadInputTest, Http10WithoutKeepAliveIsAnsweredThenClosed) {
  start();
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  std::string request = message("/p/test.Old", "old");
  request.replace(request.find("HTTP/1.1"), 8, "HTTP/1.0");
  ASSERT_TRUE(client.send(request));
  ASSERT_TRUE(client.waitForClose(scaled(kDeadline)));
  EXPECT_EQ(std::vector<int>{202}, statuses(client.data())) << client.data();
  EXPECT_NE(std::string::npos, client.data().find("Connection: close\r\n")) << client.data();
  ASSERT_TRUE(waitUntil([&] { return server_->count() == 1; }, kDeadline));
  EXPECT_EQ(std::vector<std::string>{"old"}, server_->bodies());
  EXPECT_TRUE(serverClosedAll());
  EXPECT_EQ(0u, server_->stats().requestsRejected);
  EXPECT_TRUE(log_.matching({}).empty()) << log_.dump();
  expectOthersUnaffected();
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
