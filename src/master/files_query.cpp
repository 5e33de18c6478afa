#include "master/files_query.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "process/route.hpp"

namespace mesos {
namespace internal {
namespace master {

std::optional<std::string> queryParameter(const std::string& target, const std::string& name,
                                          bool* malformed) {
  const size_t question = target.find('?');
  if (question == std::string::npos) return std::nullopt;
  size_t at = question + 1;
  while (at <= target.size()) {
    size_t end = target.find('&', at);
    if (end == std::string::npos) end = target.size();
    const std::string pair = target.substr(at, end - at);
    const size_t equals = pair.find('=');
    std::string key;
    if (!process::percentDecode(pair.substr(0, equals), &key)) {
      *malformed = true;
      return std::nullopt;
    }
    if (key == name) {
      std::string value;
      if (!process::percentDecode(equals == std::string::npos ? "" : pair.substr(equals + 1),
                                  &value)) {
        *malformed = true;
        return std::nullopt;
      }
      return value;
    }
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<long long> integer(const std::string& text, long long min) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!(std::isdigit(static_cast<unsigned char>(text[i])) || (i == 0 && text[i] == '-'))) {
      return std::nullopt;
    }
  }
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < min) return std::nullopt;
  return value;
}

std::string validUtf8(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = length > 0 && i + length <= bytes.size();
    for (size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) >> 6) == 2;
    }
    if (valid && length > 1) {
      // No overlong forms, surrogates or code points past U+10FFFF.
      unsigned long cp = c & (0x7F >> length);
      for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (bytes[i + k] & 0x3F);
      const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
      valid = cp >= min[length] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (valid) {
      out.append(bytes, i, length);
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      i += 1;
    }
  }
  return out;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
