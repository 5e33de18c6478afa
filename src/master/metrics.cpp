// The master's read-only HTTP endpoints, as a real master serves them on its
// port: `/health` (200, empty), `/version`, `/metrics/snapshot` and
// `/master/state` (state_json.cpp). Each answers GET only (and `/health` HEAD
// too), 405 to anything else; query strings are ignored.
//
// `/metrics/snapshot` reports what this master really counts or can compute,
// under a real master's metric names, every value a number: gauges computed
// from the state when read, counters from `count()` at the places that count
// (messages by type, drops, acknowledgements, tasks that ended). A real
// master's other metrics (allocator, registrar, per-framework, event queue
// sizes) have no counterpart here and are absent.

#include <algorithm>
#include <cctype>

#include <glog/logging.h>

#include "common/clock.hpp"
#include "master/build_info.hpp"
#include "master/master_state.hpp"
#include "master/text_json.hpp"
#include "master/webui.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::HttpRequest;
using process::HttpResponse;

namespace {

// Every counter `count()` may add to, so that each is in the snapshot (at 0)
// before it first counts; http_endpoints_test.cpp checks no other name shows.
const char* const kCounters[] = {
    "master/dropped_messages",
    "master/invalid_framework_to_executor_messages",
    "master/invalid_status_update_acknowledgements",
    "master/messages_authenticate",
    "master/messages_deactivate_framework",
    "master/messages_framework_to_executor",
    "master/messages_kill_task",
    "master/messages_launch_tasks",
    "master/messages_reconcile_tasks",
    "master/messages_register_framework",
    "master/messages_reregister_framework",
    "master/messages_resource_request",
    "master/messages_revive_offers",
    "master/messages_status_update_acknowledgement",
    "master/messages_unregister_framework",
    "master/slave_registrations",
    "master/slave_removals",
    "master/tasks_dropped",
    "master/tasks_error",
    "master/tasks_failed",
    "master/tasks_finished",
    "master/tasks_gone",
    "master/tasks_gone_by_operator",
    "master/tasks_killed",
    "master/tasks_lost",
    "master/valid_framework_to_executor_messages",
    "master/valid_status_update_acknowledgements",
    "master/valid_status_updates",
};

// `TASK_GONE_BY_OPERATOR` -> `master/tasks_gone_by_operator`.
std::string taskStateMetric(TaskState state) {
  std::string name = TaskState_Name(state);
  if (name.rfind("TASK_", 0) == 0) name = name.substr(5);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "master/tasks_" + name;
}

std::string versionJson(const std::string& version) {
  const BuildInfo& build = buildInfo();
  TextJson w;
  w.beginObject();
  w.member("version", version);
  if (!build.gitSha.empty()) w.member("git_sha", build.gitSha);
  w.member("build_date", build.date);
  w.member("build_time", build.time);
  w.member("build_user", build.user);
  w.endObject();
  return w.take();
}

}  // namespace

process::Transport::HttpHandler only(std::vector<std::string> allowed,
                                     std::function<HttpResponse(const HttpRequest&)> handler) {
  return [allowed = std::move(allowed), handler = std::move(handler)](const HttpRequest& request) {
    if (std::find(allowed.begin(), allowed.end(), request.method) != allowed.end()) {
      return handler(request);
    }
    std::string list;
    for (const std::string& method : allowed) list += (list.empty() ? "'" : ", '") + method + "'";
    VLOG(1) << "Refusing " << request.method << " " << request.target << ": not one of " << list;
    HttpResponse response(405, "text/plain; charset=utf-8",
                          "Expecting one of { " + list + " }, but received '" + request.method +
                              "'");
    std::string allow;
    for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    response.headers.emplace_back("Allow", allow);
    return response;
  };
}

void SimulatedMaster::countTerminal(TaskState state) { count(taskStateMetric(state)); }

void SimulatedMaster::addReadOnlyRoutes() {
  for (const char* name : kCounters) counters_.emplace(name, 0.0);

  // HEAD is answered like GET: the body is empty either way.
  transport_->addRoute("/health", only({"GET", "HEAD"}, [](const HttpRequest&) {
                         return HttpResponse(200);
                       }));
  transport_->addRoute("/version", only({"GET"}, [this](const HttpRequest&) {
                         return HttpResponse(200, "application/json", versionJson(info_.version()));
                       }));
  transport_->addRoute("/metrics/snapshot", only({"GET"}, [this](const HttpRequest&) {
                         return HttpResponse(200, "application/json", metricsJson());
                       }));
  auto state = only({"GET"}, [this](const HttpRequest&) {
    return HttpResponse(200, "application/json", stateJson());
  });
  transport_->addRoute("/master/state", state);
  transport_->addRoute("/state", state);
  transport_->addRoute("/master/state.json", state);
}

std::map<std::string, double> SimulatedMaster::metrics() const {
  std::map<std::string, double> m(counters_.begin(), counters_.end());

  m["master/uptime_secs"] = nowSeconds() - startTime_;
  m["master/elected"] = leading_ ? 1 : 0;

  double frameworksActive = 0, frameworksConnected = 0, offers = 0;
  std::map<TaskState, double> live;
  SimpleResources total, used;
  for (const auto& entry : frameworks_) {
    const Framework& f = *entry.second;
    frameworksActive += f.active ? 1 : 0;
    frameworksConnected += f.connected ? 1 : 0;
    offers += static_cast<double>(f.offers.size());
    for (const auto& task : f.tasks) {
      if (!isTerminal(task.second->state)) live[task.second->state] += 1;
      if (!task.second->released) used += task.second->resources;
    }
  }
  const double frameworks = static_cast<double>(frameworks_.size());
  m["master/frameworks_active"] = frameworksActive;
  m["master/frameworks_inactive"] = frameworks - frameworksActive;
  m["master/frameworks_connected"] = frameworksConnected;
  m["master/frameworks_disconnected"] = frameworks - frameworksConnected;
  m["master/outstanding_offers"] = offers;
  for (TaskState state : {TASK_STAGING, TASK_STARTING, TASK_RUNNING, TASK_KILLING}) {
    m[taskStateMetric(state)] = live[state];
  }

  // Agents are connected exactly while registered (a removed one is gone).
  double agents = 0;
  for (const auto& agent : agents_) {
    if (!agent->active) continue;
    agents += 1;
    total += agent->total;
  }
  m["master/slaves_active"] = agents;
  m["master/slaves_connected"] = agents;

  auto resource = [&m](const std::string& name, double totalAmount, double usedAmount) {
    m["master/" + name + "_total"] = totalAmount;
    m["master/" + name + "_used"] = usedAmount;
    m["master/" + name + "_percent"] = totalAmount > 0 ? usedAmount / totalAmount : 0;
  };
  resource("cpus", total.cpus, used.cpus);
  resource("mem", total.mem, used.mem);
  resource("disk", total.disk, used.disk);

  // The master's own endpoint (a failover in place starts a new one).
  m["master/messages_received"] =
      transport_ ? static_cast<double>(transport_->stats().messagesReceived) : 0;
  return m;
}

std::string SimulatedMaster::metricsJson() const {
  const std::map<std::string, double> m = metrics();
  TextJson w;
  w.beginObject();
  for (const auto& entry : m) w.member(entry.first, entry.second);
  w.endObject();
  return w.take();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
