#pragma once

// Inbound side of the libprocess wire, sans-I/O: turns the bytes read from one
// accepted connection into complete HTTP requests, using Boost.Beast's parser.
// Handles pipelining (several requests in one read) and requests split across
// reads (down to one byte at a time), with `Content-Length` or chunked bodies.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

namespace mesos {
namespace internal {
namespace process {

struct HttpRequest {
  std::string method;  // As sent, e.g. "POST".
  std::string target;  // Request target, e.g. "/master/mesos.internal.X".
  std::optional<std::string> userAgent;
  std::optional<std::string> libprocessFrom;
  std::string contentType;
  // Read by HTTP endpoints (the master's v1 scheduler API); unset if absent.
  std::optional<std::string> accept;
  std::optional<std::string> authorization;
  std::optional<std::string> mesosStreamId;
  bool keepAlive = true;
  std::string body;
};

struct DecoderLimits {
  size_t maxHeaderBytes = 80 * 1024;  // http-parser's default, as libprocess.
  uint64_t maxBodyBytes = 256ull * 1024 * 1024;
};

class RequestDecoder {
 public:
  explicit RequestDecoder(DecoderLimits limits = {});

  // Consumes `size` bytes and appends every request they complete to `out`. On a
  // protocol error (garbage, limits exceeded, bad chunking, bad Content-Length...)
  // returns the Beast error; the stream can no longer be trusted and the caller
  // must close the connection. Requests completed before the error are still in
  // `out` and may be served.
  boost::system::error_code feed(const char* data, size_t size, std::vector<HttpRequest>& out);

  // True while part of a request has been received but not all of it.
  bool midRequest() const { return !buffer_.empty() || parser_.has_value(); }

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  void resetParser();

  DecoderLimits limits_;
  std::optional<Parser> parser_;
  std::string buffer_;  // Bytes received but not yet consumed by the parser.
};

// The HTTP status a protocol error should be answered with before closing.
int statusForDecodeError(const boost::system::error_code& ec);

}  // namespace process
}  // namespace internal
}  // namespace mesos
