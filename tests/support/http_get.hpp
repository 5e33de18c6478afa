#pragma once

// `GET <path>` from 127.0.0.1:<port> over a plain socket, for tests that read a
// master's `/state` from another process.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "support/io_thread.hpp"
#include "support/raw_client.hpp"

namespace mesos {
namespace testing {

// The status code and body of the response, or nothing with `*error` set.
inline std::optional<std::pair<int, std::string>> httpGet(uint16_t port, const std::string& path,
                                                          std::string* error) {
  RawClient client(port);
  if (!client.connected()) {
    *error = "cannot connect to 127.0.0.1:" + std::to_string(port);
    return std::nullopt;
  }
  if (!client.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                   "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")) {
    *error = "cannot send the request";
    return std::nullopt;
  }
  // Complete once the headers and Content-Length bytes of body are in (the
  // server may keep the connection open), or at EOF for a response without one.
  auto complete = [](const std::string& data) {
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::string headers = data.substr(0, end);
    std::transform(headers.begin(), headers.end(), headers.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t cl = headers.find("\r\ncontent-length:");
    if (cl == std::string::npos) return false;
    const size_t length = std::strtoul(headers.c_str() + cl + 17, nullptr, 10);
    return data.size() >= end + 4 + length;
  };
  const std::string data = client.readUntil(complete, scaled(std::chrono::seconds(10)));
  const size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos || data.compare(0, 9, "HTTP/1.1 ") != 0) {
    *error = "no complete HTTP response; got '" + data + "'";
    return std::nullopt;
  }
  if (data.find("\r\nTransfer-Encoding: chunked", 0) < end) {
    *error = "unexpected chunked response";
    return std::nullopt;
  }
  return std::make_pair(std::atoi(data.c_str() + 9), data.substr(end + 4));
}

}  // namespace testing
}  // namespace mesos
