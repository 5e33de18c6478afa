#pragma once

// Reads a fuzz input as a script of operations: single bytes and byte strings
// with a 2-byte little-endian length. Past the end every byte reads as 0 and
// every string as empty, so any input is a valid script. The format is simple
// on purpose: fuzz/make_seeds.py writes seeds in it by hand.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <glog/logging.h>
#include <google/protobuf/stubs/logging.h>

namespace fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool done() const { return pos_ >= size_; }

  uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }

  // [length: 2 bytes, little-endian][bytes], cut short at the end of the input.
  std::string bytes() {
    const size_t length = byte() | static_cast<size_t>(byte()) << 8;
    return take(length);
  }

  // [length: 1 byte][bytes].
  std::string shortBytes() { return take(byte()); }

  // Whatever is left.
  std::string rest() { return take(size_ - std::min(pos_, size_)); }

 private:
  std::string take(size_t length) {
    const size_t n = std::min(length, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_) + pos_, n);
    pos_ += n;
    return out;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Stops the process with a message naming the broken invariant; libFuzzer
// reports it as a crash (deadly signal) and keeps the input.
[[noreturn]] inline void fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: fuzz oracle failed: %s\n", file, line, what);
  __builtin_trap();
}

// Silences what the libraries log about bad input (glog below ERROR, and
// protobuf's complaints such as invalid UTF-8 in a string field, which its
// parser makes in builds without NDEBUG like this one): writing those lines
// would take most of the time, and bad input is the point here.
inline void quietLibraries() {
  FLAGS_minloglevel = google::GLOG_ERROR;
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& text) {
        if (level >= google::protobuf::LOGLEVEL_FATAL) {
          std::fprintf(stderr, "[libprotobuf FATAL %s:%d] %s\n", file, line, text.c_str());
        }
      });
}

// With FUZZ_TRACE set in the environment, the harnesses say what they do, to
// make sense of a reproducer: `FUZZ_TRACE=1 build-fuzz/fuzz/<target> <file>`.
inline bool tracing() {
  static const bool on = std::getenv("FUZZ_TRACE") != nullptr;
  return on;
}

#define FUZZ_TRACE(...)                                              \
  do {                                                               \
    if (::fuzz::tracing()) std::fprintf(stderr, __VA_ARGS__);        \
  } while (0)

#define FUZZ_CHECK(condition)                                         \
  do {                                                                \
    if (!(condition)) ::fuzz::fail(__FILE__, __LINE__, #condition);   \
  } while (0)

}  // namespace fuzz
