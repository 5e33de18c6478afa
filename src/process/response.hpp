#pragma once

// HTTP responses written on accepted connections (docs/protocol.md, "The wire").

#include <string>
#include <string_view>

namespace mesos {
namespace internal {
namespace process {

struct HttpResponse {
  int status = 200;
  std::string contentType;  // Omitted when empty.
  std::string body;
};

// Appends `HTTP/1.1 <status> <reason>` with a `Date` header and `Content-Length`
// (and `Connection: close` when the connection will be closed after it).
void appendResponse(std::string& out, int status, std::string_view contentType,
                    std::string_view body, bool close);

// The current time as an RFC 7231 IMF-fixdate, cached per second.
const std::string& httpDate();

}  // namespace process
}  // namespace internal
}  // namespace mesos
