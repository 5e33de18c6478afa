#pragma once

// The command line of mesos-local-master (main.cpp), parsed with gflags the
// way a Mesos daemon takes its flags:
//   - every flag also comes from the environment as MESOS_<NAME> (MESOS_PORT
//     for --port); the command line (and a --flagfile) wins over it;
//   - a value `file:///path` stands for the file's content, without its
//     trailing newline; for the flags that name a file (--credentials,
//     --work_dir, --log_dir) it stands for the path itself;
//   - booleans are `--name`, `--noname`, `--no-name` (Mesos's spelling) or
//     `--name=true|false`;
//   - a bad value is one line naming the flag, and exit status 1.
// glog's own flags (--v, --log_dir, --logtostderr, ...) are gflags flags too:
// GLOG_* variables set their defaults before main() runs, and the logging
// set-up below only fills in what neither they nor the command line set.
//
// Compiled into mesos-local-master only: the flags it defines are global.

#include <optional>
#include <string>

#include "master/master.hpp"

namespace mesos {
namespace internal {
namespace master {

struct DaemonFlags {
  MasterOptions options;
  // Set when the process must exit now with this status: after --help or
  // --version (0), or a bad flag (1; the reason is already on stderr).
  std::optional<int> exitStatus;
};

// Parses `argv` and the MESOS_* environment into options. Call once, before
// glog is initialised.
DaemonFlags parseDaemonFlags(int argc, char** argv);

// Sets glog up as --logging_level, --log_dir and --quiet (and --v) say,
// leaving whatever GLOG_* variables or glog's own flags set, then initialises
// glog. The default is WARNING and above on stderr, INFO when --v (or GLOG_v)
// is above 0.
void initDaemonLogging(const char* argv0);

}  // namespace master
}  // namespace internal
}  // namespace mesos
