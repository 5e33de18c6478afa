// libFuzzer target for the credentials file (src/auth/credentials.hpp), which
// mesos-local-master's --credentials and MESOS_CREDENTIALS name. The input is
// the file's bytes; the file is read from memory (parseCredentialsJson) and,
// for half the inputs, from a real file (loadCredentialsFile, by path or
// `file://` URL).
//
// Oracles, besides the sanitizers:
//  - both readers agree: same entries, or the file's error is the parser's
//    prefixed with the path;
//  - a parsed file has at least one entry, every principal non-empty, and
//    written back as JSON it parses to the same entries; toCredentialMap keeps
//    every principal with its last secret;
//  - an error is one of the fixed messages of credentials.cpp, whose only
//    variable part is an entry's index and principal: a secret, or any other
//    part of the file, is never quoted.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "auth/credentials.hpp"
#include "fuzz_input.hpp"

namespace {

using namespace mesos;
using namespace mesos::internal;
using namespace mesos::internal::auth;

// A file in memory holding the input, for loadCredentialsFile: a file on disk
// would make the file system, not the code under test, set the pace.
int fd = -1;
std::string path;

bool sameEntries(const std::vector<Credential>& a, const std::vector<Credential>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].principal() != b[i].principal() || a[i].secret() != b[i].secret()) return false;
  }
  return true;
}

// A JSON string literal: the bytes as they are, but for what JSON escapes.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool isNumber(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// The error texts of credentials.cpp; `credentials[<i>] ...` may quote the
// principal of entry i, and nothing else from the file.
void checkError(const std::string& error) {
  static const std::string kShape =
      "not a JSON object of the form {\"credentials\": [{\"principal\": ..., \"secret\": ...}]}";
  static const std::string kEmpty = "no entries in a \"credentials\" array";
  if (error == kShape || error == kEmpty) return;
  const std::string head = "credentials[";
  FUZZ_CHECK(error.compare(0, head.size(), head) == 0);
  const size_t close = error.find(']');
  FUZZ_CHECK(close != std::string::npos && isNumber(error.substr(head.size(), close - head.size())));
  const std::string tail = error.substr(close + 1);
  if (tail == " needs a non-empty \"principal\"") return;
  const std::string open = " (principal '";
  const std::string end = "') needs a \"secret\"";
  FUZZ_CHECK(tail.size() >= open.size() + end.size() + 1);
  FUZZ_CHECK(tail.compare(0, open.size(), open) == 0);
  FUZZ_CHECK(tail.compare(tail.size() - end.size(), end.size(), end) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quietLibraries();
  fd = memfd_create("credentials-fuzz", 0);
  if (fd < 0) std::abort();
  path = "/proc/self/fd/" + std::to_string(fd);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Try<std::vector<Credential>> parsed = parseCredentialsJson(text);

  if (parsed.isError()) checkError(parsed.error());

  // Half the inputs are also read from a file (by path or URL), which costs
  // as much as the parse itself.
  if (size % 4 < 2) {
    FUZZ_CHECK(::ftruncate(fd, 0) == 0);
    FUZZ_CHECK(::pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
    Try<std::vector<Credential>> loaded = loadCredentialsFile(size % 4 == 1 ? "file://" + path : path);
    FUZZ_CHECK(parsed.isSome() == loaded.isSome());
    if (parsed.isError()) {
      FUZZ_CHECK(loaded.error() == "credentials file '" + path + "': " + parsed.error());
    } else {
      FUZZ_CHECK(sameEntries(parsed.get(), loaded.get()));
    }
  }
  if (parsed.isError()) return 0;

  const std::vector<Credential>& entries = parsed.get();
  FUZZ_CHECK(!entries.empty());
  std::string json = "{\"credentials\": [";
  for (size_t i = 0; i < entries.size(); ++i) {
    FUZZ_CHECK(!entries[i].principal().empty());
    if (i > 0) json += ", ";
    json += "{\"principal\": " + quote(entries[i].principal()) +
            ", \"secret\": " + quote(entries[i].secret()) + "}";
  }
  json += "]}";
  Try<std::vector<Credential>> again = parseCredentialsJson(json);
  FUZZ_CHECK(again.isSome());
  FUZZ_CHECK(sameEntries(entries, again.get()));

  const CredentialMap map = toCredentialMap(entries);
  for (size_t i = 0; i < entries.size(); ++i) {
    auto it = map.find(entries[i].principal());
    FUZZ_CHECK(it != map.end());
    bool last = true;
    for (size_t j = i + 1; j < entries.size(); ++j) last &= entries[j].principal() != entries[i].principal();
    if (last) FUZZ_CHECK(it->second == entries[i].secret());
  }
  FUZZ_CHECK(map.size() <= entries.size());
  return 0;
}
