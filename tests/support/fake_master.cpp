#include "support/fake_master.hpp"

#include <arpa/inet.h>

namespace mesos {
namespace testing {

using internal::Nothing;
using internal::Try;
using internal::process::Message;
using internal::process::Transport;
using internal::process::TransportOptions;
using internal::process::UPID;

FakeMaster::FakeMaster(uint16_t port, std::string id) {
  TransportOptions options;
  options.bindIp = "127.0.0.1";
  options.bindPort = port;
  io_.run([&] {
    transport_ = std::make_unique<Transport>(io_.io(), options);
    Try<Nothing> started = transport_->start();
    EXPECT_TRUE(started.isSome()) << started.error();
    pid_ = transport_->self(id);
    transport_->addProcess(id, [this](Message&& m) { onMessage(std::move(m)); });
    return 0;
  });
  info_.set_id("fake-master-" + std::to_string(pid_.port));
  info_.set_ip(htonl(pid_.ip));
  info_.set_port(pid_.port);
  info_.set_pid(pid_.toString());
  info_.set_hostname("127.0.0.1");
  info_.set_version("1.11.0");
}

FakeMaster::~FakeMaster() { stop(); }

void FakeMaster::stop() {
  io_.run([&] {
    transport_.reset();
    return 0;
  });
}

void FakeMaster::onMessage(Message&& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++counts_[message.name];
  if (message.name == "mesos.scheduler.Call") {
    scheduler::Call call;
    if (call.ParseFromString(message.body)) {
      ++counts_[message.name + ":" + scheduler::Call::Type_Name(call.type())];
    }
  }
  queue_.push_back(std::move(message));
  arrived_.notify_all();
}

std::optional<Message> FakeMaster::waitFor(const std::string& name,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::optional<Message> found;
  arrived_.wait_for(lock, scaled(timeout), [&] {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (it->name == name) {
        found = std::move(*it);
        queue_.erase(it);
        return true;
      }
    }
    return false;
  });
  return found;
}

scheduler::Call FakeMaster::expectCall(scheduler::Call::Type type,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  std::unique_lock<std::mutex> lock(mutex_);
  scheduler::Call call;
  const bool ok = arrived_.wait_until(lock, deadline, [&] {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (it->name != "mesos.scheduler.Call") continue;
      scheduler::Call candidate;
      if (!candidate.ParseFromString(it->body) || candidate.type() != type) continue;
      call = candidate;
      lastFrom_ = it->from;
      queue_.erase(it);
      return true;
    }
    return false;
  });
  if (!ok) ADD_FAILURE() << "master received no Call " << scheduler::Call::Type_Name(type);
  return call;
}

bool FakeMaster::received(const std::string& name, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] {
    for (const Message& m : queue_) {
      if (m.name == name) return true;
    }
    return false;
  });
}

size_t FakeMaster::count(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = counts_.find(name);
  return it == counts_.end() ? 0 : it->second;
}

size_t FakeMaster::countCalls(scheduler::Call::Type type) const {
  return count("mesos.scheduler.Call:" + scheduler::Call::Type_Name(type));
}

size_t FakeMaster::inboundConnections() {
  size_t open = 0;
  io_.run([&] {
    open = transport_ ? transport_->stats().inboundConnections : 0;
    return 0;
  });
  return open;
}

void FakeMaster::send(const UPID& to, const google::protobuf::Message& message) {
  std::string body;
  EXPECT_TRUE(message.SerializePartialToString(&body));
  sendRaw(to, message.GetTypeName(), body);
}

void FakeMaster::sendRaw(const UPID& to, const std::string& name, const std::string& body) {
  sendRawAs(pid_.id, to, name, body);
}

void FakeMaster::addProcess(const std::string& id) {
  io_.run([&] {
    if (transport_) transport_->addProcess(id, [this](Message&& m) { onMessage(std::move(m)); });
    return 0;
  });
}

void FakeMaster::sendAs(const std::string& fromId, const UPID& to,
                        const google::protobuf::Message& message) {
  std::string body;
  EXPECT_TRUE(message.SerializePartialToString(&body));
  sendRawAs(fromId, to, message.GetTypeName(), body);
}

void FakeMaster::sendRawAs(const std::string& fromId, const UPID& to, const std::string& name,
                           const std::string& body) {
  io_.run([&] {
    if (!transport_) return 0;
    Try<Nothing> sent = transport_->send(UPID(fromId, pid_.ip, pid_.port), to, name, body);
    EXPECT_TRUE(sent.isSome()) << sent.error();
    return 0;
  });
}

void FakeMaster::registered(const UPID& to, const std::string& frameworkId) {
  internal::FrameworkRegisteredMessage message;
  message.mutable_framework_id()->set_value(frameworkId);
  *message.mutable_master_info() = info_;
  send(to, message);
}

void FakeMaster::reregistered(const UPID& to, const std::string& frameworkId) {
  internal::FrameworkReregisteredMessage message;
  message.mutable_framework_id()->set_value(frameworkId);
  *message.mutable_master_info() = info_;
  send(to, message);
}

}  // namespace testing
}  // namespace mesos
