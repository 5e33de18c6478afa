// The simulated master's `GET /master/state` against a real Mesos master's
// (tests/fixtures/real-mesos/master-state.json), key by key.
//
// Rule: every key of the real state is in ours, at every level, with the same
// JSON kind (string, number, bool, object, list), except the documented
// differences in kDifferences below. A list is compared through its entries:
// every entry of ours must have every key of the real list's first entry.
//
// The capture was taken before any agent or framework existed, so its `slaves`,
// `frameworks` and the other lists are empty: the keys of agents, frameworks
// and tasks cannot be compared with this capture (the test prints which lists
// were empty). The comparison is generic: a capture with entries in those lists
// makes it compare their keys too, and ours has entries in `slaves`,
// `frameworks` and their `tasks` when it is read.

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
     "operator and agent features the simulated master does not have"},
    {"flags",
     "only the flags the simulated master has (each of them a flag of the real master, "
     "as a string); checked by FlagsAreRealMasterFlags"},
    {"build_date", "not recorded (empty)"},
    {"build_user", "not recorded (empty)"},
};

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
  // Our state with an agent, a framework and a running task, read over
  // HTTP from `/master/state` as a client of mesos-local-master would.
  Struct populatedState() {
    LocalClusterOptions options = fastOptions(1);
    options.realCommands = false;  // A simulated `sleep 30`: nothing to kill at the end.
    startCluster(options);
    framework_.subscribe(masterPid());
    std::optional<Offer> offer = framework_.waitOffer();
    EXPECT_TRUE(offer.has_value());
    if (!offer) return Struct();
    framework_.launch(masterPid(), offer->id(),
                      {commandTask("t", offer->slave_id(), "sleep 30")});
    EXPECT_TRUE(waitForState(*cluster_, [](const Struct& s) {
      for (const Struct& f : structs(s, "frameworks")) {
        if (!structs(f, "tasks").empty()) return true;
      }
      return false;
    })) << "no framework with a task";
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

TEST_F(RealStateTest, FlagsAreRealMasterFlags) {
  const Struct realFlags = sub(parseState(readFixture("master-state.json")), "flags");
  const Struct ourFlags = sub(populatedState(), "flags");
  EXPECT_FALSE(ourFlags.fields().empty());
  for (const auto& entry : ourFlags.fields()) {
    EXPECT_EQ(1u, realFlags.fields().count(entry.first)) << "not a flag of Mesos: " << entry.first;
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
