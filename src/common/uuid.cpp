#include "common/uuid.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include <glog/logging.h>

namespace mesos {
namespace internal {

void secureRandomBytes(void* buffer, size_t size) {
  // The kernel's CSPRNG: scheduler ids and status-update uuids must not be
  // predictable from earlier ones (a guessed uuid acknowledges someone else's
  // update; a guessed scheduler id addresses someone else's driver).
  auto* out = static_cast<unsigned char*>(buffer);
  while (size > 0) {
    const ssize_t n = ::getrandom(out, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      LOG(FATAL) << "getrandom() failed: " << std::strerror(errno);
    }
    out += n;
    size -= static_cast<size_t>(n);
  }
}

std::string randomUuidBytes() {
  std::string bytes(16, '\0');
  secureRandomBytes(bytes.data(), bytes.size());
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  return bytes;
}

std::string uuidToString(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::string randomUuidString() { return uuidToString(randomUuidBytes()); }

bool isValidUuidBytes(const std::string& bytes) {
  if (bytes.size() != 16) return false;
  const int version = (static_cast<unsigned char>(bytes[6]) >> 4) & 0xf;
  return version >= 1 && version <= 5;
}

}  // namespace internal
}  // namespace mesos
