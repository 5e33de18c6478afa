#pragma once

// The master's answer to SUBSCRIBE on the v1 HTTP API, sans-I/O: bytes in,
// in whatever pieces they arrive, and out (docs/protocol.md, "The v1 scheduler
// HTTP API"):
//  - the response head (status, Mesos-Stream-Id, Location, chunked or not);
//  - for a `200`: the RecordIO records of the chunked body (common/recordio.hpp),
//    each complete, in order; chunk boundaries mean nothing;
//  - for any other status: its (short, bounded) body.
// Beast's parser does the HTTP; nothing is buffered beyond one record (bounded by
// `maxRecordBytes`), one header section or one chunk-size line.
//
// Thread: one thread at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/recordio.hpp"

namespace mesos {
namespace internal {
namespace sched {

class EventStreamDecoder {
 public:
  struct Head {
    int status = 0;
    std::string streamId;  // `Mesos-Stream-Id`, empty when absent.
    std::string location;  // `Location`, empty when absent.
    bool chunked = false;
  };

  EventStreamDecoder(size_t maxRecordBytes, size_t maxAnswerBytes);

  // Consumes `data`; appends the records it completes. False on malformed
  // input (HTTP, chunking or RecordIO; a `200` that is not chunked; limits);
  // error() says why, and the decoder refuses more input.
  bool feed(std::string_view data, std::vector<std::string>& records);

  // Once the head is complete.
  const std::optional<Head>& head() const { return head_; }
  // The response is complete: the stream's last chunk, or a non-200 body.
  bool done() const { return done_; }
  // The body of a non-200 response, once done().
  const std::string& body() const { return body_; }
  // Part of a record or of the response has been received but not all of it.
  bool midRecord() const { return records_.midRecord(); }
  const std::string& error() const { return error_; }

 private:
  bool fail(std::string why);
  bool onHead();

  const size_t maxAnswerBytes_;
  using HeadParser = boost::beast::http::response_parser<boost::beast::http::empty_body>;
  using AnswerParser = boost::beast::http::response_parser<boost::beast::http::string_body>;
  std::optional<HeadParser> stream_;
  std::optional<AnswerParser> answer_;
  std::string buffer_;  // Bytes received but not consumed by the parser.
  std::optional<Head> head_;
  RecordReader records_;
  std::vector<std::string>* out_ = nullptr;  // During feed(): where records go.
  std::function<size_t(std::uint64_t, boost::beast::string_view, boost::system::error_code&)>
      chunkBody_;
  std::function<void(std::uint64_t, boost::beast::string_view, boost::system::error_code&)>
      chunkHeader_;
  std::function<void(std::uint64_t, boost::beast::string_view, boost::system::error_code&)>
      answerChunkHeader_;
  std::uint64_t chunkLeft_ = 0;  // Data octets of the current chunk not yet parsed.
  // The answer (a non-200 head) keeps its body itself: its current chunk's
  // data ends when the body reaches this size.
  std::uint64_t answerChunkEnd_ = 0;
  bool done_ = false;
  std::string body_;
  std::string error_;
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
