// Liveness on the libprocess wire: TCP keepalive turns a silent partition (a
// peer whose packets stop arriving while its socket stays open) into a broken
// link, and the driver into disconnected() and re-registration, instead of a
// hang. The partition is real: the program runs in its own network namespace
// (support/netns.hpp) and turns its loopback interface off.

#include <gtest/gtest.h>
#include <mesos/local/cluster.hpp>
#include <mesos/scheduler.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "process/transport.hpp"
#include "support/io_thread.hpp"
#include "support/latch.hpp"
#include "support/netns.hpp"
#include "support/recording_scheduler.hpp"
#include "support/transport_node.hpp"

namespace mesos {
namespace testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
namespace asio = boost::asio;
using asio::ip::tcp;

// Turns the loopback interface back on when the test ends, however it ends.
struct Partition {
  Partition() { EXPECT_EQ("", setLoopback(false)); }
  ~Partition() { EXPECT_EQ("", setLoopback(true)); }
  void heal() { EXPECT_EQ("", setLoopback(true)); }
};

// A peer that accepts connections and never reads or writes: it never answers
// at the application level, whatever is sent to it.
class DeafPeer {
 public:
  DeafPeer() {
    io_.run([&] {
      acceptor_ = std::make_unique<tcp::acceptor>(
          io_.io(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
      acceptor_->async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
        if (!ec) accepted_ = std::make_unique<tcp::socket>(std::move(socket));
      });
      return 0;
    });
  }
  ~DeafPeer() {
    io_.run([&] {
      accepted_.reset();
      acceptor_.reset();
      return 0;
    });
  }
  uint16_t port() {
    return io_.run([&] { return acceptor_->local_endpoint().port(); });
  }

 private:
  IoThread io_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<tcp::socket> accepted_;
};

internal::process::TransportOptions fastKeepalive(milliseconds idle) {
  internal::process::TransportOptions options = loopbackTransport();
  options.keepaliveIdle = idle;
  options.keepaliveInterval = seconds(1);
  options.keepaliveProbes = 2;
  return options;
}

// Links `node` to `peer`; `broken` is notified when the link breaks.
void linkTo(TransportNode& node, DeafPeer& peer, Latch* broken) {
  internal::process::UPID to("master", internal::process::parseIp("127.0.0.1").get(), peer.port());
  node.io().run([&] {
    node.transport().link(to, [broken](const internal::process::UPID&) { broken->notify(); });
    return 0;
  });
}

// Links to a peer that never answers, then cuts the network: the link breaks
// within the keepalive's time (1 s idle + 2 probes 1 s apart), where without
// keepalive nothing would ever happen.
TEST(KeepaliveTest, ASilentPartitionBreaksTheLink) {
  DeafPeer peer;
  TransportNode node(fastKeepalive(seconds(1)));
  Latch broken;
  linkTo(node, peer, &broken);
  // The connection is up and idle; keepalive does not break a healthy path
  // whose peer never says anything.
  ASSERT_FALSE(broken.wait(1, milliseconds(3500)));
  Partition partition;
  EXPECT_TRUE(broken.wait(1, seconds(20))) << "the link survived a silent partition";
}

// The same with keepalive off: the link hangs on (shown for a bounded time,
// which is longer than keepalive needed above).
TEST(KeepaliveTest, WithoutKeepaliveASilentPartitionGoesUnnoticed) {
  DeafPeer peer;
  TransportNode node(fastKeepalive(milliseconds(0)));
  Latch broken;
  linkTo(node, peer, &broken);
  ASSERT_FALSE(broken.wait(1, milliseconds(500)));
  Partition partition;
  EXPECT_FALSE(broken.wait(1, milliseconds(6000)));
}

// End to end: a registered driver loses its master to a silent partition,
// says disconnected(), and re-registers once the path is back.
TEST(KeepaliveTest, TheDriverReregistersAfterASilentPartition) {
  local::LocalClusterOptions options;
  options.agents = 1;
  std::string error;
  std::unique_ptr<local::LocalCluster> cluster = local::LocalCluster::start(options, &error);
  ASSERT_TRUE(cluster) << error;

  RecordingScheduler sched;
  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("keepalive");
  config.framework.set_user("test");
  // Without a failover timeout the master removes a framework whose
  // connection it sees break, as Mesos does.
  config.framework.set_failover_timeout(3600);
  config.master = cluster->master();
  config.bindIp = "127.0.0.1";
  config.keepaliveIdle = seconds(1);
  config.keepaliveInterval = seconds(1);
  config.keepaliveProbes = 2;
  MesosSchedulerDriver driver(config);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(sched.wait(Callback::kRegistered));

  {
    Partition partition;
    ASSERT_TRUE(sched.wait(Callback::kDisconnected, 1, seconds(20)))
        << "the driver did not notice the partition";
    partition.heal();
    EXPECT_TRUE(sched.wait(Callback::kReregistered, 1, seconds(60)));
  }
  EXPECT_EQ(0u, sched.count(Callback::kError));
  driver.stop();
  driver.join();
}

}  // namespace
}  // namespace testing
}  // namespace mesos

// The namespace must be entered before any thread exists.
int main(int argc, char** argv) {
  const std::string entered = mesos::testing::enterNetworkNamespace();
  if (!entered.empty()) {
    std::cerr << "Cannot create a network namespace for the partition tests: " << entered
              << std::endl;
    return 1;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
