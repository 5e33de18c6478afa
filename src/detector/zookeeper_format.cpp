#include "detector/zookeeper_format.hpp"

#include <algorithm>
#include <vector>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/stubs/strutil.h>
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
    // A host name is resolved later by the driver, never on this thread.
    Try<process::UPID::Unresolved> upid = process::UPID::parseUnresolved(trim(data));
    if (upid.isError()) return Error("bad master UPID in " + member.name + ": " + upid.error());
    return masterInfoFromUnresolved(upid.get());
  } else {
    return Error("unknown label '" + member.label + "' in " + member.name);
  }
  if (!info.IsInitialized()) {
    return Error("MasterInfo in " + member.name + " lacks " + info.InitializationErrorString());
  }
  return info;
}

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A JSON string literal; protobuf does the escaping.
void writeString(const std::string& text, std::string* out) {
  google::protobuf::Value value;
  value.set_string_value(text);
  std::string quoted;
  (void)google::protobuf::util::MessageToJsonString(value, &quoted);
  out->append(quoted);
}

void writeMessage(const Message& message, std::string* out);

// One value of `field` (element `index` if repeated).
void writeValue(const Message& message, const FieldDescriptor* field, int index,
                std::string* out) {
  const Reflection* r = message.GetReflection();
  const bool rep = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      out->append(std::to_string(rep ? r->GetRepeatedInt32(message, field, index)
                                     : r->GetInt32(message, field)));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      out->append(std::to_string(rep ? r->GetRepeatedInt64(message, field, index)
                                     : r->GetInt64(message, field)));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      out->append(std::to_string(rep ? r->GetRepeatedUInt32(message, field, index)
                                     : r->GetUInt32(message, field)));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      out->append(std::to_string(rep ? r->GetRepeatedUInt64(message, field, index)
                                     : r->GetUInt64(message, field)));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      google::protobuf::Value number;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        number.set_number_value(rep ? r->GetRepeatedDouble(message, field, index)
                                    : r->GetDouble(message, field));
      } else {
        number.set_number_value(rep ? r->GetRepeatedFloat(message, field, index)
                                    : r->GetFloat(message, field));
      }
      std::string text;
      (void)google::protobuf::util::MessageToJsonString(number, &text);
      out->append(text);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
                      ? "true"
                      : "false");
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      writeString((rep ? r->GetRepeatedEnum(message, field, index) : r->GetEnum(message, field))
                      ->name(),
                  out);
      break;
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string text =
          rep ? r->GetRepeatedString(message, field, index) : r->GetString(message, field);
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        std::string encoded;
        google::protobuf::Base64Escape(text, &encoded);
        writeString(encoded, out);
      } else {
        writeString(text, out);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      writeMessage(rep ? r->GetRepeatedMessage(message, field, index) : r->GetMessage(message, field),
                   out);
      break;
  }
}

// Mesos's JSON form of a protobuf message (its own writer, not proto3 JSON):
// keys sorted, protobuf field names, set fields plus unset optional fields with
// a non-deprecated default, enums by name, bytes in base64, int64 as numbers.
// Written over reflection rather than through google.protobuf.Struct, whose
// inlined map code does not match the installed library under ThreadSanitizer.
void writeMessage(const Message& message, std::string* out) {
  const Reflection* r = message.GetReflection();
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const bool present = field->is_repeated() ? r->FieldSize(message, field) > 0
                                              : r->HasField(message, field);
    if (present || (!field->is_repeated() && field->has_default_value() &&
                    !field->options().deprecated())) {
      fields.push_back(field);
    }
  }
  std::sort(fields.begin(), fields.end(),
            [](const FieldDescriptor* a, const FieldDescriptor* b) { return a->name() < b->name(); });
  out->push_back('{');
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    writeString(fields[i]->name(), out);
    out->push_back(':');
    if (fields[i]->is_repeated()) {
      out->push_back('[');
      for (int j = 0; j < r->FieldSize(message, fields[i]); ++j) {
        if (j > 0) out->push_back(',');
        writeValue(message, fields[i], j, out);
      }
      out->push_back(']');
    } else {
      writeValue(message, fields[i], 0, out);
    }
  }
  out->push_back('}');
}

}  // namespace

std::string masterInfoJson(const MasterInfo& info) {
  std::string out;
  writeMessage(info, &out);
  return out;
}

}  // namespace detector
}  // namespace internal
}  // namespace mesos
