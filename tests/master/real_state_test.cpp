// The simulated master's `GET /master/state` against a real Mesos master's
// (tests/fixtures/real-mesos/master-state.json), key by key.
//
// Rule: every key of the real state is in ours, at every level, with the same
// JSON kind (string, number, bool, object, list), except the documented
// differences in kDifferences below. A list is compared through its entries:
// every entry of ours must have every key of the real list's first entry.
//
// The capture was taken before any agent or framework existed, so its `slaves`,
// `frameworks` and the other lists are empty. The keys of an agent, a
// framework (with a live task, a completed task and an offer) and their kinds
// are therefore compared with kRealEntries below: the entries a real master
// writes, key names and JSON kinds as its /master/state writer produces them
// (Mesos 1.12), with placeholder values. Keys a real master writes only when
// something is set (`principal`, `labels`, `reregistered_time`, a task's
// `executor_id` of a custom executor...) are left out there; `executors` is
// empty there, as no custom executor runs here. The comparison is generic: a
// capture with entries in its lists makes it compare their keys too.

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "master_test_util.hpp"
#include "support/http_get.hpp"

namespace mesos {
namespace testing {
namespace {

using google::protobuf::Value;

// Keys whose content is intentionally not that of a real master; each must
// still be present in ours, with the same kind.
const std::map<std::string, std::string> kDifferences = {
    {"capabilities",
     "an empty list: the real master's AGENT_UPDATE, AGENT_DRAINING and QUOTA_V2 are "
     "operator and agent features the simulated master does not have "
     "(MasterCapabilitiesAreOnlyImplementedOnes, http_endpoints_test.cpp)"},
    {"flags",
     "only the flags the simulated master has (each of them a flag of the real master, "
     "as a string); checked by FlagsAreRealMasterFlags"},
};

// An agent, a framework, a task, a status and an offer as a real master writes
// them in /master/state (see the header): key names and kinds, not values.
constexpr char kRealEntries[] = R"({
  "slave": {"id": "", "hostname": "", "port": 5051, "attributes": {}, "pid": "",
            "registered_time": 0, "resources": {"cpus": 0, "gpus": 0, "mem": 0, "disk": 0,
            "ports": ""}, "used_resources": {"cpus": 0, "gpus": 0, "mem": 0, "disk": 0},
            "offered_resources": {"cpus": 0, "gpus": 0, "mem": 0, "disk": 0},
            "reserved_resources": {}, "unreserved_resources": {"cpus": 0, "gpus": 0, "mem": 0,
            "disk": 0}, "active": true, "version": "", "capabilities": []},
  "framework": {"id": "", "name": "", "pid": "",
            "used_resources": {"cpus": 0, "gpus": 0, "mem": 0, "disk": 0},
            "offered_resources": {"cpus": 0, "gpus": 0, "mem": 0, "disk": 0},
            "capabilities": [], "hostname": "", "webui_url": "", "active": true,
            "connected": true, "recovered": false, "user": "", "failover_timeout": 0,
            "checkpoint": false, "registered_time": 0, "unregistered_time": 0,
            "resources": {"cpus": 0, "gpus": 0, "mem": 0, "disk": 0}, "role": "",
            "tasks": [{"id": "", "name": "", "framework_id": "", "executor_id": "",
                       "slave_id": "", "state": "", "resources": {"cpus": 0, "gpus": 0,
                       "mem": 0, "disk": 0}, "role": "",
                       "statuses": [{"state": "", "timestamp": 0}]}],
            "unreachable_tasks": [],
            "completed_tasks": [{"id": "", "name": "", "framework_id": "", "executor_id": "",
                       "slave_id": "", "state": "", "resources": {"cpus": 0, "gpus": 0,
                       "mem": 0, "disk": 0}, "role": "",
                       "statuses": [{"state": "", "timestamp": 0}]}],
            "offers": [{"id": "", "framework_id": "", "allocation_info": {"role": ""},
                        "slave_id": "", "resources": {"cpus": 0, "gpus": 0, "mem": 0,
                        "disk": 0}}],
            "executors": []}
})";

std::string kindOf(const Value& v) {
  switch (v.kind_case()) {
    case Value::kNullValue: return "null";
    case Value::kNumberValue: return "number";
    case Value::kStringValue: return "string";
    case Value::kBoolValue: return "bool";
    case Value::kStructValue: return "object";
    case Value::kListValue: return "list";
    default: return "unset";
  }
}

struct Comparison {
  std::vector<std::string> missing;         // "path: why"
  std::vector<std::string> emptyRealLists;  // Levels the capture cannot speak for.
  size_t keysCompared = 0;
};

void compare(const Value& real, const Value& ours, const std::string& path, Comparison* out) {
  if (kindOf(real) != kindOf(ours)) {
    out->missing.push_back(path + ": a " + kindOf(real) + " in the real state, a " +
                           kindOf(ours) + " in ours");
    return;
  }
  if (kDifferences.count(path) != 0) return;
  if (real.kind_case() == Value::kStructValue) {
    for (const auto& entry : real.struct_value().fields()) {
      const std::string key = path.empty() ? entry.first : path + "." + entry.first;
      ++out->keysCompared;
      auto it = ours.struct_value().fields().find(entry.first);
      if (it == ours.struct_value().fields().end()) {
        out->missing.push_back(key + ": absent from ours");
        continue;
      }
      compare(entry.second, it->second, key, out);
    }
  } else if (real.kind_case() == Value::kListValue) {
    if (real.list_value().values().empty()) {
      out->emptyRealLists.push_back(path);
      return;
    }
    if (ours.list_value().values().empty()) {
      out->missing.push_back(path + ": real entries, none in ours to compare");
      return;
    }
    for (int i = 0; i < ours.list_value().values_size(); ++i) {
      compare(real.list_value().values(0), ours.list_value().values(i),
              path + "[" + std::to_string(i) + "]", out);
    }
  }
}

class RealStateTest : public ClusterTest {
 protected:
  // Our state with an agent, a framework with a running task, a completed
  // task and an outstanding offer, read over HTTP from `/master/state` as a
  // client of mesos-local-master would.
  Struct populatedState() {
    LocalClusterOptions options = fastOptions(1);
    options.realCommands = false;  // A simulated `sleep 30`: nothing to kill at the end.
    startCluster(options);
    framework_.subscribe(masterPid());
    std::optional<Offer> offer = framework_.waitOffer();
    EXPECT_TRUE(offer.has_value());
    if (!offer) return Struct();
    // Unfiltered, so what the tasks leave is offered again at once.
    scheduler::Call accept = framework_.call(scheduler::Call::ACCEPT);
    *accept.mutable_accept()->add_offer_ids() = offer->id();
    accept.mutable_accept()->mutable_filters()->set_refuse_seconds(0);
    Offer::Operation* operation = accept.mutable_accept()->add_operations();
    operation->set_type(Offer::Operation::LAUNCH);
    *operation->mutable_launch()->add_task_infos() =
        commandTask("t", offer->slave_id(), "sleep 30");
    *operation->mutable_launch()->add_task_infos() = commandTask("done", offer->slave_id(), "true");
    framework_.send(masterPid(), accept);
    // `done` finishes; its acknowledged terminal update makes it completed.
    // Only the oldest unacknowledged update of a task is in flight, so every
    // update is acknowledged as it comes.
    std::set<std::string> acknowledged;
    auto acknowledgeAll = [&] {
      for (const auto& m : framework_.all<internal::StatusUpdateMessage>()) {
        if (!m.update().has_uuid() || !acknowledged.insert(m.update().uuid()).second) continue;
        scheduler::Call ack = framework_.call(scheduler::Call::ACKNOWLEDGE);
        *ack.mutable_acknowledge()->mutable_slave_id() = m.update().slave_id();
        *ack.mutable_acknowledge()->mutable_task_id() = m.update().status().task_id();
        ack.mutable_acknowledge()->set_uuid(m.update().uuid());
        framework_.send(masterPid(), ack);
      }
    };
    EXPECT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
      acknowledgeAll();
      for (const Struct& f : structs(s, "frameworks")) {
        if (!structs(f, "tasks").empty() && !structs(f, "completed_tasks").empty() &&
            !structs(f, "offers").empty()) {
          return true;
        }
      }
      return false;
    })) << "no framework with a task, a completed task and an offer";
    std::string error;
    auto response = httpGet(masterPid().port, "/master/state", &error);
    EXPECT_TRUE(response.has_value()) << error;
    if (!response) return Struct();
    EXPECT_EQ(200, response->first);
    return parseState(response->second);
  }

  RawFramework framework_;
};

TEST_F(RealStateTest, EveryKeyOfARealMastersStateIsInOurs) {
  const Struct realState = parseState(readFixture("master-state.json"));
  ASSERT_FALSE(realState.fields().empty());
  const Struct ourState = populatedState();
  ASSERT_FALSE(ourState.fields().empty());
  Value real, ours;
  *real.mutable_struct_value() = realState;
  *ours.mutable_struct_value() = ourState;
  Comparison comparison;
  compare(real, ours, "", &comparison);
  EXPECT_TRUE(comparison.missing.empty()) << ::testing::PrintToString(comparison.missing);
  EXPECT_EQ(realState.fields_size() + 4u /* leader_info's */, comparison.keysCompared);
  std::cout << comparison.keysCompared << " keys compared; empty in the capture, so not "
            << "compared below: " << ::testing::PrintToString(comparison.emptyRealLists) << "\n";
  // Ours does have the levels the capture lacks.
  EXPECT_FALSE(structs(ourState, "slaves").empty());
  ASSERT_FALSE(structs(ourState, "frameworks").empty());
  EXPECT_FALSE(structs(structs(ourState, "frameworks")[0], "tasks").empty());
}

// The levels the capture has no entry for, against kRealEntries.
TEST_F(RealStateTest, EveryKeyOfARealMastersAgentFrameworkAndTaskIsInOurs) {
  const Struct real = parseState(kRealEntries);
  const Struct ourState = populatedState();
  ASSERT_EQ(1u, structs(ourState, "slaves").size());
  ASSERT_EQ(1u, structs(ourState, "frameworks").size());
  for (const auto& level : {std::make_pair("slave", structs(ourState, "slaves")[0]),
                            std::make_pair("framework", structs(ourState, "frameworks")[0])}) {
    Value realEntry, ourEntry;
    *realEntry.mutable_struct_value() = sub(real, level.first);
    *ourEntry.mutable_struct_value() = level.second;
    Comparison comparison;
    compare(realEntry, ourEntry, level.first, &comparison);
    EXPECT_TRUE(comparison.missing.empty()) << ::testing::PrintToString(comparison.missing);
    EXPECT_GT(comparison.keysCompared, 10u) << level.first;
    std::cout << level.first << ": " << comparison.keysCompared << " keys compared; not compared: "
              << ::testing::PrintToString(comparison.emptyRealLists) << "\n";
  }
  // Values, where the simulated master knows them.
  const Struct agent = structs(ourState, "slaves")[0];
  EXPECT_EQ("rack-0", str(sub(agent, "attributes"), "rack"));
  EXPECT_EQ(static_cast<double>(internal::process::UPID::parse(str(agent, "pid")).get().port),
            num(agent, "port"));
  const Struct framework = structs(ourState, "frameworks")[0];
  EXPECT_EQ("*", str(framework, "role"));
  const Struct completed = structs(framework, "completed_tasks")[0];
  EXPECT_EQ("done", str(completed, "id"));
  EXPECT_EQ("TASK_FINISHED", str(completed, "state"));
  std::vector<std::string> states;
  for (const Struct& status : structs(completed, "statuses")) states.push_back(str(status, "state"));
  ASSERT_GE(states.size(), 2u);  // At least TASK_RUNNING, then the end.
  EXPECT_EQ("TASK_RUNNING", states[states.size() - 2]);
  EXPECT_EQ("TASK_FINISHED", states.back());
  EXPECT_EQ("", str(completed, "executor_id"));
}

TEST_F(RealStateTest, FlagsAreRealMasterFlags) {
  const Struct realFlags = sub(parseState(readFixture("master-state.json")), "flags");
  const Struct ourFlags = sub(populatedState(), "flags");
  EXPECT_FALSE(ourFlags.fields().empty());
  // Flags of a real master that the capture lacks because they were unset there.
  const std::set<std::string> unsetInCapture = {"offer_timeout", "zk", "log_dir"};
  for (const auto& entry : ourFlags.fields()) {
    EXPECT_TRUE(realFlags.fields().count(entry.first) == 1 || unsetInCapture.count(entry.first))
        << "not a flag of Mesos: " << entry.first;
    EXPECT_EQ("string", kindOf(entry.second)) << entry.first;
  }
  // The same spelling as the real master for the flags both have the same value of.
  EXPECT_EQ(str(realFlags, "authenticate_frameworks"), str(ourFlags, "authenticate_frameworks"));
  EXPECT_EQ(str(realFlags, "authentication_v0_timeout"),
            str(ourFlags, "authentication_v0_timeout"));
  EXPECT_EQ(str(realFlags, "ip"), str(ourFlags, "ip"));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
