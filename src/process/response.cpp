#include "process/response.hpp"

#include <cstdio>
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

namespace {

void appendStatusLine(std::string& out, int status, std::string_view contentType,
                      const HttpHeaders& headers) {
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
  for (const auto& header : headers) {
    out += "\r\n";
    out += header.first;
    out += ": ";
    out += header.second;
  }
}

}  // namespace

void appendResponse(std::string& out, int status, std::string_view contentType,
                    std::string_view body, bool close, const HttpHeaders& headers) {
  appendStatusLine(out, status, contentType, headers);
  if (close) out += "\r\nConnection: close";
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
}

void appendStreamHead(std::string& out, int status, std::string_view contentType,
                      const HttpHeaders& headers) {
  appendStatusLine(out, status, contentType, headers);
  out += "\r\nTransfer-Encoding: chunked\r\n\r\n";
}

void appendChunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  char size[20];
  const int n = std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  out.append(size, static_cast<size_t>(n));
  out += data;
  out += "\r\n";
}

void appendLastChunk(std::string& out) { out += "0\r\n\r\n"; }

}  // namespace process
}  // namespace internal
}  // namespace mesos
