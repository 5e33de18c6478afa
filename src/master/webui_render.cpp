// The web view's page rendered on the server (webui.hpp): index.html with its
// tables filled in, so that the data is there without JavaScript. The rows
// have the same cells, classes and wording as those webui/app.js writes when
// it refreshes them; every string from the state is escaped (task names and
// status messages come from frameworks).

#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

#include "master/text_json.hpp"
#include "master/webui.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace {

// As JavaScript's String(number) for the values shown here: the shortest
// text that reads back the same.
std::string number(double value) {
  if (!std::isfinite(value)) return "-";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

// `cpus: 1, mem: 128 MB, disk: 0 MB, ports: [31000-31009]`.
std::string resourcesText(const SimpleResources& r) {
  std::string text = "cpus: " + number(r.cpus) + ", mem: " + number(r.mem) +
                     " MB, disk: " + number(r.disk) + " MB";
  if (!r.ports.empty()) {
    text += ", ports: [";
    for (size_t i = 0; i < r.ports.size(); ++i) {
      text += (i ? ", " : "") + std::to_string(r.ports[i].first) + "-" +
              std::to_string(r.ports[i].second);
    }
    text += "]";
  }
  return text;
}

// `2026-12-06 00:30:12` (UTC); `-` for none.
std::string timeText(double seconds) {
  if (seconds <= 0 || !std::isfinite(seconds)) return "-";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// `1h 2m 3s`, `2m 3s`, `3s`.
std::string uptimeText(double seconds) {
  const long total = seconds > 0 ? static_cast<long>(seconds) : 0;
  const long h = total / 3600, m = total / 60 % 60, s = total % 60;
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m " + std::to_string(s) + "s";
  if (m > 0) return std::to_string(m) + "m " + std::to_string(s) + "s";
  return std::to_string(s) + "s";
}

std::string cell(const std::string& text, const char* cls = nullptr) {
  std::string out = cls ? std::string("<td class=\"") + cls + "\">" : std::string("<td>");
  return out + htmlEscape(text) + "</td>";
}

std::string stateSpan(const std::string& state) {
  return "<span class=\"state state-" + htmlEscape(state) + "\">" + htmlEscape(state) + "</span>";
}

std::string emptyRow(int columns, const char* text) {
  return "<tr><td colspan=\"" + std::to_string(columns) + "\" class=\"empty\">" + text +
         "</td></tr>\n";
}

std::string summaryRow(const std::string& name, const std::string& value) {
  return "<tr><th>" + htmlEscape(name) + "</th>" + cell(value) + "</tr>\n";
}

std::string fileLink(const std::string& sandbox, const char* file) {
  return "<a href=\"/files/download?path=" + htmlEscape(urlEncode(sandbox + "/" + file)) + "\">" +
         file + "</a>";
}

std::string summaryRows(const WebView& view) {
  size_t completed = 0;
  for (const WebFrameworkRow& f : view.frameworks) completed += f.completed ? 1 : 0;
  return summaryRow("Master", view.masterId) + summaryRow("Version", view.version) +
         summaryRow("Leader", view.leader.empty() ? "none" : view.leader) +
         summaryRow("Uptime", uptimeText(view.uptimeSecs)) +
         summaryRow("Agents", std::to_string(view.agents)) +
         summaryRow("Frameworks", std::to_string(view.frameworks.size() - completed)) +
         summaryRow("Completed frameworks", std::to_string(completed));
}

std::string stateRows(const WebView& view) {
  if (view.tasksByState.empty()) return emptyRow(2, "No tasks");
  std::string out;
  for (const auto& entry : view.tasksByState) {
    out += "<tr><th>" + stateSpan(entry.first) + "</th>" + cell(std::to_string(entry.second)) +
           "</tr>\n";
  }
  return out;
}

std::string frameworkRows(const WebView& view) {
  if (view.frameworks.empty()) return emptyRow(8, "No frameworks");
  std::string out;
  for (const WebFrameworkRow& f : view.frameworks) {
    std::string roles;
    for (const std::string& role : f.roles) roles += (roles.empty() ? "" : ", ") + role;
    const char* active = f.completed ? "completed" : f.active ? "yes" : "no";
    out += "<tr>" + cell(f.id, "id") + cell(f.name) + cell(f.principal) + cell(roles) +
           "<td class=\"" + (f.active && !f.completed ? "yes" : "no") + "\">" + active + "</td>" +
           cell(std::to_string(f.tasks)) + cell(resourcesText(f.used)) +
           cell(resourcesText(f.offered)) + "</tr>\n";
  }
  return out;
}

std::string agentRows(const WebView& view) {
  if (view.agentRows.empty()) return emptyRow(5, "No agents");
  std::string out;
  for (const WebAgentRow& a : view.agentRows) {
    out += "<tr>" + cell(a.id, "id") + cell(a.hostname) + cell(resourcesText(a.total)) +
           cell(resourcesText(a.used)) + cell(a.attributes) + "</tr>\n";
  }
  return out;
}

std::string taskRows(const WebView& view) {
  if (view.tasks.empty()) return emptyRow(8, "No tasks");
  std::string out;
  for (const WebTaskRow& t : view.tasks) {
    out +=
        "<tr data-task=\"" + htmlEscape(t.frameworkId + "/" + t.id) + "\">" + cell(t.id, "id") +
        cell(t.name) + cell(t.frameworkId, "id") + cell(t.agentId, "id") + "<td>" +
        stateSpan(t.state) + "</td>" + cell(t.message, "message") + cell(timeText(t.time), "time") +
        "<td class=\"files\">" +
        (t.sandbox.empty() ? std::string("-")
                           : fileLink(t.sandbox, "stdout") + " " + fileLink(t.sandbox, "stderr")) +
        "</td></tr>\n";
  }
  if (view.tasksOmitted > 0) {
    out += emptyRow(8, ("... and " + std::to_string(view.tasksOmitted) + " older tasks").c_str());
  }
  return out;
}

std::string metricRows(const WebView& view) {
  std::string out;
  for (const auto& entry : view.metrics) {
    out += "<tr><th class=\"mono\">" + htmlEscape(entry.first) + "</th>" +
           cell(number(entry.second)) + "</tr>\n";
  }
  return out;
}

void fill(std::string& page, const std::string& marker, const std::string& rows) {
  const std::string tag = "<!--@" + marker + "-->";
  const size_t at = page.find(tag);
  if (at != std::string::npos) page.replace(at, tag.size(), rows);
}

}  // namespace

std::string htmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string urlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string renderPage(const WebView& view) {
  std::string page(webuiIndexHtml());
  fill(page, "summary", summaryRows(view));
  fill(page, "states", stateRows(view));
  fill(page, "frameworks", frameworkRows(view));
  fill(page, "agents", agentRows(view));
  fill(page, "tasks", taskRows(view));
  fill(page, "metrics", metricRows(view));
  return page;
}

std::string webTasksJson(const WebView& view) {
  TextJson w;
  w.beginObject();
  w.key("tasks");
  w.beginArray();
  for (const WebTaskRow& t : view.tasks) {
    w.beginObject();
    w.member("framework_id", t.frameworkId);
    w.member("id", t.id);
    w.member("message", t.message);
    if (!t.sandbox.empty()) w.member("sandbox", t.sandbox);
    w.endObject();
  }
  w.endArray();
  w.endObject();
  return w.take();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
