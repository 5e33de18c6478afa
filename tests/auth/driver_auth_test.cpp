// The real driver against the simulated master (LocalCluster) with
// authentication (docs/protocol.md, "Authentication"): both sides' CRAM-MD5
// code end to end, what each kind of master does with each kind of framework,
// re-authentication after a master restart, a hundred drivers at once, and the
// secret never reaching the log.

#include <glog/logging.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/state_text.hpp"
#include "master/master_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "alice-S3cret-4f8e";
constexpr char kWrongSecret[] = "not-alice-S3cret-9c1d";

Credential credential(const std::string& principal, const std::string& secret) {
  Credential c;
  c.set_principal(principal);
  c.set_secret(secret);
  return c;
}

LocalClusterOptions clusterOptions(bool required) {
  LocalClusterOptions options = fastOptions();
  options.realCommands = false;
  options.authenticateFrameworks = required;
  options.credentials = {credential("alice", kSecret), credential("bob", "bob-secret")};
  return options;
}

class DriverAuthTest : public ::testing::Test {
 protected:
  void startCluster(const LocalClusterOptions& options) {
    std::string error;
    cluster_ = LocalCluster::start(options, &error);
    ASSERT_TRUE(cluster_) << error;
  }

  DriverConfig config(Recorder& recorder, const std::optional<Credential>& credential) {
    DriverConfig c;
    c.scheduler = recorder.scheduler();
    c.framework = frameworkInfo("driver-auth-test");
    c.master = cluster_->master();
    c.bindIp = "127.0.0.1";
    c.credential = credential;
    return c;
  }

  std::unique_ptr<MesosSchedulerDriver> start(const DriverConfig& c) {
    auto driver = std::make_unique<MesosSchedulerDriver>(c);
    EXPECT_EQ(DRIVER_RUNNING, driver->start());
    return driver;
  }

  // The master's state lists `expected` as the principal of every framework
  // with one, or (empty) lists none.
  void expectPrincipal(const std::string& expected) {
    const std::vector<std::string> principals = principalsInState(cluster_->stateJson());
    if (expected.empty()) {
      EXPECT_TRUE(principals.empty()) << ::testing::PrintToString(principals);
    } else {
      EXPECT_EQ(std::vector<std::string>{expected}, principals);
    }
  }

  // Declared first: destroyed after every driver that talks to it.
  std::unique_ptr<LocalCluster> cluster_;
};

TEST_F(DriverAuthTest, AuthenticatesThenRegisters) {
  startCluster(clusterOptions(true));
  Recorder recorder;
  auto driver = start(config(recorder, credential("alice", kSecret)));
  ASSERT_TRUE(recorder.waitRegistered()) << ::testing::PrintToString(recorder.errors());
  expectPrincipal("alice");  // Filled in by the master.
  EXPECT_TRUE(recorder.errors().empty());
}

TEST_F(DriverAuthTest, WrongSecretAbortsWithError) {
  startCluster(clusterOptions(true));
  Recorder recorder;
  auto driver = start(config(recorder, credential("alice", kWrongSecret)));
  ASSERT_TRUE(recorder.waitFor([&] { return !recorder.errors().empty(); }));
  EXPECT_EQ(std::vector<std::string>{"Master refused authentication"}, recorder.errors());
  EXPECT_EQ(DRIVER_ABORTED, driver->status());
  EXPECT_EQ(0, recorder.registrations());
}

TEST_F(DriverAuthTest, UnknownPrincipalAbortsWithError) {
  startCluster(clusterOptions(true));
  Recorder recorder;
  auto driver = start(config(recorder, credential("mallory", kSecret)));
  ASSERT_TRUE(recorder.waitFor([&] { return !recorder.errors().empty(); }));
  EXPECT_EQ(std::vector<std::string>{"Master refused authentication"}, recorder.errors());
  EXPECT_EQ(DRIVER_ABORTED, driver->status());
}

TEST_F(DriverAuthTest, RequiredButNoCredentialIsRefusedByTheMaster) {
  startCluster(clusterOptions(true));
  Recorder recorder;
  auto driver = start(config(recorder, std::nullopt));
  ASSERT_TRUE(recorder.waitFor([&] { return !recorder.errors().empty(); }));
  EXPECT_THAT(recorder.errors()[0], HasSubstr("is not authenticated"));
  EXPECT_THAT(recorder.errors()[0], HasSubstr("Framework at scheduler-"));
  EXPECT_EQ(DRIVER_ABORTED, driver->status());
}

TEST_F(DriverAuthTest, NotRequiredRegistersWithoutACredential) {
  startCluster(clusterOptions(false));
  Recorder recorder;
  auto driver = start(config(recorder, std::nullopt));
  ASSERT_TRUE(recorder.waitRegistered());
  expectPrincipal("");
}

TEST_F(DriverAuthTest, NotRequiredStillAuthenticatesAGivenCredential) {
  startCluster(clusterOptions(false));
  Recorder recorder;
  auto driver = start(config(recorder, credential("alice", kSecret)));
  ASSERT_TRUE(recorder.waitRegistered());
  expectPrincipal("alice");

  // As with Mesos, a credential is checked even where it is not required.
  Recorder wrong;
  auto refused = start(config(wrong, credential("alice", kWrongSecret)));
  ASSERT_TRUE(wrong.waitFor([&] { return !wrong.errors().empty(); }));
  EXPECT_EQ(std::vector<std::string>{"Master refused authentication"}, wrong.errors());
}

TEST_F(DriverAuthTest, ReauthenticatesWithARestartedMaster) {
  startCluster(clusterOptions(true));
  Recorder recorder;
  DriverConfig c = config(recorder, credential("alice", kSecret));
  c.framework.set_failover_timeout(60);
  c.registrationBackoffFactor = Millis(100);  // Reconnect soon after the link breaks.
  auto driver = start(c);
  ASSERT_TRUE(recorder.waitRegistered());

  // The new master knows nobody: without authenticating again, the driver's
  // re-registration would be refused as not authenticated.
  std::string error;
  ASSERT_TRUE(cluster_->restartMaster(&error)) << error;
  ASSERT_TRUE(recorder.waitFor([&] { return recorder.registrations() >= 2; }))
      << ::testing::PrintToString(recorder.errors());
  EXPECT_TRUE(recorder.errors().empty()) << ::testing::PrintToString(recorder.errors());
  expectPrincipal("alice");
  EXPECT_EQ(DRIVER_RUNNING, driver->status());
}

TEST_F(DriverAuthTest, HundredDriversAuthenticateAtOnce) {
  LocalClusterOptions options = clusterOptions(true);
  options.allocationInterval = Millis(1000);
  startCluster(options);
  constexpr int kDrivers = 100;
  std::vector<std::unique_ptr<Recorder>> recorders;
  std::vector<std::unique_ptr<MesosSchedulerDriver>> drivers;
  for (int i = 0; i < kDrivers; ++i) recorders.push_back(std::make_unique<Recorder>());
  const auto begin = Clock::now();
  for (int i = 0; i < kDrivers; ++i) {
    drivers.push_back(start(config(
        *recorders[i], credential(i % 2 ? "alice" : "bob", i % 2 ? kSecret : "bob-secret"))));
  }
  for (int i = 0; i < kDrivers; ++i) {
    ASSERT_TRUE(recorders[i]->waitRegistered(Millis(60000)))
        << "driver " << i << ": " << ::testing::PrintToString(recorders[i]->errors());
  }
  std::cout << kDrivers << " drivers authenticated and registered in "
            << millisSince(begin, Clock::now()) << " ms" << std::endl;
  EXPECT_EQ(static_cast<size_t>(kDrivers), principalsInState(cluster_->stateJson()).size())
      << "every framework has its authenticated principal";
  for (auto& recorder : recorders) EXPECT_TRUE(recorder->errors().empty());
  drivers.clear();  // Before the recorders.
}

// Every log line, whichever thread wrote it.
class CapturingSink : public google::LogSink {
 public:
  using google::LogSink::send;
  void send(google::LogSeverity, const char*, const char* file, int line,
            const google::LogMessageTime&, const char* message, size_t length) override {
    std::lock_guard<std::mutex> lock(mutex_);
    text_ += std::string(file) + ":" + std::to_string(line) + " ";
    text_.append(message, length);
    text_ += '\n';
  }
  std::string text() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

TEST_F(DriverAuthTest, SecretsNeverReachTheLogEvenAtVerbosityTwo) {
  CapturingSink sink;
  const int verbosity = FLAGS_v;
  FLAGS_v = 2;  // Every message sent and received, and every dropped one.
  google::AddLogSink(&sink);
  {
    startCluster(clusterOptions(true));
    Recorder good;
    Recorder bad;
    auto driver = start(config(good, credential("alice", kSecret)));
    auto refused = start(config(bad, credential("alice", kWrongSecret)));
    ASSERT_TRUE(good.waitRegistered());
    ASSERT_TRUE(bad.waitFor([&] { return !bad.errors().empty(); }));
    driver.reset();
    refused.reset();
    cluster_.reset();
  }
  google::RemoveLogSink(&sink);
  FLAGS_v = verbosity;

  const std::string log = sink.text();
  EXPECT_THAT(log, HasSubstr("Authenticated with master")) << "nothing was captured";
  EXPECT_THAT(log, HasSubstr("AuthenticationStepMessage")) << "VLOG(2) traffic not captured";
  EXPECT_THAT(log, HasSubstr("principal 'alice'"));
  EXPECT_EQ(std::string::npos, log.find(kSecret)) << log;
  EXPECT_EQ(std::string::npos, log.find(kWrongSecret)) << log;
}

}  // namespace
}  // namespace testing
}  // namespace mesos
