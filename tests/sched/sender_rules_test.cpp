// Whom the driver obeys (the sender table in src/sched/scheduler_process.hpp):
// every master-only message type sent by a rogue process on another port is
// ignored, while the real master's traffic keeps working; and the goodbyes
// (TEARDOWN, DeactivateFrameworkMessage) still reach a master whose link broke.

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "driver_test_util.hpp"
#include "process/encoder.hpp"
#include "support/io_thread.hpp"
#include "support/raw_client.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::process::UPID;
using scheduler::Call;

// A forger on a raw socket: sends libprocess messages with any sender it likes
// and reads the driver's 202 for each, which the driver writes only after it
// has handled the message (src/process/transport.cpp, TransportCore::serve).
class Rogue {
 public:
  Rogue(const UPID& driver, UPID as) : driver_(driver), as_(std::move(as)), client_(driver.port) {}

  void send(const google::protobuf::Message& message) {
    ASSERT_TRUE(client_.connected());
    ASSERT_TRUE(client_.send(internal::process::encodeMessage(
        as_.toString(), driver_, message.GetTypeName(), message.SerializeAsString())));
    ++sent_;
    const std::string answers = client_.readUntil(
        [&](const std::string& data) { return RawClient::countResponses(data) >= sent_; },
        std::chrono::seconds(10));
    ASSERT_EQ(sent_, RawClient::countResponses(answers)) << answers;
  }

 private:
  const UPID driver_;
  const UPID as_;
  RawClient client_;
  size_t sent_ = 0;
};

class SenderRulesTest : public DriverTest {
 protected:
  // One message of every master-only type, as a rogue would forge it for the
  // registered framework.
  static std::vector<std::pair<std::string, google::protobuf::Message*>> forgeries(
      std::vector<std::unique_ptr<google::protobuf::Message>>* keep) {
    auto error = std::make_unique<internal::FrameworkErrorMessage>();
    error->set_message("forged error");
    auto registered = std::make_unique<internal::FrameworkRegisteredMessage>();
    registered->mutable_framework_id()->set_value("forged-framework");
    registered->mutable_master_info()->set_id("forged");
    registered->mutable_master_info()->set_ip(0x0100007f);
    registered->mutable_master_info()->set_port(1);
    auto reregistered = std::make_unique<internal::FrameworkReregisteredMessage>();
    reregistered->mutable_framework_id()->set_value(kFrameworkId);
    *reregistered->mutable_master_info() = registered->master_info();
    auto offers = std::make_unique<internal::ResourceOffersMessage>();
    *offers->add_offers() = makeOffer("forged-offer");
    offers->add_pids("slave(1)@127.0.0.1:1");
    auto rescind = std::make_unique<internal::RescindResourceOfferMessage>();
    rescind->mutable_offer_id()->set_value("forged-rescind");
    auto update = std::make_unique<internal::StatusUpdateMessage>(
        agentUpdate("forged-task", TASK_FAILED, "0123456789abcdef", "slave(1)@127.0.0.1:1"));
    auto lost = std::make_unique<internal::LostSlaveMessage>();
    lost->mutable_slave_id()->set_value(kAgentId);
    auto exited = std::make_unique<internal::ExitedExecutorMessage>();
    exited->mutable_executor_id()->set_value("forged-executor");
    exited->mutable_framework_id()->set_value(kFrameworkId);
    exited->mutable_slave_id()->set_value(kAgentId);
    exited->set_status(1);
    std::vector<std::pair<std::string, google::protobuf::Message*>> all;
    for (auto* m : std::initializer_list<google::protobuf::Message*>{
             error.get(), registered.get(), reregistered.get(), offers.get(), rescind.get(),
             update.get(), lost.get(), exited.get()}) {
      all.emplace_back(m->GetTypeName(), m);
    }
    keep->push_back(std::move(error));
    keep->push_back(std::move(registered));
    keep->push_back(std::move(reregistered));
    keep->push_back(std::move(offers));
    keep->push_back(std::move(rescind));
    keep->push_back(std::move(update));
    keep->push_back(std::move(lost));
    keep->push_back(std::move(exited));
    return all;
  }

  // Same host and process id as the master, another port: only the UPID tells.
  UPID impostor() const {
    UPID pid = master_.pid();
    pid.port = static_cast<uint16_t>(pid.port == 65535 ? 1 : pid.port + 1);
    return pid;
  }
};

TEST_F(SenderRulesTest, EveryMasterOnlyMessageFromAnotherProcessIsIgnored) {
  startRegistered();
  Rogue rogue(scheduler_, impostor());

  // Nothing forged may reach the scheduler: all it has seen is its registration
  // and the real master's markers.
  auto expectNothingForged = [&] {
    EXPECT_EQ(0u, sched_.count(Callback::kError));
    EXPECT_EQ(1u, sched_.count(Callback::kRegistered)) << "only startRegistered()'s";
    EXPECT_EQ(0u, sched_.count(Callback::kReregistered));
    EXPECT_EQ(0u, sched_.count(Callback::kResourceOffers));
    EXPECT_EQ(0u, sched_.count(Callback::kOfferRescinded, [](const CallbackEvent& e) {
      return e.offerId.value() == "forged-rescind";
    }));
    EXPECT_EQ(0u, sched_.count(Callback::kStatusUpdate));
    EXPECT_EQ(0u, sched_.count(Callback::kSlaveLost));
    EXPECT_EQ(0u, sched_.count(Callback::kExecutorLost));
  };

  std::vector<std::unique_ptr<google::protobuf::Message>> keep;
  for (auto& [name, message] : forgeries(&keep)) {
    SCOPED_TRACE(name);
    rogue.send(*message);  // Handled by the driver when this returns.
    // Any callback it queued would run before the marker's (the real master's
    // traffic still works).
    awaitMarker("marker-after-" + name);
    expectNothingForged();
    EXPECT_EQ(DRIVER_RUNNING, driver_->status());
    EXPECT_TRUE(driver_->connected());
  }

  // The real master is still obeyed, including its power to abort.
  internal::FrameworkErrorMessage real;
  real.set_message("real error");
  master_.send(scheduler_, real);
  std::optional<CallbackEvent> error = sched_.wait(Callback::kError);
  ASSERT_TRUE(error);
  EXPECT_EQ("real error", error->message);
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
}

TEST_F(SenderRulesTest, AnErrorOrARegistrationFromAnotherProcessBeforeRegistrationIsIgnored) {
  start(config());
  scheduler_ = expectRegistration(DriverConfig::Dialect::kCall);
  Rogue rogue(scheduler_, impostor());
  internal::FrameworkErrorMessage forged;
  forged.set_message("Framework is not authenticated");
  rogue.send(forged);
  // Not yet registered: only the sender rule can refuse these.
  internal::FrameworkRegisteredMessage registration;
  registration.mutable_framework_id()->set_value("forged-framework");
  *registration.mutable_master_info() = master_.info();
  rogue.send(registration);
  internal::FrameworkReregisteredMessage reregistration;
  reregistration.mutable_framework_id()->set_value("forged-framework");
  *reregistration.mutable_master_info() = master_.info();
  rogue.send(reregistration);
  EXPECT_FALSE(driver_->connected());

  master_.registered(scheduler_, kFrameworkId);
  // Callbacks run in order: a forged registration's would be the first.
  std::optional<CallbackEvent> registered = sched_.wait(Callback::kRegistered);
  ASSERT_TRUE(registered);
  EXPECT_EQ(kFrameworkId, registered->frameworkId.value());
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
  awaitMarker();  // Whatever the forgeries queued has run by now.
  EXPECT_EQ(1u, sched_.count(Callback::kRegistered));
  EXPECT_EQ(0u, sched_.count(Callback::kReregistered));
  EXPECT_EQ(0u, sched_.count(Callback::kError));
}

TEST_F(SenderRulesTest, ExecutorMessagesAreAcceptedFromAnyAgent) {
  startRegistered();
  UPID agent = impostor();
  agent.id = "slave(1)";
  Rogue rogue(scheduler_, agent);
  internal::ExecutorToFrameworkMessage data;
  data.mutable_slave_id()->set_value(kAgentId);
  data.mutable_framework_id()->set_value(kFrameworkId);
  data.mutable_executor_id()->set_value("executor");
  data.set_data("from the executor");
  rogue.send(data);
  std::optional<CallbackEvent> message = sched_.wait(Callback::kFrameworkMessage);
  ASSERT_TRUE(message);
  EXPECT_EQ("from the executor", message->data);
}

// ---- Goodbyes after a broken link -------------------------------------------

class GoodbyeTest : public DriverTest {
 protected:
  // Registered, then the master's process dies and comes back on the same port
  // (as a restarted master); the driver waits out its reconnect delay, which
  // is made long enough (U[0, 60 s]) that the goodbye comes first.
  std::unique_ptr<FakeMaster> breakLink() {
    DriverConfig c = config();
    c.registrationBackoffFactor = std::chrono::seconds(60);
    startRegistered(c);
    const uint16_t port = master_.pid().port;
    master_.stop();
    EXPECT_TRUE(sched_.wait(Callback::kDisconnected));
    return std::make_unique<FakeMaster>(port);
  }
};

TEST_F(GoodbyeTest, StopDuringTheReconnectDelayStillTearsDown) {
  std::unique_ptr<FakeMaster> restarted = breakLink();
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop(false));
  Call teardown = restarted->expectCall(Call::TEARDOWN);
  EXPECT_EQ(kFrameworkId, teardown.framework_id().value());
  driver_.reset();
}

TEST_F(GoodbyeTest, AbortDuringTheReconnectDelayStillDeactivates) {
  std::unique_ptr<FakeMaster> restarted = breakLink();
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
  auto deactivate = restarted->expect<internal::DeactivateFrameworkMessage>();
  EXPECT_EQ(kFrameworkId, deactivate.framework_id().value());
  driver_.reset();
}

TEST_F(GoodbyeTest, StopWithFailoverDuringTheReconnectDelaySendsNothing) {
  std::unique_ptr<FakeMaster> restarted = breakLink();
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop(true));
  driver_.reset();  // Everything the driver would send is written by now.
  EXPECT_EQ(0u, restarted->count("mesos.scheduler.Call"));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
