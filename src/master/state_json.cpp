// `GET /master/state` (and `/state`): the simulated master's state as JSON, in
// the shape of a real master's (tests/fixtures/real-mesos/master-state.json,
// compared key by key in tests/master/real_state_test.cpp), with the `leader`
// field third-party drivers poll before registering.
//
// Written directly as text, keys in a real master's order and without
// whitespace (`"principal":"alice"`). Not through google.protobuf.Struct: its map
// fields have another layout in ThreadSanitizer-instrumented code than in the
// uninstrumented libprotobuf, so building a Struct crashes a TSan build, and
// this endpoint must work in every build.

#include <charconv>
#include <chrono>
#include <cmath>
#include <string>

#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace {

// A minimal JSON writer: the caller nests begin/end calls; commas are automatic.
class JsonWriter {
 public:
  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }

  // An object member's name; its value is the next value written.
  void key(const std::string& name) {
    comma();
    string(name);
    out_ += ':';
    afterKey_ = true;
  }

  void value(const std::string& s) {
    comma();
    string(s);
  }
  void value(const char* s) { value(std::string(s)); }
  void value(double d) {
    comma();
    if (!std::isfinite(d)) {
      out_ += "null";  // JSON has no NaN or infinity.
      return;
    }
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof(buf), d);
    out_.append(buf, result.ptr);
  }
  void value(bool b) {
    comma();
    out_ += b ? "true" : "false";
  }

  // key(name) then value(v), for any value().
  template <typename T>
  void member(const std::string& name, const T& v) {
    key(name);
    value(v);
  }

  std::string take() { return std::move(out_); }

 private:
  void open(char c) {
    comma();
    out_ += c;
    first_ = true;
  }
  void close(char c) {
    out_ += c;
    first_ = false;
  }
  void comma() {
    if (afterKey_) {
      afterKey_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  void string(const std::string& s) {
    out_ += '"';
    for (const char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            static const char kHex[] = "0123456789abcdef";
            out_ += "\\u00";
            out_ += kHex[(c >> 4) & 0xf];
            out_ += kHex[c & 0xf];
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;      // Nothing written yet in the current object or array.
  bool afterKey_ = false;  // The next value belongs to the key just written.
};

// Resources as a real master prints them: {"cpus":2,"mem":1024,"disk":0,"ports":"[31000-32000]"}.
void resourcesJson(JsonWriter& w, const SimpleResources& r) {
  w.beginObject();
  w.member("cpus", r.cpus);
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

void emptyArray(JsonWriter& w, const std::string& name) {
  w.key(name);
  w.beginArray();
  w.endArray();
}

}  // namespace

std::string SimulatedMaster::stateJson() const {
  JsonWriter w;
  w.beginObject();
  w.member("version", info_.version());
  // A real master's build stamp; not recorded here (reproducible builds).
  w.member("build_date", "");
  w.member("build_time", 0.0);
  w.member("build_user", "");
  w.member("start_time", startTime_);
  if (leading_) w.member("elected_time", startTime_);
  w.member("id", info_.id());
  w.member("pid", pidText_);
  w.member("hostname", info_.hostname());
  // A real master lists AGENT_UPDATE, AGENT_DRAINING, QUOTA_V2: operator and
  // agent features the simulated master does not have, so it claims none.
  emptyArray(w, "capabilities");

  int active = 0;
  for (const auto& agent : agents_) active += agent->active ? 1 : 0;
  w.member("activated_slaves", static_cast<double>(active));
  w.member("deactivated_slaves", 0.0);
  w.member("unreachable_slaves", 0.0);
  // As Mesos: `leader` names whoever leads (absent while nobody does), so a
  // client that asks a standby is pointed at the leader.
  if (!leaderPid_.empty()) w.member("leader", leaderPid_);
  if (leading_) {
    w.key("leader_info");
    w.beginObject();
    w.member("id", info_.id());
    w.member("pid", pidText_);
    w.member("port", static_cast<double>(info_.port()));
    w.member("hostname", info_.hostname());
    w.endObject();
  }

  // The flags of a real master that the simulated master has, in Mesos's syntax.
  w.key("flags");
  w.beginObject();
  w.member("allocation_interval", durationText(options_.allocationInterval));
  w.member("authenticate_frameworks", options_.authenticateFrameworks ? "true" : "false");
  w.member("authentication_v0_timeout", durationText(options_.authenticationTimeout));
  w.member("ip", options_.ip);
  w.member("port", std::to_string(pid_.port));
  if (options_.zk) w.member("zk_session_timeout", durationText(options_.zkSessionTimeout));
  w.endObject();

  w.key("slaves");
  w.beginArray();
  for (const auto& agent : agents_) {
    if (!agent->active) continue;
    w.beginObject();
    w.member("id", agent->id.value());
    w.member("pid", agent->pid.toString());
    w.member("hostname", agent->hostname);
    w.member("active", agent->active);
    w.key("resources");
    resourcesJson(w, agent->total);
    w.key("used_resources");
    resourcesJson(w, agent->allocated);
    w.endObject();
  }
  w.endArray();
  // No registry to recover agents from.
  emptyArray(w, "recovered_slaves");

  w.key("frameworks");
  w.beginArray();
  for (const auto& entry : frameworks_) {
    const Framework& fw = *entry.second;
    w.beginObject();
    w.member("id", entry.first);
    w.member("name", fw.info.name());
    // An HTTP framework has no address (its UPID here is the master's own name
    // for its event stream).
    if (!isHttpScheduler(fw.pid)) w.member("pid", fw.pid.toString());
    w.member("user", fw.info.user());
    if (fw.info.has_principal()) w.member("principal", fw.info.principal());
    w.member("hostname", fw.info.hostname());
    w.member("failover_timeout", fw.info.failover_timeout());
    w.member("active", fw.active);
    w.member("connected", fw.connected);
    w.member("registered_time", fw.registeredTime);
    w.key("tasks");
    w.beginArray();
    for (const auto& task : fw.tasks) {
      w.beginObject();
      w.member("id", task.first);
      w.member("name", task.second->info.name());
      w.member("framework_id", entry.first);
      w.member("slave_id", agents_[task.second->agent]->id.value());
      w.member("state", TaskState_Name(task.second->state));
      w.key("resources");
      resourcesJson(w, task.second->resources);
      w.endObject();
    }
    w.endArray();
    w.key("offers");
    w.beginArray();
    for (const auto& offer : fw.offers) {
      w.beginObject();
      w.member("id", offer.first);
      w.member("framework_id", entry.first);
      w.member("slave_id", agents_[offer.second.agent]->id.value());
      w.key("resources");
      resourcesJson(w, offer.second.resources);
      w.endObject();
    }
    w.endArray();
    w.endObject();
  }
  w.endArray();

  w.key("completed_frameworks");
  w.beginArray();
  for (const FrameworkInfo& info : completedFrameworks_) {
    w.beginObject();
    w.member("id", info.id().value());
    w.member("name", info.name());
    w.endObject();
  }
  w.endArray();
  // Tasks of unknown frameworks exist only after a master failover with agents
  // re-registering, which the simulated master does not have.
  emptyArray(w, "orphan_tasks");
  emptyArray(w, "unregistered_frameworks");
  w.endObject();
  return w.take();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
