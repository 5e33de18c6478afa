#pragma once

// The simulated master (src/master) driven by the real driver:
// a LocalCluster started by each test with short intervals, a
// MesosSchedulerDriver per framework and a recording MockScheduler. Where only a
// hand-made message can show a behaviour, a RawFramework speaks the protocol
// directly. Every test ends by checking that /master/state is consistent.
//
// Waiting is always for an event with a deadline (Recorder::wait*, waitForState).
// Where a test must show that something does *not* happen, it either measures
// when the next event comes (filters) or uses a sentinel that is known to be
// processed after the call under test (a second framework's offers, an explicit
// reconciliation answered on the same connection).

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "master_test_util.hpp"
#include "support/test_pki.hpp"

namespace mesos {
namespace testing {

using Dialect = DriverConfig::Dialect;

// Not in an anonymous namespace: the tests of this fixture are spread over
// several files, and gtest requires one fixture class per test suite.
class LocalClusterTest : public ClusterTest {
 protected:
  DriverConfig config(Recorder& recorder, const FrameworkInfo& info = frameworkInfo(),
                      Dialect dialect = Dialect::kCall, bool implicitAcks = true) {
    DriverConfig c;
    c.scheduler = recorder.scheduler();
    c.framework = info;
    c.master = cluster_->master();
    c.dialect = dialect;
    c.implicitAcknowledgements = implicitAcks;
    c.bindIp = "127.0.0.1";
    return c;
  }

  std::unique_ptr<MesosSchedulerDriver> startDriver(DriverConfig c) {
    auto driver = std::make_unique<MesosSchedulerDriver>(std::move(c));
    EXPECT_EQ(DRIVER_RUNNING, driver->start());
    return driver;
  }

  // Starts `driver_` for `sched_` and waits for registered().
  void startRegistered(const FrameworkInfo& info = frameworkInfo(), Dialect dialect = Dialect::kCall,
                       bool implicitAcks = true) {
    driver_ = startDriver(config(sched_, info, dialect, implicitAcks));
    ASSERT_TRUE(sched_.waitRegistered()) << "no registered()";
  }

  // The first offer (index >= from) of `recorder`, optionally from `agent`.
  Offer nextOffer(Recorder& recorder, size_t from = 0, const std::string& agent = "") {
    auto offer = recorder.waitOffer(from, [&](const Offer& o) {
      return agent.empty() || o.slave_id().value() == agent;
    });
    EXPECT_TRUE(offer.has_value()) << "no offer" << (agent.empty() ? "" : " from " + agent);
    return offer ? offer->offer : Offer();
  }

  void launch(const Offer& offer, const std::vector<TaskInfo>& tasks, Filters filters = refuseFor(0)) {
    ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offer.id()}, tasks, filters));
  }

  // Launches `task` on the first offer and waits until it is RUNNING.
  Offer launchRunning(const TaskInfo& taskOnAnyAgent, size_t from = 0) {
    Offer offer = nextOffer(sched_, from);
    TaskInfo task = taskOnAnyAgent;
    *task.mutable_slave_id() = offer.slave_id();
    launch(offer, {task});
    EXPECT_TRUE(sched_.waitState(task.task_id().value(), TASK_RUNNING).has_value());
    return offer;
  }

  std::string masterId() const { return str(state(), "id"); }

  bool taskForgotten(const std::string& task) {
    return waitForState(*cluster_, [&](const Struct& s) { return !findTask(s, task).has_value(); });
  }

  Recorder sched_;
  std::unique_ptr<MesosSchedulerDriver> driver_;  // Destroyed before sched_.
};

// The wires a driver can speak to the master: libprocess with legacy
// messages, libprocess with Calls, and the v1 scheduler HTTP API; the last two
// also over TLS (the cluster requiring and verifying client certificates, the
// driver verifying the master's).
struct Wire {
  const char* name;
  Dialect dialect;
  bool http;
  bool tls = false;
};
inline const Wire kLegacyWire{"Legacy", Dialect::kLegacy, false};
inline const Wire kCallWire{"Call", Dialect::kCall, false};
inline const Wire kHttpWire{"Http", Dialect::kCall, true};
inline const Wire kCallTlsWire{"CallTls", Dialect::kCall, false, true};
inline const Wire kHttpsWire{"Https", Dialect::kCall, true, true};
inline std::string wireName(const ::testing::TestParamInfo<Wire>& info) { return info.param.name; }
// gtest prints the wire of a failed test by its name.
inline void PrintTo(const Wire& wire, std::ostream* out) { *out << wire.name; }

// One throwaway PKI per test program, made on first use (generating keys is
// the slow part); its directory goes when the program exits.
inline TestPki& testPki() {
  static TestPki pki;
  return pki;
}

// The cluster's side of mutual verification: the server certificate, and
// client certificates required and checked against the test CA.
inline TlsConfig clusterTls() {
  TlsConfig tls;
  tls.enabled = true;
  tls.certFile = testPki().server.certFile;
  tls.keyFile = testPki().server.keyFile;
  tls.caFile = testPki().caFile;
  tls.verifyServerCert = true;
  tls.requireClientCert = true;
  return tls;
}

// The driver's side: the client certificate, and the master's certificate
// checked against the test CA (the default `legacy` name check: 127.0.0.1
// reverse-resolves to localhost, which the certificates carry).
inline TlsConfig driverTls() {
  TlsConfig tls;
  tls.enabled = true;
  tls.certFile = testPki().client.certFile;
  tls.keyFile = testPki().client.keyFile;
  tls.caFile = testPki().caFile;
  tls.verifyServerCert = true;
  return tls;
}

// The tests that run on every wire (tests/master/cluster_wires_test.cpp).
class WireTest : public LocalClusterTest, public ::testing::WithParamInterface<Wire> {
 protected:
  // The cluster of `options`, with TLS on its ports on a TLS wire.
  void startCluster(LocalClusterOptions options = fastOptions()) {
    if (GetParam().tls) options.tls = clusterTls();
    LocalClusterTest::startCluster(options);
  }
  DriverConfig wireConfig(Recorder& recorder, const FrameworkInfo& info = frameworkInfo(),
                          bool implicitAcks = true) {
    DriverConfig c = config(recorder, info, GetParam().dialect, implicitAcks);
    c.api = GetParam().http ? DriverConfig::Api::kHttp : DriverConfig::Api::kLibprocess;
    if (GetParam().tls) c.tls = driverTls();
    return c;
  }
  void startOnWire(const FrameworkInfo& info = frameworkInfo(), bool implicitAcks = true) {
    driver_ = startDriver(wireConfig(sched_, info, implicitAcks));
    ASSERT_TRUE(sched_.waitRegistered()) << "no registered()";
  }
};
// Calls the legacy messages cannot express (SUPPRESS, UPDATE_FRAMEWORK).
class CallWireTest : public WireTest {};

}  // namespace testing
}  // namespace mesos
