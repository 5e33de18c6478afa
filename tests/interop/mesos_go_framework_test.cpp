// Interop with a third-party scheduler driver: a framework written on mesos-go
// 0.0.6's MesosSchedulerDriver (tests/interop/go/framework) runs against our
// simulated master (`mesos-local-master`, src/master/main.cpp), both as child
// processes. Proves, end to end across processes:
//   * mesos-go's standalone detector finds the master through `GET /state`
//     (`leader`), and registers with the legacy RegisterFrameworkMessage;
//   * offers reach it (ResourceOffersMessage with one agent pid per offer), its
//     LaunchTasksMessages (launches and declines) are honoured;
//   * status updates from the master's pid are accepted and acknowledged
//     (StatusUpdateAcknowledgementMessage), so every task reaches TASK_FINISHED;
//   * its Stop(false) (UnregisterFrameworkMessage) tears the framework down: the
//     master's `/state` lists it under `completed_frameworks` with no task left.
//
// The framework prints `REGISTERED <id>`, `LAUNCHED <task>`,
// `STATUS <task> <state>` and `DONE <n>` on stdout, and exits 0 on success, 1 on
// error or after its --timeout. `Child` kills and reaps both processes however
// the test ends.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "support/io_thread.hpp"
#include "support/raw_client.hpp"

extern char** environ;

namespace mesos {
namespace testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kTasks = 5;
constexpr const char* kNoGo =
    "Go toolchain not found; install golang-go golang-github-mesos-mesos-go-dev";

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

milliseconds left(Clock::time_point deadline) {
  return std::max(milliseconds(0),
                  std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

// A child process with its stdout on a pipe to us and its stderr either
// inherited or sent to a file. The destructor always makes sure it is gone and
// reaped: SIGTERM, a grace period, then SIGKILL.
class Child {
 public:
  // Starts `binary args...`; on failure returns null and sets `error`.
  static std::unique_ptr<Child> start(const std::string& binary,
                                      const std::vector<std::string>& args,
                                      const std::string& stderrPath, std::string* error) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      return nullptr;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    // stdin: /dev/null, so nothing of ours is read by accident.
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (!stderrPath.empty()) {
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderrPath.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0644);
    }

    std::vector<std::string> argvStrings{binary};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argvStrings) argv.push_back(s.data());
    argv.push_back(nullptr);

    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      *error = "posix_spawn " + binary + ": " + std::strerror(rc);
      ::close(out[0]);
      return nullptr;
    }
    return std::unique_ptr<Child>(new Child(binary, pid, out[0]));
  }

  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The next stdout line (without '\n'), or nothing at EOF or after `timeout`.
  std::optional<std::string> readLine(milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      const size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      if (eof_ || stdout_ < 0) return std::nullopt;
      const milliseconds remaining = left(deadline);
      if (remaining.count() <= 0) return std::nullopt;
      pollfd p{stdout_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(remaining.count()) + 1);
      if (ready < 0 && errno != EINTR) {
        eof_ = true;
        continue;
      }
      if (ready <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(stdout_, chunk, sizeof(chunk));
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        eof_ = true;
      }
    }
  }

  // Every remaining stdout line until EOF or `deadline`; `*complete` says
  // whether EOF was reached (an unterminated last line is included).
  std::vector<std::string> readAll(Clock::time_point deadline, bool* complete) {
    std::vector<std::string> lines;
    for (;;) {
      std::optional<std::string> line = readLine(left(deadline));
      if (line) {
        lines.push_back(*line);
        continue;
      }
      *complete = eof_;
      if (eof_ && !buffer_.empty()) {
        lines.push_back(buffer_);
        buffer_.clear();
      }
      return lines;
    }
  }

  // Waits for the child to exit; its wait status, or nothing after `timeout`.
  std::optional<int> wait(milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!reap(false) && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    return status_;
  }

  // " (<binary> exited with ...)" if it has exited, else "".
  std::string exitNote() {
    reap(false);
    return status_ ? " (" + binary_ + " " + describe(*status_) + ")" : "";
  }

  static std::string describe(int status) {
    std::ostringstream text;
    if (WIFEXITED(status)) {
      text << "exited with status " << WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      text << "was killed by signal " << WTERMSIG(status);
    } else {
      text << "ended with wait status " << status;
    }
    return text.str();
  }

  // SIGTERM, up to 5 s to exit, then SIGKILL; always reaps.
  void stop() {
    if (stdout_ >= 0) {
      ::close(stdout_);
      stdout_ = -1;
    }
    if (status_) return;
    if (!reap(false)) ::kill(pid_, SIGTERM);
    if (!wait(scaled(seconds(5)))) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }

 private:
  Child(std::string binary, pid_t pid, int stdoutFd)
      : binary_(std::move(binary)), pid_(pid), stdout_(stdoutFd) {}

  // Collects the exit status once; returns whether the child is gone.
  bool reap(bool block) {
    if (status_) return true;
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) {
      status_ = status;
      return true;
    }
    if (r < 0) {  // ECHILD: nothing left to reap.
      status_ = 0;
      return true;
    }
    return false;
  }

  std::string binary_;
  pid_t pid_;
  int stdout_;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> status_;
};

// `GET <path>` from 127.0.0.1:<port> over a plain socket: the status code and
// body of the response, or an error in `*error`.
std::optional<std::pair<int, std::string>> httpGet(uint16_t port, const std::string& path,
                                                   std::string* error) {
  RawClient client(port);
  if (!client.connected()) {
    *error = "cannot connect to 127.0.0.1:" + std::to_string(port);
    return std::nullopt;
  }
  if (!client.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                   "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")) {
    *error = "cannot send the request";
    return std::nullopt;
  }
  // Complete once the headers and Content-Length bytes of body are in (the
  // server may keep the connection open), or at EOF for a response without one.
  auto complete = [](const std::string& data) {
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::string headers = data.substr(0, end);
    std::transform(headers.begin(), headers.end(), headers.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t cl = headers.find("\r\ncontent-length:");
    if (cl == std::string::npos) return false;
    const size_t length = std::strtoul(headers.c_str() + cl + 17, nullptr, 10);
    return data.size() >= end + 4 + length;
  };
  const std::string data = client.readUntil(complete, scaled(seconds(10)));
  const size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos || data.compare(0, 9, "HTTP/1.1 ") != 0) {
    *error = "no complete HTTP response; got '" + data + "'";
    return std::nullopt;
  }
  if (data.find("\r\nTransfer-Encoding: chunked", 0) < end) {
    *error = "unexpected chunked response";
    return std::nullopt;
  }
  return std::make_pair(std::atoi(data.c_str() + 9), data.substr(end + 4));
}

using google::protobuf::Struct;
using google::protobuf::Value;

std::vector<Struct> structs(const Struct& s, const std::string& key) {
  std::vector<Struct> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end() || !it->second.has_list_value()) return out;
  for (const Value& item : it->second.list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

std::string str(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it != s.fields().end() && it->second.has_string_value() ? it->second.string_value() : "";
}

class MesosGoFrameworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if !MESOS_GO_FOUND
    GTEST_SKIP() << kNoGo;
#endif
    const std::string status = readFile(MESOS_GO_FRAMEWORK_STATUS);
    if (status.empty()) {
      FAIL() << "the mesos-go framework was never built (no " << MESOS_GO_FRAMEWORK_STATUS
             << "); build the mesos_go_framework target";
    }
    const int code = std::atoi(status.c_str());
    if (code == 77) GTEST_SKIP() << kNoGo;
    if (code != 0) {
      FAIL() << "building the mesos-go framework failed (scripts/build_mesos_go_peer.sh exit "
             << code << "); build log " << MESOS_GO_FRAMEWORK_LOG << ":\n"
             << readFile(MESOS_GO_FRAMEWORK_LOG);
    }
    if (::access(MESOS_GO_FRAMEWORK, X_OK) != 0) {
      FAIL() << "the mesos-go framework " << MESOS_GO_FRAMEWORK << " is missing or not executable";
    }
    if (::access(MESOS_LOCAL_MASTER, X_OK) != 0) {
      FAIL() << "the simulated master " << MESOS_LOCAL_MASTER << " is missing or not executable";
    }
  }

  void TearDown() override {
    // Framework first (it talks to the master), then the master.
    framework_.reset();
    master_.reset();
    if (!frameworkLog_.empty()) ::unlink(frameworkLog_.c_str());
  }

  // Starts the master and reads `Simulated master <id> at master@127.0.0.1:<port>`.
  void startMaster() {
    std::string error;
    master_ = Child::start(MESOS_LOCAL_MASTER, {"--port=0", "--agents=2"}, "", &error);
    ASSERT_TRUE(master_) << error;
    std::optional<std::string> line = master_->readLine(scaled(seconds(20)));
    ASSERT_TRUE(line) << "no startup line from mesos-local-master within the deadline"
                      << master_->exitNote();
    static const std::regex banner(R"(^Simulated master (\S+) at (master@127\.0\.0\.1:(\d+))$)");
    std::smatch match;
    ASSERT_TRUE(std::regex_match(*line, match, banner))
        << "unexpected startup line from mesos-local-master: '" << *line << "'";
    masterUpid_ = match[2];
    masterPort_ = static_cast<uint16_t>(std::stoi(match[3]));
    ASSERT_NE(0, masterPort_);
  }

  std::string frameworkStderr() const {
    return frameworkLog_.empty() ? "" : readFile(frameworkLog_);
  }

  std::unique_ptr<Child> master_;
  std::unique_ptr<Child> framework_;
  std::string masterUpid_;
  uint16_t masterPort_ = 0;
  std::string frameworkLog_;
};

TEST_F(MesosGoFrameworkTest, RunsTasksToCompletionAgainstSimulatedMaster) {
  ASSERT_NO_FATAL_FAILURE(startMaster());

  // The framework's stderr (glog) goes to a file, shown when something fails.
  std::string logTemplate = ::testing::TempDir() + "mesos_go_framework.XXXXXX";
  const int logFd = ::mkstemp(logTemplate.data());
  ASSERT_GE(logFd, 0) << "mkstemp: " << std::strerror(errno);
  ::close(logFd);
  frameworkLog_ = logTemplate;

  const milliseconds frameworkTimeout = scaled(seconds(60));
  std::string error;
  framework_ = Child::start(MESOS_GO_FRAMEWORK,
                            {"--master=127.0.0.1:" + std::to_string(masterPort_),
                             "--tasks=" + std::to_string(kTasks),
                             "--timeout=" + std::to_string(frameworkTimeout.count()) + "ms"},
                            frameworkLog_, &error);
  ASSERT_TRUE(framework_) << error;

  // It exits by itself (success, failure, or its own --timeout); give it a margin.
  const Clock::time_point deadline = Clock::now() + frameworkTimeout + scaled(seconds(20));
  bool complete = false;
  const std::vector<std::string> lines = framework_->readAll(deadline, &complete);
  std::string output;
  for (const std::string& line : lines) output += "  " + line + "\n";
  const std::optional<int> status = framework_->wait(left(deadline) + scaled(seconds(5)));
  ASSERT_TRUE(complete && status) << "the mesos-go framework did not exit in time; stdout:\n"
                                  << output << "stderr:\n" << frameworkStderr();
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << "the mesos-go framework " << Child::describe(*status) << "; stdout:\n"
      << output << "stderr:\n" << frameworkStderr();

  // REGISTERED first, then 5 distinct LAUNCHED, 5 TASK_FINISHED, DONE 5 last.
  ASSERT_FALSE(lines.empty());
  static const std::regex registered(R"(^REGISTERED (\S+)$)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(lines.front(), match, registered))
      << "first line is not REGISTERED; stdout:\n" << output;
  const std::string frameworkId = match[1];
  EXPECT_EQ("DONE " + std::to_string(kTasks), lines.back()) << "stdout:\n" << output;

  std::map<std::string, int> launched;
  std::map<std::string, int> finished;
  static const std::regex statusLine(R"(^STATUS (\S+) (TASK_\w+)$)");
  for (const std::string& line : lines) {
    if (line.rfind("LAUNCHED ", 0) == 0) {
      ++launched[line.substr(9)];
    } else if (std::regex_match(line, match, statusLine)) {
      EXPECT_TRUE(launched.count(match[1])) << "status for a task never launched: " << line;
      const std::string state = match[2];
      EXPECT_TRUE(state == "TASK_STARTING" || state == "TASK_RUNNING" || state == "TASK_FINISHED")
          << "unexpected state: " << line;
      if (state == "TASK_FINISHED") ++finished[match[1]];
    }
  }
  EXPECT_EQ(static_cast<size_t>(kTasks), launched.size()) << "stdout:\n" << output;
  EXPECT_EQ(static_cast<size_t>(kTasks), finished.size()) << "stdout:\n" << output;
  for (const auto& entry : launched) EXPECT_EQ(1, entry.second) << entry.first << " launched twice";
  for (const auto& entry : finished) EXPECT_EQ(1, entry.second) << entry.first << " finished twice";

  // The master saw the framework tear down (mesos-go's Stop(false) sent
  // UnregisterFrameworkMessage and waited 2 s): it is a completed framework,
  // and no task is left anywhere.
  std::optional<std::pair<int, std::string>> response = httpGet(masterPort_, "/state", &error);
  ASSERT_TRUE(response) << "GET /state: " << error << master_->exitNote();
  ASSERT_EQ(200, response->first) << response->second;
  Struct state;
  const auto parsed = google::protobuf::util::JsonStringToMessage(response->second, &state);
  ASSERT_TRUE(parsed.ok()) << "/state is not JSON: " << parsed.ToString() << "\n" << response->second;
  EXPECT_EQ(masterUpid_, str(state, "leader"));

  bool completed = false;
  for (const Struct& fw : structs(state, "completed_frameworks")) {
    completed = completed || str(fw, "id") == frameworkId;
  }
  EXPECT_TRUE(completed) << "framework " << frameworkId
                         << " is not in completed_frameworks; /state:\n" << response->second;
  for (const Struct& fw : structs(state, "frameworks")) {
    EXPECT_NE(frameworkId, str(fw, "id")) << "the framework is still registered; /state:\n"
                                          << response->second;
    for (const Struct& task : structs(fw, "tasks")) {
      const std::string taskState = str(task, "state");
      EXPECT_TRUE(taskState == "TASK_FINISHED" || taskState == "TASK_FAILED" ||
                  taskState == "TASK_KILLED" || taskState == "TASK_LOST")
          << "task " << str(task, "id") << " of " << str(fw, "id") << " is still " << taskState;
    }
  }

  // The master is still healthy; it shuts down cleanly on SIGTERM (TearDown).
  EXPECT_EQ("", master_->exitNote());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
