#pragma once

// The benchmarked subject: a framework process the load master starts, reads
// lines from, samples (CPU time and memory from /proc) and stops.

#include <sys/types.h>

#include <string>
#include <vector>

namespace bench {

struct ProcSample {
  double cpuSeconds = 0;  // utime + stime of every thread, dead or alive.
  long rssKiB = 0;        // VmRSS.
  long peakRssKiB = 0;    // VmHWM: the high-water mark since the process started.
  long anonRssKiB = 0;    // RssAnon: private memory (heap, stacks).
  long fileRssKiB = 0;    // RssFile: mapped files (the binary, shared libraries).
};

class SubjectProcess {
 public:
  // Starts `argv` with its stdout on a pipe (`stdoutFd()`), stderr inherited,
  // stdin from /dev/null, and `env` added to the environment.
  SubjectProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  // Stops the process (SIGTERM, then SIGKILL after 5 s) if still running.
  ~SubjectProcess();
  SubjectProcess(const SubjectProcess&) = delete;
  SubjectProcess& operator=(const SubjectProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Read end of the subject's stdout; owned by this object until `releaseStdout()`.
  int releaseStdout();
  // False with `error` set if /proc could not be read (the process is gone).
  bool sample(ProcSample* out, std::string* error) const;
  // True if the process has exited; `status` gets the wait status.
  bool exited(int* status);
  void stop();

 private:
  pid_t pid_ = -1;
  int stdoutFd_ = -1;
  bool reaped_ = false;
};

}  // namespace bench
