#pragma once

// `/master/state` as the tests read it: the JSON parsed into a
// google.protobuf.Struct with small accessors, the invariants every state must
// satisfy (checked after every test by ClusterTest), and waiting for a state.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "master_test_basics.hpp"
#include "state_struct.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

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
// listed framework and agent, and each agent's `used_resources` are exactly
// its live tasks' and its `offered_resources` its outstanding offers', as in a
// real master.
inline void expectStateConsistent(const std::string& json, const std::string& masterPid) {
  SCOPED_TRACE("state: " + json);
  const Struct state = parseState(json);
  EXPECT_EQ(masterPid, str(state, "leader"));
  EXPECT_EQ(masterPid, str(state, "pid"));
  EXPECT_FALSE(str(state, "id").empty());

  std::map<std::string, std::pair<double, double>> used;  // Agent id -> {cpus, mem}.
  std::map<std::string, std::pair<double, double>> offered;
  std::map<std::string, Struct> agents;
  for (const Struct& agent : structs(state, "slaves")) {
    const std::string id = str(agent, "id");
    EXPECT_EQ(0u, agents.count(id)) << "duplicate agent " << id;
    agents[id] = agent;
    EXPECT_EQ(0u, str(agent, "pid").rfind("slave(", 0)) << str(agent, "pid");
    used[id] = {0, 0};
    offered[id] = {0, 0};
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
      if (offered.count(str(offer, "slave_id"))) {
        offered[str(offer, "slave_id")].first += num(sub(offer, "resources"), "cpus");
        offered[str(offer, "slave_id")].second += num(sub(offer, "resources"), "mem");
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
    const Struct offeredResources = sub(entry.second, "offered_resources");
    EXPECT_NEAR(offered[entry.first].first, num(offeredResources, "cpus"), 1e-6) << entry.first;
    EXPECT_NEAR(offered[entry.first].second, num(offeredResources, "mem"), 1e-6) << entry.first;
    EXPECT_LE(num(usedResources, "cpus") + num(offeredResources, "cpus"), num(total, "cpus") + 1e-6);
    EXPECT_LE(num(usedResources, "mem") + num(offeredResources, "mem"), num(total, "mem") + 1e-6);
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

}  // namespace testing
}  // namespace mesos
