#pragma once

// What the driver lifecycle tests share (docs/protocol.md, "The driver's state
// machine", and the contract in scheduler.hpp). The tests are split by concern:
//   lifecycle_test.cpp            status semantics of start/stop/abort/join/run,
//                                 destruction, concurrency, accessors
//   calls_from_callbacks_test.cpp join()/run()/abort() and every other call made
//                                 from inside a callback
//   driver_errors_test.cpp        bad master strings, and errors that abort the
//                                 driver instead of the host process

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "driver_test_util.hpp"

namespace mesos {
namespace testing {

constexpr char kCallName[] = "mesos.scheduler.Call";
constexpr char kAgentPid[] = "slave(1)@127.0.0.1:5051";
constexpr auto kDeadline = std::chrono::seconds(10);

inline ExecutorID executorId(const std::string& value) {
  ExecutorID id;
  id.set_value(value);
  return id;
}

inline SlaveID agentId() {
  SlaveID id;
  id.set_value(kAgentId);
  return id;
}

// A status an agent produced: it carries a uuid and an agent id.
inline TaskStatus ackableStatus(const std::string& task) {
  TaskStatus status;
  status.mutable_task_id()->set_value(task);
  status.set_state(TASK_RUNNING);
  status.mutable_slave_id()->set_value(kAgentId);
  // 16 bytes with a version-4 nibble.
  status.set_uuid(
      std::string("\x01\x02\x03\x04\x05\x06\x47\x08\x89\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16));
  return status;
}

inline FrameworkInfo registeredInfo() {
  FrameworkInfo info;
  info.set_name("driver-test");
  info.set_user("tester");
  info.set_hostname("test-host");
  info.mutable_id()->set_value(kFrameworkId);
  return info;
}

// Every driver call except start/stop/abort/join/run; returns their statuses.
inline std::vector<Status> makeEveryCall(SchedulerDriver* driver) {
  Offer::Operation launch;
  launch.set_type(Offer::Operation::LAUNCH);
  *launch.mutable_launch()->add_task_infos() = makeTask("t2");
  return {
      driver->requestResources({Request()}),
      driver->launchTasks({offerId("o1")}, {makeTask("t1")}),
      driver->launchTasks(offerId("o2"), {}),
      driver->acceptOffers({offerId("o3")}, {launch}),
      driver->declineOffer(offerId("o4")),
      driver->killTask(taskId("t1")),
      driver->reviveOffers(),
      driver->reviveOffers({"web"}),
      driver->suppressOffers(),
      driver->suppressOffers({"web"}),
      driver->acknowledgeStatusUpdate(ackableStatus("t1")),
      driver->sendFrameworkMessage(executorId("e1"), agentId(), "ping"),
      driver->reconcileTasks({}),
      driver->updateFramework(registeredInfo(), {}, scheduler::OfferConstraints()),
  };
}

class LifecycleTest : public DriverTest {
 protected:
  using Call = scheduler::Call;

  // For a driver that is gone: waits until its connection to the master is closed
  // (so the master has read all it wrote), then checks that the master saw
  // exactly `teardowns` TEARDOWNs and no UnregisterFrameworkMessage.
  void expectTeardownsAfterDestruction(size_t teardowns) {
    EXPECT_TRUE(waitUntil([&] { return master_.inboundConnections() == 0; }))
        << "the destroyed driver's connection to the master is still open";
    EXPECT_EQ(teardowns, master_.countCalls(Call::TEARDOWN));
    EXPECT_EQ(0u, master_.count("mesos.internal.UnregisterFrameworkMessage"));
  }

  // Waits for the first error() and returns its message.
  std::string awaitError() {
    std::optional<CallbackEvent> error = sched_.wait(Callback::kError);
    EXPECT_TRUE(error) << "error() was not called";
    return error ? error->message : "";
  }
};

}  // namespace testing
}  // namespace mesos
