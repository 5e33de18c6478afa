// `GET /master/state` (and `/state`, `/master/state.json`): the simulated
// master's state as JSON, with the keys and JSON kinds of a real master's
// (tests/fixtures/real-mesos/master-state.json for the master's own keys;
// frameworks, agents and tasks as a real master writes them, listed in
// tests/master/real_state_test.cpp and compared there key by key), including
// the `leader` field third-party drivers poll before registering.
//
// Written as text in a real master's key order (text_json.hpp says why not
// through google.protobuf.Struct).

#include <chrono>
#include <set>
#include <string>

#include <glog/logging.h>

#include "master/build_info.hpp"
#include "master/json_writer.hpp"
#include "master/master_state.hpp"
#include "master/text_json.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace {

// Resources as a real master prints them:
// {"cpus":2,"gpus":0,"mem":1024,"disk":0,"ports":"[31000-32000]"}. This
// master has no GPUs, so `gpus` is always 0.
void resourcesJson(TextJson& w, const SimpleResources& r) {
  w.beginObject();
  w.member("cpus", r.cpus);
  w.member("gpus", 0.0);
  w.member("mem", r.mem);
  w.member("disk", r.disk);
  if (!r.ports.empty()) {
    std::string ports = "[";
    for (size_t i = 0; i < r.ports.size(); ++i) {
      ports += (i ? ", " : "") + std::to_string(r.ports[i].first) + "-" +
               std::to_string(r.ports[i].second);
    }
    w.member("ports", ports + "]");
  }
  w.endObject();
}

// A duration as Mesos prints its flags: "500ms", "1secs", "15secs", "10mins".
std::string durationText(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 60000 == 0 && ms != 0) return std::to_string(ms / 60000) + "mins";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "secs";
  return std::to_string(ms) + "ms";
}

// Agent attributes as a real master shows them: an object from name to value,
// a scalar as a number, text as a string, ranges and sets in Mesos's syntax.
void attributesJson(TextJson& w, const std::vector<Attribute>& attributes) {
  w.beginObject();
  for (const Attribute& a : attributes) {
    switch (a.type()) {
      case Value::SCALAR:
        w.member(a.name(), a.scalar().value());
        break;
      case Value::RANGES: {
        std::string text = "[";
        for (int i = 0; i < a.ranges().range_size(); ++i) {
          text += (i ? ", " : "") + std::to_string(a.ranges().range(i).begin()) + "-" +
                  std::to_string(a.ranges().range(i).end());
        }
        w.member(a.name(), text + "]");
        break;
      }
      case Value::SET: {
        std::string text = "{";
        for (int i = 0; i < a.set().item_size(); ++i) text += (i ? "," : "") + a.set().item(i);
        w.member(a.name(), text + "}");
        break;
      }
      default:
        w.member(a.name(), a.text().value());
    }
  }
  w.endObject();
}

// Labels as a list of {"key","value"} objects.
void labelsJson(TextJson& w, const Labels& labels) {
  w.beginArray();
  for (const Label& label : labels.labels()) w.raw(mesosJson(label));
  w.endArray();
}

// The role a task's resources are allocated to: their `allocation_info`
// (MULTI_ROLE frameworks), else the framework's one role.
std::string taskRole(const TaskInfo& task, const FrameworkInfo& framework) {
  for (const Resource& r : task.resources()) {
    if (r.has_allocation_info() && r.allocation_info().has_role()) return r.allocation_info().role();
  }
  const std::set<std::string> roles = rolesOf(framework);
  return roles.empty() ? "*" : *roles.begin();
}

// A `zk://` URL without its `user:password@`: flags must not show secrets.
std::string withoutCredentials(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t slash = url.find('/', scheme + 3);
  if (slash != std::string::npos && slash < at) return url;
  return url.substr(0, scheme + 3) + url.substr(at + 1);
}

// What a task looks like in `/master/state`, live or completed.
struct TaskView {
  const TaskInfo& info;
  const std::string& frameworkId;
  const std::string& slaveId;
  TaskState state;
  const SimpleResources& resources;
  const std::vector<TaskStatus>& statuses;
  const std::string& role;
};

void taskJson(TextJson& w, const TaskView& t) {
  w.beginObject();
  w.member("id", t.info.task_id().value());
  w.member("name", t.info.name());
  w.member("framework_id", t.frameworkId);
  // Empty for a command task, as in a real master.
  w.member("executor_id", t.info.has_executor() ? t.info.executor().executor_id().value() : "");
  w.member("slave_id", t.slaveId);
  w.member("state", TaskState_Name(t.state));
  w.key("resources");
  resourcesJson(w, t.resources);
  w.member("role", t.role);
  w.key("statuses");
  w.beginArray();
  for (const TaskStatus& status : t.statuses) {
    w.beginObject();
    w.member("state", TaskState_Name(status.state()));
    w.member("timestamp", status.timestamp());
    if (status.has_labels()) {
      w.key("labels");
      labelsJson(w, status.labels());
    }
    if (status.has_container_status()) {
      w.key("container_status");
      w.raw(mesosJson(status.container_status()));
    }
    if (status.has_healthy()) w.member("healthy", status.healthy());
    w.endObject();
  }
  w.endArray();
  if (t.info.has_labels()) {
    w.key("labels");
    labelsJson(w, t.info.labels());
  }
  if (t.info.has_discovery()) {
    w.key("discovery");
    w.raw(mesosJson(t.info.discovery()));
  }
  if (t.info.has_container()) {
    w.key("container");
    w.raw(mesosJson(t.info.container()));
  }
  if (t.info.has_health_check()) {
    w.key("health_check");
    w.raw(mesosJson(t.info.health_check()));
  }
  w.endObject();
}

// `Tasks`: SimulatedMaster::CompletedTask records (private to it).
template <typename Tasks>
void completedTasksJson(TextJson& w, const std::string& frameworkId, const FrameworkInfo& info,
                        const Tasks& tasks) {
  w.key("completed_tasks");
  w.beginArray();
  for (const auto& task : tasks) {
    const std::string role = taskRole(task.info, info);
    taskJson(w, {task.info, frameworkId, task.slaveId, task.state, task.resources, task.statuses,
                 role});
  }
  w.endArray();
}

// The part of a framework's entry every framework has, live or completed.
struct FrameworkView {
  const FrameworkInfo& info;
  bool active = false;
  bool connected = false;
  bool recovered = false;
  double registeredTime = 0;
  double reregisteredTime = 0;
  double unregisteredTime = 0;
};

void frameworkHead(TextJson& w, const FrameworkView& f, const std::optional<std::string>& pid,
                   const SimpleResources& used, const SimpleResources& offered) {
  w.member("id", f.info.id().value());
  w.member("name", f.info.name());
  if (pid) w.member("pid", *pid);
  w.key("used_resources");
  resourcesJson(w, used);
  w.key("offered_resources");
  resourcesJson(w, offered);
  // As the framework sent them.
  w.key("capabilities");
  w.beginArray();
  for (const auto& c : f.info.capabilities()) {
    w.value(FrameworkInfo::Capability::Type_Name(c.type()));
  }
  w.endArray();
  w.member("hostname", f.info.hostname());
  w.member("webui_url", f.info.webui_url());
  w.member("active", f.active);
  w.member("connected", f.connected);
  w.member("recovered", f.recovered);
  w.member("user", f.info.user());
  w.member("failover_timeout", f.info.failover_timeout());
  w.member("checkpoint", f.info.checkpoint());
  w.member("registered_time", f.registeredTime);
  w.member("unregistered_time", f.unregisteredTime);
  if (f.info.has_principal()) w.member("principal", f.info.principal());
  SimpleResources total = used;
  total += offered;
  w.key("resources");
  resourcesJson(w, total);
  // Only when it differs from `registered_time`, as in a real master.
  if (f.reregisteredTime != 0 && f.reregisteredTime != f.registeredTime) {
    w.member("reregistered_time", f.reregisteredTime);
  }
  bool multiRole = false;
  for (const auto& c : f.info.capabilities()) {
    multiRole |= c.type() == FrameworkInfo::Capability::MULTI_ROLE;
  }
  if (multiRole) {
    w.key("roles");
    w.beginArray();
    for (const std::string& role : f.info.roles()) w.value(role);
    w.endArray();
  } else {
    // The single role (deprecated in FrameworkInfo, still what a master shows).
    w.member("role", *rolesOf(f.info).begin());
  }
}

}  // namespace

std::string SimulatedMaster::stateJson() const {
  const BuildInfo& build = buildInfo();
  TextJson w;
  w.beginObject();
  w.member("version", info_.version());
  if (!build.gitSha.empty()) w.member("git_sha", build.gitSha);
  w.member("build_date", build.date);
  w.member("build_time", build.time);
  w.member("build_user", build.user);
  w.member("start_time", startTime_);
  if (leading_ && electedTime_ != 0) w.member("elected_time", electedTime_);
  w.member("id", info_.id());
  w.member("pid", pidText_);
  w.member("hostname", info_.hostname());
  w.key("capabilities");
  w.beginArray();
  for (const auto& c : info_.capabilities()) w.value(MasterInfo::Capability::Type_Name(c.type()));
  w.endArray();

  int active = 0;
  for (const auto& agent : agents_) active += agent->active ? 1 : 0;
  w.member("activated_slaves", static_cast<double>(active));
  // Removed agents are gone, not deactivated; none is ever unreachable.
  w.member("deactivated_slaves", 0.0);
  w.member("unreachable_slaves", 0.0);
  // As Mesos: `leader` names whoever leads (absent while nobody does), so a
  // client that asks a standby is pointed at the leader.
  if (!leaderPid_.empty()) w.member("leader", leaderPid_);
  if (leaderInfo_) {
    w.key("leader_info");
    w.beginObject();
    w.member("id", leaderInfo_->id());
    w.member("pid", leaderInfo_->pid());
    w.member("port", static_cast<double>(leaderInfo_->port()));
    w.member("hostname", leaderInfo_->hostname());
    w.endObject();
  }
  if (!FLAGS_log_dir.empty()) w.member("log_dir", std::string(FLAGS_log_dir));

  // The options of this master that are flags of a real one, in Mesos's
  // names and syntax (the fixed limits it applies are listed too).
  w.key("flags");
  w.beginObject();
  w.member("allocation_interval", durationText(options_.allocationInterval));
  w.member("authenticate_frameworks", options_.authenticateFrameworks ? "true" : "false");
  w.member("authenticate_http_frameworks", options_.authenticateHttpFrameworks ? "true" : "false");
  w.member("authentication_v0_timeout", durationText(options_.authenticationTimeout));
  w.member("ip", options_.ip);
  if (!FLAGS_log_dir.empty()) w.member("log_dir", std::string(FLAGS_log_dir));
  w.member("max_completed_frameworks", "50");
  w.member("max_completed_tasks_per_framework", std::to_string(kMaxCompletedTasks));
  if (options_.offerTimeout) w.member("offer_timeout", durationText(*options_.offerTimeout));
  w.member("port", std::to_string(pid_.port));
  w.member("work_dir", workDir_);
  if (options_.zk) {
    w.member("zk", withoutCredentials(*options_.zk));
    w.member("zk_session_timeout", durationText(options_.zkSessionTimeout));
  }
  w.endObject();

  // Per agent: what its tasks use and what is offered (`allocated` is both).
  std::vector<SimpleResources> used(agents_.size());
  std::vector<SimpleResources> offered(agents_.size());
  for (const auto& entry : frameworks_) {
    for (const auto& task : entry.second->tasks) {
      if (!task.second->released) used[task.second->agent] += task.second->resources;
    }
    for (const auto& offer : entry.second->offers) {
      offered[offer.second.agent] += offer.second.resources;
    }
  }

  w.key("slaves");
  w.beginArray();
  for (size_t i = 0; i < agents_.size(); ++i) {
    const Agent& agent = *agents_[i];
    if (!agent.active) continue;
    w.beginObject();
    w.member("id", agent.id.value());
    w.member("hostname", agent.hostname);
    w.member("port", static_cast<double>(agent.pid.port));
    w.key("attributes");
    attributesJson(w, agent.attributes);
    w.member("pid", agent.pid.toString());
    w.member("registered_time", agent.registeredTime);
    w.key("resources");
    resourcesJson(w, agent.total);
    w.key("used_resources");
    resourcesJson(w, used[i]);
    w.key("offered_resources");
    resourcesJson(w, offered[i]);
    // No reservations: every resource is unreserved.
    w.key("reserved_resources");
    w.beginObject();
    w.endObject();
    w.key("unreserved_resources");
    resourcesJson(w, agent.total);
    w.member("active", agent.active);
    w.member("version", info_.version());
    // The agent features a real agent declares (MULTI_ROLE, RESIZE_VOLUME, ...)
    // concern reservations, volumes and agent-side APIs this one lacks.
    w.emptyArray("capabilities");
    w.endObject();
  }
  w.endArray();
  // No registry to recover agents from.
  w.emptyArray("recovered_slaves");

  w.key("frameworks");
  w.beginArray();
  for (const auto& entry : frameworks_) {
    const Framework& fw = *entry.second;
    SimpleResources fwUsed, fwOffered;
    for (const auto& task : fw.tasks) {
      if (!task.second->released) fwUsed += task.second->resources;
    }
    for (const auto& offer : fw.offers) fwOffered += offer.second.resources;
    w.beginObject();
    FrameworkView view{fw.info, fw.active, fw.connected, fw.recovered, fw.registeredTime,
                       fw.reregisteredTime, fw.unregisteredTime};
    // An HTTP framework has no address (its UPID here is the master's own name
    // for its event stream).
    frameworkHead(w, view,
                  isHttpScheduler(fw.pid) ? std::nullopt
                                          : std::optional<std::string>(fw.pid.toString()),
                  fwUsed, fwOffered);
    w.key("tasks");
    w.beginArray();
    for (const auto& task : fw.tasks) {
      const Task& t = *task.second;
      const std::string role = taskRole(t.info, fw.info);
      taskJson(w, {t.info, entry.first, agents_[t.agent]->id.value(), t.state, t.resources,
                   t.statuses, role});
    }
    w.endArray();
    // Agents are never unreachable here: a removed agent's tasks are lost.
    w.emptyArray("unreachable_tasks");
    completedTasksJson(w, entry.first, fw.info, fw.completedTasks);
    w.key("offers");
    w.beginArray();
    for (const auto& offer : fw.offers) {
      w.beginObject();
      w.member("id", offer.first);
      w.member("framework_id", entry.first);
      w.key("allocation_info");
      w.beginObject();
      w.member("role", offer.second.offer.allocation_info().has_role()
                           ? offer.second.offer.allocation_info().role()
                           : taskRole(TaskInfo(), fw.info));
      w.endObject();
      w.member("slave_id", agents_[offer.second.agent]->id.value());
      w.key("resources");
      resourcesJson(w, offer.second.resources);
      w.endObject();
    }
    w.endArray();
    // Custom executors, once per agent, while a task of theirs is there.
    w.key("executors");
    w.beginArray();
    std::set<std::pair<size_t, std::string>> seen;
    for (const auto& task : fw.tasks) {
      const Task& t = *task.second;
      if (!t.info.has_executor() || t.released) continue;
      const ExecutorInfo& executor = t.info.executor();
      if (!seen.insert({t.agent, executor.executor_id().value()}).second) continue;
      w.beginObject();
      w.member("executor_id", executor.executor_id().value());
      w.member("name", executor.name());
      w.member("framework_id", entry.first);
      w.key("command");
      w.raw(mesosJson(executor.command()));
      Try<SimpleResources> resources = SimpleResources::from(executor.resources());
      w.key("resources");
      resourcesJson(w, resources.isError() ? SimpleResources() : resources.get());
      if (executor.resources_size() > 0) w.member("role", taskRole(TaskInfo(), fw.info));
      if (executor.has_labels()) {
        w.key("labels");
        labelsJson(w, executor.labels());
      }
      if (executor.has_type()) w.member("type", ExecutorInfo::Type_Name(executor.type()));
      w.member("slave_id", agents_[t.agent]->id.value());
      w.endObject();
    }
    w.endArray();
    if (fw.info.has_labels()) {
      w.key("labels");
      labelsJson(w, fw.info.labels());
    }
    w.endObject();
  }
  w.endArray();

  w.key("completed_frameworks");
  w.beginArray();
  for (const CompletedFramework& fw : completedFrameworks_) {
    w.beginObject();
    FrameworkView view{fw.info, false, false, false, fw.registeredTime, fw.reregisteredTime,
                       fw.unregisteredTime};
    frameworkHead(w, view, std::nullopt, SimpleResources(), SimpleResources());
    w.emptyArray("tasks");
    w.emptyArray("unreachable_tasks");
    completedTasksJson(w, fw.info.id().value(), fw.info, fw.completedTasks);
    w.emptyArray("offers");
    w.emptyArray("executors");
    w.endObject();
  }
  w.endArray();
  // Tasks of unknown frameworks exist only after a master failover with agents
  // re-registering, which the simulated master does not have.
  w.emptyArray("orphan_tasks");
  w.emptyArray("unregistered_frameworks");
  w.endObject();
  return w.take();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
