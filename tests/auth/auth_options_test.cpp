// The authentication options (docs/protocol.md, "Authentication" and "Timings")
// as the driver resolves them from DriverConfig and the MESOS_* environment:
// defaults, variable names (including the old MESOS_AUTHENTICATION_TIMEOUT),
// precedence, validation.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "sched/driver_options.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using Millis = std::chrono::milliseconds;

constexpr const char* kVariables[] = {
    "MESOS_AUTHENTICATEE",
    "MESOS_AUTHENTICATION_BACKOFF_FACTOR",
    "MESOS_AUTHENTICATION_TIMEOUT_MIN",
    "MESOS_AUTHENTICATION_TIMEOUT_MAX",
    "MESOS_AUTHENTICATION_TIMEOUT",
};

// Clears the variables for the test and puts them back afterwards.
class AuthOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVariables) {
      if (const char* value = std::getenv(name)) saved_[name] = value;
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : kVariables) ::unsetenv(name);
    for (const auto& entry : saved_) ::setenv(entry.first.c_str(), entry.second.c_str(), 1);
  }

  static DriverConfig withCredential() {
    DriverConfig config;
    config.framework.set_name("options");
    config.framework.set_user("tester");
    Credential credential;
    credential.set_principal("alice");
    credential.set_secret("s");
    config.credential = credential;
    return config;
  }

  static internal::sched::ProcessOptions resolved(const DriverConfig& config) {
    auto options = internal::sched::resolveOptions(config);
    EXPECT_TRUE(options.isSome()) << options.error();
    return options.isSome() ? options->process : internal::sched::ProcessOptions();
  }

  static std::string error(const DriverConfig& config) {
    auto options = internal::sched::resolveOptions(config);
    return options.isError() ? options.error() : "<resolved>";
  }

  std::map<std::string, std::string> saved_;
};

TEST_F(AuthOptionsTest, DefaultsAreMesoss) {
  auto p = resolved(withCredential());
  EXPECT_EQ(Millis(1000), p.authenticationBackoffFactor);
  EXPECT_EQ(Millis(5000), p.authenticationTimeoutMin);
  EXPECT_EQ(Millis(60000), p.authenticationTimeoutMax);
  EXPECT_TRUE(static_cast<bool>(p.authenticatee)) << "crammd5 by default";
}

TEST_F(AuthOptionsTest, EnvironmentSetsEveryOption) {
  ::setenv("MESOS_AUTHENTICATION_BACKOFF_FACTOR", "2secs", 1);
  ::setenv("MESOS_AUTHENTICATION_TIMEOUT_MIN", "3secs", 1);
  ::setenv("MESOS_AUTHENTICATION_TIMEOUT_MAX", "30secs", 1);
  ::setenv("MESOS_AUTHENTICATEE", "crammd5", 1);
  auto p = resolved(withCredential());
  EXPECT_EQ(Millis(2000), p.authenticationBackoffFactor);
  EXPECT_EQ(Millis(3000), p.authenticationTimeoutMin);
  EXPECT_EQ(Millis(30000), p.authenticationTimeoutMax);
}

TEST_F(AuthOptionsTest, OldTimeoutNameIsTheMinimumUnlessTheNewOneIsSet) {
  ::setenv("MESOS_AUTHENTICATION_TIMEOUT", "4secs", 1);
  EXPECT_EQ(Millis(4000), resolved(withCredential()).authenticationTimeoutMin);
  ::setenv("MESOS_AUTHENTICATION_TIMEOUT_MIN", "6secs", 1);
  EXPECT_EQ(Millis(6000), resolved(withCredential()).authenticationTimeoutMin);
}

TEST_F(AuthOptionsTest, ConfigWinsOverTheEnvironment) {
  ::setenv("MESOS_AUTHENTICATION_TIMEOUT_MIN", "6secs", 1);
  ::setenv("MESOS_AUTHENTICATEE", "nonsense", 1);
  DriverConfig config = withCredential();
  config.authenticationTimeoutMin = Millis(100);
  config.authenticatee = "crammd5";
  auto p = resolved(config);
  EXPECT_EQ(Millis(100), p.authenticationTimeoutMin);
  EXPECT_TRUE(static_cast<bool>(p.authenticatee));
}

TEST_F(AuthOptionsTest, UnknownAuthenticateeIsAnErrorOnlyWithACredential) {
  ::setenv("MESOS_AUTHENTICATEE", "kerberos", 1);
  EXPECT_THAT(error(withCredential()), HasSubstr("unknown authenticatee 'kerberos'"));
  DriverConfig without = withCredential();
  without.credential.reset();
  EXPECT_FALSE(static_cast<bool>(resolved(without).authenticatee));
}

TEST_F(AuthOptionsTest, BadValuesAreErrors) {
  DriverConfig config = withCredential();
  config.authenticationTimeoutMin = Millis(10000);
  config.authenticationTimeoutMax = Millis(5000);
  EXPECT_THAT(error(config), HasSubstr("below the minimum"));

  config = withCredential();
  config.authenticationTimeoutMin = Millis(0);
  EXPECT_THAT(error(config), HasSubstr("must be positive"));

  ::setenv("MESOS_AUTHENTICATION_BACKOFF_FACTOR", "soon", 1);
  EXPECT_NE("<resolved>", error(withCredential()));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
