// libFuzzer target for what a client sends to the simulated agents' sandbox
// file endpoints (src/master/files_query.hpp): the request target's query
// (`path`, `offset`, `length`), its numbers, and the bytes a task wrote, made
// valid UTF-8 for the JSON answer. The input is used as a request target and,
// whole, as a file's contents.
//
// Oracles, besides the sanitizers:
//  - the parameter (or its absence, or a malformed query) is what a model
//    written here finds: the pairs after the first '?', split at '&', each
//    key and value form-decoded ('+' is a space, %XX a byte, any other '%'
//    malformed), the first pair whose key is the name; and encoding the
//    value again (every byte as %XX) and parsing that gives it back;
//  - a number is at least its minimum and is exactly what strtoll reads from
//    the whole text, which is an optional '-' then digits;
//  - validUtf8's output passes the harnesses' own strict UTF-8 check
//    (fuzz/utf8.hpp), is unchanged by a second pass, and equals the input when
//    the input was valid.

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "master/files_query.hpp"
#include "utf8.hpp"

namespace {

using mesos::internal::master::integer;
using mesos::internal::master::queryParameter;
using mesos::internal::master::validUtf8;

// `what` names the broken oracle for a reader of the crash's stack.
[[noreturn]] void fail(const char* what) {
  (void)what;
  __builtin_trap();
}

std::string encodeAll(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// Form decoding as a model; nothing when malformed.
std::optional<std::string> decode(const std::string& in) {
  auto hex = [](char c) {
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] != '%') {
      out += in[i];
    } else if (i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// The model's answer: the value, or nothing, and whether the query is malformed.
std::optional<std::string> model(const std::string& target, const std::string& name,
                                 bool* malformed) {
  const size_t question = target.find('?');
  if (question == std::string::npos) return std::nullopt;
  std::string rest = target.substr(question + 1);
  while (true) {
    const size_t amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    const size_t equals = pair.find('=');
    const std::optional<std::string> key = decode(pair.substr(0, equals));
    if (!key) {
      *malformed = true;
      return std::nullopt;
    }
    if (*key == name) {
      std::optional<std::string> value =
          decode(equals == std::string::npos ? "" : pair.substr(equals + 1));
      if (!value) *malformed = true;
      return value;
    }
    if (amp == std::string::npos) return std::nullopt;
    rest = rest.substr(amp + 1);
  }
}

void checkNumber(const std::string& text, long long min) {
  const std::optional<long long> value = integer(text, min);
  if (!value) return;
  if (*value < min) fail("below the minimum");
  for (size_t i = 0; i < text.size(); ++i) {
    if (!(text[i] >= '0' && text[i] <= '9') && !(i == 0 && text[i] == '-')) fail("not digits");
  }
  errno = 0;
  char* end = nullptr;
  const long long read = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || read != *value) fail("not what strtoll reads");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  for (const char* name : {"path", "offset", "length"}) {
    bool malformed = false;
    const std::optional<std::string> value = queryParameter(input, name, &malformed);
    if (malformed && value) fail("a value from a malformed query");
    bool modelMalformed = false;
    const std::optional<std::string> expected = model(input, name, &modelMalformed);
    if (malformed != modelMalformed || value != expected) fail("not what the model finds");
    if (!value) continue;
    bool again = false;
    const std::optional<std::string> back =
        queryParameter(std::string("/files/read?") + name + "=" + encodeAll(*value), name, &again);
    if (again || !back || *back != *value) fail("the value does not round-trip");
    if (std::string(name) == "offset") checkNumber(*value, -1);
    if (std::string(name) == "length") checkNumber(*value, 0);
  }
  checkNumber(input, -1);

  const std::string valid = validUtf8(input);
  if (!fuzz::isUtf8(valid)) fail("validUtf8 left invalid UTF-8");
  if (validUtf8(valid) != valid) fail("validUtf8 is not idempotent");
  if (fuzz::isUtf8(input) && valid != input) fail("valid UTF-8 was changed");
  return 0;
}
