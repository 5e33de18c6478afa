#pragma once

// What the outbound-call tests share (docs/protocol.md, "The wire" and "The
// driver's state machine"): every driver call puts exactly the expected message
// on the wire, in both dialects, and nothing while disconnected. The tests are
// split by concern:
//   offer_calls_test.cpp    requestResources, launchTasks/acceptOffers/declineOffer,
//                           reviveOffers/suppressOffers
//   task_calls_test.cpp     killTask, acknowledgements, sendFrameworkMessage,
//                           reconcileTasks
//   session_calls_test.cpp  updateFramework, stop/abort, calls while disconnected
//
// "Nothing sent" is proven with a sentinel, never a fixed wait: after the call
// under test the test makes one that does send (a KILL), and once that arrives
// everything sent before it has arrived too (messages on one connection arrive in
// order), so absence can be checked at once.

#include <google/protobuf/util/message_differencer.h>

#include <string>

#include "driver_test_util.hpp"

namespace mesos {
namespace testing {

constexpr char kAckName[] = "mesos.internal.StatusUpdateAcknowledgementMessage";
constexpr char kCallName[] = "mesos.scheduler.Call";
constexpr char kAgentPid[] = "slave(1)@127.0.0.1:5051";

MATCHER_P(EqualsProto, expected, "equals " + expected.ShortDebugString()) {
  return google::protobuf::util::MessageDifferencer::Equals(arg, expected);
}

// 16 bytes with a version-4 nibble, as a Mesos agent puts in a status update.
inline std::string uuidBytes(char fill) {
  std::string uuid(16, fill);
  uuid[6] = static_cast<char>(0x40 | (fill & 0x0f));
  uuid[8] = static_cast<char>(0x80 | (fill & 0x0f));
  return uuid;
}

// A task whose `data` holds a NUL byte, to prove bytes survive the encoding.
inline TaskInfo taskWithData(const std::string& id) {
  TaskInfo task = makeTask(id, "sleep 10");
  task.set_data(std::string("d\0ta", 4));
  return task;
}

inline Filters filters(double refuseSeconds) {
  Filters f;
  f.set_refuse_seconds(refuseSeconds);
  return f;
}

inline TaskStatus statusOf(const std::string& task, bool withSlave) {
  TaskStatus status;
  status.mutable_task_id()->set_value(task);
  status.set_state(TASK_RUNNING);
  if (withSlave) status.mutable_slave_id()->set_value(kAgentId);
  return status;
}

// Each test runs in both dialects: a suite derived from this is instantiated with
//   INSTANTIATE_TEST_SUITE_P(Dialects, <Suite>, bothDialects(), dialectName);
class CallsTest : public DriverTest, public ::testing::WithParamInterface<DriverConfig::Dialect> {
 protected:
  using Call = scheduler::Call;
  using Dialect = DriverConfig::Dialect;

  bool legacy() const { return GetParam() == Dialect::kLegacy; }

  DriverConfig dialectConfig() { return config(GetParam()); }

  // Starts the driver and takes its registration request, without answering it.
  void startUnregistered(DriverConfig c) {
    start(std::move(c));
    scheduler_ = expectRegistration(GetParam());
  }

  // Answers the registration taken by startUnregistered() and waits for registered().
  void completeRegistration() {
    master_.registered(scheduler_, kFrameworkId);
    ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  }

  // The sentinel: a KILL of task "sentinel", waited for at the master.
  void sentinel() {
    ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("sentinel")));
    if (legacy()) {
      auto kill = master_.expect<internal::KillTaskMessage>();
      EXPECT_EQ("sentinel", kill.task_id().value());
    } else {
      Call kill = master_.expectCall(Call::KILL);
      EXPECT_EQ("sentinel", kill.kill().task_id().value());
    }
  }

  // Sends an agent-generated update for `task` and returns the status the
  // statusUpdate() callback saw.
  TaskStatus deliverUpdate(const std::string& task, const std::string& uuid) {
    const size_t before = sched_.count(Callback::kStatusUpdate);
    master_.send(scheduler_, agentUpdate(task, TASK_RUNNING, uuid, kAgentPid));
    std::optional<CallbackEvent> updated = sched_.wait(Callback::kStatusUpdate, before + 1);
    EXPECT_TRUE(updated) << "no statusUpdate() for " << task;
    return updated ? updated->status : TaskStatus();
  }

  // Waits for the acknowledgement of (kAgentId, `task`, `uuid`) in this dialect.
  void expectAck(const std::string& task, const std::string& uuid) {
    if (legacy()) {
      auto ack = master_.expect<internal::StatusUpdateAcknowledgementMessage>();
      EXPECT_EQ(kAgentId, ack.slave_id().value());
      EXPECT_EQ(kFrameworkId, ack.framework_id().value());
      EXPECT_EQ(task, ack.task_id().value());
      EXPECT_EQ(uuid, ack.uuid());
    } else {
      Call ack = master_.expectCall(Call::ACKNOWLEDGE);
      EXPECT_EQ(kFrameworkId, ack.framework_id().value());
      EXPECT_EQ(kAgentId, ack.acknowledge().slave_id().value());
      EXPECT_EQ(task, ack.acknowledge().task_id().value());
      EXPECT_EQ(uuid, ack.acknowledge().uuid());
    }
  }

  // Acknowledgements received (legacy) or not yet taken (Call); see untakenCalls().
  size_t acksReceived() {
    return legacy() ? master_.count(kAckName) : untakenCalls(Call::ACKNOWLEDGE);
  }
};

inline auto bothDialects() {
  return ::testing::Values(DriverConfig::Dialect::kCall, DriverConfig::Dialect::kLegacy);
}

inline std::string dialectName(const ::testing::TestParamInfo<DriverConfig::Dialect>& info) {
  return info.param == DriverConfig::Dialect::kCall ? "Call" : "Legacy";
}

}  // namespace testing
}  // namespace mesos
