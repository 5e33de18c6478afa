// Golden input from a real Mesos master and agent (tests/fixtures/real-mesos):
// what our transport answers to the requests they received is what they
// answered, every message body on every captured stream parses with the
// project's own .proto files, and the values in them read back through the
// fields Mesos meant (ids, UPIDs, uuids where they belong).
//
// Comparison rule for responses: the streams are compared byte for byte (status
// line, header names, their order and case, CRLFs, bodies), except for the value
// of each `Date` header, which is the time of the capture: both sides must have a
// `Date` header in the same place whose value is an RFC 7231 IMF-fixdate, and
// the values themselves are not compared.

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>
#include <messages/messages.pb.h>
#include <mesos/scheduler/scheduler.pb.h>

#include "support/fixtures.hpp"
#include "process/decoder.hpp"
#include "process/response.hpp"
#include "process/route.hpp"
#include "support/raw_client.hpp"
#include "support/transport_node.hpp"

namespace mesos {
namespace internal {
namespace process {
namespace {

using mesos::testing::RawClient;
using mesos::testing::TransportNode;

using mesos::testing::readFixture;
std::vector<HttpRequest> requestsIn(const std::string& fixture) {
  const std::string stream = readFixture(fixture);
  RequestDecoder decoder;
  std::vector<HttpRequest> requests;
  EXPECT_FALSE(decoder.feed(stream.data(), stream.size(), requests)) << fixture;
  EXPECT_FALSE(decoder.midRequest()) << fixture;
  return requests;
}

// Replaces the value of every `Date` header with "<date>" after checking that it
// is an IMF-fixdate; counts the responses (status lines) and the dates replaced.
std::string withoutDates(const std::string& stream, size_t* responses, size_t* dates) {
  static const std::regex imfFixdate(
      R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )"
      R"(\d{4} \d\d:\d\d:\d\d GMT)");
  std::string out;
  *responses = 0;
  *dates = 0;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t end = stream.find("\r\n", pos);
    if (end == std::string::npos) end = stream.size();
    const std::string line = stream.substr(pos, end - pos);
    if (line.rfind("HTTP/1.1 ", 0) == 0) ++*responses;
    if (line.rfind("Date: ", 0) == 0) {
      const std::string value = line.substr(6);
      EXPECT_TRUE(std::regex_match(value, imfFixdate)) << "not an IMF-fixdate: " << value;
      out += "Date: <date>";
      ++*dates;
    } else {
      out += line;
    }
    if (end < stream.size()) out += "\r\n";
    pos = end + 2;
  }
  return out;
}

// Sends the requests a real peer received (the exact captured bytes, one
// connection) to our transport, which serves process `id`, and returns what it
// answered once `expected` responses have come.
std::string ourAnswersTo(const std::string& requestsFixture, const std::string& id,
                         size_t expected, size_t* received) {
  TransportNode node;
  node.io().run([&] {
    node.transport().addProcess(id, [received](Message&&) { ++*received; });
    return 0;
  });
  RawClient client(node.pid().port);
  EXPECT_TRUE(client.connected());
  EXPECT_TRUE(client.send(readFixture(requestsFixture)));
  const std::string answer = client.readUntil(
      [expected](const std::string& d) { return RawClient::countResponses(d) >= expected; },
      std::chrono::seconds(10));
  client.close();
  node.io().run([] { return 0; });  // The handler has run for every message answered.
  return answer;
}

void expectSameResponses(const std::string& requestsFixture, const std::string& id,
                         const std::string& responsesFixture, size_t expected) {
  size_t realCount = 0, realDates = 0;
  const std::string real = withoutDates(readFixture(responsesFixture), &realCount, &realDates);
  ASSERT_EQ(expected, realCount) << responsesFixture;
  ASSERT_EQ(expected, realDates) << responsesFixture;

  size_t delivered = 0;
  const std::string raw = ourAnswersTo(requestsFixture, id, expected, &delivered);
  size_t ourCount = 0, ourDates = 0;
  const std::string ours = withoutDates(raw, &ourCount, &ourDates);
  EXPECT_EQ(expected, ourCount);
  EXPECT_EQ(expected, ourDates);
  EXPECT_EQ(real, ours) << "real:\n" << real.substr(0, 200) << "\nours:\n" << ours.substr(0, 200);
  EXPECT_EQ(expected, delivered) << "every request was a message for " << id;
}

TEST(RealMesosTest, MasterResponsesMatchWhatOurTransportAnswers) {
  // The master's 34 answers to mesos-go's requests (Content-Length bodies).
  expectSameResponses("scheduler-to-master.stream", "master", "master-responses.stream", 34);
}

TEST(RealMesosTest, AgentResponsesMatchWhatOurTransportAnswers) {
  // The agent's 36 answers to the master's libprocess requests (chunked bodies).
  expectSameResponses("master-to-agent.stream", "slave(1)", "agent-responses.stream", 36);
}

TEST(RealMesosTest, EachReal202IsWhatAppendResponseWrites) {
  std::string ours;
  appendResponse(ours, 202, "", "", /*close=*/false);
  size_t count = 0, dates = 0;
  const std::string one = withoutDates(ours, &count, &dates);
  ASSERT_EQ(1u, count);
  ASSERT_EQ(1u, dates);
  for (const char* fixture : {"master-responses.stream", "agent-responses.stream"}) {
    const std::string real = withoutDates(readFixture(fixture), &count, &dates);
    std::string expected;
    for (size_t i = 0; i < count; ++i) expected += one;
    EXPECT_EQ(expected, real) << fixture;
  }
}

// ---- Bodies ---------------------------------------------------------------------

// Parses `body` as the message type `name` of the project's protos: strictly
// (required fields present, known enum values), with no field unknown to our
// .proto files anywhere inside, and serializing back to the very same bytes.
void expectParses(const std::string& name, const std::string& body, const std::string& where) {
  const google::protobuf::Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
  ASSERT_NE(nullptr, type) << where << ": no message type " << name << " in our protos";
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  ASSERT_TRUE(message->ParseFromString(body))
      << where << ": " << name << " does not parse; missing: "
      << message->InitializationErrorString();
  std::unique_ptr<google::protobuf::Message> known(message->New());
  known->CopyFrom(*message);
  known->DiscardUnknownFields();
  EXPECT_EQ(message->ByteSizeLong(), known->ByteSizeLong())
      << where << ": " << name << " has fields our protos do not know: "
      << message->ShortDebugString();
  EXPECT_EQ(body, message->SerializeAsString()) << where << ": " << name << " re-encodes differently";
}

// Parses every body of `fixture` (expectParses), except those of the types in
// `outsideOurSchema`, which need only be well-formed protobuf.
std::map<std::string, int> parseEveryBody(const std::string& fixture, size_t expected,
                                          const std::set<std::string>& outsideOurSchema = {}) {
  std::map<std::string, int> names;
  const std::vector<HttpRequest> requests = requestsIn(fixture);
  EXPECT_EQ(expected, requests.size()) << fixture;
  for (size_t i = 0; i < requests.size(); ++i) {
    RoutedRequest routed = routeRequest(requests[i]);
    EXPECT_EQ(RoutedRequest::Kind::kMessage, routed.kind) << fixture << " #" << i;
    const std::string where = fixture + " #" + std::to_string(i);
    if (outsideOurSchema.count(routed.name) != 0) {
      EXPECT_EQ(nullptr,
                google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
                    routed.name))
          << where << ": " << routed.name << " is in our protos now; parse it";
      google::protobuf::UnknownFieldSet fields;
      EXPECT_TRUE(fields.ParseFromString(requests[i].body)) << where << ": not protobuf";
    } else {
      expectParses(routed.name, requests[i].body, where);
    }
    ++names[routed.name];
  }
  return names;
}

// Links the generated code of every package the streams use.
void touchGeneratedTypes() {
  EXPECT_NE(nullptr, internal::RegisterFrameworkMessage::descriptor());
  EXPECT_NE(nullptr, scheduler::Call::descriptor());
}

TEST(RealMesosTest, EveryBodyTheSchedulerSentParses) {
  touchGeneratedTypes();
  const std::map<std::string, int> names = parseEveryBody("scheduler-to-master.stream", 34);
  const std::map<std::string, int> expected = {
      {"mesos.internal.RegisterFrameworkMessage", 1},
      {"mesos.internal.ResourceRequestMessage", 1},
      {"mesos.internal.ReviveOffersMessage", 1},
      {"mesos.internal.LaunchTasksMessage", 16},
      {"mesos.internal.StatusUpdateAcknowledgementMessage", 12},
      {"mesos.internal.KillTaskMessage", 1},
      {"mesos.internal.ReconcileTasksMessage", 2},
  };
  EXPECT_EQ(expected, names);
}

TEST(RealMesosTest, EveryBodyTheMasterSentTheSchedulerParses) {
  touchGeneratedTypes();
  const std::map<std::string, int> names = parseEveryBody("master-to-scheduler.stream", 34);
  const std::map<std::string, int> expected = {
      {"mesos.internal.FrameworkRegisteredMessage", 1},
      {"mesos.internal.ResourceOffersMessage", 16},
      {"mesos.internal.StatusUpdateMessage", 17},
  };
  EXPECT_EQ(expected, names);
}

// The master -> agent messages of our protos parse strictly. Agent
// registration and health checks (SlaveRegisteredMessage, PingSlaveMessage) are
// outside the schema: the simulated master's agents are in-process.
TEST(RealMesosTest, EveryBodyTheMasterSentTheAgentParses) {
  touchGeneratedTypes();
  const std::set<std::string> outside = {"mesos.internal.PingSlaveMessage",
                                         "mesos.internal.SlaveRegisteredMessage"};
  std::map<std::string, int> names = parseEveryBody("master-to-agent.stream", 36, outside);
  int total = 0, parsed = 0;
  for (const auto& entry : names) {
    total += entry.second;
    if (outside.count(entry.first) == 0) parsed += entry.second;
  }
  EXPECT_EQ(36, total);
  EXPECT_EQ(4, names["mesos.internal.RunTaskMessage"]);
  std::cout << parsed << " of " << total << " bodies parsed with our protos: "
            << ::testing::PrintToString(names) << "\n";
}

// ---- Values ---------------------------------------------------------------------

// Every body of type T in `fixture`, parsed.
template <typename T>
std::vector<T> bodiesOf(const std::string& fixture) {
  std::vector<T> out;
  for (const HttpRequest& request : requestsIn(fixture)) {
    if (routeRequest(request).name != T::descriptor()->full_name()) continue;
    T message;
    EXPECT_TRUE(message.ParseFromString(request.body)) << fixture;
    out.push_back(std::move(message));
  }
  return out;
}

// The ids in the captures (see tests/fixtures/real-mesos/README.md).
const std::string kMasterId = "67f5bb78-7b54-4fb2-9218-f1ece620ca5a";
const std::string kFrameworkId = kMasterId + "-0000";
const std::string kAgentId = kMasterId + "-S0";
const std::string kAgentPid = "slave(1)@127.0.0.1:5051";

// What a real master and mesos-go wrote, read back through our field names. A
// field declared with the right type but the wrong number (two strings swapped,
// say) still parses without unknown fields; only the values show it. Together
// with tests/proto/wire_schema.golden this ties the schema to real bytes.
TEST(RealMesosTest, MasterValuesReadBackThroughOurFieldNames) {
  const auto registered =
      bodiesOf<internal::FrameworkRegisteredMessage>("master-to-scheduler.stream");
  ASSERT_EQ(1u, registered.size());
  EXPECT_EQ(kFrameworkId, registered[0].framework_id().value());
  const MasterInfo& info = registered[0].master_info();
  EXPECT_EQ(kMasterId, info.id());
  EXPECT_EQ("master@127.0.0.1:5050", info.pid());
  EXPECT_EQ(5050u, info.port());
  EXPECT_EQ(16777343u, info.ip());  // 127.0.0.1's bytes in network order, read little-endian.
  EXPECT_EQ("1.12.0", info.version());
  EXPECT_EQ("127.0.0.1", info.address().ip());

  const auto offers = bodiesOf<internal::ResourceOffersMessage>("master-to-scheduler.stream");
  ASSERT_EQ(16u, offers.size());
  ASSERT_EQ(1, offers[0].offers_size());
  ASSERT_EQ(1, offers[0].pids_size());
  const Offer& offer = offers[0].offers(0);
  EXPECT_EQ(kMasterId + "-O0", offer.id().value());
  EXPECT_EQ(kFrameworkId, offer.framework_id().value());
  EXPECT_EQ(kAgentId, offer.slave_id().value());
  EXPECT_EQ("/slave(1)", offer.url().path());
  EXPECT_EQ(kAgentPid, offers[0].pids(0));
  bool cpus = false;
  for (const Resource& resource : offer.resources()) {
    cpus |= resource.name() == "cpus" && resource.type() == Value::SCALAR &&
            resource.scalar().value() > 0;
  }
  EXPECT_TRUE(cpus) << offer.ShortDebugString();

  const auto updates = bodiesOf<internal::StatusUpdateMessage>("master-to-scheduler.stream");
  ASSERT_EQ(17u, updates.size());
  size_t fromAgent = 0;
  size_t reconciliation = 0;
  for (const internal::StatusUpdateMessage& message : updates) {
    const internal::StatusUpdate& update = message.update();
    EXPECT_EQ(kFrameworkId, update.framework_id().value());
    EXPECT_FALSE(update.status().task_id().value().empty());
    if (!message.has_pid()) {
      // A reconciliation answer: made by the master, never acknowledged.
      ++reconciliation;
      EXPECT_EQ(TaskStatus::REASON_RECONCILIATION, update.status().reason());
      EXPECT_EQ(TaskStatus::SOURCE_MASTER, update.status().source());
      EXPECT_FALSE(update.has_uuid());
      continue;
    }
    EXPECT_EQ(kAgentPid, message.pid());
    ++fromAgent;
    EXPECT_EQ(kAgentId, update.slave_id().value());
    EXPECT_EQ(16u, update.uuid().size());
    EXPECT_EQ(update.uuid(), update.status().uuid());
    EXPECT_GT(update.timestamp(), 1.5e9);  // Seconds since the epoch: a double, field 5.
  }
  EXPECT_EQ(updates.size(), fromAgent + reconciliation);
  EXPECT_GT(fromAgent, 0u);
  EXPECT_GT(reconciliation, 0u);
}

TEST(RealMesosTest, SchedulerValuesReadBackThroughOurFieldNames) {
  // Every acknowledgement names an update the master forwarded, by its uuid.
  std::set<std::string> forwarded;
  for (const auto& message :
       bodiesOf<internal::StatusUpdateMessage>("master-to-scheduler.stream")) {
    forwarded.insert(message.update().uuid());
  }
  const auto acks =
      bodiesOf<internal::StatusUpdateAcknowledgementMessage>("scheduler-to-master.stream");
  ASSERT_EQ(12u, acks.size());
  for (const internal::StatusUpdateAcknowledgementMessage& ack : acks) {
    EXPECT_EQ(kAgentId, ack.slave_id().value());
    EXPECT_EQ(kFrameworkId, ack.framework_id().value());
    EXPECT_EQ(0u, ack.task_id().value().rfind("gosched-task-", 0));
    EXPECT_EQ(16u, ack.uuid().size());
    EXPECT_EQ(1u, forwarded.count(ack.uuid()));
  }

  size_t launched = 0;
  for (const internal::LaunchTasksMessage& launch :
       bodiesOf<internal::LaunchTasksMessage>("scheduler-to-master.stream")) {
    EXPECT_EQ(kFrameworkId, launch.framework_id().value());
    ASSERT_GT(launch.offer_ids_size(), 0);
    EXPECT_EQ(0u, launch.offer_ids(0).value().rfind(kMasterId + "-O", 0));
    for (const TaskInfo& task : launch.tasks()) {
      ++launched;
      EXPECT_EQ(kAgentId, task.slave_id().value());
      EXPECT_EQ(0u, task.task_id().value().rfind("gosched-task-", 0));
    }
  }
  EXPECT_EQ(4u, launched);
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
