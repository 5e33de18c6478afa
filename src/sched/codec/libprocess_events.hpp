#pragma once

// What both libprocess codecs share: decoding the master's and agents'
// messages into core events, and the checked encoding of one message.

#include <optional>
#include <string>

#include <google/protobuf/message.h>

#include "common/try.hpp"
#include "sched/core/codec.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace codec {

// nullopt: a type the driver does not handle; an error: a body that does not parse.
std::optional<Try<core::Event>> decodeLibprocessEvent(const std::string& name,
                                                      const std::string& body);

// `message` serialized, or an error if a required field is missing.
Try<core::WireMessage> wireMessage(const google::protobuf::Message& message);

// Both libprocess dialects receive the same messages; they differ in what they send.
class LibprocessCodec : public core::Codec {
 public:
  std::optional<Try<core::Event>> decode(const std::string& name,
                                         const std::string& body) const override {
    return decodeLibprocessEvent(name, body);
  }
};

}  // namespace codec
}  // namespace sched
}  // namespace internal
}  // namespace mesos
