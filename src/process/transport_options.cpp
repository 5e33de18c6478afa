#include "process/transport_options.hpp"

#include <cstdlib>

#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace process {

namespace {

Try<uint16_t> parsePort(const char* name, const std::string& text, bool allowZero) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Error(std::string(name) + "='" + text + "' is not a port number");
  }
  const unsigned long value = std::stoul(text);
  if (value > 65535 || (!allowZero && value == 0)) {
    return Error(std::string(name) + "='" + text + "' is out of range");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

Try<TransportOptions> TransportOptions::fromEnvironment(TransportOptions base) {
  if (const char* ip = std::getenv("LIBPROCESS_IP")) {
    Try<uint32_t> parsed = parseIp(ip);
    if (parsed.isError()) return Error("LIBPROCESS_IP: " + parsed.error());
    base.bindIp = ip;
  }
  if (const char* port = std::getenv("LIBPROCESS_PORT")) {
    Try<uint16_t> parsed = parsePort("LIBPROCESS_PORT", port, true);
    if (parsed.isError()) return Error(parsed.error());
    base.bindPort = parsed.get();
  }
  if (const char* ip = std::getenv("LIBPROCESS_ADVERTISE_IP")) {
    Try<uint32_t> parsed = parseIp(ip);
    if (parsed.isError()) return Error("LIBPROCESS_ADVERTISE_IP: " + parsed.error());
    base.advertiseIp = ip;
  }
  if (const char* port = std::getenv("LIBPROCESS_ADVERTISE_PORT")) {
    Try<uint16_t> parsed = parsePort("LIBPROCESS_ADVERTISE_PORT", port, false);
    if (parsed.isError()) return Error(parsed.error());
    base.advertisePort = parsed.get();
  }
  return base;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
