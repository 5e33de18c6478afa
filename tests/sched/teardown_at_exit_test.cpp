// `stop()` then destroying the driver at once (what a framework's main does when
// run() returns) must deliver the TEARDOWN: the driver closes its connection to
// the master in order (FIN, then it reads on until the master closes), so the
// master has read everything before the driver's socket goes. A socket closed
// with responses still unread is reset by the kernel instead, and the master
// may lose what it had not processed yet.
//
// The master here is a raw socket, so the test sees exactly how the driver
// closes: an orderly close lets the master answer after the driver's FIN and
// close in turn; a driver that already closed its socket answers that with a
// reset (ECONNRESET).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <string>

#include "driver_test_util.hpp"
#include "process/decoder.hpp"
#include "process/encoder.hpp"
#include "support/io_thread.hpp"
#include "support/raw_client.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::Try;
using internal::process::UPID;

// A listening socket on 127.0.0.1 and the one connection it accepts.
class RawMaster {
 public:
  RawMaster() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(0, ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
    EXPECT_EQ(0, ::listen(listener_, 4));
    socklen_t len = sizeof(addr);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~RawMaster() {
    if (conn_ >= 0) ::close(conn_);
    ::close(listener_);
  }

  UPID pid() const { return UPID("master", 0x7f000001, port_); }

  bool accept(std::chrono::milliseconds timeout) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(scaled(timeout).count())) != 1) return false;
    conn_ = ::accept(listener_, nullptr, nullptr);
    return conn_ >= 0;
  }

  // Reads until `done(data)` or EOF or error; returns 1 on EOF, 0 if `done`,
  // -errno on error, -ETIMEDOUT at the deadline.
  template <typename P>
  int read(P done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (!done(data_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return -ETIMEDOUT;
      pollfd p{conn_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::recv(conn_, buf, sizeof(buf), 0);
      if (n == 0) return 1;
      if (n < 0) return -errno;
      data_.append(buf, static_cast<size_t>(n));
    }
    return 0;
  }

  bool write(const std::string& bytes) {
    return ::send(conn_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  void finish() { ::shutdown(conn_, SHUT_WR); }
  int pendingError() const {
    int error = 0;
    socklen_t len = sizeof(error);
    ::getsockopt(conn_, SOL_SOCKET, SO_ERROR, &error, &len);
    return error;
  }
  const std::string& data() const { return data_; }

 private:
  int listener_ = -1;
  int conn_ = -1;
  uint16_t port_ = 0;
  std::string data_;
};

TEST_F(DriverTest, StopThenDestroyClosesTheMasterConnectionInOrderAfterTheTeardown) {
  RawMaster master;
  DriverConfig c = config();
  c.master = master.pid().toString();
  c.registrationBackoffFactor = std::chrono::seconds(60);
  start(c);

  ASSERT_TRUE(master.accept(std::chrono::seconds(10)));
  ASSERT_EQ(0, master.read([](const std::string& d) { return d.find("\r\n\r\n") != std::string::npos; },
                           std::chrono::seconds(10)));
  // The driver's UPID, from the SUBSCRIBE's Libprocess-From header.
  const std::string& head = master.data();
  const size_t at = head.find("Libprocess-From: ");
  ASSERT_NE(std::string::npos, at);
  const size_t end = head.find("\r\n", at);
  Try<UPID> driver = UPID::parse(head.substr(at + 17, end - at - 17), UPID::Resolve::kNumericOnly);
  ASSERT_TRUE(driver.isSome());

  internal::FrameworkRegisteredMessage reply;
  reply.mutable_framework_id()->set_value(kFrameworkId);
  reply.mutable_master_info()->set_id("raw");
  reply.mutable_master_info()->set_ip(0x0100007f);
  reply.mutable_master_info()->set_port(master.pid().port);
  RawClient toDriver(driver->port);
  ASSERT_TRUE(toDriver.send(internal::process::encodeMessage(
      master.pid().toString(), driver.get(), reply.GetTypeName(), reply.SerializeAsString())));
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));

  // What a framework's main does: stop(), run() returns, the driver goes.
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop(false));
  auto destroyed = std::async(std::launch::async, [&] { driver_.reset(); });

  // The TEARDOWN arrives, then the driver's FIN (not a reset).
  EXPECT_EQ(1, master.read([](const std::string&) { return false; }, std::chrono::seconds(10)))
      << "expected an orderly end of stream after the TEARDOWN";
  std::vector<internal::process::HttpRequest> requests;
  internal::process::RequestDecoder decoder;
  EXPECT_FALSE(decoder.feed(master.data().data(), master.data().size(), requests));
  ASSERT_FALSE(requests.empty());
  scheduler::Call last;
  ASSERT_TRUE(last.ParseFromString(requests.back().body));
  EXPECT_EQ(scheduler::Call::TEARDOWN, last.type());

  // The master answers what it read and closes; a driver still reading takes
  // it and closes in turn (EOF here); one that already closed resets.
  // (A reset after our FIN shows as the socket's pending error, EPIPE or
  // ECONNRESET: a read returns 0 once the driver's FIN was seen.)
  const std::string accepted = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
  ASSERT_TRUE(master.write(accepted + accepted));
  master.finish();
  ASSERT_EQ(std::future_status::ready, destroyed.wait_for(scaled(std::chrono::seconds(10))));
  const int reset = master.pendingError();
  EXPECT_EQ(0, reset) << "the driver closed its socket before the master had answered: "
                      << std::strerror(reset);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
