// Interop with a third-party libprocess implementation: mesos-go 0.0.6's
// messenger (api/v0/messenger, HTTPTransporter), driven by the Go program in
// tests/interop/go/messenger_peer. Proves that our transport and mesos-go
// exchange protobuf messages in both directions (PROTOCOL.md a.2, a.3):
//   * ours -> mesos-go: chunked libprocess requests with `User-Agent: libprocess/`;
//   * mesos-go -> ours: `Content-Length` requests with `Libprocess-From` and no
//     libprocess User-Agent, each waiting for our `202 Accepted`.
//
// The peer prints `UPID <upid>` first, then `RECEIVED <n>` per message it gets
// and `SENT <count>` once its own sends are queued. It exits on stdin EOF, so a
// crashed test never leaves it behind; `GoPeer` also kills and reaps it.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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
#include "support/io_thread.hpp"

extern char** environ;

namespace mesos {
namespace internal {
namespace process {
namespace {

using Clock = std::chrono::steady_clock;
using mesos::testing::IoThread;
using mesos::testing::scaled;
using mesos::testing::waitUntil;

constexpr int kMessages = 1000;
constexpr const char* kNoGo =
    "Go toolchain not found; install golang-go golang-github-mesos-mesos-go-dev";

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
class GoPeer {
 public:
  // Starts `binary args...`; on failure returns null and sets `error`.
  static std::unique_ptr<GoPeer> start(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       std::string* error) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      return nullptr;
    }
    if (::pipe2(out, O_CLOEXEC) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      ::close(in[0]);
      ::close(in[1]);
      return nullptr;
    }
    // The child gets in[0] as stdin and out[1] as stdout (dup2 clears CLOEXEC);
    // every other descriptor of ours is close-on-exec or irrelevant.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);

    std::vector<std::string> argvStrings{binary};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argvStrings) argv.push_back(s.data());
    argv.push_back(nullptr);

    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      *error = "posix_spawn " + binary + ": " + std::strerror(rc);
      ::close(in[1]);
      ::close(out[0]);
      return nullptr;
    }
    return std::unique_ptr<GoPeer>(new GoPeer(pid, in[1], out[0]));
  }

  ~GoPeer() { stop(); }
  GoPeer(const GoPeer&) = delete;
  GoPeer& operator=(const GoPeer&) = delete;

  // Reads the `UPID <upid>` line the peer prints first.
  Try<UPID> readUpid(std::chrono::milliseconds timeout) {
    std::optional<std::string> line = readLine(timeout);
    if (!line) return Error("no UPID line from the Go peer within the deadline" + exitNote());
    const std::string prefix = "UPID ";
    if (line->compare(0, prefix.size(), prefix) != 0) {
      return Error("unexpected first line from the Go peer: '" + *line + "'");
    }
    return UPID::parse(line->substr(prefix.size()), UPID::Resolve::kNumericOnly);
  }

  // The next stdout line (without '\n'), or nothing at EOF or after `timeout`.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      const size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      if (eof_) return std::nullopt;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{stdout_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
      if (ready < 0 && errno != EINTR) {
        eof_ = true;
        continue;
      }
      if (ready <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(stdout_, chunk, sizeof(chunk));
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        eof_ = true;
      }
    }
  }

  // " (the Go peer exited with ...)" if it has exited, else "".
  std::string exitNote() {
    reap(false);
    if (!status_) return "";
    std::ostringstream note;
    if (WIFEXITED(*status_)) {
      note << " (the Go peer exited with status " << WEXITSTATUS(*status_) << ")";
    } else if (WIFSIGNALED(*status_)) {
      note << " (the Go peer was killed by signal " << WTERMSIG(*status_) << ")";
    }
    return note.str();
  }

  // Closes stdin (the peer exits on EOF), then makes sure it is gone and reaped.
  void stop() {
    if (stdin_ >= 0) {
      ::close(stdin_);
      stdin_ = -1;
    }
    if (stdout_ >= 0) {
      ::close(stdout_);
      stdout_ = -1;
    }
    if (!status_) {
      const Clock::time_point deadline = Clock::now() + scaled(std::chrono::seconds(5));
      while (!reap(false) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (!status_) {
        ::kill(pid_, SIGKILL);
        reap(true);
      }
    }
  }

 private:
  GoPeer(pid_t pid, int stdinFd, int stdoutFd) : pid_(pid), stdin_(stdinFd), stdout_(stdoutFd) {}

  // Collects the exit status once; returns whether the child is gone.
  bool reap(bool block) {
    if (status_) return true;
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) {
      status_ = status;
      return true;
    }
    if (r < 0) {  // ECHILD: nothing left to reap.
      status_ = 0;
      return true;
    }
    return false;
  }

  pid_t pid_;
  int stdin_;
  int stdout_;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> status_;
};

// Our transport on its own I/O thread, recording what its process "p" receives.
class Node {
 public:
  Node() {
    io_.run([&] {
      TransportOptions options;
      options.bindIp = "127.0.0.1";
      transport_ = std::make_unique<Transport>(io_.io(), options);
      Try<Nothing> started = transport_->start();
      EXPECT_TRUE(started.isSome()) << started.error();
      transport_->addProcess("p", [this](Message&& m) {
        std::lock_guard<std::mutex> lock(mutex_);
        received_.push_back(std::move(m));
        count_.store(received_.size());
      });
      return 0;
    });
  }
  ~Node() {
    io_.run([&] {
      transport_.reset();
      return 0;
    });
  }

  UPID pid() { return io_.run([&] { return transport_->self("p"); }); }
  size_t count() const { return count_.load(); }
  std::vector<Message> received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

  // Sends `count` FrameworkToExecutorMessages 0..count-1 to `to`, in order.
  void sendSequence(const UPID& to, int count) {
    const std::string from = pid().toString();
    const std::string name = messageName();
    // In slices, so the I/O thread can write between them.
    for (int sent = 0; sent < count;) {
      io_.run([&] {
        for (int i = 0; i < 100 && sent < count; ++i, ++sent) {
          Try<Nothing> r = transport_->send(from, to, name, payload(sent));
          if (r.isError()) ADD_FAILURE() << "send " << sent << ": " << r.error();
        }
        return 0;
      });
    }
  }

 private:
  IoThread io_;
  std::unique_ptr<Transport> transport_;
  std::mutex mutex_;
  std::vector<Message> received_;
  std::atomic<size_t> count_{0};
};

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
    GTEST_SKIP() << kNoGo;
#endif
    const std::string status = readFile(MESOS_GO_PEER_STATUS);
    if (status.empty()) {
      FAIL() << "the mesos-go peer was never built (no " << MESOS_GO_PEER_STATUS
             << "); build the mesos_go_peer target";
    }
    const int code = std::atoi(status.c_str());
    if (code == 77) GTEST_SKIP() << kNoGo;
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
    peer_ = GoPeer::start(MESOS_GO_PEER, all, &error);
    ASSERT_TRUE(peer_) << error;
    Try<UPID> upid = peer_->readUpid(scaled(std::chrono::seconds(20)));
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
  std::unique_ptr<GoPeer> peer_;
  UPID peerUpid_;
};

// (a) Ours -> mesos-go: 1,000 protobuf messages, received by the Go peer in order.
TEST_F(MesosGoInteropTest, OurTransportToMesosGo) {
  Node node;
  ASSERT_NO_FATAL_FAILURE(startPeer({"--echo=false"}));
  node.sendSequence(peerUpid_, kMessages);
  ASSERT_NO_FATAL_FAILURE(expectPeerReceives(kMessages));
}

// (b) mesos-go -> ours: 1,000 messages arrive in order, from the Go peer's UPID,
// named with the fully-qualified protobuf name, and parse as that type.
TEST_F(MesosGoInteropTest, MesosGoToOurTransport) {
  Node node;
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
  Node node;
  const UPID self = node.pid();
  ASSERT_NO_FATAL_FAILURE(startPeer({}));
  node.sendSequence(peerUpid_, kMessages);
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
