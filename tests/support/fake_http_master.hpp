#pragma once

// A scriptable master of the v1 scheduler HTTP API for driver tests, on real
// loopback sockets. Each SUBSCRIBE's connection is handed to the test, which
// writes whatever it wants on it (a proper head and records, or bad input);
// every other call is recorded and answered `202` (or what the test set).
//
//   FakeHttpMaster master;
//   DriverConfig c; c.master = master.url();  // http://127.0.0.1:PORT
//   ... driver.start();
//   auto stream = master.expectSubscribe();
//   stream->head("stream-1");
//   stream->event(subscribed("framework-1", 15));
//   auto kill = master.expectCall(scheduler::Call::KILL);
//
// Threads: the server runs on its own I/O thread; every method may be called
// from the test thread. Waits are bounded (deadlines), never fixed sleeps.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <mesos/mesos.hpp>
#include <mesos/scheduler/scheduler.pb.h>

#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

struct HttpCallRequest {
  std::string target;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string body;
  scheduler::Call call;  // Parsed from `body` (its `subscribe` in v0 numbering).
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class FakeHttpMaster {
 public:
  class Stream;

  FakeHttpMaster();
  ~FakeHttpMaster();

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The next SUBSCRIBE request's connection (its request in `request()`).
  std::shared_ptr<Stream> expectSubscribe(
      std::chrono::milliseconds timeout = scaled(std::chrono::seconds(10)));
  size_t subscribeCount() const;

  // The next non-SUBSCRIBE call of `type` (others stay queued).
  std::optional<HttpCallRequest> expectCall(
      scheduler::Call::Type type, std::chrono::milliseconds timeout = scaled(std::chrono::seconds(10)));
  size_t callCount(scheduler::Call::Type type) const;
  // How calls are answered from now on (default `202`, no body).
  void answerCalls(int status, std::string body = "");

  // Closes every connection and stops accepting.
  void stop();

  // Builders of records.
  static scheduler::Event subscribed(const std::string& frameworkId, double heartbeat);
  static scheduler::Event heartbeat();

  class Impl;  // Public only for the connections in the .cpp.

 private:
  IoThread io_;
  std::shared_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

// One SUBSCRIBE connection, after its request was read. Writes are raw and
// go out in order.
class FakeHttpMaster::Stream {
 public:
  virtual ~Stream() = default;
  virtual const HttpCallRequest& request() const = 0;
  // Raw bytes on the connection.
  virtual void write(std::string bytes) = 0;
  // `200 OK`, chunked, with `Mesos-Stream-Id: id` (none when empty).
  void head(const std::string& streamId);
  // `event` as one RecordIO record in one chunk.
  void event(const scheduler::Event& event);
  // Arbitrary bytes as one chunk (bad records).
  void chunk(const std::string& bytes);
  // A complete non-200 answer (e.g. 307 with `Location`, 401), then close.
  void answer(int status, const std::string& extraHeaders, const std::string& body = "");
  // Closes the connection (after what was written).
  virtual void close() = 0;
  // True once the driver closed its side (read EOF) or the connection broke.
  virtual bool closedByPeer() const = 0;
};

}  // namespace testing
}  // namespace mesos
