// Tests for the proto2 schema generated from WIRE-SCHEMA.md.
//
// The generated classes are only useful if they put the same bytes on the
// wire as Mesos does. These tests pin that down three ways: every type
// survives a serialize/parse round trip, a handful of messages encode to bytes
// derived by hand from the field tables, and proto2 required/default
// semantics (which the Mesos receivers rely on) behave as documented.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include <mesos/authentication/authentication.pb.h>
#include <mesos/mesos.pb.h>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::OneofDescriptor;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

// Builds a byte string from explicit byte values. Spelling goldens this way
// avoids C++ hex escapes, which are greedy ("\x02fw" is 0x2f 'w').
std::string bytes(std::initializer_list<int> values) {
  std::string result;
  for (int value : values) {
    result.push_back(static_cast<char>(value));
  }
  return result;
}

std::string hex(const std::string& data) {
  static const char kDigits[] = "0123456789abcdef";
  std::string result;
  for (unsigned char c : data) {
    if (!result.empty()) {
      result.push_back(' ');
    }
    result.push_back(kDigits[c >> 4]);
    result.push_back(kDigits[c & 0xf]);
  }
  return result;
}

// A fixed RFC-4122 UUID (version nibble 4, variant 10xx) as the 16 raw bytes
// the wire carries.
std::string sampleUuid() {
  return bytes({0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77});
}

// The four generated files, each reached through one of its types so the
// descriptors are registered (and the objects linked in).
std::vector<const FileDescriptor*> schemaFiles() {
  return {
      mesos::FrameworkID::descriptor()->file(),
      mesos::scheduler::Call::descriptor()->file(),
      mesos::internal::AuthenticateMessage::descriptor()->file(),
      mesos::internal::FrameworkRegisteredMessage::descriptor()->file(),
  };
}

struct TypeCounts {
  int messages = 0;
  int enums = 0;
};

void countNested(const Descriptor* descriptor, TypeCounts* counts) {
  // protoc synthesises a `*Entry` message per map field; WIRE-SCHEMA.md does
  // not list those, so they are not part of its totals.
  if (descriptor->options().map_entry()) {
    return;
  }
  counts->messages++;
  counts->enums += descriptor->enum_type_count();
  for (int i = 0; i < descriptor->nested_type_count(); ++i) {
    countNested(descriptor->nested_type(i), counts);
  }
}

TypeCounts countTypes(const FileDescriptor* file) {
  TypeCounts counts;
  counts.enums += file->enum_type_count();
  for (int i = 0; i < file->message_type_count(); ++i) {
    countNested(file->message_type(i), &counts);
  }
  return counts;
}

// Fills messages through reflection with deterministic values: every
// required field at any depth (otherwise the message is not initialized), and
// a sample of optional/repeated fields near the top, so recursive types such
// as ContainerID.parent and the deep TaskInfo tree stay small.
class SampleFiller {
 public:
  void fill(Message* message, int depth) {
    const Descriptor* descriptor = message->GetDescriptor();
    const bool mapEntry = descriptor->options().map_entry();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (!field->is_required() && !mapEntry && !sampled(field, i, depth)) {
        continue;
      }
      if (field->is_repeated()) {
        // Maps get one entry (two would need distinct keys); other repeated
        // fields get two elements to exercise packing of several values.
        const int count = (field->is_map() || field->cpp_type() ==
                           FieldDescriptor::CPPTYPE_MESSAGE) ? 1 : 2;
        for (int n = 0; n < count; ++n) {
          addElement(message, field, depth);
        }
      } else {
        setSingular(message, field, depth);
      }
    }
  }

 private:
  static constexpr int kMaxOptionalDepth = 3;

  static bool sampled(const FieldDescriptor* field, int index, int depth) {
    if (depth >= kMaxOptionalDepth) {
      return false;
    }
    const OneofDescriptor* oneof = field->containing_oneof();
    if (oneof != nullptr) {
      // Only one member can be set; rotate which one with the depth.
      return field == oneof->field(depth % oneof->field_count());
    }
    // Top-level messages get every field; below that, every other one.
    return depth == 0 || (index + depth) % 2 == 0;
  }

  int next() { return ++counter_; }

  std::string sampleBytes(int n) {
    // Binary content (NUL, 0xff) on purpose: bytes fields are not text.
    std::string result = sampleUuid();
    result[0] = static_cast<char>(n);
    result[1] = '\0';
    result[2] = static_cast<char>(0xff);
    return result;
  }

  const google::protobuf::EnumValueDescriptor* sampleEnum(
      const FieldDescriptor* field, int n) {
    const EnumDescriptor* type = field->enum_type();
    return type->value(n % type->value_count());
  }

  void setSingular(Message* message, const FieldDescriptor* field,
                   int depth) {
    const Reflection* reflection = message->GetReflection();
    const int n = next();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        reflection->SetInt32(message, field, -n);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        reflection->SetInt64(message, field, -1000000007LL * n);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        reflection->SetUInt32(message, field, 0x80000000u + n);
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        reflection->SetUInt64(message, field, (1ULL << 63) + n);
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        reflection->SetDouble(message, field, n + 0.25);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        reflection->SetFloat(message, field, n + 0.5f);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        reflection->SetBool(message, field, n % 2 == 0);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        reflection->SetEnum(message, field, sampleEnum(field, n));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->SetString(message, field,
                              field->type() == FieldDescriptor::TYPE_BYTES
                                  ? sampleBytes(n)
                                  : "s" + std::to_string(n));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        fill(reflection->MutableMessage(message, field), depth + 1);
        break;
    }
  }

  void addElement(Message* message, const FieldDescriptor* field,
                  int depth) {
    const Reflection* reflection = message->GetReflection();
    const int n = next();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        reflection->AddInt32(message, field, -n);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        reflection->AddInt64(message, field, -1000000007LL * n);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        reflection->AddUInt32(message, field, 0x80000000u + n);
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        reflection->AddUInt64(message, field, (1ULL << 63) + n);
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        reflection->AddDouble(message, field, n + 0.25);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        reflection->AddFloat(message, field, n + 0.5f);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        reflection->AddBool(message, field, n % 2 == 0);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        reflection->AddEnum(message, field, sampleEnum(field, n));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->AddString(message, field,
                              field->type() == FieldDescriptor::TYPE_BYTES
                                  ? sampleBytes(n)
                                  : "s" + std::to_string(n));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        fill(reflection->AddMessage(message, field), depth + 1);
        break;
    }
  }

  int counter_ = 0;
};

// a. Shape of the schema and round trips.

TEST(WireSchemaTest, TypeCountsMatchWireSchema) {
  // Per-file totals of the WIRE-SCHEMA.md tables (messages incl. nested,
  // enums incl. nested), in the order of schemaFiles().
  const TypeCounts expected[] = {{121, 28}, {31, 2}, {7, 0}, {27, 0}};
  const std::vector<const FileDescriptor*> files = schemaFiles();
  ASSERT_EQ(4u, files.size());

  TypeCounts total;
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i]->name());
    EXPECT_GT(files[i]->message_type_count(), 0);
    const TypeCounts counts = countTypes(files[i]);
    EXPECT_EQ(expected[i].messages, counts.messages);
    EXPECT_EQ(expected[i].enums, counts.enums);
    total.messages += counts.messages;
    total.enums += counts.enums;
  }
  EXPECT_EQ(186, total.messages);
  EXPECT_EQ(30, total.enums);
}

TEST(WireSchemaTest, PackagesAreTheWirePackages) {
  // libprocess names messages by full type name, so the packages are part of
  // the protocol.
  const std::vector<const FileDescriptor*> files = schemaFiles();
  EXPECT_EQ("mesos", files[0]->package());
  EXPECT_EQ("mesos.scheduler", files[1]->package());
  EXPECT_EQ("mesos.internal", files[2]->package());
  EXPECT_EQ("mesos.internal", files[3]->package());
  EXPECT_EQ("mesos.internal.FrameworkRegisteredMessage",
            mesos::internal::FrameworkRegisteredMessage::descriptor()
                ->full_name());
}

void collectMessages(const Descriptor* descriptor,
                     std::vector<const Descriptor*>* out) {
  if (descriptor->options().map_entry()) {
    return;
  }
  out->push_back(descriptor);
  for (int i = 0; i < descriptor->nested_type_count(); ++i) {
    collectMessages(descriptor->nested_type(i), out);
  }
}

void expectRoundTrip(const Descriptor* descriptor) {
  SCOPED_TRACE(descriptor->full_name());
  const Message* prototype =
      MessageFactory::generated_factory()->GetPrototype(descriptor);
  ASSERT_NE(nullptr, prototype);

  std::unique_ptr<Message> original(prototype->New());
  SampleFiller().fill(original.get(), 0);
  ASSERT_TRUE(original->IsInitialized())
      << original->InitializationErrorString();

  std::string wire;
  ASSERT_TRUE(original->SerializeToString(&wire));
  if (descriptor->field_count() > 0) {
    // Depth 0 fills every field, so only empty messages encode to nothing.
    EXPECT_FALSE(wire.empty());
  }

  std::unique_ptr<Message> parsed(prototype->New());
  ASSERT_TRUE(parsed->ParseFromString(wire));
  EXPECT_TRUE(parsed->IsInitialized());
  EXPECT_TRUE(MessageDifferencer::Equals(*original, *parsed))
      << "original: " << original->ShortDebugString()
      << "\nparsed: " << parsed->ShortDebugString();
  EXPECT_EQ(0,
            parsed->GetReflection()->GetUnknownFields(*parsed).field_count());

  // Re-encoding what was parsed must give the same bytes (every map holds a
  // single entry, so the order is fixed).
  EXPECT_EQ(hex(wire), hex(parsed->SerializeAsString()));
}

TEST(WireSchemaTest, EveryTopLevelMessageRoundTrips) {
  int tested = 0;
  for (const FileDescriptor* file : schemaFiles()) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      expectRoundTrip(file->message_type(i));
      ++tested;
    }
  }
  EXPECT_GT(tested, 0);
}

TEST(WireSchemaTest, EveryNestedMessageRoundTrips) {
  // Nested types are reached from their parents only by sampling, so give
  // each one a fully filled round trip of its own.
  std::vector<const Descriptor*> all;
  for (const FileDescriptor* file : schemaFiles()) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      collectMessages(file->message_type(i), &all);
    }
  }
  EXPECT_EQ(186u, all.size());
  for (const Descriptor* descriptor : all) {
    if (descriptor->containing_type() != nullptr) {
      expectRoundTrip(descriptor);
    }
  }
}

// b. Golden encodings, derived by hand from WIRE-SCHEMA.md.
//
// tag = (field number << 3) | wire type, one varint byte for fields < 16;
// wire types: 0 varint, 1 fixed64 (double), 2 length-delimited (string,
// bytes, sub-message). C++ writes fields in field-number order.

TEST(WireSchemaGoldenTest, FrameworkId) {
  // value = 1, string -> tag (1<<3)|2 = 0x0a, length 2, "fw".
  const std::string golden = bytes({0x0a, 0x02, 'f', 'w'});

  mesos::FrameworkID id;
  id.set_value("fw");
  std::string wire;
  ASSERT_TRUE(id.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::FrameworkID parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_EQ("fw", parsed.value());
}

TEST(WireSchemaGoldenTest, ReregisterFrameworkMessageStartsAtFieldTwo) {
  // FrameworkInfo{user:"u", name:"n"}:
  //   user = 1, string -> 0x0a 0x01 'u'; name = 2, string -> 0x12 0x01 'n'
  //   = 6 bytes.
  // ReregisterFrameworkMessage:
  //   framework = 2, message -> (2<<3)|2 = 0x12, length 6, the 6 bytes above;
  //   failover = 3, bool -> (3<<3)|0 = 0x18, 0x01.
  const std::string golden = bytes({0x12, 0x06, 0x0a, 0x01, 'u', 0x12, 0x01,
                                    'n', 0x18, 0x01});

  mesos::internal::ReregisterFrameworkMessage message;
  message.mutable_framework()->set_user("u");
  message.mutable_framework()->set_name("n");
  message.set_failover(true);
  std::string wire;
  ASSERT_TRUE(message.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::internal::ReregisterFrameworkMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_EQ("u", parsed.framework().user());
  EXPECT_EQ("n", parsed.framework().name());
  EXPECT_TRUE(parsed.failover());
}

TEST(WireSchemaGoldenTest, SubscribeCall) {
  // framework_id = 1, message -> 0x0a, length 4, FrameworkID{"fw"}
  //   (0x0a 0x02 'f' 'w');
  // type = 2, enum SUBSCRIBE = 1 -> (2<<3)|0 = 0x10, 0x01;
  // subscribe = 3, message -> (3<<3)|2 = 0x1a, length 8:
  //   framework_info = 1, message -> 0x0a, length 6,
  //   FrameworkInfo{user:"u", name:"n"} (0x0a 0x01 'u' 0x12 0x01 'n').
  const std::string golden = bytes({0x0a, 0x04, 0x0a, 0x02, 'f', 'w',
                                    0x10, 0x01,
                                    0x1a, 0x08, 0x0a, 0x06, 0x0a, 0x01, 'u',
                                    0x12, 0x01, 'n'});

  mesos::scheduler::Call call;
  call.mutable_framework_id()->set_value("fw");
  call.set_type(mesos::scheduler::Call::SUBSCRIBE);
  mesos::FrameworkInfo* info =
      call.mutable_subscribe()->mutable_framework_info();
  info->set_user("u");
  info->set_name("n");
  std::string wire;
  ASSERT_TRUE(call.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::scheduler::Call parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_EQ(mesos::scheduler::Call::SUBSCRIBE, parsed.type());
  EXPECT_EQ("fw", parsed.framework_id().value());
  EXPECT_EQ("u", parsed.subscribe().framework_info().user());
  EXPECT_EQ("n", parsed.subscribe().framework_info().name());
  EXPECT_FALSE(parsed.subscribe().has_force());
}

TEST(WireSchemaGoldenTest, StatusUpdateMessageWithUuid) {
  const std::string uuid = sampleUuid();

  // TaskStatus (25 bytes):
  //   task_id = 1, message -> 0x0a, length 3, TaskID{"t"} (0x0a 0x01 't');
  //   state = 2, enum TASK_RUNNING = 1 -> 0x10 0x01;
  //   uuid = 11, bytes -> (11<<3)|2 = 0x5a, length 0x10, 16 bytes.
  // StatusUpdate (60 = 0x3c bytes):
  //   framework_id = 1 -> 0x0a 0x04 0x0a 0x02 'f' 'w'            (6)
  //   status = 4, message -> (4<<3)|2 = 0x22, length 0x19, above (27)
  //   timestamp = 5, double -> (5<<3)|1 = 0x29, 1.0 as IEEE-754
  //     0x3ff0000000000000, little-endian                         (9)
  //   uuid = 6, bytes -> (6<<3)|2 = 0x32, length 0x10, 16 bytes   (18)
  // StatusUpdateMessage:
  //   update = 1, message -> 0x0a, length 0x3c, above;
  //   pid = 2, string -> 0x12, length 23 = 0x17, "slave(1)@127.0.0.1:5051".
  std::string golden = bytes({0x0a, 0x3c,
                              0x0a, 0x04, 0x0a, 0x02, 'f', 'w',
                              0x22, 0x19,
                              0x0a, 0x03, 0x0a, 0x01, 't',
                              0x10, 0x01,
                              0x5a, 0x10});
  golden += uuid;
  golden += bytes({0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f,
                   0x32, 0x10});
  golden += uuid;
  golden += bytes({0x12, 0x17});
  golden += "slave(1)@127.0.0.1:5051";
  ASSERT_EQ(87u, golden.size());

  mesos::internal::StatusUpdateMessage message;
  mesos::internal::StatusUpdate* update = message.mutable_update();
  update->mutable_framework_id()->set_value("fw");
  update->mutable_status()->mutable_task_id()->set_value("t");
  update->mutable_status()->set_state(mesos::TASK_RUNNING);
  update->mutable_status()->set_uuid(uuid);
  update->set_timestamp(1.0);
  update->set_uuid(uuid);
  message.set_pid("slave(1)@127.0.0.1:5051");
  std::string wire;
  ASSERT_TRUE(message.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::internal::StatusUpdateMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_EQ(mesos::TASK_RUNNING, parsed.update().status().state());
  EXPECT_EQ(1, static_cast<int>(parsed.update().status().state()));
  EXPECT_EQ("t", parsed.update().status().task_id().value());
  EXPECT_EQ(16u, parsed.update().uuid().size());
  EXPECT_EQ(uuid, parsed.update().uuid());
  EXPECT_EQ(uuid, parsed.update().status().uuid());
  EXPECT_EQ(1.0, parsed.update().timestamp());
  EXPECT_EQ("slave(1)@127.0.0.1:5051", parsed.pid());
}

TEST(WireSchemaGoldenTest, FiltersRefuseSecondsIsFixed64Double) {
  // refuse_seconds = 1, double -> (1<<3)|1 = 0x09; 1.5 = 0x3ff8000000000000,
  // written little-endian.
  const std::string golden = bytes({0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0xf8, 0x3f});

  mesos::Filters filters;
  filters.set_refuse_seconds(1.5);
  std::string wire;
  ASSERT_TRUE(filters.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::Filters parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_TRUE(parsed.has_refuse_seconds());
  EXPECT_EQ(1.5, parsed.refuse_seconds());
}

TEST(WireSchemaGoldenTest, FrameworkRegisteredMessageWithMasterInfo) {
  // MasterInfo (34 = 0x22 bytes):
  //   id = 1, string -> 0x0a 0x01 'm'                                   (3)
  //   ip = 2, uint32 -> 0x10; 127.0.0.1 in network order read as a
  //     little-endian uint32 = 0x0100007f, varint 7 bits at a time from
  //     the low end: 0x7f|0x80, 0x00|0x80, 0x00|0x80, 0x08 -> ff 80 80 08  (5)
  //   port = 3, uint32 -> 0x18; 5050 = 39*128 + 58 -> 0x3a|0x80, 0x27     (3)
  //   pid = 4, string -> 0x22, length 21 = 0x15, "master@127.0.0.1:5050" (23)
  // FrameworkRegisteredMessage:
  //   framework_id = 1 -> 0x0a 0x04 0x0a 0x02 'f' 'w';
  //   master_info = 2, message -> 0x12, length 0x22, above.
  std::string golden = bytes({0x0a, 0x04, 0x0a, 0x02, 'f', 'w',
                              0x12, 0x22,
                              0x0a, 0x01, 'm',
                              0x10, 0xff, 0x80, 0x80, 0x08,
                              0x18, 0xba, 0x27,
                              0x22, 0x15});
  golden += "master@127.0.0.1:5050";
  ASSERT_EQ(42u, golden.size());

  mesos::internal::FrameworkRegisteredMessage message;
  message.mutable_framework_id()->set_value("fw");
  mesos::MasterInfo* master = message.mutable_master_info();
  master->set_id("m");
  master->set_ip(0x0100007f);
  // Equal to the default, but a set required field is always written.
  master->set_port(5050);
  master->set_pid("master@127.0.0.1:5050");
  std::string wire;
  ASSERT_TRUE(message.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::internal::FrameworkRegisteredMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_EQ("fw", parsed.framework_id().value());
  EXPECT_EQ("m", parsed.master_info().id());
  EXPECT_EQ(0x0100007fu, parsed.master_info().ip());
  EXPECT_EQ(5050u, parsed.master_info().port());
  EXPECT_EQ("master@127.0.0.1:5050", parsed.master_info().pid());
}

TEST(WireSchemaGoldenTest, FrameworkErrorMessageUsesFieldTwo) {
  // message = 2, string -> (2<<3)|2 = 0x12, length 1, "x".
  const std::string golden = bytes({0x12, 0x01, 'x'});

  mesos::internal::FrameworkErrorMessage message;
  message.set_message("x");
  std::string wire;
  ASSERT_TRUE(message.SerializeToString(&wire));
  EXPECT_EQ(hex(golden), hex(wire));

  mesos::internal::FrameworkErrorMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(golden));
  EXPECT_EQ("x", parsed.message());
}

// c. proto2 required-field strictness: Mesos receivers drop messages that
// fail to parse, so our parser must reject exactly what theirs rejects.

TEST(WireSchemaRequiredTest, MissingMasterInfoFailsToParse) {
  // Only framework_id = 1 (0x0a, length 4, FrameworkID{"fw"}).
  const std::string wire = bytes({0x0a, 0x04, 0x0a, 0x02, 'f', 'w'});

  mesos::internal::FrameworkRegisteredMessage message;
  EXPECT_FALSE(message.ParseFromString(wire));

  // The bytes themselves are well formed: only the required check fails.
  mesos::internal::FrameworkRegisteredMessage partial;
  ASSERT_TRUE(partial.ParsePartialFromString(wire));
  EXPECT_FALSE(partial.IsInitialized());
  EXPECT_FALSE(partial.has_master_info());
}

TEST(WireSchemaRequiredTest, UnknownStateInRequiredFieldFailsToParse) {
  // task_id = 1 -> 0x0a 0x03 0x0a 0x01 't'; state = 2 -> 0x10, 99 (0x63),
  // a number no TaskState value has.
  const std::string wire = bytes({0x0a, 0x03, 0x0a, 0x01, 't', 0x10, 0x63});

  mesos::TaskStatus status;
  EXPECT_FALSE(status.ParseFromString(wire));

  // How it fails: a closed proto2 enum moves the unknown number into the
  // unknown fields, which leaves the required `state` unset.
  mesos::TaskStatus partial;
  ASSERT_TRUE(partial.ParsePartialFromString(wire));
  EXPECT_FALSE(partial.has_state());
  ASSERT_EQ(1, partial.GetReflection()->GetUnknownFields(partial)
                   .field_count());
  const google::protobuf::UnknownField& unknown =
      partial.GetReflection()->GetUnknownFields(partial).field(0);
  EXPECT_EQ(2, unknown.number());
  EXPECT_EQ(99u, unknown.varint());
}

TEST(WireSchemaRequiredTest, UnknownStateDeepInsideFailsTheWholeMessage) {
  // StatusUpdateMessage{update{framework_id{"fw"}, status{task_id{"t"},
  // state: 99}, timestamp: 1.0}}: the bad enum sits two levels down.
  const std::string wire = bytes({0x0a, 0x18,
                                  0x0a, 0x04, 0x0a, 0x02, 'f', 'w',
                                  0x22, 0x07,
                                  0x0a, 0x03, 0x0a, 0x01, 't', 0x10, 0x63,
                                  0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0xf0, 0x3f});

  mesos::internal::StatusUpdateMessage message;
  EXPECT_FALSE(message.ParseFromString(wire));
  mesos::internal::StatusUpdateMessage partial;
  EXPECT_TRUE(partial.ParsePartialFromString(wire));
}

TEST(WireSchemaRequiredTest, UnknownValueInOptionalEnumIsTolerated) {
  // A valid TaskStatus plus reason = 10 -> (10<<3)|0 = 0x50, 99: an
  // optional enum with an unknown number just reads as unset.
  const std::string wire = bytes({0x0a, 0x03, 0x0a, 0x01, 't', 0x10, 0x01,
                                  0x50, 0x63});

  mesos::TaskStatus status;
  ASSERT_TRUE(status.ParseFromString(wire));
  EXPECT_EQ(mesos::TASK_RUNNING, status.state());
  EXPECT_FALSE(status.has_reason());
}

// d. proto2 defaults.

TEST(WireSchemaDefaultsTest, UnsetFieldsReadTheirDeclaredDefaults) {
  // An unset enum reads as its first declared value, which for TaskState is
  // TASK_STAGING = 6, not the zero value TASK_STARTING.
  const mesos::TaskStatus status;
  EXPECT_FALSE(status.has_state());
  EXPECT_EQ(mesos::TASK_STAGING, status.state());
  EXPECT_EQ(6, static_cast<int>(status.state()));

  EXPECT_EQ(5.0, mesos::Filters().refuse_seconds());
  EXPECT_EQ(5050u, mesos::MasterInfo().port());
  EXPECT_TRUE(mesos::CommandInfo().shell());

  // `role` is [deprecated = true] in the schema (as in Mesos), so its
  // accessors carry a deprecation attribute; reading it is still part of the
  // protocol for pre-MULTI_ROLE frameworks.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  EXPECT_EQ("*", mesos::FrameworkInfo().role());
#pragma GCC diagnostic pop
}

TEST(WireSchemaDefaultsTest, DefaultsAreNotSerialized) {
  // A message whose fields are all unset encodes to nothing, so a default
  // never reaches the wire unless it was set explicitly.
  EXPECT_EQ("", mesos::Filters().SerializeAsString());
  EXPECT_EQ("", mesos::TaskStatus().SerializePartialAsString());
}

}  // namespace
