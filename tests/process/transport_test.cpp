#include "process/transport.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>

#include "support/io_thread.hpp"
#include "support/transport_node.hpp"
#include "support/raw_client.hpp"

namespace mesos {
namespace internal {
namespace process {
namespace {

using mesos::testing::IoThread;
using mesos::testing::TransportNode;
using mesos::testing::loopbackTransport;
using mesos::testing::waitUntil;

TEST(TransportTest, DeliversAMessageWithSenderAndName) {
  TransportNode a, b;
  const UPID to = b.pid();
  const UPID from = a.pid();
  a.io().run([&] { return a.transport().send(from, to, "test.Hello", "payload").isSome(); });
  ASSERT_TRUE(waitUntil([&] { return b.count() == 1; }));
  Message m = b.received()[0];
  EXPECT_EQ(from, m.from);
  EXPECT_EQ(to, m.to);
  EXPECT_EQ("test.Hello", m.name);
  EXPECT_EQ("payload", m.body);
}

TEST(TransportTest, HundredThousandMessagesArriveInOrder) {
  TransportNode a, b;
  const UPID to = b.pid();
  const std::string from = a.pid().toString();
  constexpr int kMessages = 100000;
  const auto start = std::chrono::steady_clock::now();
  // Send in slices so the I/O thread can write between them.
  for (int sent = 0; sent < kMessages;) {
    a.io().run([&] {
      for (int i = 0; i < 1000 && sent < kMessages; ++i, ++sent) {
        Try<Nothing> r = a.transport().send(from, to, "test.Seq", std::to_string(sent));
        if (r.isError()) ADD_FAILURE() << r.error();
      }
      return 0;
    });
  }
  ASSERT_TRUE(waitUntil([&] { return b.count() == kMessages; }, std::chrono::seconds(60)))
      << "received " << b.count();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<Message> received = b.received();
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_EQ(std::to_string(i), received[i].body) << "out of order at " << i;
  }
  RecordProperty("messages_per_second", static_cast<int>(kMessages / seconds));
  std::cout << "[ metric   ] loopback: " << static_cast<int>(kMessages / seconds)
            << " messages/s\n";
}

TEST(TransportTest, ReconnectsOnTheNextSendAfterThePeerRestarts) {
  TransportNode a;
  auto b = std::make_unique<TransportNode>();
  UPID to = b->pid();
  const UPID from = a.pid();
  a.io().run([&] { return a.transport().send(from, to, "m", "1").isSome(); });
  ASSERT_TRUE(waitUntil([&] { return b->count() == 1; }));

  // Restart the peer on the same port.
  TransportOptions options = loopbackTransport();
  options.bindPort = to.port;
  b.reset();
  b = std::make_unique<TransportNode>(options);
  ASSERT_EQ(to.port, b->pid().port);

  // The old connection is dead; sends go on until one gets through on a new one.
  // Messages queued on the broken connection may be lost, as with libprocess.
  ASSERT_TRUE(waitUntil([&] {
    a.io().run([&] { return a.transport().send(from, to, "m", "2").isSome(); });
    return b->count() > 0;
  }));
  EXPECT_EQ("2", b->received()[0].body);
}

TEST(TransportTest, LinkReportsExitOnceWhenThePeerGoes) {
  TransportNode a;
  auto b = std::make_unique<TransportNode>();
  const UPID peer = b->pid();
  std::atomic<int> exits{0};
  a.io().run([&] {
    a.transport().link(peer, [&](const UPID& who) {
      EXPECT_EQ(peer, who);
      ++exits;
    });
    return 0;
  });
  // Make sure the link connection is established before the peer goes away.
  a.io().run([&] { return a.transport().send(a.transport().self("p"), peer, "m", "x").isSome(); });
  ASSERT_TRUE(waitUntil([&] { return b->count() == 1; }));
  b.reset();
  ASSERT_TRUE(waitUntil([&] { return exits.load() == 1; }));
  // Further failures of that address do not fire the consumed link again.
  a.io().run([&] { return a.transport().send(a.transport().self("p"), peer, "m", "x").isSome(); });
  EXPECT_FALSE(waitUntil([&] { return exits.load() > 1; }, std::chrono::milliseconds(200)));
}

TEST(TransportTest, LinkToAnAddressWithNoListenerExitsAtOnce) {
  TransportNode a;
  UPID nobody;
  {
    TransportNode b;
    nobody = b.pid();
  }
  std::atomic<int> exits{0};
  a.io().run([&] {
    a.transport().link(nobody, [&](const UPID&) { ++exits; });
    return 0;
  });
  EXPECT_TRUE(waitUntil([&] { return exits.load() == 1; }));
}

TEST(TransportTest, UnknownReceiverIdIsDroppedAndConnectionKeepsWorking) {
  TransportNode a, b;
  UPID wrong = b.pid();
  wrong.id = "nobody";
  const UPID from = a.pid();
  a.io().run([&] {
    a.transport().send(from, wrong, "m", "lost").get();
    a.transport().send(from, b.pid(), "m", "kept").get();
    return 0;
  });
  ASSERT_TRUE(waitUntil([&] { return b.count() == 1; }));
  EXPECT_EQ("kept", b.received()[0].body);
  EXPECT_EQ(1u, b.io().run([&] { return b.transport().stats().requestsRejected; }));
}

TEST(TransportTest, FullSendQueueIsAClearError) {
  TransportOptions options = loopbackTransport();
  options.maxQueuedBytesPerPeer = 1000;
  TransportNode a(options), b;
  const UPID to = b.pid();
  Try<Nothing> result = a.io().run([&] {
    // Nothing can be written before this handler returns, so the queue fills.
    Try<Nothing> r = Nothing();
    for (int i = 0; i < 100 && r.isSome(); ++i) {
      r = a.transport().send(a.transport().self("p"), to, "m", std::string(100, 'z'));
    }
    return r;
  });
  ASSERT_TRUE(result.isError());
  EXPECT_NE(std::string::npos, result.error().find("full")) << result.error();
}

TEST(TransportTest, AdvertisesConfiguredAddress) {
  TransportOptions options = loopbackTransport();
  options.advertiseIp = "10.1.2.3";
  options.advertisePort = 4242;
  TransportNode a(options);
  EXPECT_EQ("p@10.1.2.3:4242", a.pid().toString());
}

TEST(TransportTest, ServesHttpRoutesAndAnswers404Otherwise) {
  TransportNode a;
  a.io().run([&] {
    a.transport().addRoute("/state", [](const HttpRequest& request) {
      return HttpResponse{200, "application/json", "{\"method\":\"" + request.method + "\"}"};
    });
    return 0;
  });
  mesos::testing::RawClient client(a.pid().port);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send("GET /state?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"
                          "GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n"));
  const std::string reply = client.readUntil(
      [](const std::string& d) { return mesos::testing::RawClient::countResponses(d) == 2; },
      std::chrono::seconds(10));
  EXPECT_EQ(0u, reply.find("HTTP/1.1 200 OK\r\n")) << reply;
  EXPECT_NE(std::string::npos, reply.find("{\"method\":\"GET\"}")) << reply;
  EXPECT_NE(std::string::npos, reply.find("HTTP/1.1 404 Not Found\r\n")) << reply;
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
