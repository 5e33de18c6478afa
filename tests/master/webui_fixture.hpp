#pragma once

// A local cluster whose command tasks run as real processes in sandboxes under
// a temporary work dir, for the web view's tests: a framework registered with
// the real driver, tasks run to their end, and plain HTTP requests to the
// master's port (http_api_client.hpp).

#include <filesystem>
#include <fstream>
#include <string>

#include "http_api_client.hpp"
#include "sandbox_cluster_fixture.hpp"

namespace mesos {
namespace testing {

namespace fs = std::filesystem;

class WebViewTest : public SandboxClusterTest {
 protected:
  void startWithWorkDir() {
    ASSERT_NO_FATAL_FAILURE(startCluster(withWorkDir()));
    port_ = masterPid().port;
  }

  HttpResult get(const std::string& target, const std::string& method = "GET") {
    return httpRequest(port_, method, target, "", "");
  }

  static void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  uint16_t port_ = 0;
};

// Percent-encodes a query value (as the page's links do).
inline std::string encoded(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// The first object of the list `key` of `s` (an empty one if none).
inline Struct firstOf(const Struct& s, const std::string& key) {
  const std::vector<Struct> all = structs(s, key);
  return all.empty() ? Struct() : all.front();
}

inline size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace testing
}  // namespace mesos
