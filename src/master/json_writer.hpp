#pragma once

// JSON of a protobuf message as Mesos writes it on the v1 HTTP API
// (docs/protocol.md, "The v1 scheduler HTTP API"): keys are field names in
// declaration order, 64-bit integers are plain JSON numbers (protobuf's own
// printer quotes them, which clients such as mesos-go's refuse), enums are
// names, bytes are base64, unset fields are left out.
//
// Thread: a pure function.

#include <string>

#include <google/protobuf/message.h>

namespace mesos {
namespace internal {
namespace master {

std::string mesosJson(const google::protobuf::Message& message);

}  // namespace master
}  // namespace internal
}  // namespace mesos
