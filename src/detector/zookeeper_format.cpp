#include "detector/zookeeper_format.hpp"

#include <algorithm>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "detector/detector.hpp"

namespace mesos {
namespace internal {
namespace detector {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

Try<ZooKeeperUrl> ZooKeeperUrl::parse(const std::string& text) {
  const std::string url = trim(text);
  constexpr char kScheme[] = "zk://";
  if (url.rfind(kScheme, 0) != 0) return Error("'" + url + "' does not start with zk://");
  const std::string rest = url.substr(sizeof(kScheme) - 1);

  // The path starts at the first '/', so credentials may not contain one.
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/") {
    return Error("Expecting a (chroot) path for ZooKeeper ('/' is not supported)");
  }

  ZooKeeperUrl parsed;
  const size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    parsed.credentials = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (parsed.credentials->find(':') == std::string::npos) {
      return Error("ZooKeeper credentials must be 'user:password'");
    }
  }
  if (authority.empty()) return Error("'" + url + "' names no ZooKeeper server");
  parsed.servers = authority;
  parsed.path = path;
  return parsed;
}

std::optional<GroupMember> parseMember(const std::string& name) {
  const size_t last = name.rfind('_');
  const std::string digits = last == std::string::npos ? name : name.substr(last + 1);
  if (digits.empty() || digits.size() > 10 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const unsigned long long value = std::stoull(digits);
  if (value > 0x7fffffffULL) return std::nullopt;  // ZooKeeper sequences are signed 32-bit.
  GroupMember member;
  member.name = name;
  member.sequence = static_cast<uint32_t>(value);
  if (last != std::string::npos) {
    const size_t first = name.find('_');
    member.label = name.substr(0, first);
  }
  return member;
}

std::optional<GroupMember> electLeader(const std::vector<std::string>& children) {
  std::optional<GroupMember> leader;
  for (const std::string& child : children) {
    std::optional<GroupMember> member = parseMember(child);
    if (member && (!leader || member->sequence < leader->sequence)) leader = member;
  }
  return leader;
}

Try<MasterInfo> parseMasterInfo(const GroupMember& member, const std::string& data) {
  MasterInfo info;
  if (member.label == "json.info") {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    const auto status = google::protobuf::util::JsonStringToMessage(data, &info, options);
    if (!status.ok()) {
      return Error("unparsable JSON MasterInfo in " + member.name + ": " + status.ToString());
    }
  } else if (member.label == "info") {
    if (!info.ParsePartialFromString(data)) {
      return Error("unparsable binary MasterInfo in " + member.name);
    }
  } else if (member.label.empty()) {
    Try<process::UPID> upid = process::UPID::parse(trim(data));
    if (upid.isError()) return Error("bad master UPID in " + member.name + ": " + upid.error());
    return masterInfoFromUpid(upid.get());
  } else {
    return Error("unknown label '" + member.label + "' in " + member.name);
  }
  if (!info.IsInitialized()) {
    return Error("MasterInfo in " + member.name + " lacks " + info.InitializationErrorString());
  }
  return info;
}

namespace {

// Compact JSON of `value` with every object's keys sorted, as Mesos's own JSON
// writer prints them; leaves (strings, numbers, ...) are printed by protobuf.
void writeSorted(const google::protobuf::Value& value, std::string* out) {
  using google::protobuf::Value;
  if (value.has_struct_value()) {
    std::vector<std::string> keys;
    for (const auto& field : value.struct_value().fields()) keys.push_back(field.first);
    std::sort(keys.begin(), keys.end());
    out->push_back('{');
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out->push_back(',');
      Value key;
      key.set_string_value(keys[i]);
      writeSorted(key, out);
      out->push_back(':');
      writeSorted(value.struct_value().fields().at(keys[i]), out);
    }
    out->push_back('}');
  } else if (value.has_list_value()) {
    out->push_back('[');
    for (int i = 0; i < value.list_value().values_size(); ++i) {
      if (i > 0) out->push_back(',');
      writeSorted(value.list_value().values(i), out);
    }
    out->push_back(']');
  } else {
    std::string leaf;
    (void)google::protobuf::util::MessageToJsonString(value, &leaf);
    out->append(leaf);
  }
}

}  // namespace

std::string masterInfoJson(const MasterInfo& info) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  std::string fieldOrder;
  (void)google::protobuf::util::MessageToJsonString(info, &fieldOrder, print);
  google::protobuf::Value tree;
  (void)google::protobuf::util::JsonStringToMessage(fieldOrder, &tree);
  std::string out;
  writeSorted(tree, &out);
  return out;
}

}  // namespace detector
}  // namespace internal
}  // namespace mesos
