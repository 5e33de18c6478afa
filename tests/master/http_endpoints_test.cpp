// The simulated master's read-only HTTP endpoints on its own port, as a real
// master's (src/master/metrics.cpp): `/health`, `/version`,
// `/metrics/snapshot`, `/master/state` and `/master/redirect`; GET only (HEAD
// for `/health`), 405 otherwise; odd query strings are harmless. And the
// MasterInfo capabilities: only those the simulated master implements.
//
// Rules checked:
//  * `/health` is 200 with an empty body.
//  * `/version` has exactly the keys of a real master's (`git_*` only from a
//    git checkout), with the build stamp of `/master/state`.
//  * `/metrics/snapshot` is an object of numbers under real metric names
//    (kMesosMetricNames), the same names before and after traffic, and its
//    figures follow what happens (frameworks, offers, tasks, updates,
//    acknowledgements, resources in use).
//  * A leading master's `/master/redirect` is a 307 to itself.
//  * No capability is claimed beyond kImplementedMasterCapabilities.

#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "http_api_fixture.hpp"
#include "state_struct.hpp"

namespace mesos {
namespace testing {
namespace {

// MasterInfo capabilities the simulated master implements. A real master's
// AGENT_UPDATE, AGENT_DRAINING and QUOTA_V2 concern agents and operator APIs
// it does not have.
const std::set<std::string> kImplementedMasterCapabilities = {};

// Metric names of a real Mesos master (its /metrics/snapshot) that the
// simulated master reports.
const std::set<std::string> kMesosMetricNames = {
    "master/cpus_percent", "master/cpus_total", "master/cpus_used",
    "master/disk_percent", "master/disk_total", "master/disk_used",
    "master/dropped_messages", "master/elected",
    "master/frameworks_active", "master/frameworks_connected",
    "master/frameworks_disconnected", "master/frameworks_inactive",
    "master/invalid_framework_to_executor_messages",
    "master/invalid_status_update_acknowledgements",
    "master/mem_percent", "master/mem_total", "master/mem_used",
    "master/messages_authenticate", "master/messages_deactivate_framework",
    "master/messages_framework_to_executor", "master/messages_kill_task",
    "master/messages_launch_tasks", "master/messages_reconcile_tasks",
    "master/messages_received", "master/messages_register_framework",
    "master/messages_reregister_framework", "master/messages_resource_request",
    "master/messages_revive_offers", "master/messages_status_update_acknowledgement",
    "master/messages_unregister_framework", "master/outstanding_offers",
    "master/slave_registrations", "master/slave_removals",
    "master/slaves_active", "master/slaves_connected",
    "master/tasks_dropped", "master/tasks_error", "master/tasks_failed",
    "master/tasks_finished", "master/tasks_gone", "master/tasks_gone_by_operator",
    "master/tasks_killed", "master/tasks_killing", "master/tasks_lost",
    "master/tasks_running", "master/tasks_staging", "master/tasks_starting",
    "master/uptime_secs",
    "master/valid_framework_to_executor_messages",
    "master/valid_status_update_acknowledgements", "master/valid_status_updates",
};

const char* const kGetOnlyPaths[] = {"/version", "/metrics/snapshot", "/master/state", "/state",
                                     "/master/state.json"};

std::set<std::string> keysOf(const Struct& s) {
  const std::vector<std::string> all = keys(s);
  return std::set<std::string>(all.begin(), all.end());
}

class HttpEndpointsTest : public HttpApiTest {
 protected:
  Struct get(const std::string& path) {
    HttpResult result = httpRequest(port_, "GET", path, "", "");
    EXPECT_EQ(200, result.status) << path;
    EXPECT_EQ("application/json", result.header("Content-Type")) << path;
    return parseState(result.body);
  }

  // Polls /metrics/snapshot (every 5 ms) until `predicate` holds or 10 s.
  bool waitForMetrics(const std::function<bool(const Struct&)>& predicate, Struct* last) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(10));
    while (true) {
      *last = get("/metrics/snapshot");
      if (predicate(*last)) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
};

TEST_F(HttpEndpointsTest, HealthIsAnEmpty200) {
  startMaster();
  for (const char* method : {"GET", "HEAD"}) {
    HttpResult result = httpRequest(port_, method, "/health", "", "");
    EXPECT_EQ(200, result.status) << method;
    EXPECT_EQ("", result.body) << method;
    EXPECT_EQ("", result.header("Content-Type")) << method;
  }
}

TEST_F(HttpEndpointsTest, VersionHasTheKeysOfARealMaster) {
  startMaster();
  const Struct version = get("/version");
  const std::set<std::string> allowed = {"version",    "git_sha",    "git_branch", "git_tag",
                                         "build_date", "build_time", "build_user"};
  for (const std::string& key : keysOf(version)) EXPECT_EQ(1u, allowed.count(key)) << key;
  EXPECT_EQ(io_.run([this] { return master_->info().version(); }), str(version, "version"));
  // `YYYY-MM-DD HH:MM:SS`, and the same instant as `build_time`.
  const std::string date = str(version, "build_date");
  ASSERT_EQ(19u, date.size()) << date;
  EXPECT_EQ('-', date[4]);
  EXPECT_EQ(' ', date[10]);
  EXPECT_GT(num(version, "build_time"), 1.5e9);
  std::tm tm{};
  ASSERT_NE(nullptr, strptime(date.c_str(), "%Y-%m-%d %H:%M:%S", &tm)) << date;
  EXPECT_DOUBLE_EQ(static_cast<double>(timegm(&tm)), num(version, "build_time"));
  const auto* user = field(version, "build_user");
  ASSERT_NE(nullptr, user);
  EXPECT_TRUE(user->has_string_value());
  if (const auto* sha = field(version, "git_sha")) {
    ASSERT_TRUE(sha->has_string_value());
    EXPECT_EQ(40u, sha->string_value().size());
    for (char c : sha->string_value()) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c)));
  }
  // `/master/state` carries the same stamp.
  const Struct state = get("/master/state");
  for (const char* key : {"version", "git_sha", "build_date", "build_user"}) {
    EXPECT_EQ(str(version, key), str(state, key)) << key;
  }
  EXPECT_EQ(num(version, "build_time"), num(state, "build_time"));
}

TEST_F(HttpEndpointsTest, OnlyGetIsServed) {
  startMaster();
  for (const char* path : kGetOnlyPaths) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "HEAD"}) {
      HttpResult result = httpRequest(port_, method, path, "application/json", "{}");
      EXPECT_EQ(405, result.status) << method << " " << path;
      EXPECT_EQ("GET", result.header("Allow")) << method << " " << path;
    }
  }
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    HttpResult result = httpRequest(port_, method, "/health", "", "");
    EXPECT_EQ(405, result.status) << method;
    EXPECT_EQ("GET, HEAD", result.header("Allow")) << method;
  }
  // A refused request leaves the endpoint working.
  EXPECT_EQ(200, httpRequest(port_, "GET", "/master/state", "", "").status);
}

TEST_F(HttpEndpointsTest, OddQueryStringsAreHarmless) {
  startMaster();
  const std::string odd[] = {"?", "?%", "?%zz&&==&", "?jsonp=<script>", "?timeout=-1secs",
                             "?a=" + std::string(2000, 'x'), "??#frag"};
  for (const char* path : kGetOnlyPaths) {
    for (const std::string& query : odd) {
      HttpResult result = httpRequest(port_, "GET", path + query, "", "");
      ASSERT_EQ(200, result.status) << path << query;
      EXPECT_FALSE(keys(parseState(result.body)).empty()) << path << query;
    }
  }
  EXPECT_EQ(200, httpRequest(port_, "GET", "/health?%00", "", "").status);
  // Far past what a request line may hold: refused, and the master goes on.
  httpRequest(port_, "GET", "/metrics/snapshot?" + std::string(1 << 20, 'q'), "", "");
  EXPECT_EQ(200, httpRequest(port_, "GET", "/health", "", "").status);
}

TEST_F(HttpEndpointsTest, RedirectOfALeaderPointsAtItself) {
  startMaster();
  for (const char* path : {"/master/redirect", "/redirect", "/master/redirect?x=%zz"}) {
    HttpResult result = httpRequest(port_, "GET", path, "", "");
    EXPECT_EQ(307, result.status) << path;
    EXPECT_EQ("//127.0.0.1:" + std::to_string(port_), result.header("Location")) << path;
  }
}

TEST_F(HttpEndpointsTest, MasterCapabilitiesAreOnlyImplementedOnes) {
  startMaster();
  const MasterInfo info = io_.run([this] { return master_->info(); });
  for (const auto& capability : info.capabilities()) {
    EXPECT_EQ(1u, kImplementedMasterCapabilities.count(
                      MasterInfo::Capability::Type_Name(capability.type())))
        << "claimed: " << MasterInfo::Capability::Type_Name(capability.type());
  }
  // What frameworks are told, and what /master/state shows.
  FrameworkID id;
  auto stream = std::make_unique<EventStream>(port_, kProtobuf, v1SubscribeBody(frameworkInfo()),
                                              Headers{{"Accept", kProtobuf}});
  std::optional<Event> subscribed = stream->nextEvent();
  ASSERT_TRUE(subscribed && subscribed->type() == Event::SUBSCRIBED);
  EXPECT_EQ(info.capabilities_size(), subscribed->subscribed().master_info().capabilities_size());
  const Struct state = get("/master/state");
  const auto* listed = field(state, "capabilities");
  ASSERT_NE(nullptr, listed);
  ASSERT_TRUE(listed->has_list_value());
  EXPECT_EQ(info.capabilities_size(), listed->list_value().values_size());
  for (const auto& value : listed->list_value().values()) {
    EXPECT_EQ(1u, kImplementedMasterCapabilities.count(value.string_value())) << value.string_value();
  }
}

TEST_F(HttpEndpointsTest, MetricsFollowWhatHappens) {
  startMaster();
  const Struct initial = get("/metrics/snapshot");
  const std::set<std::string> names = keysOf(initial);
  for (const std::string& name : names) {
    EXPECT_TRUE(field(initial, name)->kind_case() == google::protobuf::Value::kNumberValue) << name;
    EXPECT_EQ(1u, kMesosMetricNames.count(name)) << "not a Mesos metric: " << name;
  }
  for (const std::string& name : kMesosMetricNames) EXPECT_EQ(1u, names.count(name)) << name;
  EXPECT_EQ(1, num(initial, "master/elected"));
  EXPECT_GE(num(initial, "master/uptime_secs"), 0);
  EXPECT_EQ(1, num(initial, "master/slaves_active"));
  EXPECT_EQ(1, num(initial, "master/slave_registrations"));
  EXPECT_EQ(4, num(initial, "master/cpus_total"));
  EXPECT_EQ(4096, num(initial, "master/mem_total"));
  EXPECT_EQ(0, num(initial, "master/frameworks_active"));
  EXPECT_EQ(0, num(initial, "master/cpus_used"));

  // A failover timeout, so that a closed stream leaves it disconnected (not
  // removed at once).
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  FrameworkID id;
  auto stream = subscribe(&id, info);
  const Headers sid = streamHeader(*stream);
  std::optional<Event> offers = stream->waitFor(Event::OFFERS);
  ASSERT_TRUE(offers);
  const Offer offer = offers->offers().offers(0);
  Struct m;
  ASSERT_TRUE(waitForMetrics([](const Struct& s) {
    return num(s, "master/frameworks_active") == 1 && num(s, "master/outstanding_offers") == 1;
  }, &m)) << "frameworks_active " << num(m, "master/frameworks_active");
  EXPECT_EQ(1, num(m, "master/frameworks_connected"));
  EXPECT_EQ(0, num(m, "master/frameworks_disconnected"));
  EXPECT_EQ(0, num(m, "master/frameworks_inactive"));

  // A long task and a short one: 1.5 CPUs in use, then the short one finishes.
  Call accept = callFor(id, Call::ACCEPT);
  *accept.mutable_accept()->add_offer_ids() = offer.id();
  Offer::Operation* op = accept.mutable_accept()->add_operations();
  op->set_type(Offer::Operation::LAUNCH);
  for (const auto& spec : {std::make_pair("long", 1.0), std::make_pair("short", 0.5)}) {
    TaskInfo* task = op->mutable_launch()->add_task_infos();
    task->set_name(spec.first);
    task->mutable_task_id()->set_value(spec.first);
    *task->mutable_slave_id() = offer.slave_id();
    task->mutable_command()->set_value(std::string(spec.first) == "long" ? "sleep 60" : "true");
    Resource* cpus = task->add_resources();
    cpus->set_name("cpus");
    cpus->set_type(Value::SCALAR);
    cpus->mutable_scalar()->set_value(spec.second);
  }
  ASSERT_EQ(202, postCall(port_, accept, sid).status);

  // Acknowledge every update of both tasks until `short` has finished (each
  // once: one resent before its acknowledgement arrived comes again).
  size_t acknowledged = 0;
  std::set<std::string> uuids;
  bool finished = false;
  while (!finished) {
    std::optional<Event> update = stream->waitFor(Event::UPDATE);
    ASSERT_TRUE(update) << "no update after " << acknowledged << " acknowledgements";
    const TaskStatus& status = update->update().status();
    if (!uuids.insert(status.uuid()).second) continue;
    finished = status.task_id().value() == "short" && status.state() == TASK_FINISHED;
    Call ack = callFor(id, Call::ACKNOWLEDGE);
    *ack.mutable_acknowledge()->mutable_slave_id() = status.slave_id();
    *ack.mutable_acknowledge()->mutable_task_id() = status.task_id();
    ack.mutable_acknowledge()->set_uuid(status.uuid());
    ASSERT_EQ(202, postCall(port_, ack, sid).status);
    ++acknowledged;
  }
  ASSERT_TRUE(waitForMetrics([&](const Struct& s) {
    return num(s, "master/tasks_finished") == 1 && num(s, "master/tasks_running") == 1 &&
           num(s, "master/valid_status_update_acknowledgements") ==
               static_cast<double>(acknowledged);
  }, &m)) << "tasks_finished " << num(m, "master/tasks_finished") << ", running "
          << num(m, "master/tasks_running") << ", acknowledgements "
          << num(m, "master/valid_status_update_acknowledgements") << " of " << acknowledged;
  EXPECT_EQ(1, num(m, "master/cpus_used"));  // `long` only.
  EXPECT_DOUBLE_EQ(0.25, num(m, "master/cpus_percent"));
  EXPECT_GE(num(m, "master/valid_status_updates"), static_cast<double>(acknowledged));
  EXPECT_EQ(0, num(m, "master/tasks_failed"));
  EXPECT_EQ(0, num(m, "master/invalid_status_update_acknowledgements"));

  // An acknowledgement of an unknown task is counted as invalid.
  Call bogus = callFor(id, Call::ACKNOWLEDGE);
  *bogus.mutable_acknowledge()->mutable_slave_id() = offer.slave_id();
  bogus.mutable_acknowledge()->mutable_task_id()->set_value("nonexistent");
  bogus.mutable_acknowledge()->set_uuid(*uuids.begin());  // A well-formed uuid.
  ASSERT_EQ(202, postCall(port_, bogus, sid).status);
  // A kill ends `long`: one task killed.
  Call kill = callFor(id, Call::KILL);
  kill.mutable_kill()->mutable_task_id()->set_value("long");
  ASSERT_EQ(202, postCall(port_, kill, sid).status);
  EXPECT_TRUE(waitForMetrics([](const Struct& s) {
    return num(s, "master/invalid_status_update_acknowledgements") == 1 &&
           num(s, "master/tasks_killed") == 1 && num(s, "master/tasks_running") == 0 &&
           num(s, "master/cpus_used") == 0;
  }, &m)) << "invalid acknowledgements " << num(m, "master/invalid_status_update_acknowledgements")
          << ", killed " << num(m, "master/tasks_killed");

  // The stream closes: the framework is disconnected and inactive.
  stream.reset();
  EXPECT_TRUE(waitForMetrics([](const Struct& s) {
    return num(s, "master/frameworks_disconnected") == 1 &&
           num(s, "master/frameworks_inactive") == 1 && num(s, "master/frameworks_active") == 0;
  }, &m));
  EXPECT_EQ(names, keysOf(m)) << "the same names throughout";
}

}  // namespace
}  // namespace testing
}  // namespace mesos
