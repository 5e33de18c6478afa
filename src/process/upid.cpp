#include "process/upid.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cctype>
#include <sstream>

namespace mesos {
namespace internal {
namespace process {

namespace {

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string formatIp(uint32_t ip) {
  std::string out;
  out.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += std::to_string((ip >> shift) & 0xff);
    if (shift != 0) out += '.';
  }
  return out;
}

Try<uint32_t> parseIp(std::string_view text) {
  uint32_t ip = 0;
  int octets = 0;
  size_t i = 0;
  while (octets < 4) {
    size_t start = i;
    uint32_t value = 0;
    while (i < text.size() && i - start < 4 && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    if (i == start || i - start > 3 || value > 255) {
      return Error("'" + std::string(text) + "' is not a dotted-quad IPv4 address");
    }
    ip = (ip << 8) | value;
    ++octets;
    if (octets < 4) {
      if (i >= text.size() || text[i] != '.') {
        return Error("'" + std::string(text) + "' is not a dotted-quad IPv4 address");
      }
      ++i;
    }
  }
  if (i != text.size()) {
    return Error("'" + std::string(text) + "' is not a dotted-quad IPv4 address");
  }
  return ip;
}

Try<uint32_t> resolveIpv4(const std::string& host) {
  Try<uint32_t> literal = parseIp(host);
  if (literal.isSome()) return literal;

  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc != 0 || result == nullptr) {
    return Error("cannot resolve host '" + host + "' to an IPv4 address: " +
                 (rc != 0 ? gai_strerror(rc) : "no address"));
  }
  uint32_t ip = ntohl(reinterpret_cast<sockaddr_in*>(result->ai_addr)->sin_addr.s_addr);
  ::freeaddrinfo(result);
  return ip;
}

Try<UPID> UPID::parse(std::string_view text, Resolve resolve) {
  Try<Unresolved> parsed = parseUnresolved(text);
  if (parsed.isError()) return Error(parsed.error());
  Try<uint32_t> ip = parseIp(parsed->host);
  if (ip.isError()) {
    const std::string s(trim(text));
    if (resolve == Resolve::kNumericOnly) {
      return Error("UPID '" + s + "' has a host name where an IPv4 address is required");
    }
    ip = resolveIpv4(parsed->host);
    if (ip.isError()) return Error("UPID '" + s + "': " + ip.error());
  }
  return UPID(std::move(parsed->id), ip.get(), parsed->port);
}

Try<UPID::Unresolved> UPID::parseUnresolved(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return Error("empty UPID");
  for (char c : s) {
    if (isSpace(c)) return Error("UPID '" + std::string(s) + "' contains whitespace");
  }

  const size_t at = s.find('@');
  if (at == std::string_view::npos) {
    return Error("UPID '" + std::string(s) + "' has no '@' (expected id@host:port)");
  }
  const std::string_view id = s.substr(0, at);
  const std::string_view rest = s.substr(at + 1);

  if (!rest.empty() && rest.front() == '[') {
    return Error("UPID '" + std::string(s) + "' has an IPv6 host; libprocess speaks IPv4 only");
  }
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return Error("UPID '" + std::string(s) + "' has no ':' before the port");
  }
  const std::string host(rest.substr(0, colon));
  const std::string_view portText = rest.substr(colon + 1);
  if (host.empty()) return Error("UPID '" + std::string(s) + "' has an empty host");
  if (portText.empty()) return Error("UPID '" + std::string(s) + "' has an empty port");

  uint32_t port = 0;
  for (char c : portText) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return Error("UPID '" + std::string(s) + "' has trailing characters after the port");
    }
    port = port * 10 + static_cast<uint32_t>(c - '0');
    if (port > 65535) {
      return Error("UPID '" + std::string(s) + "' has a port above 65535");
    }
  }
  if (port == 0) return Error("UPID '" + std::string(s) + "' has port 0");
  return Unresolved{std::string(id), host, static_cast<uint16_t>(port)};
}

std::string UPID::toString() const {
  std::string out;
  out.reserve(id.size() + 22);
  out += id;
  out += '@';
  out += address();
  return out;
}

std::string UPID::address() const { return formatIp(ip) + ":" + std::to_string(port); }

std::ostream& operator<<(std::ostream& os, const UPID& upid) { return os << upid.toString(); }

}  // namespace process
}  // namespace internal
}  // namespace mesos
