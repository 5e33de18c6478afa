#pragma once

// Outbound side of the libprocess wire (docs/protocol.md, "The wire"), sans-I/O.

#include <string>
#include <string_view>

#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace process {

// Appends to `out` the exact bytes libprocess writes for one message:
//
//   POST /<to.id>/<name> HTTP/1.1\r\n
//   User-Agent: libprocess/<from>\r\n
//   Libprocess-From: <from>\r\n
//   Connection: Keep-Alive\r\n
//   Host: <to.ip>:<to.port>\r\n
//   Transfer-Encoding: chunked\r\n       (omitted, with the body, if the body is empty)
//   \r\n
//   <hex length>\r\n<body>\r\n0\r\n\r\n
//
// `from` is the sender's UPID string, passed pre-formatted because a process sends
// many messages with the same one. The request layout is fixed, so it is written
// directly rather than through a general HTTP serializer: this is the hot path.
void appendMessage(std::string& out, std::string_view from, const UPID& to,
                   std::string_view name, std::string_view body);

// Convenience wrapper returning a fresh string.
std::string encodeMessage(std::string_view from, const UPID& to, std::string_view name,
                          std::string_view body);

}  // namespace process
}  // namespace internal
}  // namespace mesos
