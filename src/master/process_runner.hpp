#pragma once

// Runs a task's command for real, for the simulated agents, as a Mesos command
// executor does: `/bin/sh -c <command>` (CommandInfo.shell, the default) or the
// program itself with its arguments and no shell (`shell = false`), in a sandbox
// directory, with its output in the sandbox's `stdout` and `stderr`
// files, reporting how it ended. A child is the leader of its own process group
// (and session), so killing it reaches whatever it started; like a Mesos
// container destroyed when its executor ends, whatever is left in that group is
// killed when the command itself exits. A grandchild that moves to a process
// group or session of its own escapes both (containing that needs cgroups, which
// this does not use).
//
// Exits are observed without a SIGCHLD handler (which would be process-wide and
// race with anyone else's children): a pidfd (Linux >= 5.3) becomes readable when
// the child exits, and the io_context waits on it like on a socket. On older
// kernels the runner polls `waitid(WNOHANG)` every 10 ms instead. Only the
// runner's own children are ever waited for, so it coexists with other code that
// starts processes, as long as nothing sets SIGCHLD to SIG_IGN or reaps with
// `waitpid(-1)`.
//
// Runs on: one I/O thread (the io_context given to the constructor). Every method
// must be called on it, and it must outlive the runner: children are started with
// PR_SET_PDEATHSIG, which fires when the *thread* that forked them exits.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/try.hpp"
#include "master/lifetime.hpp"

namespace mesos {
namespace internal {
namespace master {

struct ProcessSpec {
  // With `shell` (CommandInfo.shell, true by default): run as `/bin/sh -c
  // <command>`. Without: `command` is the program, exec'd with `arguments` as
  // its argv (`arguments[0]` is argv[0]; none: argv is just `command`) and
  // nothing interpreted; a program without a '/' is looked up in the PATH of
  // the command's environment (below), as execvp() would.
  std::string command;
  bool shell = true;
  std::vector<std::string> arguments;
  // Added to a minimal environment (PATH, HOME=<sandbox>, MESOS_SANDBOX=<sandbox>);
  // an entry with the name of one of those replaces it. Nothing of the runner's
  // own environment is passed on.
  std::vector<std::pair<std::string, std::string>> environment;
  // Working directory, created if missing (mkdir -p); a relative path is taken
  // from the runner's working directory. Its files `stdout` and `stderr` are
  // truncated and receive the command's output; stdin is /dev/null.
  std::string sandbox;
};

struct ProcessExit {
  bool signaled = false;
  // The exit status, or the signal number if `signaled`. -1 (not signaled) if
  // the status was lost because something else reaped the child (SIGCHLD set to
  // SIG_IGN, or a `waitpid(-1)` elsewhere in the process); that is logged.
  int code = 0;

  // As Mesos words it: "Command exited with status 1",
  // "Command terminated with signal Killed".
  std::string describe() const;
};

class ProcessRunner {
 public:
  // How exits are observed. `kAuto` uses a pidfd where the kernel has them and
  // polls otherwise; `kPoll` always polls (to test that path on new kernels).
  enum class WaitMode { kAuto, kPoll };

  explicit ProcessRunner(boost::asio::io_context& io, WaitMode mode = WaitMode::kAuto);
  // Kills (SIGKILL, the whole process group) and reaps every child still running,
  // without calling their `onExit`: no child outlives the runner and none is left
  // a zombie. Blocks until they are gone, which SIGKILL makes quick.
  ~ProcessRunner();

  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  using Id = uint64_t;

  // Starts the command; `onExit` runs on the I/O thread exactly once, after the
  // child has exited and been reaped (never from within `launch`). It may call
  // any method of the runner, and destroy it. Failing to create the sandbox or
  // its files, to fork, to enter the sandbox, to find the program or to exec
  // it (the shell, or the program without one) is an error naming the step
  // (and the program) and the errno text; so is a shell-less spec without a
  // program. Nothing is left running then. Waits
  // (briefly) until the child has exec'd, to know that it did.
  Try<Id> launch(const ProcessSpec& spec, std::function<void(const ProcessExit&)> onExit);

  // Sends SIGTERM to the child's process group, then SIGKILL if the child has
  // not exited `grace` later; a `grace` of zero or less sends SIGKILL at once.
  // A second call can only bring the SIGKILL forward. Unknown or finished ids
  // are ignored.
  void kill(Id id, std::chrono::milliseconds grace);

  // Children started and not yet reported.
  size_t running() const { return children_.size(); }

  // The process id of a running child (for tests and logs); -1 if unknown.
  pid_t pid(Id id) const;

 private:
  struct Child;

  void waitForExit(Id id);
  void onReadable(Id id);
  void signal(const Child& child, int signal) const;

  // For the handlers this runner queues: they may run after it is destroyed
  // (lifetime.hpp).
  AliveToken aliveToken() const { return lifetime_.token(); }
  Lifetime lifetime_;

  boost::asio::io_context& io_;
  const WaitMode mode_;
  bool pidfdsUnsupported_ = false;  // pidfd_open failed with ENOSYS once.
  Id nextId_ = 1;
  std::map<Id, std::unique_ptr<Child>> children_;
};

}  // namespace master
}  // namespace internal
}  // namespace mesos
