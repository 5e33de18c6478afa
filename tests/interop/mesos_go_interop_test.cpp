// Interop with a third-party libprocess implementation: mesos-go 0.0.6's
// messenger (api/v0/messenger, HTTPTransporter), driven by the Go program in
// tests/interop/go/messenger_peer. Proves that our transport and mesos-go
// exchange protobuf messages in both directions (docs/protocol.md, "The wire"):
//   * ours -> mesos-go: chunked libprocess requests with `User-Agent: libprocess/`;
//   * mesos-go -> ours: `Content-Length` requests with `Libprocess-From` and no
//     libprocess User-Agent, each waiting for our `202 Accepted`.
//
// The peer prints `UPID <upid>` first, then `RECEIVED <n>` per message it gets
// and `SENT <count>` once its own sends are queued. It exits on stdin EOF, so a
// crashed test never leaves it behind; `GoPeer` also kills and reaps it.


#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <mesos/mesos.pb.h>
#include <messages/messages.pb.h>

#include "process/transport.hpp"
#include "support/child_process.hpp"
#include "support/io_thread.hpp"
#include "support/transport_node.hpp"

extern char** environ;

namespace mesos {
namespace internal {
namespace process {
namespace {

using Clock = std::chrono::steady_clock;
using mesos::testing::Child;
using mesos::testing::IoThread;
using mesos::testing::TransportNode;
using mesos::testing::scaled;
using mesos::testing::waitUntil;

constexpr int kMessages = 1000;
// A missing dependency is a failure, not a skip: scripts/install-deps.sh (the
// README's install step) installs both packages.
constexpr const char* kNoGo =
    "Go toolchain not found; install golang-go golang-github-mesos-mesos-go-dev "
    "(scripts/install-deps.sh)";

// What the Go peer puts in every FrameworkToExecutorMessage, and what we send it.
constexpr const char* kSlaveId = "interop-slave";
constexpr const char* kFrameworkId = "interop-framework";
constexpr const char* kExecutorId = "interop-executor";

std::string messageName() {
  return FrameworkToExecutorMessage::descriptor()->full_name();
}

std::string payload(int sequence) {
  FrameworkToExecutorMessage message;
  message.mutable_slave_id()->set_value(kSlaveId);
  message.mutable_framework_id()->set_value(kFrameworkId);
  message.mutable_executor_id()->set_value(kExecutorId);
  message.set_data(std::to_string(sequence));
  return message.SerializeAsString();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The Go peer as a child process: stdin and stdout are pipes to us, stderr (its
// glog output) is inherited. The destructor always closes stdin, waits briefly
// for a clean exit, then SIGKILLs and reaps it.
// Reads the `UPID <upid>` line the Go peer prints first.
Try<UPID> readUpid(Child& peer, std::chrono::milliseconds timeout) {
  std::optional<std::string> line = peer.readLine(timeout);
  if (!line) return Error("no UPID line from the Go peer within the deadline" + peer.exitNote());
  const std::string prefix = "UPID ";
  if (line->compare(0, prefix.size(), prefix) != 0) {
    return Error("unexpected first line from the Go peer: '" + *line + "'");
  }
  return UPID::parse(line->substr(prefix.size()), UPID::Resolve::kNumericOnly);
}

// Sends `count` FrameworkToExecutorMessages 0..count-1 from `node` to `to`, in order.
void sendSequence(TransportNode& node, const UPID& to, int count) {
  const std::string from = node.pid().toString();
  const std::string name = messageName();
  // In slices, so the I/O thread can write between them.
  for (int sent = 0; sent < count;) {
    node.io().run([&] {
      for (int i = 0; i < 100 && sent < count; ++i, ++sent) {
        Try<Nothing> r = node.transport().send(from, to, name, payload(sent));
        if (r.isError()) ADD_FAILURE() << "send " << sent << ": " << r.error();
      }
      return 0;
    });
  }
}

// Checks that `received` holds exactly the sequence 0..count-1 of
// FrameworkToExecutorMessages from `from` to `to`, in order.
void expectSequence(const std::vector<Message>& received, int count, const UPID& from,
                    const UPID& to) {
  ASSERT_EQ(static_cast<size_t>(count), received.size());
  for (int i = 0; i < count; ++i) {
    const Message& m = received[i];
    ASSERT_EQ(from, m.from) << "sender of message " << i;
    ASSERT_EQ(to, m.to) << "receiver of message " << i;
    ASSERT_EQ(messageName(), m.name) << "name of message " << i;
    FrameworkToExecutorMessage parsed;
    ASSERT_TRUE(parsed.ParseFromString(m.body)) << "message " << i << " does not parse";
    ASSERT_TRUE(parsed.IsInitialized()) << parsed.InitializationErrorString();
    ASSERT_EQ(std::to_string(i), parsed.data()) << "out of order at " << i;
    ASSERT_EQ(kSlaveId, parsed.slave_id().value());
    ASSERT_EQ(kFrameworkId, parsed.framework_id().value());
    ASSERT_EQ(kExecutorId, parsed.executor_id().value());
  }
}

class MesosGoInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if !MESOS_GO_FOUND
    FAIL() << kNoGo << ": no `go` when the build was configured";
#endif
    const std::string status = readFile(MESOS_GO_PEER_STATUS);
    if (status.empty()) {
      FAIL() << "the mesos-go peer was never built (no " << MESOS_GO_PEER_STATUS
             << "); build the mesos_go_peer target";
    }
    const int code = std::atoi(status.c_str());
    if (code == 77) FAIL() << kNoGo << ": no `go` when the mesos-go program was built";
    if (code != 0) {
      FAIL() << "building the mesos-go peer failed (scripts/build_mesos_go_peer.sh exit "
             << code << "); build log " << MESOS_GO_PEER_LOG << ":\n"
             << readFile(MESOS_GO_PEER_LOG);
    }
    if (::access(MESOS_GO_PEER, X_OK) != 0) {
      FAIL() << "the mesos-go peer " << MESOS_GO_PEER << " is missing or not executable";
    }
  }

  // Starts the Go peer and reads its UPID; fails the test if either goes wrong.
  void startPeer(const std::vector<std::string>& args) {
    std::vector<std::string> all = args;
    all.push_back("--timeout=" + std::to_string(scaled(std::chrono::seconds(120)).count() / 1000) +
                  "s");
    std::string error;
    peer_ = Child::start(MESOS_GO_PEER, all, "", &error, /*stdinPipe=*/true);
    ASSERT_TRUE(peer_) << error;
    Try<UPID> upid = readUpid(*peer_, scaled(std::chrono::seconds(20)));
    ASSERT_TRUE(upid.isSome()) << upid.error();
    peerUpid_ = upid.get();
    ASSERT_EQ("peer", peerUpid_.id);
    ASSERT_NE(0u, peerUpid_.port);
  }

  // Reads `RECEIVED 0` .. `RECEIVED count-1` from the peer, in order.
  void expectPeerReceives(int count) {
    const Clock::time_point deadline = Clock::now() + scaled(std::chrono::seconds(60));
    for (int i = 0; i < count; ++i) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      std::optional<std::string> line;
      // `SENT n` lines may interleave; only RECEIVED lines count.
      do {
        line = peer_->readLine(std::max(left, std::chrono::milliseconds(1)));
      } while (line && line->compare(0, 5, "SENT ") == 0);
      ASSERT_TRUE(line) << "the Go peer reported only " << i << " of " << count
                        << " messages before the deadline" << peer_->exitNote();
      ASSERT_EQ("RECEIVED " + std::to_string(i), *line) << "out of order at " << i;
    }
  }

  // Owned by the fixture, so it is destroyed (the child killed and reaped) however
  // the test ends, including on assertion failures.
  std::unique_ptr<Child> peer_;
  UPID peerUpid_;
};

// (a) Ours -> mesos-go: 1,000 protobuf messages, received by the Go peer in order.
TEST_F(MesosGoInteropTest, OurTransportToMesosGo) {
  TransportNode node;
  ASSERT_NO_FATAL_FAILURE(startPeer({"--echo=false"}));
  sendSequence(node, peerUpid_, kMessages);
  ASSERT_NO_FATAL_FAILURE(expectPeerReceives(kMessages));
}

// (b) mesos-go -> ours: 1,000 messages arrive in order, from the Go peer's UPID,
// named with the fully-qualified protobuf name, and parse as that type.
TEST_F(MesosGoInteropTest, MesosGoToOurTransport) {
  TransportNode node;
  const UPID self = node.pid();
  ASSERT_NO_FATAL_FAILURE(
      startPeer({"--peer=" + self.toString(), "--count=" + std::to_string(kMessages)}));
  ASSERT_TRUE(waitUntil([&] { return node.count() >= kMessages; }, std::chrono::seconds(60)))
      << "received " << node.count() << " of " << kMessages << peer_->exitNote();
  ASSERT_NO_FATAL_FAILURE(expectSequence(node.received(), kMessages, peerUpid_, self));
  // Nothing beyond the sequence trickles in afterwards.
  EXPECT_FALSE(waitUntil([&] { return node.count() > kMessages; },
                         std::chrono::milliseconds(100)));
}

// (c) Round trip: we send 1,000 messages, mesos-go echoes each back to the UPID
// it parsed from our request; all come back in order and intact.
TEST_F(MesosGoInteropTest, EchoRoundTrip) {
  TransportNode node;
  const UPID self = node.pid();
  ASSERT_NO_FATAL_FAILURE(startPeer({}));
  sendSequence(node, peerUpid_, kMessages);
  // Reading the peer's report also keeps its stdout pipe drained.
  ASSERT_NO_FATAL_FAILURE(expectPeerReceives(kMessages));
  ASSERT_TRUE(waitUntil([&] { return node.count() >= kMessages; }, std::chrono::seconds(60)))
      << "echoed back " << node.count() << " of " << kMessages << peer_->exitNote();
  ASSERT_NO_FATAL_FAILURE(expectSequence(node.received(), kMessages, peerUpid_, self));
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
