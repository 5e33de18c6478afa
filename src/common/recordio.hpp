#pragma once

// RecordIO, the framing of the v1 HTTP API's event stream (docs/protocol.md,
// "The v1 scheduler HTTP API"): each record is its length in ASCII decimal,
// one '\n', then exactly that many bytes. Sans-I/O: the reader takes bytes in
// whatever pieces they arrive (chunk boundaries mean nothing) and yields whole
// records; the writer frames one record.
//
// Thread: a reader is used by one thread at a time; the writer is a pure function.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mesos {
namespace internal {

// Appends `record` framed as RecordIO to `out`.
void appendRecord(std::string& out, std::string_view record);

class RecordReader {
 public:
  // Records longer than `maxRecordBytes` are an error, detected from the
  // length alone, before their bytes are buffered.
  explicit RecordReader(size_t maxRecordBytes);

  // Consumes `data`, appending every record it completes to `out`. Returns
  // false on malformed input (a length that is not a decimal number, one over
  // the limit, an empty length); error() says why. After an error the stream
  // cannot be trusted and the reader refuses more input.
  bool feed(std::string_view data, std::vector<std::string>& out);

  // True while part of a record (or of its length) has been received: an end
  // of stream now would cut a record short.
  bool midRecord() const { return !length_.empty() || inBody_; }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  const size_t maxRecordBytes_;
  std::string length_;  // Digits of the length read so far (for messages).
  size_t lengthValue_ = 0;  // Their value, checked against the limit per digit.
  bool inBody_ = false;
  size_t remaining_ = 0;  // Bytes of the current record still to come.
  std::string record_;
  std::string error_;
};

}  // namespace internal
}  // namespace mesos
