#pragma once

// The command line every C++ benchmark subject takes from the load master:
//   --master=HOST:PORT --workload=W --n=N
// and the logging they share (glog to stderr, warnings and errors only).

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <glog/logging.h>

namespace bench {

struct SubjectFlags {
  std::string master;
  std::string workload;
  long n = 0;
};

inline std::optional<SubjectFlags> parseSubjectFlags(int argc, char** argv) {
  google::InitGoogleLogging(argv[0]);
  FLAGS_logtostderr = true;
  FLAGS_minloglevel = google::GLOG_WARNING;
  SubjectFlags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--master") flags.master = value;
    else if (name == "--workload") flags.workload = value;
    else if (name == "--n") flags.n = std::atol(value.c_str());
    else {
      std::cerr << "usage: " << argv[0] << " --master=HOST:PORT --workload=W --n=N\n";
      return std::nullopt;
    }
  }
  return flags;
}

}  // namespace bench
