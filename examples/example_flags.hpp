#pragma once

// Minimal `--name=value` flags shared by the examples (no dependency beyond the
// standard library and glog).

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <glog/logging.h>

namespace examples {

struct Flags {
  std::string master = "local";
  int numTasks = 5;
  std::string command = "echo hello";
  std::string principal;
  std::string secretFile;
  std::optional<int> verbosity;  // --v, if given.
  bool ok = true;
};

inline Flags parseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--master") {
      flags.master = value;
    } else if (name == "--num_tasks") {
      flags.numTasks = std::atoi(value.c_str());
    } else if (name == "--command") {
      flags.command = value;
    } else if (name == "--principal") {
      flags.principal = value;
    } else if (name == "--secret-file" || name == "--secret_file") {
      flags.secretFile = value;
    } else if (name == "--v") {
      flags.verbosity = std::atoi(value.c_str());
    } else {
      std::cerr << "Unknown flag '" << arg << "'\nUsage: " << argv[0]
                << " [--master=local|host:port|zk://...] [--num_tasks=N] [--command=CMD]"
                << " [--principal=P --secret-file=PATH] [--v=N]" << std::endl;
      flags.ok = false;
    }
  }
  if (flags.numTasks <= 0) {
    std::cerr << "--num_tasks must be positive" << std::endl;
    flags.ok = false;
  }
  return flags;
}

// glog is the application's to initialise. What the user set through glog's
// GLOG_* variables (read by glog before main() runs) stays: GLOG_v=1 works as
// well as --v=1, which wins over it. Otherwise the examples log to stderr at
// warning level unless asked for more (`--v=1` for state transitions, `--v=2`
// for every message), and a VLOG level above 0 shows INFO too.
inline void initLogging(const char* argv0, std::optional<int> verbosity) {
  if (verbosity) FLAGS_v = *verbosity;
  if (std::getenv("GLOG_logtostderr") == nullptr && std::getenv("GLOG_log_dir") == nullptr) {
    FLAGS_logtostderr = true;
  }
  if (verbosity || std::getenv("GLOG_minloglevel") == nullptr) {
    FLAGS_minloglevel = FLAGS_v > 0 ? 0 : 1;
  }
  google::InitGoogleLogging(argv0);
}

}  // namespace examples
