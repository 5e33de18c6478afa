// Runs task commands as real child processes (see process_runner.hpp).

#include "master/process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>
#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace master {

namespace asio = boost::asio;

namespace {

// Mesos's default PATH for command tasks (stout's os::host_default_path()).
constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr const char* kShell = "/bin/sh";
// How often exits are polled for when there are no pidfds.
constexpr std::chrono::milliseconds kPollInterval{10};

std::string errnoText(int error) { return std::generic_category().message(error); }

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Moves `fd` to a number above 2 (close-on-exec), so that the child's dup2()s
// onto 0, 1 and 2 can never overwrite one of their own sources. Only matters if
// the runner's process closed its standard streams. Returns an error number.
int moveAboveStdio(Fd& fd) {
  if (fd.get() > 2) return 0;
  const int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (moved < 0) return errno;
  fd = Fd(moved);
  return 0;
}

Try<Fd> openFile(const std::string& path, int flags) {
  Fd fd(::open(path.c_str(), flags | O_CLOEXEC, 0644));
  if (fd.get() < 0) return Error("Failed to open '" + path + "': " + errnoText(errno));
  if (int error = moveAboveStdio(fd)) {
    return Error("Failed to open '" + path + "': " + errnoText(error));
  }
  return fd;
}

// What the child reports through the close-on-exec pipe when a step before exec
// fails. Nothing arriving (end of file) means exec succeeded.
enum ChildStep : int { kSession, kDeathSignal, kSandbox, kStdio, kExec };
struct ChildFailure {
  int step;
  int error;
};

// Everything the child needs, prepared before fork(): between fork() and exec()
// a child of a multi-threaded process may only make async-signal-safe calls
// (another thread may have held the allocator's lock at the fork), so the child
// below allocates nothing and touches no C++ library state.
struct ChildSetup {
  pid_t parent;
  const char* sandbox;
  const char* program;  // What to execve(): the shell, or the resolved program.
  char* const* argv;
  char* const* envp;
  int stdinFd;
  int stdoutFd;
  int stderrFd;
  int reportFd;
  long maxFd;  // For closing fds without close_range().
  sigset_t unblocked;
};

void closeRange(unsigned first, unsigned last, long maxFd) {
  if (first > last) return;
  if (::syscall(SYS_close_range, first, last, 0) == 0) return;
  // close_range() needs Linux >= 5.9.
  const long end = std::min(static_cast<long>(last), maxFd - 1);
  for (long fd = first; fd <= end; ++fd) ::close(static_cast<int>(fd));
}

[[noreturn]] void runChild(const ChildSetup& setup) {
  auto fail = [&setup](ChildStep step) {
    const ChildFailure failure{step, errno};
    // A pipe write this small is atomic; if it fails the parent sees end of
    // file, takes it for a successful exec and reports status 127 instead.
    ssize_t ignored = ::write(setup.reportFd, &failure, sizeof failure);
    (void)ignored;
    ::_exit(127);
  };

  // Its own session and process group, so that kill() reaches everything it
  // starts, and signals meant for the runner's group (a terminal's ^C) do not
  // reach it.
  if (::setsid() < 0) fail(kSession);
  // Die with the runner even if it gets no chance to kill us (SIGKILL, crash).
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) fail(kDeathSignal);
  // The runner may have died before prctl() took effect: then we were
  // reparented already and the death signal will never come.
  if (::getppid() != setup.parent) ::_exit(127);

  // Signals were blocked across fork() so that none could run a copy of one of
  // the runner's handlers in here. Reset every disposition: handlers would be
  // reset by exec anyway, but ignored signals stay ignored across it (an ignored
  // SIGPIPE, common in network servers, breaks pipelines in the command).
  struct sigaction defaults;
  std::memset(&defaults, 0, sizeof defaults);
  defaults.sa_handler = SIG_DFL;
  ::sigemptyset(&defaults.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &defaults, nullptr);  // Some fail: fine.

  if (::chdir(setup.sandbox) < 0) fail(kSandbox);
  if (::dup2(setup.stdinFd, STDIN_FILENO) < 0 || ::dup2(setup.stdoutFd, STDOUT_FILENO) < 0 ||
      ::dup2(setup.stderrFd, STDERR_FILENO) < 0) {
    fail(kStdio);
  }
  // Descriptors of the runner's process that are not close-on-exec (sockets of
  // other libraries, files of other threads) must not leak into the command.
  // The report pipe stays open until exec closes it (it is close-on-exec).
  const unsigned report = static_cast<unsigned>(setup.reportFd);
  closeRange(3, report - 1, setup.maxFd);
  closeRange(report + 1, ~0U, setup.maxFd);

  ::sigprocmask(SIG_SETMASK, &setup.unblocked, nullptr);
  ::execve(setup.program, setup.argv, setup.envp);
  fail(kExec);
  ::_exit(127);  // Not reached.
}

std::string describeFailure(const ChildFailure& failure, const std::string& sandbox,
                            const std::string& program) {
  std::string what;
  switch (failure.step) {
    case kSession:
      what = "Failed to start a new session";
      break;
    case kDeathSignal:
      what = "Failed to set the parent-death signal";
      break;
    case kSandbox:
      what = "Failed to enter sandbox '" + sandbox + "'";
      break;
    case kStdio:
      what = "Failed to redirect the standard streams";
      break;
    case kExec:
      what = "Failed to execute '" + program + "'";
      break;
    default:
      what = "Failed to start the command";
      break;
  }
  return what + ": " + errnoText(failure.error);
}

// Where execvp() would find `program` on `path` (a PATH value), looked up here
// in the parent because the child may not allocate: a name with a '/' is used
// as it is; otherwise the first executable regular file of that name in a PATH
// directory (an empty entry is the working directory, as for execvp()).
// Nothing found: the error execvp() would report, EACCES if some candidate
// exists but cannot be executed, else ENOENT.
Try<std::string> findProgram(const std::string& program, const std::string& path,
                             const std::string& sandbox) {
  if (program.find('/') != std::string::npos) return program;
  bool denied = false;
  size_t start = 0;
  for (;;) {
    const size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos
                                                                     : colon - start);
    // The child runs in its sandbox, so a relative entry is taken from there.
    if (dir.empty()) dir = ".";
    if (dir.front() != '/') dir = sandbox + "/" + dir;
    const std::string candidate = dir + "/" + program;
    struct stat info;
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      denied = true;
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return Error("Failed to execute '" + program + "': " + errnoText(denied ? EACCES : ENOENT));
}

// Reaps `pid`, which must have exited (so this does not block for long).
int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

}  // namespace

std::string ProcessExit::describe() const {
  if (signaled) {
    const char* name = ::strsignal(code);
    return std::string("Command terminated with signal ") +
           (name != nullptr ? name : "unknown signal " + std::to_string(code));
  }
  return "Command exited with status " + std::to_string(code);
}

struct ProcessRunner::Child {
  pid_t pid = -1;
  std::function<void(const ProcessExit&)> onExit;
  // Readable once the child has exited; null when polling instead.
  std::unique_ptr<asio::posix::stream_descriptor> pidfd;
  std::unique_ptr<asio::steady_timer> pollTimer;
  std::unique_ptr<asio::steady_timer> killTimer;
  // When SIGKILL is due, once kill() was called.
  std::optional<std::chrono::steady_clock::time_point> killDeadline;
};

ProcessRunner::ProcessRunner(asio::io_context& io, WaitMode mode) : io_(io), mode_(mode) {}

ProcessRunner::~ProcessRunner() {
  // SIGKILL cannot be caught, so every leader exits promptly and the blocking
  // waitpid() below is short. Kill them all first so they die in parallel.
  for (const auto& entry : children_) signal(*entry.second, SIGKILL);
  for (const auto& entry : children_) reap(entry.second->pid);
  // Closing the pidfds and timers cancels their waits; the handlers that still
  // run see their token expired.
  children_.clear();
}

Try<ProcessRunner::Id> ProcessRunner::launch(const ProcessSpec& spec,
                                             std::function<void(const ProcessExit&)> onExit) {
  if (spec.sandbox.empty()) return Error("No sandbox directory given");
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(spec.sandbox, ec);
  if (ec) return Error("Invalid sandbox '" + spec.sandbox + "': " + ec.message());
  const std::string sandbox = absolute.lexically_normal().string();

  // The environment: a minimal one, then the spec's, which may override it.
  std::vector<std::pair<std::string, std::string>> variables = {
      {"PATH", kDefaultPath}, {"HOME", sandbox}, {"MESOS_SANDBOX", sandbox}};
  for (const auto& [name, value] : spec.environment) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return Error("Invalid environment variable '" + name + "'");
    }
    auto same =
        std::find_if(variables.begin(), variables.end(),
                     [&name = name](const auto& variable) { return variable.first == name; });
    if (same != variables.end()) {
      same->second = value;
    } else {
      variables.emplace_back(name, value);
    }
  }
  if (spec.command.find('\0') != std::string::npos) return Error("The command contains a NUL byte");
  for (const std::string& argument : spec.arguments) {
    if (argument.find('\0') != std::string::npos) return Error("An argument contains a NUL byte");
  }
  if (!spec.shell && spec.command.empty()) {
    return Error("No program to run: the command has 'shell' false and no 'value'");
  }

  std::filesystem::create_directories(absolute, ec);
  if (ec) return Error("Failed to create sandbox '" + sandbox + "': " + ec.message());

  // What to exec: the shell, or the program itself found on the command's PATH.
  std::string program = kShell;
  if (!spec.shell) {
    const auto pathVariable =
        std::find_if(variables.begin(), variables.end(),
                     [](const auto& variable) { return variable.first == "PATH"; });
    Try<std::string> found = findProgram(spec.command, pathVariable->second, sandbox);
    if (found.isError()) return Error(found.error());
    program = found.get();
  }

  Try<Fd> in = openFile("/dev/null", O_RDONLY);
  if (in.isError()) return Error(in.error());
  Try<Fd> out = openFile(sandbox + "/stdout", O_WRONLY | O_CREAT | O_TRUNC);
  if (out.isError()) return Error(out.error());
  Try<Fd> err = openFile(sandbox + "/stderr", O_WRONLY | O_CREAT | O_TRUNC);
  if (err.isError()) return Error(err.error());
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) < 0) return Error("Failed to create a pipe: " + errnoText(errno));
  Fd reportRead(pipeFds[0]);
  Fd reportWrite(pipeFds[1]);
  if (int error = moveAboveStdio(reportWrite)) {
    return Error("Failed to create a pipe: " + errnoText(error));
  }

  // argv and envp as C arrays, built now: the child must not allocate.
  std::vector<std::string> entries;
  entries.reserve(variables.size());
  for (const auto& [name, value] : variables) {
    entries.emplace_back(name);
    entries.back().append(1, '=').append(value);
  }
  std::vector<char*> envp;
  envp.reserve(entries.size() + 1);
  for (std::string& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> arguments;
  if (spec.shell) {
    arguments = {"sh", "-c", spec.command};
  } else {
    arguments = spec.arguments;
    if (arguments.empty()) arguments.push_back(spec.command);
  }
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);

  ChildSetup setup;
  setup.parent = ::getpid();
  setup.sandbox = sandbox.c_str();
  setup.program = program.c_str();
  setup.argv = argv.data();
  setup.envp = envp.data();
  setup.stdinFd = in->get();
  setup.stdoutFd = out->get();
  setup.stderrFd = err->get();
  setup.reportFd = reportWrite.get();
  setup.maxFd = std::max(::sysconf(_SC_OPEN_MAX), 1024L);

  // Block every signal across fork() (the child unblocks them once it has reset
  // their dispositions): see runChild().
  sigset_t all, previous;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  ::sigemptyset(&setup.unblocked);  // The command starts with no signal blocked.
  const pid_t pid = ::fork();
  if (pid == 0) runChild(setup);
  const int forkError = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (pid < 0) return Error("Failed to fork: " + errnoText(forkError));

  // Wait for the exec: the write end closes then (close-on-exec), or carries the
  // reason the child could not get there. This is as quick as an exec.
  reportWrite.reset();
  ChildFailure failure{};
  size_t received = 0;
  while (received < sizeof failure) {
    const ssize_t n = ::read(reportRead.get(), reinterpret_cast<char*>(&failure) + received,
                             sizeof failure - received);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received += static_cast<size_t>(n);
  }
  if (received > 0) {
    reap(pid);  // It _exit()s right after reporting.
    if (received < sizeof failure) return Error("Failed to start the command");
    return Error(describeFailure(failure, sandbox, program));
  }

  const Id id = nextId_++;
  auto child = std::make_unique<Child>();
  child->pid = pid;
  child->onExit = std::move(onExit);
  child->killTimer = std::make_unique<asio::steady_timer>(io_);
  if (mode_ == WaitMode::kAuto && !pidfdsUnsupported_) {
    // The pid cannot be reused before we reap it, so this is the right process.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
      try {
        child->pidfd = std::make_unique<asio::posix::stream_descriptor>(io_, pidfd);
      } catch (const boost::system::system_error& e) {
        // Registering with the reactor failed (it does not close the fd then).
        ::close(pidfd);
        LOG(WARNING) << "Cannot wait on the pidfd of process " << pid << " (" << e.what()
                     << "): polling for its exit";
      }
    } else if (errno == ENOSYS) {
      LOG(INFO) << "pidfd_open() is not supported (Linux < 5.3): polling for process exits";
      pidfdsUnsupported_ = true;
    } else {
      LOG(WARNING) << "pidfd_open() failed: " << errnoText(errno)
                   << "; polling for the exit of process " << pid;
    }
  }
  if (!child->pidfd) child->pollTimer = std::make_unique<asio::steady_timer>(io_);
  children_.emplace(id, std::move(child));
  VLOG(1) << "Started process " << pid << " in " << sandbox << ": "
          << (spec.shell ? spec.command : program);
  waitForExit(id);
  return id;
}

void ProcessRunner::waitForExit(Id id) {
  Child& child = *children_.at(id);
  auto handler = [this, alive = aliveToken(), id](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted || alive.expired()) return;
    if (ec) {
      // Not expected from a pidfd; polling still works.
      auto it = children_.find(id);
      if (it == children_.end()) return;
      LOG(WARNING) << "Waiting on the pidfd of process " << it->second->pid
                   << " failed: " << ec.message() << "; polling instead";
      it->second->pidfd.reset();
      it->second->pollTimer = std::make_unique<asio::steady_timer>(io_);
    }
    onReadable(id);
  };
  if (child.pidfd) {
    child.pidfd->async_wait(asio::posix::stream_descriptor::wait_read, std::move(handler));
  } else {
    child.pollTimer->expires_after(kPollInterval);
    child.pollTimer->async_wait(std::move(handler));
  }
}

void ProcessRunner::onReadable(Id id) {
  auto it = children_.find(id);
  if (it == children_.end()) return;
  const pid_t pid = it->second->pid;

  // Look without reaping (WNOWAIT): while the leader is an unreaped zombie its
  // pid, which is also its process group's id, cannot be reused, so the group
  // can still be killed safely below.
  siginfo_t info;
  std::memset(&info, 0, sizeof info);
  int result;
  do {
    result = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
  } while (result < 0 && errno == EINTR);
  if (result == 0 && info.si_pid == 0) {
    waitForExit(id);  // Still running (a poll, or a spurious wakeup).
    return;
  }

  ProcessExit exit;
  if (result < 0) {
    // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN, or waitpid(-1)).
    LOG(ERROR) << "Process " << pid << " was reaped by someone else (" << errnoText(errno)
               << "); its exit status is unknown";
    exit.code = -1;
  } else {
    // Whatever the command left running in its group dies with it.
    ::kill(-pid, SIGKILL);
    exit.signaled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
    exit.code = info.si_status;
    reap(pid);
  }
  VLOG(1) << "Process " << pid << ": " << exit.describe();

  std::function<void(const ProcessExit&)> onExit = std::move(it->second->onExit);
  children_.erase(it);
  // Last: the callback may launch, kill, or destroy the runner.
  if (onExit) onExit(exit);
}

void ProcessRunner::kill(Id id, std::chrono::milliseconds grace) {
  auto it = children_.find(id);
  if (it == children_.end()) return;
  Child& child = *it->second;
  if (grace <= std::chrono::milliseconds::zero()) {
    child.killTimer->cancel();
    child.killDeadline = std::chrono::steady_clock::now();
    signal(child, SIGKILL);
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  if (child.killDeadline) {
    if (*child.killDeadline <= deadline) return;
  } else {
    signal(child, SIGTERM);
  }
  child.killDeadline = deadline;
  child.killTimer->expires_at(deadline);  // Cancels an earlier wait.
  child.killTimer->async_wait([this, alive = aliveToken(), id](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    auto found = children_.find(id);
    if (found == children_.end()) return;
    LOG(INFO) << "Process " << found->second->pid << " outlived its grace period: sending SIGKILL";
    signal(*found->second, SIGKILL);
  });
}

pid_t ProcessRunner::pid(Id id) const {
  auto it = children_.find(id);
  return it == children_.end() ? -1 : it->second->pid;
}

void ProcessRunner::signal(const Child& child, int sig) const {
  // The group, for the command's own children; and the leader itself, in case
  // it has not called setsid() yet (launch() waits for exec, so it always has,
  // but this costs nothing). Neither can hit a stranger: the leader is not
  // reaped, so its pid and group id are not reused. ESRCH is expected when the
  // group is gone.
  ::kill(-child.pid, sig);
  ::kill(child.pid, sig);
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
