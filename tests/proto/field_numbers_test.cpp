// The wire schema against its golden list, tests/proto/wire_schema.golden.
//
// The .proto files under proto/ are edited by hand, and a slip in them (a
// renumbered field, an int32 that became a sint32, an enum value moved to the
// front) still compiles, still round-trips with itself, and silently corrupts
// every exchange with a real Mesos master. The golden list states, for every
// message, each field's number, name, label, type, default, oneof and
// deprecation, and for every enum its values in declaration order. It is kept
// by hand too, so a change to the schema needs a matching, deliberate change
// to the list; this test fails until the two agree and says which lines differ.
// (The field numbers in the list are Mesos 1.12.0's; the captures in
// tests/fixtures/real-mesos show real masters using them, see real_mesos_test.)

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "wire_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FieldDescriptorProto;
using google::protobuf::FileDescriptor;

const char kGoldenPath[] = MESOS_SOURCE_DIR "/tests/proto/wire_schema.golden";

// One line of the schema, as the golden list spells it: `block` is the
// `message <name>` or `enum <name>` line it belongs to, `entry` the indented
// line ("" for the block line itself).
struct Line {
  std::string block;
  std::string entry;
  // What a line is compared by: its text, qualified by its block (and, for
  // enum values, by their position, which proto2 gives a meaning).
  std::string key;
};

std::string typeOf(const FieldDescriptor* field) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
      return field->message_type()->full_name();
    case FieldDescriptor::TYPE_ENUM:
      return field->enum_type()->full_name();
    default:
      return FieldDescriptor::TypeName(field->type());
  }
}

// `<number> <name> <label> <type>[ oneof <name>][ [default = <value>]][ [deprecated]]`,
// with `map<K, V>` in place of label and type for a map field.
std::string describe(const FieldDescriptor* field) {
  std::ostringstream out;
  out << field->number() << " " << field->name() << " ";
  if (field->is_map()) {
    const Descriptor* entry = field->message_type();
    out << "map<" << typeOf(entry->field(0)) << ", " << typeOf(entry->field(1)) << ">";
  } else {
    switch (field->label()) {
      case FieldDescriptor::LABEL_REQUIRED:
        out << "required ";
        break;
      case FieldDescriptor::LABEL_OPTIONAL:
        out << "optional ";
        break;
      case FieldDescriptor::LABEL_REPEATED:
        out << "repeated ";
        break;
    }
    out << typeOf(field);
  }
  if (field->containing_oneof() != nullptr) {
    out << " oneof " << field->containing_oneof()->name();
  }
  if (field->has_default_value()) {
    // protoc's own spelling of the default (`5` for 5.0), as in descriptor.proto.
    FieldDescriptorProto proto;
    field->CopyTo(&proto);
    const bool quoted = field->type() == FieldDescriptor::TYPE_STRING ||
                        field->type() == FieldDescriptor::TYPE_BYTES;
    out << " [default = " << (quoted ? "\"" : "") << proto.default_value() << (quoted ? "\"" : "")
        << "]";
  }
  if (field->options().deprecated()) {
    out << " [deprecated]";
  }
  return out.str();
}

void addEnum(const EnumDescriptor* type, std::vector<Line>* out) {
  const std::string block = "enum " + type->full_name();
  out->push_back({block, "", block});
  for (int i = 0; i < type->value_count(); ++i) {
    const std::string entry =
        type->value(i)->name() + " = " + std::to_string(type->value(i)->number());
    out->push_back({block, entry, type->full_name() + "[" + std::to_string(i) + "]: " + entry});
  }
}

void addMessage(const Descriptor* type, std::vector<Line>* out) {
  // protoc synthesises an entry message per map field; the map field's own
  // line says everything about it.
  if (type->options().map_entry()) {
    return;
  }
  const std::string block = "message " + type->full_name();
  out->push_back({block, "", block});
  // By number: the order of declaration does not reach the wire.
  std::map<int, const FieldDescriptor*> fields;
  for (int i = 0; i < type->field_count(); ++i) {
    fields[type->field(i)->number()] = type->field(i);
  }
  for (const auto& field : fields) {
    const std::string entry = describe(field.second);
    out->push_back({block, entry, type->full_name() + ": " + entry});
  }
  for (int i = 0; i < type->enum_type_count(); ++i) {
    addEnum(type->enum_type(i), out);
  }
  for (int i = 0; i < type->nested_type_count(); ++i) {
    addMessage(type->nested_type(i), out);
  }
}

// The schema as compiled into this test, in the golden list's order.
std::vector<Line> compiledSchema() {
  std::vector<Line> lines;
  for (const FileDescriptor* file : schemaFiles()) {
    for (int i = 0; i < file->enum_type_count(); ++i) {
      addEnum(file->enum_type(i), &lines);
    }
    for (int i = 0; i < file->message_type_count(); ++i) {
      addMessage(file->message_type(i), &lines);
    }
  }
  return lines;
}

// The golden list: `message X` / `enum X` lines open a block, lines indented
// by two spaces belong to it; `#` comments and blank lines are ignored.
std::vector<Line> goldenSchema(std::string* error) {
  std::ifstream in(kGoldenPath);
  if (!in.good()) {
    *error = std::string("cannot read ") + kGoldenPath;
    return {};
  }
  std::vector<Line> lines;
  std::string text;
  std::string block;
  std::string name;
  bool isEnum = false;
  int enumIndex = 0;
  int lineNumber = 0;
  while (std::getline(in, text)) {
    ++lineNumber;
    if (text.empty() || text[0] == '#') continue;
    if (text.rfind("message ", 0) == 0 || text.rfind("enum ", 0) == 0) {
      block = text;
      isEnum = text[0] == 'e';
      name = text.substr(isEnum ? 5 : 8);
      enumIndex = 0;
      lines.push_back({block, "", block});
      continue;
    }
    if (text.rfind("  ", 0) != 0 || block.empty()) {
      *error =
          "wire_schema.golden:" + std::to_string(lineNumber) + ": unexpected line '" + text + "'";
      return {};
    }
    const std::string entry = text.substr(2);
    const std::string key =
        isEnum ? name + "[" + std::to_string(enumIndex++) + "]: " + entry : name + ": " + entry;
    lines.push_back({block, entry, key});
  }
  return lines;
}

// The lines of `lines` whose key `other` lacks, grouped under their blocks
// as the golden list writes them.
std::string missingFrom(const std::vector<Line>& lines, const std::vector<Line>& other,
                        size_t* count) {
  std::set<std::string> keys;
  for (const Line& line : other) keys.insert(line.key);
  std::string out;
  std::string lastBlock;
  *count = 0;
  for (const Line& line : lines) {
    if (keys.count(line.key) != 0) continue;
    ++*count;
    if (line.block != lastBlock) {
      out += line.block + "\n";
      lastBlock = line.block;
    }
    if (!line.entry.empty()) out += "  " + line.entry + "\n";
  }
  return out;
}

TEST(WireSchemaGoldenListTest, ProtosMatchTheGoldenList) {
  std::string error;
  const std::vector<Line> golden = goldenSchema(&error);
  ASSERT_TRUE(error.empty()) << error;
  const std::vector<Line> compiled = compiledSchema();

  size_t removed = 0;
  size_t added = 0;
  const std::string gone = missingFrom(golden, compiled, &removed);
  const std::string fresh = missingFrom(compiled, golden, &added);
  EXPECT_EQ(0u, removed)
      << "In tests/proto/wire_schema.golden but not in proto/ (a type, field or enum value "
         "was removed, renumbered, retyped, relabelled, moved or given another default; "
         "that changes the wire and breaks compatibility with Mesos, see the header of the "
         ".proto file):\n"
      << gone;
  EXPECT_EQ(0u, added)
      << "In proto/ but not in tests/proto/wire_schema.golden (new, or the changed form of "
         "a line reported above). If the addition is deliberate and uses Mesos's numbers, "
         "add these lines to the golden list:\n"
      << fresh;
}

TEST(WireSchemaGoldenListTest, GoldenListHasNoDuplicates) {
  std::string error;
  const std::vector<Line> golden = goldenSchema(&error);
  ASSERT_TRUE(error.empty()) << error;
  std::set<std::string> keys;
  std::set<std::string> numbers;
  for (const Line& line : golden) {
    EXPECT_TRUE(keys.insert(line.key).second) << "listed twice: " << line.key;
    if (line.block.rfind("message ", 0) == 0 && !line.entry.empty()) {
      // "<message>: <number>": one line per field number.
      const std::string number = line.entry.substr(0, line.entry.find(' '));
      EXPECT_TRUE(numbers.insert(line.block + ": " + number).second)
          << line.block << ": field number " << number << " listed twice";
    }
  }
}

// The list must cover the driver's whole vocabulary, not merely agree with an
// empty schema: spot checks of the numbers the driver relies on most, written
// out here as well, so that editing the list and the protos together in the
// wrong way still fails.
TEST(WireSchemaGoldenListTest, TheDriversKeyNumbersAreListed) {
  std::string error;
  const std::vector<Line> golden = goldenSchema(&error);
  ASSERT_TRUE(error.empty()) << error;
  std::set<std::string> keys;
  for (const Line& line : golden) keys.insert(line.key);
  const char* const expected[] = {
      "mesos.FrameworkID: 1 value required string",
      "mesos.MasterInfo: 1 id required string",
      "mesos.MasterInfo: 2 ip required uint32",
      "mesos.MasterInfo: 3 port required uint32 [default = 5050]",
      "mesos.MasterInfo: 4 pid optional string",
      "mesos.Filters: 1 refuse_seconds optional double [default = 5]",
      "mesos.TaskStatus: 1 task_id required mesos.TaskID",
      "mesos.TaskStatus: 2 state required mesos.TaskState",
      "mesos.TaskStatus: 11 uuid optional bytes",
      "mesos.TaskState[0]: TASK_STAGING = 6",
      "mesos.scheduler.Call: 1 framework_id optional mesos.FrameworkID",
      "mesos.scheduler.Call: 2 type optional mesos.scheduler.Call.Type",
      "mesos.scheduler.Call.Type[1]: SUBSCRIBE = 1",
      "mesos.scheduler.Call.Acknowledge: 3 uuid required bytes",
      "mesos.internal.FrameworkRegisteredMessage: 1 framework_id required mesos.FrameworkID",
      "mesos.internal.FrameworkRegisteredMessage: 2 master_info required mesos.MasterInfo",
      "mesos.internal.ReregisterFrameworkMessage: 2 framework required mesos.FrameworkInfo",
      "mesos.internal.ReregisterFrameworkMessage: 3 failover required bool",
      "mesos.internal.StatusUpdate: 6 uuid optional bytes",
      "mesos.internal.StatusUpdateMessage: 1 update required mesos.internal.StatusUpdate",
      "mesos.internal.StatusUpdateMessage: 2 pid optional string",
      "mesos.internal.ResourceOffersMessage: 2 pids repeated string",
      "mesos.internal.FrameworkErrorMessage: 2 message required string",
      "mesos.internal.AuthenticateMessage: 1 pid required string",
  };
  for (const char* key : expected) {
    EXPECT_EQ(1u, keys.count(key)) << "not in wire_schema.golden: " << key;
  }
}

}  // namespace
}  // namespace testing
}  // namespace mesos
