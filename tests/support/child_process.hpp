#pragma once

// A child process for tests that run a program (the simulated master, a
// third-party framework) next to the test: its stdout on a pipe to the test, its
// stderr inherited or sent to a file. The destructor always makes sure it is gone
// and reaped (SIGTERM, a grace period, then SIGKILL), however the test ends.
//
//   std::string error;
//   auto master = Child::start(MESOS_LOCAL_MASTER, {"--port=0"}, logPath, &error);
//   ASSERT_TRUE(master) << error;
//   std::optional<std::string> banner = master->readLine(std::chrono::seconds(20));

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/io_thread.hpp"

extern char** environ;

namespace mesos {
namespace testing {

class Child {
 public:
  using Clock = std::chrono::steady_clock;
  using Millis = std::chrono::milliseconds;

  // Starts `binary args...`; on failure returns null and sets `error`. Its
  // stdin is /dev/null, or with `stdinPipe` a pipe we hold open until stop(),
  // for children that exit when their stdin closes (so a crashed test never
  // leaves them behind). Its environment is ours plus `environment`
  // (`NAME=value` entries, replacing ours of the same name).
  static std::unique_ptr<Child> start(const std::string& binary,
                                      const std::vector<std::string>& args,
                                      const std::string& stderrPath, std::string* error,
                                      bool stdinPipe = false,
                                      const std::vector<std::string>& environment = {}) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      return nullptr;
    }
    int in[2] = {-1, -1};
    if (stdinPipe && ::pipe2(in, O_CLOEXEC) != 0) {
      *error = std::string("pipe: ") + std::strerror(errno);
      ::close(out[0]);
      ::close(out[1]);
      return nullptr;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (stdinPipe) {
      posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    } else {
      // stdin: /dev/null, so nothing of ours is read by accident.
      posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    if (!stderrPath.empty()) {
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderrPath.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0644);
    }

    std::vector<std::string> argvStrings{binary};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argvStrings) argv.push_back(s.data());
    argv.push_back(nullptr);

    std::vector<std::string> envStrings;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      const std::string name = text.substr(0, text.find('='));
      const bool replaced = std::any_of(environment.begin(), environment.end(), [&](const auto& e) {
        return e.substr(0, e.find('=')) == name;
      });
      if (!replaced) envStrings.push_back(text);
    }
    envStrings.insert(envStrings.end(), environment.begin(), environment.end());
    std::vector<char*> envp;
    for (std::string& s : envStrings) envp.push_back(s.data());
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int rc =
        ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (in[0] >= 0) ::close(in[0]);
    if (rc != 0) {
      *error = "posix_spawn " + binary + ": " + std::strerror(rc);
      ::close(out[0]);
      if (in[1] >= 0) ::close(in[1]);
      return nullptr;
    }
    return std::unique_ptr<Child>(new Child(binary, pid, out[0], in[1]));
  }

  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }

  // The next stdout line (without '\n'), or nothing at EOF or after `timeout`.
  std::optional<std::string> readLine(Millis timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      const size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      if (eof_ || stdout_ < 0) return std::nullopt;
      const Millis remaining = left(deadline);
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
  std::optional<int> wait(Millis timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!reap(false) && Clock::now() < deadline) {
      std::this_thread::sleep_for(Millis(5));
    }
    return status_;
  }

  // Sends `signal` unless the child has already been reaped; whether it was sent.
  bool signal(int signal) {
    if (reap(false)) return false;
    return ::kill(pid_, signal) == 0;
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

  // Closes stdin, SIGTERM, up to 5 s to exit, then SIGKILL; always reaps.
  void stop() {
    if (stdin_ >= 0) {
      ::close(stdin_);
      stdin_ = -1;
    }
    if (stdout_ >= 0) {
      ::close(stdout_);
      stdout_ = -1;
    }
    if (status_) return;
    if (!reap(false)) ::kill(pid_, SIGTERM);
    if (!wait(scaled(std::chrono::seconds(5)))) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }

 private:
  Child(std::string binary, pid_t pid, int stdoutFd, int stdinFd)
      : binary_(std::move(binary)), pid_(pid), stdout_(stdoutFd), stdin_(stdinFd) {}

  static Millis left(Clock::time_point deadline) {
    return std::max(Millis(0), std::chrono::duration_cast<Millis>(deadline - Clock::now()));
  }

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
  int stdin_;  // -1 unless started with `stdinPipe`.
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> status_;
};

// The UPID `mesos-local-master` announces on its first line ("Simulated master
// <id> at master@ip:port"); nothing, with the reason in `why`, if it does not.
inline std::optional<std::string> readMasterPid(Child& master, std::string* why) {
  const std::optional<std::string> banner = master.readLine(scaled(std::chrono::seconds(20)));
  if (!banner) {
    *why = "no banner" + master.exitNote();
    return std::nullopt;
  }
  const size_t at = banner->rfind(" at ");
  if (at == std::string::npos) {
    *why = "unexpected banner: " + *banner;
    return std::nullopt;
  }
  return banner->substr(at + 4);
}

}  // namespace testing
}  // namespace mesos
