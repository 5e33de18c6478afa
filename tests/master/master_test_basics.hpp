#pragma once

// The vocabulary of the simulated master's tests: clock aliases, cluster
// options with short intervals, and builders of the protobufs the tests send.

#include <chrono>
#include <string>

#include <mesos/mesos.hpp>
#include <mesos/scheduler.hpp>
#include <mesos/local/cluster.hpp>
#include <mesos/testing/mock_scheduler.hpp>

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

}  // namespace testing
}  // namespace mesos
