#include "process/response.hpp"

#include <ctime>
#include <ostream>

#include <boost/beast/http/status.hpp>

namespace mesos {
namespace internal {
namespace process {

const std::string& httpDate() {
  // One cache per thread: each transport runs on its own I/O thread.
  thread_local time_t cachedSecond = 0;
  thread_local std::string cached;
  const time_t now = std::time(nullptr);
  if (now != cachedSecond || cached.empty()) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    const size_t n = std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(buf, n);
    cachedSecond = now;
  }
  return cached;
}

void appendResponse(std::string& out, int status, std::string_view contentType,
                    std::string_view body, bool close) {
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  const auto reason = boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(status));
  out.append(reason.data(), reason.size());
  out += "\r\nDate: ";
  out += httpDate();
  if (!contentType.empty()) {
    out += "\r\nContent-Type: ";
    out += contentType;
  }
  if (close) out += "\r\nConnection: close";
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
