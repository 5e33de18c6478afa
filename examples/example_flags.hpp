#pragma once

// Minimal `--name=value` flags shared by the examples (no dependency beyond the
// standard library and glog).

#include <cstdlib>
#include <iostream>
#include <string>

#include <glog/logging.h>

namespace examples {

struct Flags {
  std::string master = "local";
  int numTasks = 5;
  std::string command = "echo hello";
  std::string principal;
  std::string secretFile;
  int verbosity = 0;
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

// glog is the application's to initialise; the examples log to stderr at
// warning level unless asked for more (`--v=1` for state transitions,
// `--v=2` for every message).
inline void initLogging(const char* argv0, int verbosity) {
  FLAGS_logtostderr = true;
  FLAGS_minloglevel = verbosity > 0 ? 0 : 1;
  FLAGS_v = verbosity;
  google::InitGoogleLogging(argv0);
}

}  // namespace examples
