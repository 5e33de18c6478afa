// examples/test_framework authenticating against mesos-local-master
// --authenticate_frameworks --credentials=<file>, both run as processes (as a
// user would run them). The right secret runs the tasks; a wrong one ends in
// "Master refused authentication".

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

#include "support/child_process.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {
namespace {

using Millis = std::chrono::milliseconds;
using ::testing::HasSubstr;

class ExampleAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "example-auth-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_EQ(0, std::system(("mkdir -p '" + dir_ + "'").c_str()));
    write("credentials.json",
          R"({"credentials": [{"principal": "example", "secret": "example-secret"}]})");
    write("secret", "example-secret\n");  // The trailing newline is trimmed.
    write("wrong", "wrong-secret\n");

    std::string error;
    master_ = Child::start(
        MESOS_LOCAL_MASTER,
        // INFO: the test reads the master's authentication lines.
        {"--port=0", "--agents=1", "--allocation_interval=100ms", "--authenticate_frameworks",
         "--credentials=file://" + dir_ + "/credentials.json", "--logging_level=INFO"},
        dir_ + "/master.log", &error);
    ASSERT_TRUE(master_) << error;
    const std::optional<std::string> pid = readMasterPid(*master_, &error);
    ASSERT_TRUE(pid.has_value()) << error;
    pid_ = *pid;
  }

  void TearDown() override {
    master_.reset();
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  void write(const std::string& name, const std::string& content) {
    std::ofstream out(dir_ + "/" + name);
    out << content;
  }

  // Runs test_framework with `secretFile`; its exit status and stdout.
  std::pair<int, std::string> runFramework(const std::string& secretFile) {
    std::string error;
    auto framework = Child::start(MESOS_TEST_FRAMEWORK,
                                  {"--master=" + pid_, "--num_tasks=2", "--principal=example",
                                   "--secret-file=" + dir_ + "/" + secretFile},
                                  dir_ + "/framework.log", &error);
    EXPECT_TRUE(framework) << error;
    if (!framework) return {-1, ""};
    bool complete = false;
    std::string out;
    const auto deadline = Child::Clock::now() + scaled(Millis(60000));
    for (const std::string& line : framework->readAll(deadline, &complete)) out += line + "\n";
    const std::optional<int> status = framework->wait(scaled(Millis(10000)));
    EXPECT_TRUE(status.has_value()) << "test_framework did not exit";
    return {status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1, out};
  }

  std::string readLog(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::string dir_;
  std::unique_ptr<Child> master_;
  std::string pid_;
};

TEST_F(ExampleAuthTest, RightSecretRunsTheTasks) {
  auto [status, out] = runFramework("secret");
  EXPECT_EQ(0, status) << out << readLog("framework.log");
  EXPECT_THAT(out, HasSubstr("Registered as"));
  EXPECT_THAT(out, HasSubstr("2/2 tasks finished"));
  EXPECT_THAT(readLog("master.log"), HasSubstr("as principal 'example'"));
}

TEST_F(ExampleAuthTest, WrongSecretIsRefused) {
  auto [status, out] = runFramework("wrong");
  EXPECT_NE(0, status) << out;
  // The driver logs why it aborted, and its error() callback runs even though
  // the example destroys the driver as soon as run() returns.
  EXPECT_THAT(readLog("framework.log"), HasSubstr("Master refused authentication"));
  EXPECT_THAT(readLog("framework.log"), HasSubstr("Error: Master refused authentication"));
  EXPECT_THAT(readLog("master.log"), HasSubstr("refused: wrong principal or secret"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("Registered as")));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
