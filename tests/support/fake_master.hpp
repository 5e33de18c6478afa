#pragma once

// A scriptable master for driver tests, on real loopback sockets: it records every
// message the driver sends and lets the test answer as a master would.
//
//   FakeMaster master;
//   MesosSchedulerDriver driver(&sched, info, master.address());
//   driver.start();
//   auto call = master.expectCall(Call::SUBSCRIBE);
//   master.registerFramework(call);   // FrameworkRegisteredMessage
//   // ... EXPECT_CALL(sched, registered(...)) ...
//
// Threads: the master runs on its own I/O thread; every method may be called from
// the test thread. Waits are bounded (deadlines), never fixed sleeps.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <mesos/mesos.hpp>
#include <mesos/type_utils.hpp>
#include <messages/messages.pb.h>

#include "process/transport.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

class FakeMaster {
 public:
  // Listens on 127.0.0.1:`port` (0 = ephemeral) as process `id`.
  explicit FakeMaster(uint16_t port = 0, std::string id = "master");
  ~FakeMaster();

  internal::process::UPID pid() const { return pid_; }
  // `master@127.0.0.1:port`, for the driver's master string.
  std::string address() const { return pid_.toString(); }
  const MasterInfo& info() const { return info_; }

  // Waits for the next message named `name` (others stay queued) and removes it.
  std::optional<internal::process::Message> waitFor(
      const std::string& name, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Waits for a message of type T and parses it (test failure if none/invalid).
  template <typename T>
  T expect(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    T message;
    std::optional<internal::process::Message> m = waitFor(T::descriptor()->full_name(), timeout);
    if (!m) {
      ADD_FAILURE() << "master received no " << T::descriptor()->full_name();
      return message;
    }
    lastFrom_ = m->from;
    EXPECT_TRUE(message.ParseFromString(m->body)) << "unparsable " << m->name;
    return message;
  }

  // Waits for a `mesos.scheduler.Call` of `type`, skipping (and keeping) others.
  scheduler::Call expectCall(scheduler::Call::Type type,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // True if a message named `name` is queued or arrives within `timeout`.
  bool received(const std::string& name, std::chrono::milliseconds timeout);
  // Number of messages named `name` received so far (queued or taken); Calls
  // are also counted by type as "mesos.scheduler.Call:TYPE".
  size_t count(const std::string& name) const;
  // Number of `mesos.scheduler.Call`s of `type` received so far (queued or taken).
  size_t countCalls(scheduler::Call::Type type) const;
  // Connections peers have open to this master now. Once a peer's connection is
  // closed, every message it wrote on it has been received (and counted).
  size_t inboundConnections();

  // The sender of the last message returned by expect()/expectCall().
  internal::process::UPID lastFrom() const { return lastFrom_; }

  // Sends `message` from this master to `to`.
  void send(const internal::process::UPID& to, const google::protobuf::Message& message);
  // Sends raw bytes as message `name` (for malformed-body tests).
  void sendRaw(const internal::process::UPID& to, const std::string& name,
               const std::string& body);

  // Also records messages for process `id` at this master's address (e.g. an
  // authenticator session); `Message::to` tells the receivers apart.
  void addProcess(const std::string& id);
  // Sends as process `fromId` at this master's address (which need not exist).
  void sendAs(const std::string& fromId, const internal::process::UPID& to,
              const google::protobuf::Message& message);
  void sendRawAs(const std::string& fromId, const internal::process::UPID& to,
                 const std::string& name, const std::string& body);

  // Answers a registration: FrameworkRegisteredMessage{id, info()} to `to`.
  void registered(const internal::process::UPID& to, const std::string& frameworkId);
  void reregistered(const internal::process::UPID& to, const std::string& frameworkId);

  // Closes every socket (the driver's link breaks) and stops answering.
  void stop();

 private:
  void onMessage(internal::process::Message&& message);

  IoThread io_;
  std::unique_ptr<internal::process::Transport> transport_;
  internal::process::UPID pid_;
  MasterInfo info_;
  internal::process::UPID lastFrom_;

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<internal::process::Message> queue_;
  std::map<std::string, size_t> counts_;
};

}  // namespace testing
}  // namespace mesos
