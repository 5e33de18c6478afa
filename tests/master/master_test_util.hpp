#pragma once

// Helpers for the simulated master's tests (local_cluster_test.cpp,
// master_bad_input_test.cpp):
//
//  * `Recorder`: a NiceMock<MockScheduler> whose callbacks are recorded (with the
//    time they ran) so that a test can wait for "the first RUNNING of task t" or
//    "an offer from agent S1 after index n" with a deadline;
//  * `RawFramework`: a libprocess process of the test's own on a Transport (as
//    tests/support/fake_master.cpp does), to send the master exactly the bytes a
//    driver never would and to see exactly what comes back;
//  * `/master/state` parsed into a google.protobuf.Struct, plus a consistency
//    check run after every test.
//
// Every wait has a deadline; nothing synchronises with a fixed sleep.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <mesos/mesos.hpp>
#include <mesos/scheduler.hpp>
#include <mesos/local/cluster.hpp>
#include <mesos/testing/mock_scheduler.hpp>
#include <mesos/type_utils.hpp>
#include <messages/messages.pb.h>

#include "process/transport.hpp"
#include "support/io_thread.hpp"
#include "support/latch.hpp"

namespace mesos {
namespace testing {

using local::LocalCluster;
using local::LocalClusterOptions;
using mock::MockScheduler;

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

inline long long millisSince(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<Millis>(to - from).count();
}

// ---- Cluster options ------------------------------------------------------------

// Short intervals so that every test finishes in well under a second or two.
inline LocalClusterOptions fastOptions(int agents = 1) {
  LocalClusterOptions options;
  options.agents = agents;
  options.allocationInterval = Millis(50);
  options.taskRunTime = Millis(100);
  options.statusUpdateRetry = Millis(200);
  return options;
}

// ---- Protobuf builders ----------------------------------------------------------

inline Resource scalar(const std::string& name, double value) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

inline TaskID taskId(const std::string& value) {
  TaskID id;
  id.set_value(value);
  return id;
}

inline OfferID offerId(const std::string& value) {
  OfferID id;
  id.set_value(value);
  return id;
}

inline Filters refuseFor(double seconds) {
  Filters f;
  f.set_refuse_seconds(seconds);
  return f;
}

// A command task on `slave` using `cpus` and 32 MB.
inline TaskInfo commandTask(const std::string& id, const SlaveID& slave,
                            const std::string& command = "true", double cpus = 0.5) {
  TaskInfo task;
  task.set_name("task " + id);
  task.mutable_task_id()->set_value(id);
  *task.mutable_slave_id() = slave;
  *task.add_resources() = scalar("cpus", cpus);
  *task.add_resources() = scalar("mem", 32);
  task.mutable_command()->set_value(command);
  return task;
}

// A task of the agents' built-in (simulated) executor `executor`: it runs until
// killed or until the framework sends the executor "finish", whether or not the
// cluster runs command tasks as real processes.
inline TaskInfo executorTask(const std::string& id, const SlaveID& slave,
                             const std::string& executor = "exec", double cpus = 0.5) {
  TaskInfo task;
  task.set_name("task " + id);
  task.mutable_task_id()->set_value(id);
  *task.mutable_slave_id() = slave;
  *task.add_resources() = scalar("cpus", cpus);
  *task.add_resources() = scalar("mem", 32);
  task.mutable_executor()->mutable_executor_id()->set_value(executor);
  task.mutable_executor()->mutable_command()->set_value("built-in executor");
  return task;
}

inline FrameworkInfo frameworkInfo(const std::string& name = "local-cluster-test") {
  FrameworkInfo info;
  info.set_name(name);
  info.set_user("tester");
  return info;
}

inline void addCapability(FrameworkInfo* info, FrameworkInfo::Capability::Type type) {
  info->add_capabilities()->set_type(type);
}

// ---- /master/state --------------------------------------------------------------

using google::protobuf::ListValue;
using google::protobuf::Struct;

inline Struct parseState(const std::string& json) {
  Struct state;
  auto status = google::protobuf::util::JsonStringToMessage(json, &state);
  EXPECT_TRUE(status.ok()) << "state JSON does not parse: " << status.ToString() << "\n" << json;
  return state;
}

inline const google::protobuf::Value* field(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

inline std::string str(const Struct& s, const std::string& key) {
  const auto* v = field(s, key);
  return v != nullptr && v->has_string_value() ? v->string_value() : std::string();
}

inline double num(const Struct& s, const std::string& key) {
  const auto* v = field(s, key);
  return v != nullptr && v->kind_case() == google::protobuf::Value::kNumberValue ? v->number_value()
                                                                                 : -1;
}

inline std::vector<Struct> structs(const Struct& s, const std::string& key) {
  std::vector<Struct> out;
  const auto* v = field(s, key);
  if (v == nullptr || !v->has_list_value()) return out;
  for (const auto& item : v->list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

inline Struct sub(const Struct& s, const std::string& key) {
  const auto* v = field(s, key);
  return v != nullptr && v->has_struct_value() ? v->struct_value() : Struct();
}

// The framework `id` in state["frameworks"] (or state["completed_frameworks"]).
inline std::optional<Struct> findFramework(const Struct& state, const std::string& id,
                                           const std::string& list = "frameworks") {
  for (const Struct& f : structs(state, list)) {
    if (str(f, "id") == id) return f;
  }
  return std::nullopt;
}

inline std::optional<Struct> findTask(const Struct& state, const std::string& taskId) {
  for (const Struct& f : structs(state, "frameworks")) {
    for (const Struct& t : structs(f, "tasks")) {
      if (str(t, "id") == taskId) return t;
    }
  }
  return std::nullopt;
}

// Checks the invariants every /master/state must satisfy: it parses, `leader`
// and `pid` are the master, ids are unique, every task and offer names a
// listed framework and agent, and each agent's used resources are exactly its
// outstanding offers plus its live tasks.
inline void expectStateConsistent(const std::string& json, const std::string& masterPid) {
  SCOPED_TRACE("state: " + json);
  const Struct state = parseState(json);
  EXPECT_EQ(masterPid, str(state, "leader"));
  EXPECT_EQ(masterPid, str(state, "pid"));
  EXPECT_FALSE(str(state, "id").empty());

  std::map<std::string, std::pair<double, double>> used;  // Agent id -> {cpus, mem}.
  std::map<std::string, Struct> agents;
  for (const Struct& agent : structs(state, "slaves")) {
    const std::string id = str(agent, "id");
    EXPECT_EQ(0u, agents.count(id)) << "duplicate agent " << id;
    agents[id] = agent;
    EXPECT_EQ(0u, str(agent, "pid").rfind("slave(", 0)) << str(agent, "pid");
    used[id] = {0, 0};
  }
  EXPECT_EQ(static_cast<double>(agents.size()), num(state, "activated_slaves"));

  std::set<std::string> frameworkIds;
  std::set<std::string> offerIds;
  for (const Struct& framework : structs(state, "frameworks")) {
    const std::string id = str(framework, "id");
    EXPECT_TRUE(frameworkIds.insert(id).second) << "duplicate framework " << id;
    std::set<std::string> taskIds;
    for (const Struct& task : structs(framework, "tasks")) {
      EXPECT_TRUE(taskIds.insert(str(task, "id")).second) << "duplicate task " << str(task, "id");
      EXPECT_EQ(id, str(task, "framework_id"));
      EXPECT_EQ(1u, agents.count(str(task, "slave_id"))) << "task on unknown agent";
      TaskState taskState = TASK_STAGING;
      EXPECT_TRUE(TaskState_Parse(str(task, "state"), &taskState)) << str(task, "state");
      const bool terminal = taskState == TASK_FINISHED || taskState == TASK_FAILED ||
                            taskState == TASK_KILLED || taskState == TASK_LOST ||
                            taskState == TASK_ERROR || taskState == TASK_DROPPED ||
                            taskState == TASK_GONE || taskState == TASK_GONE_BY_OPERATOR;
      if (!terminal && used.count(str(task, "slave_id"))) {
        used[str(task, "slave_id")].first += num(sub(task, "resources"), "cpus");
        used[str(task, "slave_id")].second += num(sub(task, "resources"), "mem");
      }
    }
    for (const Struct& offer : structs(framework, "offers")) {
      EXPECT_TRUE(offerIds.insert(str(offer, "id")).second) << "duplicate offer";
      EXPECT_EQ(id, str(offer, "framework_id"));
      EXPECT_EQ(1u, agents.count(str(offer, "slave_id"))) << "offer of unknown agent";
      if (used.count(str(offer, "slave_id"))) {
        used[str(offer, "slave_id")].first += num(sub(offer, "resources"), "cpus");
        used[str(offer, "slave_id")].second += num(sub(offer, "resources"), "mem");
      }
    }
  }
  for (const Struct& completed : structs(state, "completed_frameworks")) {
    EXPECT_EQ(0u, frameworkIds.count(str(completed, "id")))
        << "framework " << str(completed, "id") << " both active and completed";
  }
  for (const auto& entry : agents) {
    const Struct usedResources = sub(entry.second, "used_resources");
    const Struct total = sub(entry.second, "resources");
    EXPECT_NEAR(used[entry.first].first, num(usedResources, "cpus"), 1e-6) << entry.first;
    EXPECT_NEAR(used[entry.first].second, num(usedResources, "mem"), 1e-6) << entry.first;
    EXPECT_LE(num(usedResources, "cpus"), num(total, "cpus") + 1e-6);
    EXPECT_LE(num(usedResources, "mem"), num(total, "mem") + 1e-6);
  }
}

// Polls /master/state (every 5 ms) until `predicate` holds or the deadline.
inline bool waitForState(const LocalCluster& cluster, const std::function<bool(const Struct&)>& predicate,
                         Millis timeout = Millis(10000)) {
  const auto deadline = Clock::now() + scaled(timeout);
  while (true) {
    if (predicate(parseState(cluster.stateJson()))) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(Millis(5));
  }
}

// ---- Recorder: a MockScheduler whose callbacks are recorded ---------------------

class Recorder {
 public:
  struct TimedOffer {
    Clock::time_point at;
    Offer offer;
  };
  struct TimedStatus {
    Clock::time_point at;
    TaskStatus status;
  };
  struct FrameworkMessage {
    ExecutorID executor;
    SlaveID slave;
    std::string data;
  };

  // Runs on the driver's callback thread for every resourceOffers(); set it
  // before the driver starts.
  std::function<void(SchedulerDriver*, const std::vector<Offer>&)> onOffers;

  Recorder() {
    using ::testing::_;
    using ::testing::Invoke;
    ON_CALL(mock, registered(_, _, _))
        .WillByDefault(Invoke([this](SchedulerDriver*, const FrameworkID& id, const MasterInfo& info) {
          std::lock_guard<std::recursive_mutex> lock(mutex_);
          frameworkId_ = id;
          masterInfo_ = info;
          ++registrations_;
          changed_.notify_all();
        }));
    ON_CALL(mock, reregistered(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const MasterInfo&) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      ++reregistrations_;
      changed_.notify_all();
    }));
    ON_CALL(mock, resourceOffers(_, _))
        .WillByDefault(Invoke([this](SchedulerDriver* driver, const std::vector<Offer>& offers) {
          {
            std::lock_guard<std::recursive_mutex> lock(mutex_);
            for (const Offer& offer : offers) offers_.push_back({Clock::now(), offer});
            changed_.notify_all();
          }
          if (onOffers) onOffers(driver, offers);
        }));
    ON_CALL(mock, offerRescinded(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const OfferID& id) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      rescinded_.push_back(id.value());
      rescindedAt_[id.value()] = Clock::now();
      changed_.notify_all();
    }));
    ON_CALL(mock, statusUpdate(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const TaskStatus& s) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      statuses_.push_back({Clock::now(), s});
      changed_.notify_all();
    }));
    ON_CALL(mock, frameworkMessage(_, _, _, _))
        .WillByDefault(Invoke([this](SchedulerDriver*, const ExecutorID& e, const SlaveID& s,
                                     const std::string& data) {
          std::lock_guard<std::recursive_mutex> lock(mutex_);
          messages_.push_back({e, s, data});
          changed_.notify_all();
        }));
    ON_CALL(mock, slaveLost(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const SlaveID& id) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      lostAgents_.push_back(id.value());
      changed_.notify_all();
    }));
    ON_CALL(mock, error(_, _)).WillByDefault(Invoke([this](SchedulerDriver*, const std::string& m) {
      std::lock_guard<std::recursive_mutex> lock(mutex_);
      errors_.push_back(m);
      changed_.notify_all();
    }));
  }

  Scheduler* scheduler() { return &mock; }

  // Waits for `predicate()` (called under the lock) to hold.
  bool waitFor(const std::function<bool()>& predicate, Millis timeout = Millis(10000)) {
    std::unique_lock<std::recursive_mutex> lock(mutex_);
    return changed_.wait_for(lock, scaled(timeout), predicate);
  }

  bool waitRegistered(Millis timeout = Millis(10000)) {
    return waitFor([this] { return registrations_ > 0; }, timeout);
  }

  // The first offer at index >= `from` satisfying `predicate`.
  std::optional<TimedOffer> waitOffer(size_t from, const std::function<bool(const Offer&)>& predicate = {},
                                      Millis timeout = Millis(10000)) {
    std::optional<TimedOffer> found;
    waitFor([&] {
      for (size_t i = from; i < offers_.size(); ++i) {
        if (!predicate || predicate(offers_[i].offer)) {
          found = offers_[i];
          return true;
        }
      }
      return false;
    }, timeout);
    return found;
  }

  // The first status update of `task` (at index >= `from`) satisfying `predicate`.
  std::optional<TimedStatus> waitStatus(const std::string& task,
                                        const std::function<bool(const TaskStatus&)>& predicate = {},
                                        size_t from = 0, Millis timeout = Millis(10000)) {
    std::optional<TimedStatus> found;
    waitFor([&] {
      for (size_t i = from; i < statuses_.size(); ++i) {
        const TaskStatus& s = statuses_[i].status;
        if (s.task_id().value() == task && (!predicate || predicate(s))) {
          found = statuses_[i];
          return true;
        }
      }
      return false;
    }, timeout);
    return found;
  }

  std::optional<TimedStatus> waitState(const std::string& task, TaskState state, size_t from = 0,
                                       Millis timeout = Millis(10000)) {
    return waitStatus(task, [state](const TaskStatus& s) { return s.state() == state; }, from, timeout);
  }

  size_t offerCount() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return offers_.size();
  }
  size_t statusCount() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return statuses_.size();
  }
  std::vector<TimedOffer> offers() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return offers_;
  }
  std::vector<TimedStatus> statuses() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return statuses_;
  }
  std::vector<TaskState> statesOf(const std::string& task) const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::vector<TaskState> out;
    for (const auto& s : statuses_) {
      if (s.status.task_id().value() == task) out.push_back(s.status.state());
    }
    return out;
  }
  std::vector<std::string> rescinded() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return rescinded_;
  }
  Clock::time_point rescindedAt(const std::string& offer) const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    auto it = rescindedAt_.find(offer);
    return it == rescindedAt_.end() ? Clock::time_point() : it->second;
  }
  std::vector<std::string> lostAgents() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return lostAgents_;
  }
  std::vector<FrameworkMessage> messages() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return messages_;
  }
  std::vector<std::string> errors() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return errors_;
  }
  std::optional<FrameworkID> frameworkId() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return frameworkId_;
  }
  MasterInfo masterInfo() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return masterInfo_;
  }
  int registrations() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return registrations_;
  }

  ::testing::NiceMock<MockScheduler> mock;

 private:
  // Recursive: waitFor() predicates run under the lock and may call the accessors.
  mutable std::recursive_mutex mutex_;
  std::condition_variable_any changed_;
  std::optional<FrameworkID> frameworkId_;
  MasterInfo masterInfo_;
  int registrations_ = 0;
  int reregistrations_ = 0;
  std::vector<TimedOffer> offers_;
  std::vector<TimedStatus> statuses_;
  std::vector<std::string> rescinded_;
  std::map<std::string, Clock::time_point> rescindedAt_;
  std::vector<std::string> lostAgents_;
  std::vector<FrameworkMessage> messages_;
  std::vector<std::string> errors_;
};

// ---- RawFramework: a scheduler process the test drives byte by byte -------------

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

// ---- Fixture --------------------------------------------------------------------

class ClusterTest : public ::testing::Test {
 protected:
  void startCluster(const LocalClusterOptions& options = fastOptions()) {
    std::string error;
    cluster_ = LocalCluster::start(options, &error);
    ASSERT_NE(nullptr, cluster_) << error;
  }

  // Every test ends with a parseable, consistent /master/state.
  void TearDown() override {
    if (cluster_) expectStateConsistent(cluster_->stateJson(), cluster_->master());
  }

  Struct state() const { return parseState(cluster_->stateJson()); }
  internal::process::UPID masterPid() const {
    return internal::process::UPID::parse(cluster_->master()).get();
  }

  std::unique_ptr<LocalCluster> cluster_;
};

}  // namespace testing
}  // namespace mesos
