// A framework written only against Mesos's API, configured for TLS the way a
// Mesos operator configures it (LIBPROCESS_SSL_* variables), runs a task on
// `master = "local"`, whose embedded cluster takes the same settings; on each
// wire. The cluster's port then refuses plaintext.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/scheduler.hpp>
#include <mesos/testing/mock_scheduler.hpp>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <mesos/local/cluster.hpp>

#include "support/latch.hpp"
#include "support/log_capture.hpp"
#include "support/raw_client.hpp"
#include "support/test_pki.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::Invoke;
using mock::MockScheduler;

// Sets variables for one test and removes them afterwards.
class Environment {
 public:
  void set(const std::string& name, const std::string& value) {
    ASSERT_EQ(0, setenv(name.c_str(), value.c_str(), 1));
    names_.push_back(name);
  }
  ~Environment() {
    for (const std::string& name : names_) unsetenv(name.c_str());
  }

 private:
  std::vector<std::string> names_;
};

class LocalTlsTest : public ::testing::TestWithParam<const char*> {};

INSTANTIATE_TEST_SUITE_P(Apis, LocalTlsTest, ::testing::Values("libprocess", "http"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

TEST_P(LocalTlsTest, FrameworkRunsATaskOverTlsConfiguredByTheEnvironment) {
  TestPki pki;
  Environment env;
  env.set("LIBPROCESS_SSL_ENABLED", "true");
  env.set("LIBPROCESS_SSL_CERT_FILE", pki.server.certFile);
  env.set("LIBPROCESS_SSL_KEY_FILE", pki.server.keyFile);
  env.set("LIBPROCESS_SSL_CA_FILE", pki.caFile);
  env.set("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "true");
  env.set("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true");
  env.set("MESOS_SCHEDULER_API", GetParam());
  env.set("MESOS_NUM_SLAVES", "1");
  // The master verifies the scheduler's certificate when it connects back:
  // on loopback the scheduler's address has the name the certificate holds.
  env.set("LIBPROCESS_IP", "127.0.0.1");

  ::testing::NiceMock<MockScheduler> sched;
  Latch registered, finished;
  MasterInfo master;
  bool launched = false;  // Callbacks run on the one callback thread.
  EXPECT_CALL(sched, error(_, _)).Times(0);
  EXPECT_CALL(sched, registered(_, _, _))
      .WillOnce(Invoke([&](SchedulerDriver*, const FrameworkID&, const MasterInfo& info) {
        master = info;
        registered.notify();
      }));
  EXPECT_CALL(sched, resourceOffers(_, _))
      .Times(AnyNumber())
      .WillRepeatedly(Invoke([&](SchedulerDriver* driver, const std::vector<Offer>& offers) {
        for (const Offer& offer : offers) {
          if (launched) {
            driver->declineOffer(offer.id());
            continue;
          }
          launched = true;
          TaskInfo task;
          task.set_name("over-tls");
          task.mutable_task_id()->set_value("t1");
          *task.mutable_slave_id() = offer.slave_id();
          task.mutable_command()->set_value("true");
          Resource* cpus = task.add_resources();
          cpus->set_name("cpus");
          cpus->set_type(Value::SCALAR);
          cpus->mutable_scalar()->set_value(0.1);
          driver->launchTasks({offer.id()}, {task});
        }
      }));
  EXPECT_CALL(sched, statusUpdate(_, _))
      .Times(AnyNumber())
      .WillRepeatedly(Invoke([&](SchedulerDriver*, const TaskStatus& status) {
        if (status.state() == TASK_FINISHED) finished.notify();
      }));

  FrameworkInfo framework;
  framework.set_name("local-tls");
  MesosSchedulerDriver driver(&sched, framework, "local");
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(registered.wait());
  ASSERT_TRUE(finished.wait());

  // The embedded master speaks nothing but TLS: a plaintext message is
  // closed on without an answer.
  RawClient plain(static_cast<uint16_t>(master.port()));
  ASSERT_TRUE(plain.connected());
  plain.send("POST /master/mesos.internal.Ping HTTP/1.1\r\nUser-Agent: libprocess/x@127.0.0.1:9"
             "\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(plain.waitForClose(std::chrono::seconds(10)));
  EXPECT_EQ(std::string::npos, plain.data().find("HTTP/1.1")) << plain.data();

  EXPECT_EQ(DRIVER_STOPPED, driver.stop());
  EXPECT_EQ(DRIVER_STOPPED, driver.join());
}

// An `https://` master string: TLS on for the HTTP API without any other
// setting, no client certificate needed, and the master's certificate
// verified unless told otherwise.
class HttpsMasterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    local::LocalClusterOptions options;
    options.allocationInterval = std::chrono::milliseconds(50);
    TlsConfig tls;
    tls.enabled = true;
    tls.certFile = pki_.server.certFile;
    tls.keyFile = pki_.server.keyFile;
    options.tls = tls;
    std::string error;
    cluster_ = local::LocalCluster::start(options, &error);
    ASSERT_NE(nullptr, cluster_) << error;
    const std::string pid = cluster_->master();  // master@ip:port
    master_ = "https://" + pid.substr(pid.find('@') + 1);
  }

  // Starts a driver on `master_` with `tls` and waits for registered() or
  // for a WARNING containing `refusal`.
  bool registers(const TlsConfig& tls, const std::string& refusal = "") {
    ::testing::NiceMock<MockScheduler> sched;
    Latch registered;
    EXPECT_CALL(sched, error(_, _)).Times(0);
    ON_CALL(sched, registered(_, _, _))
        .WillByDefault(Invoke([&](SchedulerDriver*, const FrameworkID&, const MasterInfo&) {
          registered.notify();
        }));
    LogCapture log;
    DriverConfig config;
    config.scheduler = &sched;
    config.framework.set_name("https");
    config.master = master_;
    config.tls = tls;
    MesosSchedulerDriver driver(config);
    EXPECT_EQ(DRIVER_RUNNING, driver.start());
    bool result = false;
    if (refusal.empty()) {
      result = registered.wait();
    } else {
      EXPECT_TRUE(log.warned({refusal})) << log.dump();
      result = registered.count() > 0;
    }
    driver.stop();
    driver.join();
    return result;
  }

  TestPki pki_;
  std::unique_ptr<local::LocalCluster> cluster_;
  std::string master_;
};

TEST_F(HttpsMasterTest, TrustingTheCaIsEnoughNoClientCertificateNeeded) {
  TlsConfig tls;
  tls.caFile = pki_.caFile;
  EXPECT_TRUE(registers(tls));
}

TEST_F(HttpsMasterTest, TheMastersCertificateIsVerifiedByDefault) {
  // OpenSSL's default CAs do not know the test CA.
  EXPECT_FALSE(registers(TlsConfig{}, "certificate verify failed"));
}

TEST_F(HttpsMasterTest, VerificationOffIsExplicit) {
  TlsConfig tls;
  tls.verifyServerCert = false;
  EXPECT_TRUE(registers(tls));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
