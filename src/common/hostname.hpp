#pragma once

// This machine's host name, or "" if the system will not say.

#include <unistd.h>

#include <string>

namespace mesos {
namespace internal {

inline std::string localHostname() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) return "";
  return host;
}

}  // namespace internal
}  // namespace mesos
