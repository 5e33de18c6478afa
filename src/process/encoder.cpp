#include "process/encoder.hpp"

namespace mesos {
namespace internal {
namespace process {

namespace {

void appendHex(std::string& out, size_t value) {
  char digits[2 * sizeof(size_t)];
  size_t n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value & 0xf];
    value >>= 4;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

void appendDecimal(std::string& out, uint32_t value) {
  char digits[10];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out += digits[--n];
}

void appendIp(std::string& out, uint32_t ip) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    appendDecimal(out, (ip >> shift) & 0xff);
    if (shift != 0) out += '.';
  }
}

}  // namespace

void appendMessage(std::string& out, std::string_view from, const UPID& to,
                   std::string_view name, std::string_view body) {
  out.reserve(out.size() + 160 + 2 * from.size() + to.id.size() + name.size() + body.size());
  out += "POST /";
  if (!to.id.empty()) {
    out += to.id;
    out += '/';
  }
  out += name;
  out += " HTTP/1.1\r\nUser-Agent: libprocess/";
  out += from;
  out += "\r\nLibprocess-From: ";
  out += from;
  out += "\r\nConnection: Keep-Alive\r\nHost: ";
  appendIp(out, to.ip);
  out += ':';
  appendDecimal(out, to.port);
  out += "\r\n";
  if (body.empty()) {
    out += "\r\n";
    return;
  }
  out += "Transfer-Encoding: chunked\r\n\r\n";
  appendHex(out, body.size());
  out += "\r\n";
  out += body;
  out += "\r\n0\r\n\r\n";
}

std::string encodeMessage(std::string_view from, const UPID& to, std::string_view name,
                          std::string_view body) {
  std::string out;
  appendMessage(out, from, to, name, body);
  return out;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
