// Scheduler ids and status-update uuids come from the kernel's CSPRNG
// (src/common/uuid.cpp): a seeded pseudo-random generator would let anyone who
// saw a few ids predict the next ones. This binary interposes getrandom() to
// count the calls, and checks the values look like fresh randomness.

#include <dlfcn.h>
#include <sys/random.h>

#include <atomic>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "common/uuid.hpp"

namespace {
std::atomic<long> getrandomCalls{0};
}  // namespace

// Interposed for this test binary only: counts, then forwards to the next
// definition (the C library's, or a sanitizer's wrapper of it).
extern "C" ssize_t getrandom(void* buffer, size_t length, unsigned int flags) {
  using Real = ssize_t (*)(void*, size_t, unsigned int);
  static const Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "getrandom"));
  ++getrandomCalls;
  return real(buffer, length, flags);
}

namespace mesos {
namespace internal {
namespace {

TEST(RandomIdsTest, EveryUuidIsDrawnFromTheKernel) {
  const long before = getrandomCalls.load();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(randomUuidBytes());
  EXPECT_EQ(100u, seen.size());
  // One draw per uuid: nothing is derived from an earlier seed.
  EXPECT_GE(getrandomCalls.load() - before, 100);
}

TEST(RandomIdsTest, UuidsAreVersionFourWithTheRfcVariant) {
  for (int i = 0; i < 100; ++i) {
    const std::string bytes = randomUuidBytes();
    ASSERT_EQ(16u, bytes.size());
    EXPECT_EQ(0x40, static_cast<unsigned char>(bytes[6]) & 0xf0);
    EXPECT_EQ(0x80, static_cast<unsigned char>(bytes[8]) & 0xc0);
    EXPECT_TRUE(isValidUuidBytes(bytes));
  }
}

TEST(RandomIdsTest, SecureRandomBytesFillsLargeBuffers) {
  std::string a(4096, '\0');
  std::string b(4096, '\0');
  secureRandomBytes(a.data(), a.size());
  secureRandomBytes(b.data(), b.size());
  EXPECT_NE(a, b);
  EXPECT_NE(std::string(4096, '\0'), a);
}

}  // namespace
}  // namespace internal
}  // namespace mesos
