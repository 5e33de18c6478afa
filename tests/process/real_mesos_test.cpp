// Golden input from a real Mesos master and agent (tests/fixtures/real-mesos):
// what our transport answers to the requests they received is what they
// answered, and every message body on every captured stream parses with the
// project's own .proto files.
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

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
