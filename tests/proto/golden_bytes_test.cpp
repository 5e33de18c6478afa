// Golden bytes for the schema, derived by hand from the field numbers and
// types of the .proto files (each test spells out the derivation), and proto2's
// strict parsing, on which the interoperability with Mesos depends: a Mesos
// receiver drops a message that fails to parse, so ours must fail on exactly
// the same bytes. Real masters' bytes are checked in
// tests/process/real_mesos_test.cpp.

#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <string>

#include "wire_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

// a. Golden encodings.
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

// b. proto2 required-field strictness: Mesos receivers drop messages that
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

}  // namespace
}  // namespace testing
}  // namespace mesos
