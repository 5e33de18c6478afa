#pragma once

// HTTP responses written on accepted connections (docs/protocol.md, "The wire").

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mesos {
namespace internal {
namespace process {

class ResponseStream;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  HttpResponse() = default;
  HttpResponse(int status, std::string contentType = {}, std::string body = {})
      : status(status), contentType(std::move(contentType)), body(std::move(body)) {}

  int status = 200;
  std::string contentType;  // Omitted when empty.
  std::string body;
  // Written after the standard ones (e.g. `Location`, `WWW-Authenticate`).
  HttpHeaders headers;
  // Set for a streaming response (process/stream.hpp): `body` is ignored, the
  // head says `Transfer-Encoding: chunked`, and the chunks are what the
  // handler writes to the stream, now or later.
  std::shared_ptr<ResponseStream> stream;
};

// Appends `HTTP/1.1 <status> <reason>` with a `Date` header and `Content-Length`
// (and `Connection: close` when the connection will be closed after it).
void appendResponse(std::string& out, int status, std::string_view contentType,
                    std::string_view body, bool close, const HttpHeaders& headers = {});

// Appends the head of a chunked response (no `Content-Length`); the body
// follows as chunks (`appendChunk`), ended by `appendLastChunk`.
void appendStreamHead(std::string& out, int status, std::string_view contentType,
                      const HttpHeaders& headers);
// One chunk: `<hex size>\r\n<data>\r\n`. Empty data appends nothing (an
// empty chunk would end the body).
void appendChunk(std::string& out, std::string_view data);
void appendLastChunk(std::string& out);

// The current time as an RFC 7231 IMF-fixdate, cached per second.
const std::string& httpDate();

}  // namespace process
}  // namespace internal
}  // namespace mesos
