#pragma once

// A wire codec of the driver: maps the core's protocol terms (core/terms.hpp)
// to the messages of one wire and back. The core holds one and asks it only
// whether a call is expressible; the runtime encodes what the core sends and
// decodes what arrives. A new wire (the v1 HTTP API) is a new codec; the core
// does not change.
//
// Thread: codecs are immutable after construction; any thread.

#include <memory>
#include <optional>
#include <string>

#include "common/try.hpp"
#include "sched/core/terms.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

// One message on a libprocess wire: its type name and protobuf body.
struct WireMessage {
  std::string name;
  std::string body;
};

class Codec {
 public:
  virtual ~Codec() = default;

  // "call" or "legacy" (logs).
  virtual const char* dialect() const = 0;

  // Whether this wire can say `call` at all (e.g. the legacy messages have no
  // SUPPRESS). The core refuses what cannot be said before touching its state.
  virtual bool expresses(const Call& call) const = 0;

  // The message for `call`; an error if the wire cannot express it or a
  // required field is missing (nothing a Mesos receiver would refuse is sent).
  virtual Try<WireMessage> encode(const Call& call) const = 0;
  // The same, free to take the call's parts instead of copying them: the
  // runtime encodes each call once, and the acknowledgement of every status
  // update is the hot path (docs/PERFORMANCE.md). By default, `encode(call)`.
  virtual Try<WireMessage> encodeMoving(Call&& call) const { return encode(call); }

  // The event carried by a received message: nullopt for a type the driver
  // does not handle, an error for a body that does not parse.
  virtual std::optional<Try<Event>> decode(const std::string& name,
                                           const std::string& body) const = 0;

  // True when every event arrives on one stream the driver opened (the v1
  // HTTP API): a record that does not decode poisons the stream, so the core
  // reconnects instead of dropping one message, and heartbeats are watched.
  virtual bool streamed() const { return false; }

  // True when the credential travels with every request (HTTP Basic) instead
  // of a handshake before registering (CRAM-MD5 over libprocess).
  virtual bool authenticatesEachRequest() const { return false; }
};

// The name under which a streamed wire's runtime hands records to the core.
inline constexpr char kStreamedEventName[] = "mesos.scheduler.Event";

// `mesos.scheduler.Call` for everything a Call can say (the default dialect).
std::unique_ptr<Codec> makeCallCodec();

// The per-action legacy messages (`RegisterFrameworkMessage`, ...).
std::unique_ptr<Codec> makeLegacyCodec();

// The v1 scheduler HTTP API: `mesos.v1.scheduler.Call` bodies out, RecordIO
// records of `Event`s in (docs/protocol.md, "The v1 scheduler HTTP API").
std::unique_ptr<Codec> makeHttpCodec();

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
