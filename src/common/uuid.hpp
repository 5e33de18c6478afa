#pragma once

// RFC 4122 version-4 UUIDs: scheduler process ids, status update uuids, ids made
// by the simulated master.

#include <cstddef>
#include <string>

namespace mesos {
namespace internal {

// Fills `buffer` from the kernel's CSPRNG (getrandom). Thread: any.
void secureRandomBytes(void* buffer, size_t size);
// 16 random bytes (CSPRNG) with the version (4) and variant bits set.
std::string randomUuidBytes();
// Canonical lowercase 8-4-4-4-12 form of 16 bytes.
std::string uuidToString(const std::string& bytes);
// `uuidToString(randomUuidBytes())`.
std::string randomUuidString();
// 16 bytes with a version nibble of 1 to 5, as a Mesos master requires of acks.
bool isValidUuidBytes(const std::string& bytes);

}  // namespace internal
}  // namespace mesos
