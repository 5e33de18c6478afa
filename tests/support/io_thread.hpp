#pragma once

// Runs an io_context on its own thread for a test, with helpers to run code on it
// synchronously and to wait for conditions with a deadline (never a bare sleep).

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace mesos {
namespace testing {

// Sanitizers slow everything down; deadlines stretch with them.
inline std::chrono::milliseconds scaled(std::chrono::milliseconds d) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return d * 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return d * 4;
#else
  return d;
#endif
#else
  return d;
#endif
}

class IoThread {
 public:
  IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() { stop(); }

  void stop() {
    if (!thread_.joinable()) return;
    work_.reset();
    io_.stop();
    thread_.join();
  }

  boost::asio::io_context& io() { return io_; }

  // Runs `fn` on the I/O thread and returns its result.
  template <typename F>
  auto run(F&& fn) -> decltype(fn()) {
    using R = decltype(fn());
    std::packaged_task<R()> task(std::forward<F>(fn));
    std::future<R> result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

// Polls `predicate` until it holds or `timeout` passes; returns its last value.
// Polling (1 ms steps) keeps tests free of fixed sleeps: they finish as soon as
// the condition holds, and fail with a clear message when it never does.
inline bool waitUntil(const std::function<bool()>& predicate,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      std::chrono::milliseconds interval = std::chrono::milliseconds(1)) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  while (!predicate()) {
    if (std::chrono::steady_clock::now() >= deadline) return predicate();
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace testing
}  // namespace mesos
