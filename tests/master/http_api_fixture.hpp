#pragma once

// A simulated master on 127.0.0.1 (ephemeral port) for the v1 scheduler HTTP
// API tests, with short intervals, and builders of the Calls they send.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http_api_client.hpp"
#include "master/master.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

using internal::master::MasterOptions;
using internal::master::SimulatedMaster;
using scheduler::Call;
using scheduler::Event;

inline MasterOptions fastMasterOptions() {
  MasterOptions options;
  options.ip = "127.0.0.1";
  options.port = 0;
  options.numAgents = 1;
  options.allocationInterval = std::chrono::milliseconds(50);
  options.realCommands = false;
  options.taskRunTime = std::chrono::milliseconds(100);
  options.statusUpdateRetry = std::chrono::milliseconds(200);
  options.heartbeatInterval = std::chrono::milliseconds(200);
  return options;
}

inline FrameworkInfo frameworkInfo(const std::string& name = "http-framework") {
  FrameworkInfo info;
  info.set_name(name);
  info.set_user("nobody");
  return info;
}

inline Call callFor(const FrameworkID& id, Call::Type type) {
  Call call;
  call.set_type(type);
  *call.mutable_framework_id() = id;
  return call;
}

class HttpApiTest : public ::testing::Test {
 protected:
  void TearDown() override {
    io_.run([this] {
      master_.reset();
      return 0;
    });
  }

  void startMaster(MasterOptions options = fastMasterOptions()) {
    const std::string error = io_.run([&] {
      master_ = std::make_unique<SimulatedMaster>(io_.io(), options);
      auto started = master_->start();
      return started.isError() ? started.error() : std::string();
    });
    ASSERT_EQ("", error);
    port_ = io_.run([this] { return master_->pid().port; });
  }

  std::string state() {
    return io_.run([this] { return master_->stateJson(); });
  }

  // Subscribes a new framework (protobuf) and reads SUBSCRIBED.
  std::unique_ptr<EventStream> subscribe(FrameworkID* id, FrameworkInfo info = frameworkInfo(),
                                         const Headers& headers = {{"Accept", kProtobuf}}) {
    auto stream = std::make_unique<EventStream>(port_, kProtobuf, v1SubscribeBody(info), headers);
    EXPECT_EQ(200, stream->status());
    std::optional<Event> subscribed = stream->nextEvent();
    EXPECT_TRUE(subscribed && subscribed->type() == Event::SUBSCRIBED);
    if (subscribed && id != nullptr) *id = subscribed->subscribed().framework_id();
    return stream;
  }

  Headers streamHeader(const EventStream& stream) {
    return {{"Mesos-Stream-Id", stream.streamId()}};
  }

  IoThread io_;
  std::unique_ptr<SimulatedMaster> master_;
  uint16_t port_ = 0;
};

}  // namespace testing
}  // namespace mesos
