// ProcessRunner: real child processes for the simulated agents. Every test runs
// twice, once observing exits through pidfds and once by polling, the fallback
// for kernels without pidfd_open(). Waits are on conditions with deadlines.

#include "master/process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/io_thread.hpp"

namespace mesos {
namespace internal {
namespace master {

// For gtest's messages (found by argument-dependent lookup; gtest names it).
// NOLINTNEXTLINE(readability-identifier-naming)
void PrintTo(ProcessRunner::WaitMode mode, std::ostream* out) {
  *out << (mode == ProcessRunner::WaitMode::kAuto ? "kAuto" : "kPoll");
}

namespace {

using namespace std::chrono_literals;
using mesos::testing::IoThread;
using mesos::testing::waitUntil;
namespace fs = std::filesystem;

using WaitMode = ProcessRunner::WaitMode;

// The exits reported for one launch (from the I/O thread).
class Outcome {
 public:
  void record(const ProcessExit& exit) {
    std::lock_guard<std::mutex> lock(mutex_);
    exits_.push_back(exit);
  }
  size_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return exits_.size();
  }
  std::optional<ProcessExit> first() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (exits_.empty()) return std::nullopt;
    return exits_.front();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<ProcessExit> exits_;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Dead: no such process, or a zombie its new parent (init, which in a container
// may never reap) has not reaped yet.
bool gone(pid_t pid) {
  if (::kill(pid, 0) < 0 && errno == ESRCH) return true;
  const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return true;  // Vanished in between.
  return close + 2 < stat.size() && stat[close + 2] == 'Z';
}

class ProcessRunnerTest : public ::testing::TestWithParam<WaitMode> {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "process_runner_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    root_ = pattern;
    io_.run([this] { runner_ = std::make_unique<ProcessRunner>(io_.io(), GetParam()); });
  }

  void TearDown() override {
    destroyRunner();
    io_.stop();
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  void destroyRunner() {
    io_.run([this] { runner_.reset(); });
  }

  ProcessSpec spec(const std::string& command, const std::string& sandbox = "sandbox") {
    ProcessSpec spec;
    spec.command = command;
    spec.sandbox = (root_ / sandbox).string();
    return spec;
  }

  Try<ProcessRunner::Id> launch(const ProcessSpec& spec, const std::shared_ptr<Outcome>& outcome) {
    return io_.run([&] {
      return runner_->launch(spec, [outcome](const ProcessExit& exit) { outcome->record(exit); });
    });
  }

  // Launches and expects success.
  ProcessRunner::Id start(const ProcessSpec& spec, const std::shared_ptr<Outcome>& outcome) {
    Try<ProcessRunner::Id> id = launch(spec, outcome);
    EXPECT_FALSE(id.isError()) << id.error();
    return id.isError() ? 0 : id.get();
  }

  // Waits for the (first) exit of a launch.
  ProcessExit awaitExit(const Outcome& outcome, std::chrono::milliseconds timeout = 10s) {
    EXPECT_TRUE(waitUntil([&] { return outcome.count() > 0; }, timeout)) << "no exit reported";
    return outcome.first().value_or(ProcessExit{true, -1});
  }

  // Waits until the sandbox's stdout holds a full line, and returns it.
  std::string awaitLine(const std::string& sandbox = "sandbox") {
    std::string text;
    EXPECT_TRUE(waitUntil([&] {
      text = readFile(root_ / sandbox / "stdout");
      return text.find('\n') != std::string::npos;
    })) << "no output line; stdout so far: '"
        << text << "'";
    return text.substr(0, text.find('\n'));
  }

  size_t running() {
    return io_.run([this] { return runner_->running(); });
  }

  void kill(ProcessRunner::Id id, std::chrono::milliseconds grace) {
    io_.run([&] { runner_->kill(id, grace); });
  }

  fs::path root_;
  IoThread io_;
  std::unique_ptr<ProcessRunner> runner_;
};

TEST_P(ProcessRunnerTest, ExitZero) {
  auto outcome = std::make_shared<Outcome>();
  start(spec("exit 0"), outcome);
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_FALSE(exit.signaled);
  EXPECT_EQ(exit.code, 0);
  EXPECT_EQ(exit.describe(), "Command exited with status 0");
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, ExitStatusIsReported) {
  auto outcome = std::make_shared<Outcome>();
  start(spec("exit 3"), outcome);
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_FALSE(exit.signaled);
  EXPECT_EQ(exit.code, 3);
  EXPECT_EQ(exit.describe(), "Command exited with status 3");
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, OutputLandsInSandbox) {
  auto outcome = std::make_shared<Outcome>();
  start(spec("echo to-stdout; echo to-stderr >&2; pwd"), outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  EXPECT_EQ(readFile(root_ / "sandbox" / "stdout"),
            "to-stdout\n" + (root_ / "sandbox").string() + "\n");
  EXPECT_EQ(readFile(root_ / "sandbox" / "stderr"), "to-stderr\n");
}

TEST_P(ProcessRunnerTest, EnvironmentReachesCommand) {
  ASSERT_EQ(::setenv("PROCESS_RUNNER_TEST_LEAK", "leaked", 1), 0);
  ProcessSpec s = spec(
      "printf '%s|%s|%s|%s|%s\\n' \"$FOO\" \"$HOME\" \"$MESOS_SANDBOX\" \"$PATH\" "
      "\"${PROCESS_RUNNER_TEST_LEAK-unset}\"");
  s.environment = {{"FOO", "bar baz"}};
  auto outcome = std::make_shared<Outcome>();
  start(s, outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  ::unsetenv("PROCESS_RUNNER_TEST_LEAK");
  const std::string sandbox = (root_ / "sandbox").string();
  EXPECT_EQ(readFile(root_ / "sandbox" / "stdout"),
            "bar baz|" + sandbox + "|" + sandbox +
                "|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin|unset\n");

  // The spec's variables override the defaults.
  ProcessSpec custom = spec("echo \"$PATH\"", "custom");
  custom.environment = {{"PATH", "/bin:/custom"}};
  auto second = std::make_shared<Outcome>();
  start(custom, second);
  EXPECT_EQ(awaitExit(*second).code, 0);
  EXPECT_EQ(readFile(root_ / "custom" / "stdout"), "/bin:/custom\n");
}

TEST_P(ProcessRunnerTest, InvalidEnvironmentIsAnError) {
  ProcessSpec s = spec("true");
  s.environment = {{"A=B", "c"}};
  Try<ProcessRunner::Id> id = launch(s, std::make_shared<Outcome>());
  ASSERT_TRUE(id.isError());
  EXPECT_NE(id.error().find("A=B"), std::string::npos) << id.error();
}

TEST_P(ProcessRunnerTest, SandboxIsCreated) {
  ASSERT_FALSE(fs::exists(root_ / "a"));
  auto outcome = std::make_shared<Outcome>();
  start(spec("pwd", "a/b/c"), outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  EXPECT_TRUE(fs::is_directory(root_ / "a" / "b" / "c"));
  EXPECT_EQ(readFile(root_ / "a" / "b" / "c" / "stdout"),
            (root_ / "a" / "b" / "c").string() + "\n");
}

TEST_P(ProcessRunnerTest, StdinIsDevNull) {
  auto outcome = std::make_shared<Outcome>();
  start(spec("cat; echo done"), outcome);  // Would hang on an inherited terminal.
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  EXPECT_EQ(readFile(root_ / "sandbox" / "stdout"), "done\n");
}

TEST_P(ProcessRunnerTest, KillSendsSigtermFirst) {
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("sleep 30"), outcome);
  const auto before = std::chrono::steady_clock::now();
  kill(id, 30s);
  // Well within the grace period: SIGTERM did it.
  const ProcessExit exit = awaitExit(*outcome, 10s);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 20s);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.code, SIGTERM);
  EXPECT_EQ(exit.describe(), "Command terminated with signal Terminated");
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, KillEscalatesToSigkillAfterGrace) {
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("trap '' TERM; echo ready; sleep 30"), outcome);
  ASSERT_EQ(awaitLine(), "ready");  // The trap is in place.
  const auto before = std::chrono::steady_clock::now();
  kill(id, 300ms);
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_GE(std::chrono::steady_clock::now() - before, 300ms);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.code, SIGKILL);
  EXPECT_EQ(exit.describe(), "Command terminated with signal Killed");
}

TEST_P(ProcessRunnerTest, KillWithoutGraceSendsSigkill) {
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("trap '' TERM; echo ready; sleep 30"), outcome);
  ASSERT_EQ(awaitLine(), "ready");
  kill(id, 0ms);
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.code, SIGKILL);
}

TEST_P(ProcessRunnerTest, SecondKillCanOnlyShortenGrace) {
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("trap '' TERM; echo ready; sleep 30"), outcome);
  ASSERT_EQ(awaitLine(), "ready");
  kill(id, 60s);
  kill(id, 120s);  // Ignored.
  kill(id, 10ms);  // Brings SIGKILL forward.
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.code, SIGKILL);
}

TEST_P(ProcessRunnerTest, KillOfUnknownOrFinishedIdIsIgnored) {
  kill(12345, 0ms);
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("true"), outcome);
  awaitExit(*outcome);
  kill(id, 0ms);
  kill(id, 10ms);
  EXPECT_EQ(running(), 0u);
  EXPECT_EQ(outcome->count(), 1u);
}

TEST_P(ProcessRunnerTest, KillReachesGrandchildren) {
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("sleep 30 & echo $!; wait"), outcome);
  const pid_t grandchild = std::stoi(awaitLine());
  ASSERT_FALSE(gone(grandchild));
  kill(id, 30s);
  const ProcessExit exit = awaitExit(*outcome, 10s);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.code, SIGTERM);
  EXPECT_TRUE(waitUntil([&] { return gone(grandchild); }))
      << "grandchild " << grandchild << " survived";
}

TEST_P(ProcessRunnerTest, SigtermReachesWholeProcessGroup) {
  // The command waits for its child on SIGTERM and exits 7; the child (a shell)
  // records that SIGTERM reached it directly, not through the command.
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("trap 'wait; exit 7' TERM; "
                             "sh -c 'trap \"echo term > grandchild-term; exit 0\" TERM; echo "
                             "ready; sleep 30 & wait' & "
                             "wait"),
                        outcome);
  ASSERT_EQ(awaitLine(), "ready");
  kill(id, 30s);
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_FALSE(exit.signaled);
  EXPECT_EQ(exit.code, 7);
  EXPECT_EQ(readFile(root_ / "sandbox" / "grandchild-term"), "term\n");
}

// kAuto waits on a pidfd per child (Linux >= 5.3); kPoll opens none.
TEST_P(ProcessRunnerTest, UsesAPidfdOnlyWhenWaitingAutomatically) {
  const int perChild = GetParam() == WaitMode::kAuto ? 1 : 0;
  auto pidfds = [] {
    int count = 0;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      if (fs::read_symlink(entry.path(), ec).string() == "anon_inode:[pidfd]") ++count;
    }
    return count;
  };
  const int before = pidfds();
  auto outcome = std::make_shared<Outcome>();
  const auto id = start(spec("sleep 30"), outcome);
  EXPECT_EQ(pidfds(), before + perChild)
      << (perChild ? "no pidfd: Linux < 5.3, or pidfd_open() failed" : "a pidfd while polling");
  kill(id, 0ms);
  awaitExit(*outcome);
  EXPECT_EQ(pidfds(), before);
}

TEST_P(ProcessRunnerTest, LeftoverGrandchildrenDieWithCommand) {
  auto outcome = std::make_shared<Outcome>();
  start(spec("sleep 30 & echo $!"), outcome);
  const ProcessExit exit = awaitExit(*outcome);
  EXPECT_FALSE(exit.signaled);
  EXPECT_EQ(exit.code, 0);
  const pid_t grandchild = std::stoi(awaitLine());
  EXPECT_TRUE(waitUntil([&] { return gone(grandchild); }))
      << "grandchild " << grandchild << " survived";
}

TEST_P(ProcessRunnerTest, DestructorKillsAndReapsChildren) {
  auto first = std::make_shared<Outcome>();
  auto second = std::make_shared<Outcome>();
  const auto one = start(spec("trap '' TERM; sleep 30 & echo $!; wait", "one"), first);
  const auto two = start(spec("exec sleep 30", "two"), second);
  const pid_t grandchild = std::stoi(awaitLine("one"));
  const pid_t pidOne = io_.run([&] { return runner_->pid(one); });
  const pid_t pidTwo = io_.run([&] { return runner_->pid(two); });
  ASSERT_GT(pidOne, 0);
  ASSERT_GT(pidTwo, 0);
  EXPECT_EQ(running(), 2u);

  destroyRunner();

  for (pid_t pid : {pidOne, pidTwo}) {
    // Reaped (no zombie left): it is no longer our child, and does not exist.
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
    EXPECT_EQ(::kill(pid, 0), -1);
    EXPECT_EQ(errno, ESRCH);
  }
  EXPECT_TRUE(waitUntil([&] { return gone(grandchild); }))
      << "grandchild " << grandchild << " survived";
  // Not reported: the owner is being destroyed too.
  EXPECT_EQ(first->count(), 0u);
  EXPECT_EQ(second->count(), 0u);
}

TEST_P(ProcessRunnerTest, ConcurrentCommandsReportExactlyOnce) {
  constexpr int kCount = 50;
  std::vector<std::shared_ptr<Outcome>> outcomes;
  for (int i = 0; i < kCount; ++i) {
    outcomes.push_back(std::make_shared<Outcome>());
    start(spec("echo " + std::to_string(i) + "; exit " + std::to_string(i % 7),
               "sandbox" + std::to_string(i)),
          outcomes.back());
  }
  EXPECT_TRUE(waitUntil([&] {
    for (const auto& outcome : outcomes) {
      if (outcome->count() == 0) return false;
    }
    return true;
  }));
  EXPECT_EQ(running(), 0u);
  io_.run([] {});  // Anything still queued on the I/O thread has run.
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(outcomes[i]->count(), 1u) << "command " << i;
    const ProcessExit exit = outcomes[i]->first().value_or(ProcessExit{true, -1});
    EXPECT_FALSE(exit.signaled);
    EXPECT_EQ(exit.code, i % 7) << "command " << i;
    EXPECT_EQ(readFile(root_ / ("sandbox" + std::to_string(i)) / "stdout"),
              std::to_string(i) + "\n");
  }
}

// CommandInfo.shell = false: the program with its arguments as argv, nothing
// interpreted (quotes, spaces, `$HOME`, `;`, globs reach it as they are).
TEST_P(ProcessRunnerTest, WithoutShellArgumentsAreNotInterpreted) {
  ProcessSpec s = spec("/usr/bin/printf");
  s.shell = false;
  s.arguments = {"printf", "%s\n", "a b", "\"quoted\"", "'single'", "$HOME", "x; echo injected",
                 "*", "`id`"};
  auto outcome = std::make_shared<Outcome>();
  start(s, outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  EXPECT_EQ(readFile(root_ / "sandbox" / "stdout"),
            "a b\n\"quoted\"\n'single'\n$HOME\nx; echo injected\n*\n`id`\n");
}

TEST_P(ProcessRunnerTest, WithoutShellTheFirstArgumentIsArgv0) {
  ProcessSpec s = spec("/bin/sh");
  s.shell = false;
  s.arguments = {"custom-name", "-c", "echo \"$0\""};
  auto outcome = std::make_shared<Outcome>();
  start(s, outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  EXPECT_EQ(awaitLine(), "custom-name");
}

// A program without a '/' is looked up in the command's own PATH.
TEST_P(ProcessRunnerTest, WithoutShellTheProgramIsFoundOnTheCommandsPath) {
  fs::create_directories(root_ / "bin");
  std::ofstream(root_ / "bin" / "greet") << "#!/bin/sh\necho \"greetings $1\"\n";
  fs::permissions(root_ / "bin" / "greet", fs::perms::owner_all);
  ProcessSpec s = spec("greet");
  s.shell = false;
  s.arguments = {"greet", "from PATH"};
  s.environment = {{"PATH", "/nonexistent:" + (root_ / "bin").string()}};
  auto outcome = std::make_shared<Outcome>();
  start(s, outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  EXPECT_EQ(awaitLine(), "greetings from PATH");
}

TEST_P(ProcessRunnerTest, WithoutShellAMissingProgramIsAnError) {
  for (const std::string program : {"no-such-program-here", "/nonexistent/program"}) {
    ProcessSpec s = spec(program);
    s.shell = false;
    Try<ProcessRunner::Id> id = launch(s, std::make_shared<Outcome>());
    ASSERT_TRUE(id.isError()) << program;
    EXPECT_EQ(id.error(), "Failed to execute '" + program + "': No such file or directory");
  }
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, WithoutShellNoProgramIsAnError) {
  ProcessSpec s = spec("");
  s.shell = false;
  s.arguments = {"printf", "x"};
  Try<ProcessRunner::Id> id = launch(s, std::make_shared<Outcome>());
  ASSERT_TRUE(id.isError());
  EXPECT_NE(id.error().find("no 'value'"), std::string::npos) << id.error();
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, UncreatableSandboxIsAnError) {
  ProcessSpec s = spec("true");
  s.sandbox = "/proc/process_runner_test/sandbox";
  Try<ProcessRunner::Id> id = launch(s, std::make_shared<Outcome>());
  ASSERT_TRUE(id.isError());
  EXPECT_NE(id.error().find("Failed to create sandbox '/proc/process_runner_test/sandbox'"),
            std::string::npos)
      << id.error();
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, SandboxThatIsAFileIsAnError) {
  std::ofstream(root_ / "file") << "x";
  ProcessSpec s = spec("true", "file");
  Try<ProcessRunner::Id> id = launch(s, std::make_shared<Outcome>());
  ASSERT_TRUE(id.isError());
  EXPECT_NE(id.error().find("file"), std::string::npos) << id.error();
  EXPECT_EQ(running(), 0u);
}

TEST_P(ProcessRunnerTest, DescriptorsDoNotLeak) {
  // Not close-on-exec: exec alone would pass it on.
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  auto outcome = std::make_shared<Outcome>();
  start(spec("test -e /proc/self/fd/" + std::to_string(fd) + " && exit 1; exit 0"), outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0) << "fd " << fd << " leaked into the command";
  ::close(fd);
}

TEST_P(ProcessRunnerTest, SignalDispositionsAndMaskAreReset) {
  // Servers commonly ignore SIGPIPE; the command must not inherit that.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGPIPE, &ignore, &previous), 0);
  auto outcome = std::make_shared<Outcome>();
  start(spec("grep -E '^Sig(Ign|Blk)' /proc/self/status"), outcome);
  EXPECT_EQ(awaitExit(*outcome).code, 0);
  ::sigaction(SIGPIPE, &previous, nullptr);
  EXPECT_EQ(readFile(root_ / "sandbox" / "stdout"),
            "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST_P(ProcessRunnerTest, CallbackMayLaunchAgain) {
  auto second = std::make_shared<Outcome>();
  std::atomic<bool> launched{false};
  ProcessSpec next = spec("exit 5", "next");
  io_.run([&] {
    Try<ProcessRunner::Id> id = runner_->launch(spec("true"), [&, second](const ProcessExit&) {
      Try<ProcessRunner::Id> again =
          runner_->launch(next, [second](const ProcessExit& exit) { second->record(exit); });
      launched = again.isSome();
    });
    ASSERT_TRUE(id.isSome()) << id.error();
  });
  EXPECT_EQ(awaitExit(*second).code, 5);
  EXPECT_TRUE(launched);
}

TEST_P(ProcessRunnerTest, CallbackMayDestroyRunner) {
  std::atomic<bool> called{false};
  io_.run([&] {
    Try<ProcessRunner::Id> id = runner_->launch(spec("true"), [&](const ProcessExit&) {
      runner_.reset();
      called = true;
    });
    ASSERT_TRUE(id.isSome()) << id.error();
    // Another child, still running when the runner goes.
    ASSERT_TRUE(runner_->launch(spec("sleep 30", "other"), [](const ProcessExit&) {}).isSome());
  });
  EXPECT_TRUE(waitUntil([&] { return called.load(); }));
  io_.run([] {});
  EXPECT_EQ(runner_, nullptr);
}

INSTANTIATE_TEST_SUITE_P(WaitModes, ProcessRunnerTest,
                         ::testing::Values(WaitMode::kAuto, WaitMode::kPoll),
                         [](const ::testing::TestParamInfo<WaitMode>& info) {
                           return info.param == WaitMode::kAuto ? std::string("Pidfd")
                                                                : std::string("Poll");
                         });

}  // namespace
}  // namespace master
}  // namespace internal
}  // namespace mesos
