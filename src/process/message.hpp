#pragma once

// One libprocess message: a named, opaque body from one process to another.

#include <string>

#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace process {

struct Message {
  UPID from;
  UPID to;
  std::string name;  // Fully-qualified protobuf type name for protobuf messages.
  std::string body;  // Serialized protobuf (may be empty).
};

}  // namespace process
}  // namespace internal
}  // namespace mesos
