#pragma once

// Fixture for driver tests: a FakeMaster on loopback, a RecordingScheduler, and
// a driver under test, with helpers for the usual opening moves.
// Members are declared so that the driver is destroyed before the scheduler and
// the master.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/type_utils.hpp>

#include "support/fake_master.hpp"
#include "support/latch.hpp"
#include "support/recording_scheduler.hpp"

namespace mesos {
namespace testing {

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
  // start() + answer the registration + wait for the first `registered()`.
  void startRegistered(DriverConfig config);
  void startRegistered(DriverConfig::Dialect dialect = DriverConfig::Dialect::kCall) {
    startRegistered(config(dialect));
  }

  // An offer on kAgentId with cpus/mem and a ports range.
  static Offer makeOffer(const std::string& id);
  // Sends offers (with agent pid `agentPid`) and waits for their `resourceOffers()`.
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

  // Calls of `type` the master received and the test has not taken with
  // expectCall(). After a sentinel, that covers every Call sent before it.
  size_t untakenCalls(scheduler::Call::Type type);
  // The senders of every SUBSCRIBE not taken with expectCall().
  std::set<std::string> untakenSubscribers();

  FakeMaster master_;
  RecordingScheduler sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;
  internal::process::UPID scheduler_;  // The driver's UPID, learned from its messages.

 private:
  void drainCalls();

  std::multiset<scheduler::Call::Type> untaken_;
  std::set<std::string> subscribers_;
};

}  // namespace testing
}  // namespace mesos
