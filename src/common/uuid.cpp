#include "common/uuid.hpp"

#include <random>

namespace mesos {
namespace internal {

std::string randomUuidBytes() {
  // One generator per thread, seeded from the OS: uuids must differ across
  // processes and driver instances (the master tells scheduler runs apart by them).
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::string bytes(16, '\0');
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t r = generator();
    for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<char>((r >> (8 * j)) & 0xff);
  }
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
