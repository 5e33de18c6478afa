#include "sched/codec/event_stream.hpp"

#include <limits>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

namespace mesos {
namespace internal {
namespace sched {

namespace http = boost::beast::http;

namespace {
// A head beyond this is not a Mesos master's (Beast's default, as libprocess's).
constexpr std::uint32_t kMaxHeadBytes = 8192;
}  // namespace

EventStreamDecoder::EventStreamDecoder(size_t maxRecordBytes, size_t maxAnswerBytes)
    : maxAnswerBytes_(maxAnswerBytes), records_(maxRecordBytes) {
  stream_.emplace();
  stream_->header_limit(kMaxHeadBytes);
  // A stream never ends; records are bounded instead. (Not boost::none: this
  // Beast's Content-Length check reads an empty limit as zero.)
  stream_->body_limit(std::numeric_limits<std::uint64_t>::max());
  // Not eager until the head is read: body bytes must not reach the parser
  // before the chunk callback is set (onHead()).
  stream_->eager(false);
}

bool EventStreamDecoder::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
  return false;
}

bool EventStreamDecoder::onHead() {
  const auto& message = stream_->get();
  Head head;
  head.status = static_cast<int>(message.result_int());
  head.streamId = std::string(message["Mesos-Stream-Id"]);
  head.location = std::string(message[http::field::location]);
  head.chunked = stream_->chunked();
  head_ = head;
  if (head.status != 200) {
    // The limit is set after the head was parsed: check its length here.
    const boost::optional<std::uint64_t> length = stream_->content_length();
    if (length && *length > maxAnswerBytes_) {
      return fail("an answer of " + std::to_string(*length) + " bytes, over the limit of " +
                  std::to_string(maxAnswerBytes_));
    }
    // Read its body as text; the parser keeps what it has of the message.
    answer_.emplace(std::move(*stream_));
    stream_.reset();
    answer_->body_limit(maxAnswerBytes_);
    // Where each chunk's data ends, for the hold-back in feed().
    answerChunkHeader_ = [this](std::uint64_t size, boost::beast::string_view,
                                boost::system::error_code&) {
      answerChunkEnd_ = answer_->get().body().size() + size;
    };
    answer_->on_chunk_header(answerChunkHeader_);
    answer_->eager(true);
    return true;
  }
  if (!head.chunked) return fail("the SUBSCRIBE response is not chunked");
  chunkHeader_ = [this](std::uint64_t size, boost::beast::string_view,
                       boost::system::error_code&) { chunkLeft_ = size; };
  chunkBody_ = [this](std::uint64_t remain, boost::beast::string_view body,
                     boost::system::error_code& ec) -> size_t {
    chunkLeft_ = remain - body.size();
    if (!records_.feed(std::string_view(body.data(), body.size()), *out_)) {
      ec = http::error::bad_chunk;  // Stops the parser; error_ says why.
      fail("bad RecordIO framing: " + records_.error());
    }
    return body.size();
  };
  stream_->on_chunk_header(chunkHeader_);
  stream_->on_chunk_body(chunkBody_);
  stream_->eager(true);
  return true;
}

bool EventStreamDecoder::feed(std::string_view data, std::vector<std::string>& records) {
  if (!error_.empty()) return false;
  if (done_) return data.empty() || fail("bytes after the end of the response");
  out_ = &records;
  std::string joined;
  std::string_view input = data;
  if (!buffer_.empty()) {
    buffer_.append(data.data(), data.size());
    joined.swap(buffer_);
    input = joined;
  }
  size_t pos = 0;
  boost::system::error_code ec;
  while (pos < input.size() && !done_) {
    // See process/decoder.cpp: this Beast asserts when a chunk-size line (the
    // last chunk's) is resumed with fewer than 5 bytes; holding them back until
    // more come never stalls there. Inside a chunk's data there is no such
    // trouble, and holding back would delay a record's last bytes.
    // The same for an answer's chunked body.
    const bool atChunkLine =
        (stream_ && head_ && stream_->chunked() && chunkLeft_ == 0) ||
        (answer_ && answer_->chunked() && answer_->get().body().size() >= answerChunkEnd_);
    if (atChunkLine && input.size() - pos < 5) break;
    const boost::asio::const_buffer piece(input.data() + pos, input.size() - pos);
    const size_t used = stream_ ? stream_->put(piece, ec) : answer_->put(piece, ec);
    pos += used;
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec) break;
    if (stream_ && !head_ && stream_->is_header_done() && !onHead()) break;
    // (A head with an empty body is already the whole answer.)
    if (stream_ && stream_->is_done()) done_ = true;
    if (answer_ && answer_->is_done()) {
      body_ = answer_->get().body();
      done_ = true;
    }
    if (used == 0) break;
  }
  out_ = nullptr;
  if (!error_.empty()) return false;
  if (ec) return fail("bad HTTP: " + ec.message());
  // What is left unconsumed is a header section or a chunk-size line: bounded.
  if (input.size() - pos > kMaxHeadBytes) return fail("an oversized header or chunk line");
  if (done_ && pos < input.size()) return fail("bytes after the end of the response");
  buffer_.assign(input.data() + pos, input.size() - pos);
  return true;
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
