#pragma once

// Helpers shared by the schema tests in tests/proto.

#include <google/protobuf/descriptor.h>

#include <initializer_list>
#include <string>
#include <vector>

#include <mesos/authentication/authentication.pb.h>
#include <mesos/mesos.pb.h>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

namespace mesos {
namespace testing {

// Builds a byte string from explicit byte values. Spelling goldens this way
// avoids C++ hex escapes, which are greedy ("\x02fw" is 0x2f 'w').
inline std::string bytes(std::initializer_list<int> values) {
  std::string result;
  for (int value : values) {
    result.push_back(static_cast<char>(value));
  }
  return result;
}

// "0a 02 66 77": bytes as lowercase hex pairs, for readable mismatches.
inline std::string hex(const std::string& data) {
  static const char kDigits[] = "0123456789abcdef";
  std::string result;
  for (unsigned char c : data) {
    if (!result.empty()) {
      result.push_back(' ');
    }
    result.push_back(kDigits[c >> 4]);
    result.push_back(kDigits[c & 0xf]);
  }
  return result;
}

// A fixed RFC-4122 UUID (version nibble 4, variant 10xx) as the 16 raw bytes
// the wire carries.
inline std::string sampleUuid() {
  return bytes({0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77});
}

// The four .proto files of proto/, each reached through one of its types so
// the descriptors are registered (and the objects linked in).
inline std::vector<const google::protobuf::FileDescriptor*> schemaFiles() {
  return {
      mesos::FrameworkID::descriptor()->file(),
      mesos::scheduler::Call::descriptor()->file(),
      mesos::internal::AuthenticateMessage::descriptor()->file(),
      mesos::internal::FrameworkRegisteredMessage::descriptor()->file(),
  };
}

}  // namespace testing
}  // namespace mesos
