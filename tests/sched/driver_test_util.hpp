#pragma once

// Fixture for driver tests: a FakeMaster on loopback, a MockScheduler, and a
// driver under test, with helpers for the usual opening moves.
// Members are declared so that the driver is destroyed before the master.

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>
#include <mesos/type_utils.hpp>

#include "support/fake_master.hpp"
#include "support/latch.hpp"

namespace mesos {
namespace testing {

using mock::MockScheduler;

constexpr char kFrameworkId[] = "fake-framework-0000";
constexpr char kAgentId[] = "fake-agent-S0";

OfferID offerId(const std::string& value);
TaskID taskId(const std::string& value);
// A command task on kAgentId using 0.5 cpus.
TaskInfo makeTask(const std::string& id, const std::string& command = "true");

class DriverTest : public ::testing::Test {
 protected:
  static FrameworkInfo frameworkInfo();
  DriverConfig config(DriverConfig::Dialect dialect = DriverConfig::Dialect::kCall);

  // Creates and starts the driver (status must be DRIVER_RUNNING).
  void start(DriverConfig config);
  // Waits for the registration request of `dialect` and returns its sender.
  internal::process::UPID expectRegistration(DriverConfig::Dialect dialect);
  // start() + answer the registration + wait for `registered()`.
  void startRegistered(DriverConfig config);
  void startRegistered(DriverConfig::Dialect dialect = DriverConfig::Dialect::kCall) {
    startRegistered(config(dialect));
  }

  // An offer on kAgentId with cpus/mem and a ports range.
  static Offer makeOffer(const std::string& id);
  // Sends offers (with agent pid `agentPid`) and waits for `resourceOffers()`.
  void sendOffers(const std::vector<Offer>& offers, const std::string& agentPid);
  // Sends a RescindResourceOfferMessage for offer `marker` from the master and
  // waits for its offerRescinded(). Messages travel on one connection and
  // callbacks run in order, so by then every message the master sent before the
  // marker has been handled: what a test expects never to happen has not.
  void awaitMarker(const std::string& marker = "marker");
  // A StatusUpdateMessage as an agent produces it (uuid set, pid = agent).
  static internal::StatusUpdateMessage agentUpdate(const std::string& taskId, TaskState state,
                                                   const std::string& uuid,
                                                   const std::string& agentPid);

  FakeMaster master_;
  ::testing::NiceMock<MockScheduler> sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;
  internal::process::UPID scheduler_;  // The driver's UPID, learned from its messages.
};

}  // namespace testing
}  // namespace mesos
