#pragma once

// A libprocess process address, `id@ip:port` (docs/protocol.md, "The wire").

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace process {

struct UPID {
  // How `parse()` treats a host that is not an IPv4 literal.
  enum class Resolve {
    kDns,          // Resolve it to its first IPv4 address (blocking getaddrinfo).
    kNumericOnly,  // Reject it: used on the I/O thread, which must never block on DNS.
  };

  UPID() = default;
  UPID(std::string id_, uint32_t ip_, uint16_t port_)
      : id(std::move(id_)), ip(ip_), port(port_) {}

  // Parses `id@host:port`. Stricter than libprocess, which silently turns any
  // mistake into the empty UPID: here an empty input, a missing `@` or `:`, an
  // empty host, an unresolvable host, a port that is not 1..65535 digits-only,
  // or trailing characters are errors that say what is wrong. Leading and trailing
  // whitespace is ignored. The id may be empty (libprocess allows it).
  static Try<UPID> parse(std::string_view text, Resolve resolve = Resolve::kDns);

  // The same checks, without resolving: the host as written (an IPv4 literal
  // or a name to resolve later, e.g. with `resolveAsync`).
  struct Unresolved {
    std::string id;
    std::string host;
    uint16_t port = 0;
  };
  static Try<Unresolved> parseUnresolved(std::string_view text);

  // `id@a.b.c.d:port`; the empty UPID prints as `@0.0.0.0:0`.
  std::string toString() const;
  // `a.b.c.d:port`.
  std::string address() const;
  bool empty() const { return id.empty() && ip == 0 && port == 0; }

  std::string id;
  uint32_t ip = 0;  // IPv4 address in host byte order.
  uint16_t port = 0;
};

inline bool operator==(const UPID& a, const UPID& b) {
  return a.id == b.id && a.ip == b.ip && a.port == b.port;
}
inline bool operator!=(const UPID& a, const UPID& b) { return !(a == b); }
std::ostream& operator<<(std::ostream& os, const UPID& upid);

// Dotted quad of a host-order IPv4 address.
std::string formatIp(uint32_t ip);
// Parses a dotted-quad IPv4 literal (exactly four decimal octets).
Try<uint32_t> parseIp(std::string_view text);
// Resolves `host` (literal or name) to its first IPv4 address.
Try<uint32_t> resolveIpv4(const std::string& host);

}  // namespace process
}  // namespace internal
}  // namespace mesos
