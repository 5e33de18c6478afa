#pragma once

// Helpers for the simulated master's tests (tests/master, and the
// authentication tests that run against it), one header per concern:
//
//  * master_test_basics.hpp: clock aliases, fast cluster options, protobuf
//    builders;
//  * master_state_checks.hpp: `/master/state` parsed into a
//    google.protobuf.Struct, plus a consistency check run after every test;
//  * recording_scheduler.hpp: `Recorder`, a MockScheduler whose callbacks are
//    recorded so that a test can wait for them with a deadline;
//  * raw_framework.hpp: `RawFramework`, a scheduler process the test drives
//    byte by byte;
//
// and here the fixture that starts a cluster and checks its state at the end.
//
// Every wait has a deadline; nothing synchronises with a fixed sleep.

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <mesos/type_utils.hpp>

#include "master_state_checks.hpp"
#include "master_test_basics.hpp"
#include "raw_framework.hpp"
#include "recording_scheduler.hpp"
#include "support/latch.hpp"

namespace mesos {
namespace testing {

class ClusterTest : public ::testing::Test {
 protected:
  void startCluster(const LocalClusterOptions& options = fastOptions()) {
    std::string error;
    cluster_ = LocalCluster::start(options, &error);
    ASSERT_NE(nullptr, cluster_) << error;
  }

  // Every test ends with a parseable, consistent /master/state.
  void TearDown() override {
    if (cluster_) expectStateConsistent(cluster_->stateJson(), cluster_->master());
  }

  Struct state() const { return parseState(cluster_->stateJson()); }
  internal::process::UPID masterPid() const {
    return internal::process::UPID::parse(cluster_->master()).get();
  }

  std::unique_ptr<LocalCluster> cluster_;
};

}  // namespace testing
}  // namespace mesos
