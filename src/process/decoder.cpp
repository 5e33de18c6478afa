#include "process/decoder.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

namespace mesos {
namespace internal {
namespace process {

namespace http = boost::beast::http;

RequestDecoder::RequestDecoder(DecoderLimits limits) : limits_(limits) {}

void RequestDecoder::resetParser() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.maxHeaderBytes));
  parser_->body_limit(limits_.maxBodyBytes);
  // Deliver body bytes as they come so a large body never has to be contiguous
  // in `buffer_` (only headers and chunk-size lines must be).
  parser_->eager(true);
}

boost::system::error_code RequestDecoder::feed(const char* data, size_t size,
                                               std::vector<HttpRequest>& out) {
  // Avoid copying when nothing is pending: parse straight from the read buffer and
  // keep only the unconsumed tail.
  std::string_view input(data, size);
  std::string joined;
  if (!buffer_.empty()) {
    buffer_.append(data, size);
    joined.swap(buffer_);
    input = joined;
  }

  size_t pos = 0;
  boost::system::error_code ec;
  while (pos < input.size()) {
    if (!parser_) resetParser();
    // Boost 1.74's parser asserts (a BOOST_ASSERT, live in debug builds) when a
    // chunked body that starts with its last chunk ("0\r\n") is resumed with fewer
    // than 5 bytes. While in a chunked body, what is left of a complete request
    // is always at least 5 bytes ("0\r\n\r\n"), so holding back fewer never stalls.
    if (parser_->is_header_done() && parser_->chunked() && input.size() - pos < 5) break;
    const size_t used =
        parser_->put(boost::asio::const_buffer(input.data() + pos, input.size() - pos), ec);
    pos += used;
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec) break;
    if (parser_->is_done()) {
      http::request<http::string_body> req = parser_->release();
      parser_.reset();
      HttpRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      auto ua = req.find(http::field::user_agent);
      if (ua != req.end()) r.userAgent = std::string(ua->value());
      auto from = req.find("Libprocess-From");
      if (from != req.end()) r.libprocessFrom = std::string(from->value());
      auto ct = req.find(http::field::content_type);
      if (ct != req.end()) r.contentType = std::string(ct->value());
      auto accept = req.find(http::field::accept);
      if (accept != req.end()) r.accept = std::string(accept->value());
      auto authorization = req.find(http::field::authorization);
      if (authorization != req.end()) r.authorization = std::string(authorization->value());
      auto streamId = req.find("Mesos-Stream-Id");
      if (streamId != req.end()) r.mesosStreamId = std::string(streamId->value());
      r.keepAlive = req.keep_alive();
      r.body = std::move(req.body());
      out.push_back(std::move(r));
      continue;
    }
    if (used == 0) break;
  }

  // Body bytes are consumed as they come, so what is left is part of a header
  // section, a chunk-size line or a trailer section. Beast bounds only the first;
  // bound the other two the same way, or a peer could grow `buffer_` at will.
  if (!ec && input.size() - pos > limits_.maxHeaderBytes) ec = http::error::header_limit;
  if (ec) {
    buffer_.clear();
    parser_.reset();
    return ec;
  }
  buffer_.assign(input.data() + pos, input.size() - pos);
  // A parser with nothing fed yet is not a request in progress.
  if (parser_ && buffer_.empty() && !parser_->got_some()) parser_.reset();
  return ec;
}

int statusForDecodeError(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  return 400;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
