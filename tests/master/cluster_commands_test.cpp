// Command tasks run as real processes by the simulated agents: CommandInfo's
// `shell` false (the program and its argv, no shell), what fails and how it is
// reported, and the sandboxes: named in the terminal update, kept after the
// cluster stops with a `workDir`, removed with the temporary root without one.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sandbox_cluster_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

namespace fs = std::filesystem;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string fileText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TaskInfo programTask(const std::string& id, const SlaveID& agent, const std::string& program,
                     const std::vector<std::string>& arguments) {
  TaskInfo task = commandTask(id, agent, program);
  task.mutable_command()->set_shell(false);
  for (const std::string& argument : arguments) task.mutable_command()->add_arguments(argument);
  return task;
}

class ClusterCommandTest : public SandboxClusterTest {
 protected:
  // Stops the driver and the cluster (its consistency checked first).
  void stopCluster() {
    driver_->stop();
    driver_.reset();
    expectStateConsistent(cluster_->stateJson(), cluster_->master());
    cluster_.reset();
  }
};

TEST_F(ClusterCommandTest, WithoutShellTheProgramGetsItsArgumentsUninterpreted) {
  startCluster(withWorkDir());
  startRegistered();
  const TaskStatus finished = runToEnd(
      programTask("argv", SlaveID(), "/usr/bin/printf",
                  {"printf", "%s\n", "two words", "\"double\"", "'single'", "$HOME", "a;b",
                   "$(id)", "*"}),
      TASK_FINISHED);
  EXPECT_THAT(finished.message(), StartsWith("Command exited with status 0 (sandbox: "));
  const std::string sandbox = sandboxOf(finished);
  ASSERT_NE("", sandbox) << finished.message();
  EXPECT_EQ("two words\n\"double\"\n'single'\n$HOME\na;b\n$(id)\n*\n",
            fileText(fs::path(sandbox) / "stdout"));
}

TEST_F(ClusterCommandTest, WithShellTheValueIsAShellCommand) {
  startCluster(withWorkDir());
  startRegistered();
  TaskInfo task = commandTask("sh", SlaveID(), "echo \"$0\"; echo a  b");
  task.mutable_command()->add_arguments("ignored with a shell");
  const TaskStatus finished = runToEnd(task, TASK_FINISHED);
  EXPECT_EQ("sh\na b\n", fileText(fs::path(sandboxOf(finished)) / "stdout"));
}

TEST_F(ClusterCommandTest, WithoutShellAMissingProgramFailsWithTheExecError) {
  startCluster();
  startRegistered();
  const TaskStatus failed =
      runToEnd(programTask("missing", SlaveID(), "no-such-program-here", {"x"}), TASK_FAILED);
  EXPECT_THAT(failed.message(),
              HasSubstr("Failed to execute 'no-such-program-here': No such file or directory"));
  EXPECT_EQ(TaskStatus::REASON_COMMAND_EXECUTOR_FAILED, failed.reason());
}

TEST_F(ClusterCommandTest, WithoutShellAnEmptyValueFails) {
  startCluster();
  startRegistered();
  const TaskStatus failed = runToEnd(programTask("empty", SlaveID(), "", {"printf", "x"}),
                                     TASK_FAILED);
  EXPECT_THAT(failed.message(), HasSubstr("'shell' false and no 'value'"));
}

// With a work dir the sandboxes, and the task's output, outlive the cluster.
TEST_F(ClusterCommandTest, SandboxesInTheWorkDirAreKeptAfterStop) {
  startCluster(withWorkDir());
  startRegistered();
  const TaskStatus finished = runToEnd(commandTask("hello", SlaveID(), "echo hello"), TASK_FINISHED);
  const std::string sandbox = sandboxOf(finished);
  EXPECT_THAT(sandbox, StartsWith(workDir_.string() + "/agents/"));
  EXPECT_THAT(sandbox, EndsWith("/tasks/hello"));
  stopCluster();
  EXPECT_EQ("hello\n", fileText(fs::path(sandbox) / "stdout"));
  EXPECT_TRUE(fs::exists(fs::path(sandbox) / "stderr"));
}

// Without one they are in a temporary root, removed when the cluster stops.
TEST_F(ClusterCommandTest, TheTemporaryRootIsRemovedAtStop) {
  startCluster();
  startRegistered();
  const TaskStatus finished = runToEnd(commandTask("hello", SlaveID(), "echo hello"), TASK_FINISHED);
  const std::string sandbox = sandboxOf(finished);
  const size_t agents = sandbox.find("/agents/");
  ASSERT_NE(std::string::npos, agents) << finished.message();
  const fs::path root = sandbox.substr(0, agents);
  EXPECT_THAT(root.filename().string(), StartsWith("mesos-local-"));
  EXPECT_EQ("hello\n", fileText(fs::path(sandbox) / "stdout"));
  stopCluster();
  EXPECT_FALSE(fs::exists(root)) << root;
}

// With `master = "local"` the work dir comes from MESOS_WORK_DIR.
TEST(LocalClusterOptionsTest, WorkDirComesFromTheEnvironment) {
  ASSERT_EQ(0, ::setenv("MESOS_WORK_DIR", "/var/tmp/sandboxes", 1));
  std::string problems;
  const LocalClusterOptions options = LocalClusterOptions::fromEnvironment(&problems);
  ::unsetenv("MESOS_WORK_DIR");
  EXPECT_EQ("/var/tmp/sandboxes", options.workDir);
  EXPECT_EQ("", problems);
  EXPECT_EQ("", LocalClusterOptions::fromEnvironment().workDir);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
