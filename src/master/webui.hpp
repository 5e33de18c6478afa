#pragma once

// The simulated master's web view (webui.cpp) and its read-only sandbox
// files (files.cpp). Internal to src/master.
//
// The page (src/master/webui/index.html, embedded by
// cmake/embed_files.cmake) is rendered on the server from a WebView, so it
// shows the cluster without JavaScript; its script (webui/app.js) then
// refreshes the same tables from `/master/state`, `/metrics/snapshot` and
// `/webui/tasks` (what a task's row needs that `/master/state` does not say,
// as a real master's does not: its last status message and its sandbox).

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "master/resources.hpp"
#include "process/transport.hpp"

namespace mesos {
namespace internal {
namespace master {

struct WebFrameworkRow {
  std::string id;
  std::string name;
  std::string principal;
  std::vector<std::string> roles;
  bool active = false;
  bool completed = false;  // Removed: among `completed_frameworks`.
  size_t tasks = 0;        // Live tasks.
  SimpleResources used;
  SimpleResources offered;
};

struct WebAgentRow {
  std::string id;
  std::string hostname;
  SimpleResources total;
  SimpleResources used;
  std::string attributes;  // `name=value; ...`
};

struct WebTaskRow {
  std::string id;
  std::string name;
  std::string frameworkId;
  std::string agentId;
  std::string state;    // `TASK_FINISHED`...
  std::string message;  // Of the latest status; from the framework's task: untrusted.
  double time = 0;      // Of the latest status (seconds since the epoch); 0: none.
  std::string sandbox;  // Empty: the task ran no process.
};

struct WebView {
  std::string masterId;
  std::string version;
  std::string leader;  // The leading master's UPID; empty while nobody leads.
  double uptimeSecs = 0;
  size_t agents = 0;
  std::vector<WebFrameworkRow> frameworks;
  std::vector<WebAgentRow> agentRows;
  std::vector<WebTaskRow> tasks;               // At most kMaxWebTasks, live ones first.
  size_t tasksOmitted = 0;                     // Beyond kMaxWebTasks.
  std::map<std::string, size_t> tasksByState;  // All tasks, also the omitted ones.
  std::map<std::string, double> metrics;       // As `/metrics/snapshot`.
};

// Rows of the tasks table, to keep the page small with many completed tasks.
constexpr size_t kMaxWebTasks = 1000;

// The embedded sources (generated from src/master/webui/).
std::string_view webuiIndexHtml();
std::string_view webuiAppJs();

// `text` with `&<>"'` as character references: safe in element content and
// in quoted attribute values.
std::string htmlEscape(const std::string& text);
// `text` percent-encoded for a query string value (RFC 3986 unreserved kept).
std::string urlEncode(const std::string& text);

// The page: index.html with its tables rendered from `view`.
std::string renderPage(const WebView& view);
// `/webui/tasks`: {"tasks":[{"framework_id","id","message","sandbox"}]}.
std::string webTasksJson(const WebView& view);

// Serves `handler` for `allowed` methods only; anything else is a 405 that
// names them, as a real master answers (metrics.cpp).
process::Transport::HttpHandler only(
    std::vector<std::string> allowed,
    std::function<process::HttpResponse(const process::HttpRequest&)> handler);

// `/files/read` (JSON `{"data","offset"}`, Mesos's query parameters `path`,
// `offset`, `length`) and `/files/download` (the bytes as text/plain): a file
// inside one of `sandboxes` (the sandboxes of the tasks the master knows),
// checked on its canonical path and opened without following a symlink; a
// path that is not gets a 4xx and a WARNING line (files.cpp).
process::HttpResponse serveSandboxFile(const process::HttpRequest& request, bool download,
                                       const std::vector<std::string>& sandboxes);

// Read at most this much per `/files/read` and serve files up to this size
// on `/files/download`.
constexpr size_t kMaxFileRead = 1 << 20;
constexpr size_t kMaxFileDownload = 8 << 20;

}  // namespace master
}  // namespace internal
}  // namespace mesos
