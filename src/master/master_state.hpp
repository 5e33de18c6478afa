#pragma once

// The simulated master's internal records. Internal to src/master.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "common/backoff.hpp"
#include "master/master.hpp"

namespace mesos {
namespace internal {
namespace master {

// A framework's roles: `roles` with the MULTI_ROLE capability, else its one
// `role` (validation.cpp).
std::set<std::string> rolesOf(const FrameworkInfo& info);

struct SimulatedMaster::Task {
  explicit Task(const Backoff::Policy& retryPolicy) : retryBackoff(retryPolicy) {}

  TaskInfo info;
  size_t agent = 0;
  TaskState state = TASK_STAGING;
  SimpleResources resources;
  bool released = false;  // Resources returned to the agent.
  // State and uuid of the latest update forwarded to the framework.
  std::optional<TaskState> forwardedState;
  // Agent-side status update stream: only the head is in flight.
  std::deque<internal::StatusUpdate> pending;
  // Delays between resends of the oldest pending update; reset by its ack.
  Backoff retryBackoff;
  std::unique_ptr<boost::asio::steady_timer> retryTimer;
  std::unique_ptr<boost::asio::steady_timer> runTimer;
  std::optional<ProcessRunner::Id> process;  // The running command, if any.
  // The sandbox directory of a command run as a real process (its `stdout`
  // and `stderr` files); empty for simulated and executor tasks. Mesos shows
  // an executor's as `directory` in /master/state.
  std::string sandbox;
  bool killing = false;                       // A kill was requested.
  // Every status the task's agent reported, oldest first (`/master/state`).
  std::vector<TaskStatus> statuses;
};

// A task the master no longer tracks, as `/master/state` lists it among a
// framework's `completed_tasks`.
struct SimulatedMaster::CompletedTask {
  TaskInfo info;
  std::string slaveId;
  TaskState state = TASK_STAGING;
  SimpleResources resources;
  std::vector<TaskStatus> statuses;
  std::string sandbox;  // As Task::sandbox.
};

// As a real master: the last 1000 completed tasks of each framework
// (--max_completed_tasks_per_framework).
constexpr size_t kMaxCompletedTasks = 1000;

struct SimulatedMaster::Framework {
  FrameworkInfo info;
  UPID pid;
  bool connected = true;
  bool active = true;
  // Not re-registered since a master failover (`failover()`).
  bool recovered = false;
  std::set<std::string> suppressedRoles;
  struct OutstandingOffer {
    Offer offer;
    size_t agent = 0;
    SimpleResources resources;
    std::unique_ptr<boost::asio::steady_timer> timeout;
  };
  std::map<std::string, OutstandingOffer> offers;
  std::map<std::string, std::unique_ptr<Task>> tasks;
  // Agent index -> offers from it are refused until then (decline filters).
  std::map<size_t, std::chrono::steady_clock::time_point> filters;
  std::optional<process::Transport::LinkId> link;
  std::unique_ptr<boost::asio::steady_timer> failoverTimer;
  double registeredTime = 0;
  double reregisteredTime = 0;    // Last re-registration (0: none).
  double unregisteredTime = 0;    // Last disconnection (0: none).
  std::deque<CompletedTask> completedTasks;  // Oldest first.
  // Terminal updates acknowledged recently, oldest first (kept only with
  // `failoverResendAcknowledged`): what the agents re-send after a failover.
  struct Acknowledged {
    std::chrono::steady_clock::time_point when;
    TaskInfo info;
    size_t agent = 0;
    internal::StatusUpdate update;
  };
  std::deque<Acknowledged> acknowledged;
};

// A removed framework, as `/master/state` lists it in `completed_frameworks`.
struct SimulatedMaster::CompletedFramework {
  FrameworkInfo info;
  double registeredTime = 0;
  double reregisteredTime = 0;
  double unregisteredTime = 0;
  std::deque<CompletedTask> completedTasks;
};

// One v1 SUBSCRIBE's event stream (http_streams.cpp).
struct SimulatedMaster::HttpStream {
  std::string id;  // Its `Mesos-Stream-Id`.
  UPID pid;        // The synthetic address the master sends to.
  bool json = false;  // Else protobuf records.
  std::shared_ptr<process::ResponseStream> stream;
  std::unique_ptr<boost::asio::steady_timer> heartbeat;
};

struct SimulatedMaster::Agent {
  SlaveID id;
  std::unique_ptr<process::Transport> transport;  // The agent's own endpoint.
  UPID pid;
  std::string hostname;
  SimpleResources total;
  SimpleResources allocated;  // Offered plus used by tasks.
  std::vector<Attribute> attributes;
  bool active = true;
  double registeredTime = 0;
};

}  // namespace master
}  // namespace internal
}  // namespace mesos
