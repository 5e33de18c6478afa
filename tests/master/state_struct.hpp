#pragma once

// JSON of the master's endpoints (`/master/state`, `/metrics/snapshot`,
// `/version`) parsed into a google.protobuf.Struct, with small accessors.

#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

namespace mesos {
namespace testing {

using google::protobuf::ListValue;
using google::protobuf::Struct;

inline Struct parseState(const std::string& json) {
  Struct state;
  auto status = google::protobuf::util::JsonStringToMessage(json, &state);
  EXPECT_TRUE(status.ok()) << "state JSON does not parse: " << status.ToString() << "\n" << json;
  return state;
}

// Read through reflection, not with Map's inline code: under GCC's
// ThreadSanitizer, <google/protobuf/map_field.h> gives MapFieldBase two more
// members, so inline Map code compiled with -fsanitize=thread reads a Struct
// that the (uninstrumented) libprotobuf built at the wrong offsets and
// crashes. Reflection runs inside libprotobuf, on its own layout.
inline const google::protobuf::Value* field(const Struct& s, const std::string& key) {
  static const google::protobuf::FieldDescriptor* const fields =
      Struct::descriptor()->FindFieldByNumber(Struct::kFieldsFieldNumber);
  const google::protobuf::Reflection* reflection = s.GetReflection();
  for (int i = 0, n = reflection->FieldSize(s, fields); i < n; ++i) {
    const google::protobuf::Message& entry = reflection->GetRepeatedMessage(s, fields, i);
    const google::protobuf::Descriptor* type = entry.GetDescriptor();
    if (entry.GetReflection()->GetString(entry, type->map_key()) == key) {
      return static_cast<const google::protobuf::Value*>(
          &entry.GetReflection()->GetMessage(entry, type->map_value()));
    }
  }
  return nullptr;
}

// The keys of `s`, through reflection (see field()).
inline std::vector<std::string> keys(const Struct& s) {
  static const google::protobuf::FieldDescriptor* const fields =
      Struct::descriptor()->FindFieldByNumber(Struct::kFieldsFieldNumber);
  const google::protobuf::Reflection* reflection = s.GetReflection();
  std::vector<std::string> out;
  for (int i = 0, n = reflection->FieldSize(s, fields); i < n; ++i) {
    const google::protobuf::Message& entry = reflection->GetRepeatedMessage(s, fields, i);
    out.push_back(entry.GetReflection()->GetString(entry, entry.GetDescriptor()->map_key()));
  }
  return out;
}

inline std::string str(const Struct& s, const std::string& key) {
  const auto* v = field(s, key);
  return v != nullptr && v->has_string_value() ? v->string_value() : std::string();
}

inline double num(const Struct& s, const std::string& key) {
  const auto* v = field(s, key);
  return v != nullptr && v->kind_case() == google::protobuf::Value::kNumberValue ? v->number_value()
                                                                                 : -1;
}

inline std::vector<Struct> structs(const Struct& s, const std::string& key) {
  std::vector<Struct> out;
  const auto* v = field(s, key);
  if (v == nullptr || !v->has_list_value()) return out;
  for (const auto& item : v->list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

inline Struct sub(const Struct& s, const std::string& key) {
  const auto* v = field(s, key);
  return v != nullptr && v->has_struct_value() ? v->struct_value() : Struct();
}

}  // namespace testing
}  // namespace mesos
