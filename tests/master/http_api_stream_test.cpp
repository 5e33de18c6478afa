// The simulated master's v1 scheduler HTTP API, seen from a raw client: the
// event stream (SUBSCRIBED, heartbeats, OFFERS, UPDATE, MESSAGE, ...), a full
// framework conversation, failover of a stream, the stream's close, JSON.

#include <gtest/gtest.h>

#include <string>

#include "http_api_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

// The next record containing `text`, skipping others (heartbeats, ...).
std::optional<std::string> nextContaining(EventStream& stream, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(10));
  while (std::chrono::steady_clock::now() < deadline) {
    std::optional<std::string> record = stream.next();
    if (!record) return std::nullopt;
    if (record->find(text) != std::string::npos) return record;
  }
  return std::nullopt;
}

TEST_F(HttpApiTest, SubscribeStreamsSubscribedThenHeartbeats) {
  startMaster();
  EventStream stream(port_, kProtobuf, v1SubscribeBody(frameworkInfo()), {{"Accept", kProtobuf}});
  ASSERT_EQ(200, stream.status());
  EXPECT_TRUE(stream.chunked());
  EXPECT_EQ(kProtobuf, stream.contentType());
  EXPECT_EQ(36u, stream.streamId().size());

  std::optional<Event> first = stream.nextEvent(false);
  ASSERT_TRUE(first);
  ASSERT_EQ(Event::SUBSCRIBED, first->type());
  EXPECT_FALSE(first->subscribed().framework_id().value().empty());
  EXPECT_DOUBLE_EQ(0.2, first->subscribed().heartbeat_interval_seconds());
  EXPECT_EQ(io_.run([this] { return master_->info().id(); }),
            first->subscribed().master_info().id());
  std::optional<Event> second = stream.nextEvent(false);
  ASSERT_TRUE(second);
  EXPECT_EQ(Event::HEARTBEAT, second->type());
  // Then one every interval (200 ms): three more arrive well within 10 s.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(stream.waitFor(Event::HEARTBEAT)) << "heartbeat " << i;
  }
}

TEST_F(HttpApiTest, FullConversation) {
  startMaster();
  FrameworkID id;
  auto stream = subscribe(&id);
  const Headers sid = streamHeader(*stream);

  std::optional<Event> offers = stream->waitFor(Event::OFFERS);
  ASSERT_TRUE(offers);
  ASSERT_GT(offers->offers().offers_size(), 0);
  const Offer offer = offers->offers().offers(0);

  // ACCEPT with a LAUNCH of a long (simulated) task.
  Call accept = callFor(id, Call::ACCEPT);
  *accept.mutable_accept()->add_offer_ids() = offer.id();
  Offer::Operation* op = accept.mutable_accept()->add_operations();
  op->set_type(Offer::Operation::LAUNCH);
  TaskInfo* task = op->mutable_launch()->add_task_infos();
  task->set_name("t");
  task->mutable_task_id()->set_value("t1");
  *task->mutable_slave_id() = offer.slave_id();
  task->mutable_command()->set_value("sleep 60");
  Resource* cpus = task->add_resources();
  cpus->set_name("cpus");
  cpus->set_type(Value::SCALAR);
  cpus->mutable_scalar()->set_value(0.5);
  HttpResult accepted = postCall(port_, accept, sid);
  EXPECT_EQ(202, accepted.status);
  EXPECT_EQ("0", accepted.header("Content-Length"));

  // TASK_STARTING, with a uuid to acknowledge; unacknowledged, it comes again.
  auto isStarting = [](const TaskStatus& status) { return status.state() == TASK_STARTING; };
  std::optional<Event> starting = stream->waitForUpdate(isStarting);
  ASSERT_TRUE(starting);
  EXPECT_EQ(offer.slave_id().value(), starting->update().status().slave_id().value());
  EXPECT_TRUE(starting->update().status().has_timestamp());
  ASSERT_TRUE(starting->update().status().has_uuid());
  std::optional<Event> again = stream->waitForUpdate(isStarting);
  ASSERT_TRUE(again);
  EXPECT_EQ(starting->update().status().uuid(), again->update().status().uuid());

  Call ack = callFor(id, Call::ACKNOWLEDGE);
  *ack.mutable_acknowledge()->mutable_slave_id() = starting->update().status().slave_id();
  ack.mutable_acknowledge()->mutable_task_id()->set_value("t1");
  ack.mutable_acknowledge()->set_uuid(starting->update().status().uuid());
  EXPECT_EQ(202, postCall(port_, ack, sid).status);

  // Acknowledged, the agent moves on to the next update.
  std::optional<Event> running = stream->waitForUpdate(
      [](const TaskStatus& status) { return status.state() == TASK_RUNNING; });
  ASSERT_TRUE(running);
  ASSERT_TRUE(running->update().status().has_uuid());
  ack.mutable_acknowledge()->set_uuid(running->update().status().uuid());
  EXPECT_EQ(202, postCall(port_, ack, sid).status);

  // RECONCILE: the master answers, without a uuid.
  Call reconcile = callFor(id, Call::RECONCILE);
  reconcile.mutable_reconcile()->add_tasks()->mutable_task_id()->set_value("t1");
  EXPECT_EQ(202, postCall(port_, reconcile, sid).status);
  std::optional<Event> answer = stream->waitForUpdate([](const TaskStatus& status) {
    return status.reason() == TaskStatus::REASON_RECONCILIATION;
  });
  ASSERT_TRUE(answer);
  EXPECT_EQ(TASK_RUNNING, answer->update().status().state());
  EXPECT_EQ(TaskStatus::REASON_RECONCILIATION, answer->update().status().reason());
  EXPECT_FALSE(answer->update().status().has_uuid());

  // MESSAGE: the simulated executor answers through the master.
  Call message = callFor(id, Call::MESSAGE);
  *message.mutable_message()->mutable_slave_id() = offer.slave_id();
  message.mutable_message()->mutable_executor_id()->set_value("t1");
  message.mutable_message()->set_data("ping");
  EXPECT_EQ(202, postCall(port_, message, sid).status);
  std::optional<Event> reply = stream->waitFor(Event::MESSAGE);
  ASSERT_TRUE(reply);
  EXPECT_EQ("ping", reply->message().data());
  EXPECT_EQ(offer.slave_id().value(), reply->message().slave_id().value());

  // KILL: TASK_KILLED, acknowledged.
  Call kill = callFor(id, Call::KILL);
  kill.mutable_kill()->mutable_task_id()->set_value("t1");
  EXPECT_EQ(202, postCall(port_, kill, sid).status);
  std::optional<Event> killed = stream->waitForUpdate(
      [](const TaskStatus& status) { return status.state() == TASK_KILLED; });
  ASSERT_TRUE(killed);
  EXPECT_EQ(TASK_KILLED, killed->update().status().state());
  ASSERT_TRUE(killed->update().status().has_uuid());
  *ack.mutable_acknowledge()->mutable_uuid() = killed->update().status().uuid();
  EXPECT_EQ(202, postCall(port_, ack, sid).status);

  // TEARDOWN: 202, and the stream ends with its last chunk.
  EXPECT_EQ(202, postCall(port_, callFor(id, Call::TEARDOWN), sid).status);
  EXPECT_TRUE(stream->waitEnd());
  EXPECT_TRUE(stream->endedWithLastChunk());
  const std::string json = state();
  EXPECT_NE(std::string::npos, json.find("\"frameworks\":[]")) << json;
}

TEST_F(HttpApiTest, ResubscribeFailsTheOldStreamOver) {
  startMaster();
  FrameworkID id;
  auto first = subscribe(&id);
  FrameworkInfo info = frameworkInfo();
  *info.mutable_id() = id;
  auto second = subscribe(nullptr, info);
  ASSERT_NE(first->streamId(), second->streamId());

  std::optional<Event> error = first->waitFor(Event::ERROR);
  ASSERT_TRUE(error);
  EXPECT_EQ("Framework failed over", error->error().message());
  EXPECT_TRUE(first->waitEnd());

  // The old stream id is dead, the new one works.
  HttpResult stale = postCall(port_, callFor(id, Call::REVIVE), streamHeader(*first));
  EXPECT_EQ(400, stale.status);
  EXPECT_NE(std::string::npos, stale.body.find("didn't match the stream ID"));
  EXPECT_EQ(202, postCall(port_, callFor(id, Call::REVIVE), streamHeader(*second)).status);
  // The framework stays connected through the new stream.
  EXPECT_TRUE(second->waitFor(Event::OFFERS));
}

TEST_F(HttpApiTest, StreamCloseDeactivatesUntilResubscribed) {
  startMaster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  FrameworkID id;
  auto stream = subscribe(&id, info);
  ASSERT_TRUE(stream->waitFor(Event::OFFERS));
  const Headers sid = streamHeader(*stream);
  stream->close();

  // Deactivated (its failover timeout runs): calls are refused.
  HttpResult refused;
  const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(10));
  do {
    refused = postCall(port_, callFor(id, Call::REVIVE), sid);
  } while (refused.status == 202 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(403, refused.status);
  EXPECT_EQ("Framework is not subscribed", refused.body);
  const std::string json = state();
  EXPECT_NE(std::string::npos, json.find("\"active\":false,\"connected\":false")) << json;

  // It comes back with its id.
  *info.mutable_id() = id;
  FrameworkID again;
  auto resubscribed = subscribe(&again, info);
  EXPECT_EQ(id.value(), again.value());
  EXPECT_TRUE(resubscribed->waitFor(Event::OFFERS));
}

TEST_F(HttpApiTest, JsonStreamUsesV1Names) {
  MasterOptions options = fastMasterOptions();
  startMaster(options);
  // No Accept header: JSON, as in Mesos.
  EventStream stream(port_, kJson,
                     R"({"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"j","user":"u"}},"unknown_key":1})");
  ASSERT_EQ(200, stream.status());
  EXPECT_EQ(kJson, stream.contentType());
  std::optional<std::string> subscribed = stream.next();
  ASSERT_TRUE(subscribed);
  EXPECT_EQ(0u, subscribed->find(R"({"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":")"))
      << *subscribed;
  const size_t begin = subscribed->find(R"("value":")") + 9;
  const std::string frameworkId = subscribed->substr(begin, subscribed->find('"', begin) - begin);
  EXPECT_EQ(R"({"type":"HEARTBEAT"})", stream.next().value_or(""));

  // Out: OFFERS say "agent_id", never "slave_id".
  std::optional<std::string> offers = nextContaining(stream, R"("type":"OFFERS")");
  ASSERT_TRUE(offers);
  EXPECT_NE(std::string::npos, offers->find(R"("agent_id":{"value":")")) << *offers;
  EXPECT_EQ(std::string::npos, offers->find("slave_id")) << *offers;
  const size_t agentAt = offers->find(R"("agent_id":{"value":")") + 21;
  const std::string agentId = offers->substr(agentAt, offers->find('"', agentAt) - agentAt);
  const size_t offerAt = offers->find(R"("id":{"value":")") + 15;
  const std::string offerId = offers->substr(offerAt, offers->find('"', offerAt) - offerAt);

  // In: a JSON ACCEPT naming the agent "agent_id" launches the task.
  const std::string accept =
      R"({"type":"ACCEPT","framework_id":{"value":")" + frameworkId +
      R"("},"accept":{"offer_ids":[{"value":")" + offerId +
      R"("}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"t","task_id":{"value":"j1"},"agent_id":{"value":")" +
      agentId +
      R"("},"command":{"value":"sleep 60"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}}]}]}}]}})";
  EXPECT_EQ(202, httpRequest(port_, "POST", "/master/api/v1/scheduler", kJson, accept,
                             {{"Mesos-Stream-Id", stream.streamId()}})
                     .status);
  // (TASK_RUNNING would follow once this is acknowledged.)
  std::optional<std::string> running = nextContaining(stream, "TASK_STARTING");
  ASSERT_TRUE(running);
  EXPECT_NE(std::string::npos, running->find(R"("agent_id")")) << *running;

  // Enum values too: the agent's removal makes TASK_LOST, REASON_AGENT_REMOVED.
  ASSERT_TRUE(io_.run([this] { return master_->removeAgent(0); }));
  std::optional<std::string> lost = nextContaining(stream, "TASK_LOST");
  ASSERT_TRUE(lost);
  EXPECT_NE(std::string::npos, lost->find(R"("reason":"REASON_AGENT_REMOVED")")) << *lost;
  EXPECT_EQ(std::string::npos, lost->find("SLAVE")) << *lost;
  std::optional<std::string> failure = nextContaining(stream, "FAILURE");
  ASSERT_TRUE(failure);
  EXPECT_NE(std::string::npos, failure->find(R"("failure":{"agent_id")")) << *failure;
}

}  // namespace
}  // namespace testing
}  // namespace mesos
