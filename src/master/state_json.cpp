// `GET /master/state` (and `/state`): the simulated master's state as JSON, in
// the shape of a real master's (tests/fixtures/real-mesos/master-state.json),
// with the `leader` field third-party drivers poll before registering. Built as
// a google.protobuf.Struct and printed by protobuf's own JSON support.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

Value str(const std::string& s) {
  Value v;
  v.set_string_value(s);
  return v;
}
Value num(double d) {
  Value v;
  v.set_number_value(d);
  return v;
}
Value boolean(bool b) {
  Value v;
  v.set_bool_value(b);
  return v;
}
Value object(Struct s) {
  Value v;
  *v.mutable_struct_value() = std::move(s);
  return v;
}
Value list(ListValue l) {
  Value v;
  *v.mutable_list_value() = std::move(l);
  return v;
}

// Resources as a real master prints them: {"cpus":2,"mem":1024,"disk":0,"ports":"[31000-32000]"}.
Value resourcesJson(const SimpleResources& r) {
  Struct s;
  (*s.mutable_fields())["cpus"] = num(r.cpus);
  (*s.mutable_fields())["mem"] = num(r.mem);
  (*s.mutable_fields())["disk"] = num(r.disk);
  std::string ports = "[";
  for (size_t i = 0; i < r.ports.size(); ++i) {
    ports += (i ? ", " : "") + std::to_string(r.ports[i].first) + "-" +
             std::to_string(r.ports[i].second);
  }
  if (!r.ports.empty()) (*s.mutable_fields())["ports"] = str(ports + "]");
  return object(std::move(s));
}

}  // namespace

std::string SimulatedMaster::stateJson() const {
  Struct root;
  auto& f = *root.mutable_fields();
  f["version"] = str(info_.version());
  f["id"] = str(info_.id());
  f["pid"] = str(pidText_);
  // As Mesos: `leader` names whoever leads (absent while nobody does), so a
  // client that asks a standby is pointed at the leader.
  if (!leaderPid_.empty()) f["leader"] = str(leaderPid_);
  f["hostname"] = str(info_.hostname());
  f["start_time"] = num(startTime_);
  if (leading_) {
    f["elected_time"] = num(startTime_);
    Struct leaderInfo;
    (*leaderInfo.mutable_fields())["id"] = str(info_.id());
    (*leaderInfo.mutable_fields())["pid"] = str(pidText_);
    (*leaderInfo.mutable_fields())["port"] = num(info_.port());
    (*leaderInfo.mutable_fields())["hostname"] = str(info_.hostname());
    f["leader_info"] = object(std::move(leaderInfo));
  }

  ListValue slaves;
  int active = 0;
  for (const auto& agent : agents_) {
    if (!agent->active) continue;
    ++active;
    Struct s;
    auto& a = *s.mutable_fields();
    a["id"] = str(agent->id.value());
    a["pid"] = str(agent->pid.toString());
    a["hostname"] = str(agent->hostname);
    a["active"] = boolean(agent->active);
    a["resources"] = resourcesJson(agent->total);
    a["used_resources"] = resourcesJson(agent->allocated);
    *slaves.add_values() = object(std::move(s));
  }
  f["slaves"] = list(std::move(slaves));
  f["activated_slaves"] = num(active);
  f["deactivated_slaves"] = num(0);

  ListValue frameworks;
  for (const auto& entry : frameworks_) {
    const Framework& fw = *entry.second;
    Struct s;
    auto& x = *s.mutable_fields();
    x["id"] = str(entry.first);
    x["name"] = str(fw.info.name());
    x["pid"] = str(fw.pid.toString());
    x["user"] = str(fw.info.user());
    if (fw.info.has_principal()) x["principal"] = str(fw.info.principal());
    x["hostname"] = str(fw.info.hostname());
    x["failover_timeout"] = num(fw.info.failover_timeout());
    x["active"] = boolean(fw.active);
    x["connected"] = boolean(fw.connected);
    x["registered_time"] = num(fw.registeredTime);
    ListValue tasks;
    for (const auto& task : fw.tasks) {
      Struct t;
      auto& y = *t.mutable_fields();
      y["id"] = str(task.first);
      y["name"] = str(task.second->info.name());
      y["framework_id"] = str(entry.first);
      y["slave_id"] = str(agents_[task.second->agent]->id.value());
      y["state"] = str(TaskState_Name(task.second->state));
      y["resources"] = resourcesJson(task.second->resources);
      *tasks.add_values() = object(std::move(t));
    }
    x["tasks"] = list(std::move(tasks));
    ListValue offers;
    for (const auto& offer : fw.offers) {
      Struct o;
      auto& y = *o.mutable_fields();
      y["id"] = str(offer.first);
      y["framework_id"] = str(entry.first);
      y["slave_id"] = str(agents_[offer.second.agent]->id.value());
      y["resources"] = resourcesJson(offer.second.resources);
      *offers.add_values() = object(std::move(o));
    }
    x["offers"] = list(std::move(offers));
    *frameworks.add_values() = object(std::move(s));
  }
  f["frameworks"] = list(std::move(frameworks));

  ListValue completed;
  for (const FrameworkInfo& info : completedFrameworks_) {
    Struct s;
    (*s.mutable_fields())["id"] = str(info.id().value());
    (*s.mutable_fields())["name"] = str(info.name());
    *completed.add_values() = object(std::move(s));
  }
  f["completed_frameworks"] = list(std::move(completed));

  std::string json;
  google::protobuf::util::MessageToJsonString(root, &json);
  return json;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
