#pragma once

// `RawFramework`: a libprocess process of the test's own on a Transport (as
// tests/support/fake_master.cpp does), to send the master exactly the bytes a
// driver never would and to see exactly what comes back.

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <messages/messages.pb.h>

#include "master_test_basics.hpp"
#include "process/transport.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

class RawFramework {
 public:
  using UPID = internal::process::UPID;
  using Message = internal::process::Message;

  explicit RawFramework(const std::string& id = "scheduler(1)") {
    internal::process::TransportOptions options;
    options.bindIp = "127.0.0.1";
    io_.run([&] {
      transport_ = std::make_unique<internal::process::Transport>(io_.io(), options);
      auto started = transport_->start();
      EXPECT_TRUE(started.isSome()) << started.error();
      pid_ = transport_->self(id);
      transport_->addProcess(id, [this](Message&& m) { onMessage(std::move(m)); });
      return 0;
    });
  }
  ~RawFramework() {
    io_.run([&] {
      transport_.reset();
      return 0;
    });
  }

  UPID pid() const { return pid_; }

  void send(const UPID& to, const google::protobuf::Message& message) {
    std::string body;
    EXPECT_TRUE(message.SerializePartialToString(&body));
    sendRaw(to, message.GetTypeName(), body);
  }

  void sendRaw(const UPID& to, const std::string& name, const std::string& body) {
    io_.run([&] {
      if (!transport_) return 0;
      auto sent = transport_->send(pid_, to, name, body);
      EXPECT_TRUE(sent.isSome()) << sent.error();
      return 0;
    });
  }

  // The first received message of type T (index >= `from` among all messages)
  // satisfying `predicate`.
  template <typename T>
  std::optional<T> waitFor(const std::function<bool(const T&)>& predicate = {},
                           Millis timeout = Millis(10000), size_t from = 0) {
    const std::string name = T::descriptor()->full_name();
    const auto deadline = Clock::now() + scaled(timeout);
    std::unique_lock<std::mutex> lock(mutex_);
    size_t i = from;
    while (true) {
      for (; i < messages_.size(); ++i) {
        if (messages_[i].name != name) continue;
        T message;
        if (message.ParseFromString(messages_[i].body) && (!predicate || predicate(message))) {
          return message;
        }
      }
      if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && i == messages_.size()) {
        return std::nullopt;
      }
    }
  }

  // Every received message of type T, parsed.
  template <typename T>
  std::vector<T> all() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<T> out;
    for (const Message& m : messages_) {
      T message;
      if (m.name == T::descriptor()->full_name() && message.ParseFromString(m.body)) {
        out.push_back(message);
      }
    }
    return out;
  }

  size_t messageCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_.size();
  }
  size_t count(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t n = 0;
    for (const Message& m : messages_) n += m.name == name;
    return n;
  }

  // Task ids that got at least one status update, and the states seen per task.
  size_t updatedTasks() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return states_.size();
  }
  std::map<std::string, std::vector<internal::StatusUpdate>> updates() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return states_;
  }
  bool waitUpdatedTasks(size_t n, Millis timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout), [&] { return states_.size() >= n; });
  }

  // SUBSCRIBE (a Call) and wait for FrameworkRegisteredMessage; returns the id.
  std::string subscribe(const UPID& master, const FrameworkInfo& info = frameworkInfo("raw")) {
    scheduler::Call call;
    call.set_type(scheduler::Call::SUBSCRIBE);
    *call.mutable_subscribe()->mutable_framework_info() = info;
    send(master, call);
    auto registered = waitFor<internal::FrameworkRegisteredMessage>();
    EXPECT_TRUE(registered.has_value()) << "no FrameworkRegisteredMessage";
    frameworkId_ = registered ? registered->framework_id().value() : "";
    return frameworkId_;
  }

  const std::string& frameworkId() const { return frameworkId_; }

  scheduler::Call call(scheduler::Call::Type type) const {
    scheduler::Call call;
    call.set_type(type);
    call.mutable_framework_id()->set_value(frameworkId_);
    return call;
  }

  // The first offer received (from index `from` of all messages).
  std::optional<Offer> waitOffer(Millis timeout = Millis(10000)) {
    auto message = waitFor<internal::ResourceOffersMessage>(
        [](const internal::ResourceOffersMessage& m) { return m.offers_size() > 0; }, timeout);
    if (!message) return std::nullopt;
    return message->offers(0);
  }

  // ACCEPT `offer` with one LAUNCH of `tasks`.
  void launch(const UPID& master, const OfferID& offer, const std::vector<TaskInfo>& tasks) {
    scheduler::Call accept = call(scheduler::Call::ACCEPT);
    *accept.mutable_accept()->add_offer_ids() = offer;
    Offer::Operation* operation = accept.mutable_accept()->add_operations();
    operation->set_type(Offer::Operation::LAUNCH);
    for (const TaskInfo& task : tasks) *operation->mutable_launch()->add_task_infos() = task;
    send(master, accept);
  }

  // Sends an explicit RECONCILE of `task` and waits for its answer: proof that
  // everything sent before it on this connection has been processed.
  std::optional<internal::StatusUpdateMessage> reconcileSentinel(const UPID& master,
                                                                 const std::string& task) {
    scheduler::Call reconcile = call(scheduler::Call::RECONCILE);
    reconcile.mutable_reconcile()->add_tasks()->mutable_task_id()->set_value(task);
    send(master, reconcile);
    return waitFor<internal::StatusUpdateMessage>([task](const internal::StatusUpdateMessage& m) {
      return m.update().status().task_id().value() == task;
    });
  }

 private:
  void onMessage(Message&& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (message.name == "mesos.internal.StatusUpdateMessage") {
      internal::StatusUpdateMessage update;
      if (update.ParseFromString(message.body)) {
        states_[update.update().status().task_id().value()].push_back(update.update());
      }
    }
    messages_.push_back(std::move(message));
    changed_.notify_all();
  }

  IoThread io_;
  std::unique_ptr<internal::process::Transport> transport_;
  UPID pid_;
  std::string frameworkId_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Message> messages_;
  std::map<std::string, std::vector<internal::StatusUpdate>> states_;
};

}  // namespace testing
}  // namespace mesos
