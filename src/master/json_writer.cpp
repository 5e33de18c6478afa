#include "master/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/strutil.h>

namespace mesos {
namespace internal {
namespace master {

namespace pb = google::protobuf;

namespace {

void writeString(const std::string& s, std::string* out) {
  out->push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned char>(c));
          *out += escaped;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void writeDouble(double value, std::string* out) {
  if (!std::isfinite(value)) {
    // JSON has no word for these; Mesos's writer would emit invalid JSON.
    writeString(std::isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"), out);
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, result.ptr);
}

void writeMessage(const pb::Message& message, std::string* out);

void writeValue(const pb::Message& m, const pb::FieldDescriptor* f, int index, std::string* out) {
  const pb::Reflection* r = m.GetReflection();
  const bool repeated = f->is_repeated();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      *out += std::to_string(repeated ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      *out += std::to_string(repeated ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      *out += std::to_string(repeated ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      *out += std::to_string(repeated ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
      break;
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      writeDouble(repeated ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), out);
      break;
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      writeDouble(repeated ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f), out);
      break;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      *out += (repeated ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
      break;
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      const pb::EnumValueDescriptor* value = f->enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        writeString(value->name(), out);
      } else {
        *out += std::to_string(number);
      }
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s = repeated ? r->GetRepeatedStringReference(m, f, index, &scratch)
                                      : r->GetStringReference(m, f, &scratch);
      if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
        std::string encoded;
        pb::Base64Escape(s, &encoded);
        writeString(encoded, out);
      } else {
        writeString(s, out);
      }
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      writeMessage(repeated ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
      break;
  }
}

void writeMessage(const pb::Message& message, std::string* out) {
  const pb::Descriptor* d = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  out->push_back('{');
  bool first = true;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated() ? r->FieldSize(message, f) == 0 : !r->HasField(message, f)) continue;
    if (!first) out->push_back(',');
    first = false;
    writeString(f->name(), out);
    out->push_back(':');
    if (!f->is_repeated()) {
      writeValue(message, f, 0, out);
      continue;
    }
    out->push_back('[');
    for (int j = 0; j < r->FieldSize(message, f); ++j) {
      if (j > 0) out->push_back(',');
      writeValue(message, f, j, out);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

}  // namespace

std::string mesosJson(const pb::Message& message) {
  std::string out;
  writeMessage(message, &out);
  return out;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
