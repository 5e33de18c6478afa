#pragma once

// The command line every C++ benchmark subject takes from the load master:
//   --master=HOST:PORT --workload=W --n=N
// plus, for the backpressure measurement (bench/README.md), flags given before
// the load master's:
//   --callback_us=US          statusUpdate() busy-waits this long (default 0)
//   --max_queued_events=N     DriverConfig::maxQueuedEvents (default: the driver's)
// and, for our driver, the wire it speaks to the same load master:
//   --api=libprocess|http     DriverConfig::api (default libprocess; http: the
//                             v1 scheduler HTTP API at http://HOST:PORT)
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
  long callbackMicros = 0;
  long maxQueuedEvents = 0;  // 0: the driver's default.
  std::string api = "libprocess";  // or "http".
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
    else if (name == "--callback_us") flags.callbackMicros = std::atol(value.c_str());
    else if (name == "--max_queued_events") flags.maxQueuedEvents = std::atol(value.c_str());
    else if (name == "--api" && (value == "libprocess" || value == "http")) flags.api = value;
    else {
      std::cerr << "usage: " << argv[0] << " [--callback_us=US] [--max_queued_events=N]"
                << " [--api=libprocess|http]"
                << " --master=HOST:PORT --workload=W --n=N\n";
      return std::nullopt;
    }
  }
  return flags;
}

}  // namespace bench
