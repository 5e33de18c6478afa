#include "master/text_json.hpp"

#include <charconv>
#include <cmath>

namespace mesos {
namespace internal {
namespace master {

void TextJson::key(const std::string& name) {
  comma();
  string(name);
  out_ += ':';
  afterKey_ = true;
}

void TextJson::value(const std::string& s) {
  comma();
  string(s);
}

void TextJson::value(double d) {
  comma();
  if (!std::isfinite(d)) {
    out_ += "null";
    return;
  }
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), d);
  out_.append(buf, result.ptr);
}

void TextJson::value(bool b) {
  comma();
  out_ += b ? "true" : "false";
}

void TextJson::raw(const std::string& json) {
  comma();
  out_ += json;
}

void TextJson::open(char c) {
  comma();
  out_ += c;
  first_ = true;
}

void TextJson::close(char c) {
  out_ += c;
  first_ = false;
}

void TextJson::comma() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (!first_) out_ += ',';
  first_ = false;
}

void TextJson::string(const std::string& s) {
  out_ += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[(c >> 4) & 0xf];
          out_ += kHex[c & 0xf];
        } else {
          out_ += c;
        }
    }
  }
  out_ += '"';
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
