#pragma once

// Decides what an inbound HTTP request is (docs/protocol.md, "The wire"),
// sans-I/O: a libprocess message for a local process, an ordinary HTTP request
// for an endpoint, or a request to refuse with a status code.

#include <string>

#include "process/decoder.hpp"
#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace process {

struct RoutedRequest {
  enum class Kind {
    kMessage,  // `receiverId`, `name` and `from` are set.
    kHttp,     // An ordinary HTTP request; `path` is set (target without query).
    kReject,   // Answer `status` and drop; `reason` says why (for the log).
  };
  Kind kind = Kind::kReject;
  int status = 0;
  std::string reason;
  std::string receiverId;
  std::string name;
  UPID from;
  std::string path;
};

// A request is a libprocess message iff it is a POST carrying a `User-Agent`
// starting with `libprocess/` or a `Libprocess-From` header. The receiver id is the
// first path segment, percent-decoded (`+` is a space); the name is the rest,
// verbatim. The sender comes from `Libprocess-From` (trimmed), else from the
// User-Agent suffix, and must be a valid `id@ip:port` with a numeric IPv4 address.
// Where libprocess would deliver a message from the empty UPID, this refuses it with
// 400: every receiver in this project would drop it anyway, and the log says why.
RoutedRequest routeRequest(const HttpRequest& request);

// Percent-decodes `in` (`%XX` and `+`); false on a malformed escape.
bool percentDecode(const std::string& in, std::string* out);

}  // namespace process
}  // namespace internal
}  // namespace mesos
