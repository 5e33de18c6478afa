// The simulated master's web view on its own port (webui.hpp): `GET /` (and
// `/index.html`) is the page, rendered from the state as it is now; `/app.js`
// its script, which refreshes it; `/webui/tasks` the tasks' last status
// messages and sandboxes, which `/master/state` does not carry (its keys are a
// real master's, tests/master/real_state_test.cpp); `/files/read` and
// `/files/download` the sandboxes' files (files.cpp). The page and script
// answer GET and HEAD, the rest GET only; 405 otherwise, as the JSON
// endpoints (metrics.cpp).

#include "master/webui.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "common/clock.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::HttpRequest;
using process::HttpResponse;

namespace {

// `rack=r1; zone=z1`: attributes as the agents table shows them.
std::string attributesText(const std::vector<Attribute>& attributes) {
  std::string text;
  for (const Attribute& a : attributes) {
    std::string value;
    switch (a.type()) {
      case Value::SCALAR: {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%g", a.scalar().value());
        value = buf;
        break;
      }
      case Value::RANGES:
        for (int i = 0; i < a.ranges().range_size(); ++i) {
          value += (i ? ", " : "[") + std::to_string(a.ranges().range(i).begin()) + "-" +
                   std::to_string(a.ranges().range(i).end());
        }
        value += "]";
        break;
      case Value::SET:
        for (int i = 0; i < a.set().item_size(); ++i) value += (i ? "," : "{") + a.set().item(i);
        value += "}";
        break;
      default:
        value = a.text().value();
    }
    text += (text.empty() ? "" : "; ") + a.name() + "=" + value;
  }
  return text;
}

WebTaskRow taskRow(const TaskInfo& info, const std::string& frameworkId, const std::string& agentId,
                   TaskState state, const std::vector<TaskStatus>& statuses,
                   const std::string& sandbox) {
  WebTaskRow row;
  row.id = info.task_id().value();
  row.name = info.name();
  row.frameworkId = frameworkId;
  row.agentId = agentId;
  row.state = TaskState_Name(state);
  if (!statuses.empty()) {
    row.message = statuses.back().message();
    row.time = statuses.back().timestamp();
  }
  row.sandbox = sandbox;
  return row;
}

// Headers of every page and script: always fresh, never sniffed, and only
// the page's own script and style run.
HttpResponse webResponse(const HttpRequest& request, const char* contentType,
                         std::string_view body) {
  HttpResponse response(200, contentType, request.method == "HEAD" ? "" : std::string(body));
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; "
      "base-uri 'none'; frame-ancestors 'none'");
  return response;
}

}  // namespace

void SimulatedMaster::addWebRoutes() {
  auto page = only({"GET", "HEAD"}, [this](const HttpRequest& request) {
    return webResponse(request, "text/html; charset=utf-8",
                       request.method == "HEAD" ? std::string() : renderPage(webView()));
  });
  transport_->addRoute("/", page);
  transport_->addRoute("/index.html", page);
  transport_->addRoute("/app.js", only({"GET", "HEAD"}, [](const HttpRequest& request) {
                         return webResponse(request, "text/javascript; charset=utf-8",
                                            webuiAppJs());
                       }));
  transport_->addRoute("/webui/tasks", only({"GET"}, [this](const HttpRequest& request) {
                         return webResponse(request, "application/json", webTasksJson(webView()));
                       }));
  transport_->addRoute("/files/read", only({"GET"}, [this](const HttpRequest& request) {
                         return serveSandboxFile(request, false, sandboxes());
                       }));
  transport_->addRoute("/files/download", only({"GET"}, [this](const HttpRequest& request) {
                         return serveSandboxFile(request, true, sandboxes());
                       }));
}

WebView SimulatedMaster::webView() const {
  WebView view;
  view.masterId = info_.id();
  view.version = info_.version();
  view.leader = leaderPid_;
  view.uptimeSecs = nowSeconds() - startTime_;
  view.metrics = metrics();

  std::vector<SimpleResources> agentUsed(agents_.size());
  std::vector<WebTaskRow> tasks;
  for (const auto& entry : frameworks_) {
    const Framework& fw = *entry.second;
    WebFrameworkRow row;
    row.id = entry.first;
    row.name = fw.info.name();
    row.principal = fw.info.principal();
    const std::set<std::string> roles = rolesOf(fw.info);
    row.roles.assign(roles.begin(), roles.end());
    row.active = fw.active;
    row.tasks = fw.tasks.size();
    for (const auto& task : fw.tasks) {
      const Task& t = *task.second;
      if (!t.released) {
        row.used += t.resources;
        agentUsed[t.agent] += t.resources;
      }
      tasks.push_back(taskRow(t.info, entry.first, agents_[t.agent]->id.value(), t.state,
                              t.statuses, t.sandbox));
    }
    for (const auto& offer : fw.offers) row.offered += offer.second.resources;
    for (const CompletedTask& t : fw.completedTasks) {
      tasks.push_back(taskRow(t.info, entry.first, t.slaveId, t.state, t.statuses, t.sandbox));
    }
    view.frameworks.push_back(std::move(row));
  }
  for (const CompletedFramework& fw : completedFrameworks_) {
    WebFrameworkRow row;
    row.id = fw.info.id().value();
    row.name = fw.info.name();
    row.principal = fw.info.principal();
    const std::set<std::string> roles = rolesOf(fw.info);
    row.roles.assign(roles.begin(), roles.end());
    row.completed = true;
    for (const CompletedTask& t : fw.completedTasks) {
      tasks.push_back(taskRow(t.info, row.id, t.slaveId, t.state, t.statuses, t.sandbox));
    }
    view.frameworks.push_back(std::move(row));
  }

  for (size_t i = 0; i < agents_.size(); ++i) {
    const Agent& agent = *agents_[i];
    if (!agent.active) continue;
    view.agents += 1;
    view.agentRows.push_back({agent.id.value(), agent.hostname, agent.total, agentUsed[i],
                              attributesText(agent.attributes)});
  }

  // The latest activity first, as app.js sorts them.
  for (const WebTaskRow& t : tasks) view.tasksByState[t.state] += 1;
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const WebTaskRow& a, const WebTaskRow& b) { return a.time > b.time; });
  if (tasks.size() > kMaxWebTasks) {
    view.tasksOmitted = tasks.size() - kMaxWebTasks;
    tasks.resize(kMaxWebTasks);
  }
  view.tasks = std::move(tasks);
  return view;
}

std::vector<std::string> SimulatedMaster::sandboxes() const {
  // Every sandbox is under <work_dir>/agents/ (agent.cpp); ids are validated
  // (validation.cpp), and this keeps any that were not from reaching out.
  const std::string root = workDir_ + "/agents/";
  std::vector<std::string> all;
  auto add = [&](const std::string& sandbox) {
    if (sandbox.size() > root.size() && sandbox.compare(0, root.size(), root) == 0 &&
        sandbox.find("/../") == std::string::npos) {
      all.push_back(sandbox);
    }
  };
  for (const auto& entry : frameworks_) {
    for (const auto& task : entry.second->tasks) add(task.second->sandbox);
    for (const CompletedTask& t : entry.second->completedTasks) add(t.sandbox);
  }
  for (const CompletedFramework& fw : completedFrameworks_) {
    for (const CompletedTask& t : fw.completedTasks) add(t.sandbox);
  }
  return all;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
