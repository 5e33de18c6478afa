#pragma once

// A libprocess transport on its own I/O thread for tests, recording every
// message its process "p" receives. Every method may be called from the test
// thread; `transport()` must only be used inside `io().run(...)`.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "process/transport.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

// Options for a transport listening on 127.0.0.1, ephemeral port.
inline internal::process::TransportOptions loopbackTransport() {
  internal::process::TransportOptions options;
  options.bindIp = "127.0.0.1";
  return options;
}

class TransportNode {
 public:
  using Message = internal::process::Message;

  explicit TransportNode(internal::process::TransportOptions options = loopbackTransport()) {
    io_.run([&] {
      transport_ = std::make_unique<internal::process::Transport>(io_.io(), options);
      internal::Try<internal::Nothing> started = transport_->start();
      EXPECT_TRUE(started.isSome()) << started.error();
      transport_->addProcess("p", [this](Message&& m) {
        std::lock_guard<std::mutex> lock(mutex_);
        received_.push_back(std::move(m));
        count_.store(received_.size());
      });
      return 0;
    });
  }
  ~TransportNode() {
    io_.run([&] {
      transport_.reset();
      return 0;
    });
  }
  TransportNode(const TransportNode&) = delete;
  TransportNode& operator=(const TransportNode&) = delete;

  internal::process::UPID pid() { return io_.run([&] { return transport_->self("p"); }); }
  internal::process::TransportStats stats() {
    return io_.run([&] { return transport_->stats(); });
  }
  internal::process::Transport& transport() { return *transport_; }
  IoThread& io() { return io_; }
  size_t count() const { return count_.load(); }
  std::vector<Message> received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const Message& m : received_) out.push_back(m.body);
    return out;
  }

 private:
  IoThread io_;
  std::unique_ptr<internal::process::Transport> transport_;
  std::mutex mutex_;
  std::vector<Message> received_;
  std::atomic<size_t> count_{0};
};

}  // namespace testing
}  // namespace mesos
