#include "subject_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace bench {

SubjectProcess::SubjectProcess(const std::vector<std::string>& argv,
                               const std::vector<std::string>& env) {
  if (argv.empty()) throw std::invalid_argument("no subject command");
  int pipeFds[2];
  if (pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  // Everything the child needs is prepared before fork: only async-signal-safe
  // calls happen in between fork and exec.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> envStrings;
  for (char** e = environ; *e != nullptr; ++e) envStrings.emplace_back(*e);
  envStrings.insert(envStrings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (const std::string& e : envStrings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int devNull = open("/dev/null", O_RDONLY);
    if (devNull >= 0) dup2(devNull, 0);
    dup2(pipeFds[1], 1);
    execvpe(args[0], args.data(), envp.data());
    const char message[] = "load_master: cannot execute the subject\n";
    (void)!write(2, message, sizeof(message) - 1);
    _exit(127);
  }
  close(pipeFds[1]);
  stdoutFd_ = pipeFds[0];
}

SubjectProcess::~SubjectProcess() {
  stop();
  if (stdoutFd_ >= 0) close(stdoutFd_);
}

int SubjectProcess::releaseStdout() {
  const int fd = stdoutFd_;
  stdoutFd_ = -1;
  return fd;
}

bool SubjectProcess::exited(int* status) {
  if (reaped_) return true;
  int st = 0;
  if (waitpid(pid_, &st, WNOHANG) == pid_) {
    reaped_ = true;
    if (status != nullptr) *status = st;
    return true;
  }
  return false;
}

void SubjectProcess::stop() {
  if (pid_ <= 0 || reaped_) return;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (exited(nullptr)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  reaped_ = true;
}

bool SubjectProcess::sample(ProcSample* out, std::string* error) const {
  const std::string base = "/proc/" + std::to_string(pid_);
  std::ifstream statFile(base + "/stat");
  std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) {
    *error = "cannot read " + base + "/stat";
    return false;
  }
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Fields 3..: state(3) ... utime(14) stime(15); we start at field 3.
  for (int index = 3; index <= 15 && (fields >> field); ++index) {
    if (index == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (index == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  out->cpuSeconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));

  std::ifstream status(base + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) out->rssKiB = std::atol(line.c_str() + 6);
    if (line.rfind("VmHWM:", 0) == 0) out->peakRssKiB = std::atol(line.c_str() + 6);
    if (line.rfind("RssAnon:", 0) == 0) out->anonRssKiB = std::atol(line.c_str() + 8);
    if (line.rfind("RssFile:", 0) == 0) out->fileRssKiB = std::atol(line.c_str() + 8);
  }
  return true;
}

}  // namespace bench
