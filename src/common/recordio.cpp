#include "common/recordio.hpp"

#include <algorithm>

namespace mesos {
namespace internal {

void appendRecord(std::string& out, std::string_view record) {
  out += std::to_string(record.size());
  out += '\n';
  out.append(record.data(), record.size());
}

RecordReader::RecordReader(size_t maxRecordBytes) : maxRecordBytes_(maxRecordBytes) {}

bool RecordReader::feed(std::string_view data, std::vector<std::string>& out) {
  if (failed()) return false;
  size_t i = 0;
  while (i < data.size()) {
    if (inBody_) {
      const size_t take = std::min(remaining_, data.size() - i);
      record_.append(data.data() + i, take);
      i += take;
      remaining_ -= take;
      if (remaining_ == 0) {
        inBody_ = false;
        out.push_back(std::move(record_));
        record_.clear();
      }
      continue;
    }
    const char c = data[i++];
    if (c == '\n') {
      if (length_.empty()) {
        error_ = "empty record length";
        return false;
      }
      const size_t length = lengthValue_;
      length_.clear();
      lengthValue_ = 0;
      if (length == 0) continue;  // An empty record carries nothing.
      inBody_ = true;
      remaining_ = length;
      record_.reserve(std::min<size_t>(length, 64 * 1024));
      continue;
    }
    if (c < '0' || c > '9') {
      error_ = "record length is not a decimal number (byte " + std::to_string(
                   static_cast<unsigned char>(c)) + ")";
      return false;
    }
    if (length_.size() >= 20) {  // Leading zeros: no length needs more digits.
      error_ = "record length has more than 20 digits";
      return false;
    }
    length_ += c;
    const size_t digit = static_cast<size_t>(c - '0');
    if (lengthValue_ > maxRecordBytes_ / 10 ||
        lengthValue_ * 10 + digit > maxRecordBytes_) {
      error_ = "record length " + length_ + "... exceeds the limit of " +
               std::to_string(maxRecordBytes_) + " bytes";
      return false;
    }
    lengthValue_ = lengthValue_ * 10 + digit;
  }
  return true;
}

}  // namespace internal
}  // namespace mesos
