// Tests of the proto2 schema of proto/ (the project's hand-maintained copy of
// Mesos's wire schema): every message the protocol names exists where the
// wire expects it, every type survives a serialize/parse round trip, and the
// proto2 default semantics that Mesos receivers rely on hold. The field
// numbers themselves are pinned by field_numbers_test.cpp, hand-derived bytes
// and strict parsing by golden_bytes_test.cpp.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wire_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::OneofDescriptor;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

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

// a. Names and round trips.

// Every libprocess message of the protocol (docs/protocol.md, "The wire"):
// the name on the wire is the fully qualified type name, so each must be a
// top-level message of exactly that name.
TEST(WireSchemaTest, EveryLibprocessMessageIsDeclared) {
  const char* const names[] = {
      // Scheduler -> master.
      "mesos.scheduler.Call",
      "mesos.internal.RegisterFrameworkMessage",
      "mesos.internal.ReregisterFrameworkMessage",
      "mesos.internal.UnregisterFrameworkMessage",
      "mesos.internal.DeactivateFrameworkMessage",
      "mesos.internal.ResourceRequestMessage",
      "mesos.internal.LaunchTasksMessage",
      "mesos.internal.ReviveOffersMessage",
      "mesos.internal.KillTaskMessage",
      "mesos.internal.StatusUpdateAcknowledgementMessage",
      "mesos.internal.ReconcileTasksMessage",
      "mesos.internal.FrameworkToExecutorMessage",
      // Master -> scheduler.
      "mesos.internal.FrameworkRegisteredMessage",
      "mesos.internal.FrameworkReregisteredMessage",
      "mesos.internal.ResourceOffersMessage",
      "mesos.internal.RescindResourceOfferMessage",
      "mesos.internal.StatusUpdateMessage",
      "mesos.internal.LostSlaveMessage",
      "mesos.internal.ExitedExecutorMessage",
      "mesos.internal.ExecutorToFrameworkMessage",
      "mesos.internal.FrameworkErrorMessage",
      "mesos.internal.InverseOffersMessage",
      "mesos.internal.RescindInverseOfferMessage",
      // Master -> agent.
      "mesos.internal.RunTaskMessage",
      "mesos.internal.ShutdownFrameworkMessage",
      "mesos.internal.UpdateFrameworkMessage",
      // Authentication.
      "mesos.internal.AuthenticateMessage",
      "mesos.internal.AuthenticationMechanismsMessage",
      "mesos.internal.AuthenticationStartMessage",
      "mesos.internal.AuthenticationStepMessage",
      "mesos.internal.AuthenticationCompletedMessage",
      "mesos.internal.AuthenticationFailedMessage",
      "mesos.internal.AuthenticationErrorMessage",
  };
  schemaFiles();  // Registers the four files.
  for (const char* name : names) {
    const Descriptor* type = DescriptorPool::generated_pool()->FindMessageTypeByName(name);
    ASSERT_NE(nullptr, type) << name;
    EXPECT_EQ(nullptr, type->containing_type()) << name << " must be a top-level message";
  }
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
  EXPECT_FALSE(all.empty());
  for (const Descriptor* descriptor : all) {
    if (descriptor->containing_type() != nullptr) {
      expectRoundTrip(descriptor);
    }
  }
}

// b. proto2 defaults.

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
}  // namespace testing
}  // namespace mesos
