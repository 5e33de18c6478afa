#pragma once

// The v1 scheduler API's spelling of this project's v0 protobufs
// (docs/protocol.md, "The v1 scheduler HTTP API"): on the wire the two differ
// only in `Call.Subscribe`'s numbering (proto/messages/messages.proto,
// V1CallSubscribe); in JSON, also in names (`agent_id` for `slave_id`,
// `SOURCE_AGENT` and `REASON_AGENT_*` for the `SLAVE` enum values).
// Thread-safe: the renamed schema is built once and only read afterwards.

#include <string>

#include <mesos/scheduler/scheduler.pb.h>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace master {

// A binary v1 Call. The error is the reason, for the log.
Try<scheduler::Call> parseV1Call(const std::string& body);

// A JSON v1 Call. The error is the whole answer to give (`Failed to parse
// body into JSON: ...` or `Failed to convert JSON into Call protobuf: ...`).
// Unknown keys are ignored.
Try<scheduler::Call> parseV1JsonCall(const std::string& json);

// `event` as compact v1 JSON, keys spelled as the proto field names.
std::string v1EventJson(const scheduler::Event& event);

}  // namespace master
}  // namespace internal
}  // namespace mesos
