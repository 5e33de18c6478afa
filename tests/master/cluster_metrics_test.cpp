// The simulated master's `/metrics/snapshot` counters for what frameworks
// send over the libprocess wire (src/master/metrics.cpp, legacy_messages.cpp):
// each legacy message is counted by type, and a message the master drops
// (unparsable, for an unknown framework, of an unknown type) is counted in
// `master/dropped_messages`; `master/messages_received` counts every message
// its endpoint took in. The figures of the v1 HTTP API are in
// http_endpoints_test.cpp.

#include <string>

#include "master_test_util.hpp"
#include "raw_framework.hpp"
#include "support/http_get.hpp"

namespace mesos {
namespace testing {
namespace {

class ClusterMetricsTest : public ClusterTest {
 protected:
  Struct metrics() {
    std::string error;
    auto response = httpGet(masterPid().port, "/metrics/snapshot", &error);
    EXPECT_TRUE(response.has_value()) << error;
    if (!response) return Struct();
    EXPECT_EQ(200, response->first);
    return parseState(response->second);
  }

  // Polls /metrics/snapshot until `predicate` holds (10 s); the last read.
  bool waitMetrics(const std::function<bool(const Struct&)>& predicate, Struct* last) {
    const auto deadline = Clock::now() + scaled(Millis(10000));
    while (true) {
      *last = metrics();
      if (predicate(*last)) return true;
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(Millis(5));
    }
  }

  RawFramework framework_;
};

TEST_F(ClusterMetricsTest, LegacyMessagesAndDropsAreCounted) {
  startCluster();
  Struct m = metrics();
  EXPECT_EQ(0, num(m, "master/dropped_messages"));
  const double received = num(m, "master/messages_received");
  EXPECT_EQ(0, received);

  // Unparsable: counted as a KillTaskMessage, and dropped.
  framework_.sendRaw(masterPid(), "mesos.internal.KillTaskMessage", std::string("\xff\xff\xff", 3));
  // For a framework the master does not know: dropped.
  internal::ReviveOffersMessage revive;
  revive.mutable_framework_id()->set_value("no-such-framework");
  framework_.send(masterPid(), revive);
  // Of a type no master handles: dropped.
  framework_.sendRaw(masterPid(), "mesos.internal.NoSuchMessage", "");
  // A registration.
  internal::RegisterFrameworkMessage registration;
  *registration.mutable_framework() = frameworkInfo("metrics");
  framework_.send(masterPid(), registration);

  EXPECT_TRUE(waitMetrics([](const Struct& s) {
    return num(s, "master/messages_register_framework") == 1 &&
           num(s, "master/dropped_messages") == 3;
  }, &m)) << "register " << num(m, "master/messages_register_framework") << ", dropped "
          << num(m, "master/dropped_messages");
  EXPECT_EQ(1, num(m, "master/messages_kill_task"));
  EXPECT_EQ(1, num(m, "master/messages_revive_offers"));
  EXPECT_EQ(received + 4, num(m, "master/messages_received"));
  EXPECT_EQ(1, num(m, "master/frameworks_active"));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
