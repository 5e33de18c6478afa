// libFuzzer target for the v1 HTTP API's inbound path in the driver, sans-I/O:
// the bytes of a SUBSCRIBE response go through EventStreamDecoder (Beast's
// parser, chunking, RecordIO) in pieces, and every record it yields through the
// HTTP codec into a driver core waiting for SUBSCRIBED (or subscribed, when the
// stream's first record says so), exactly as the runtime feeds them.
// Input: [a][b][stream...]; the stream is fed in pieces of a+1 and b+1 bytes in turn.
// Oracle (besides the sanitizers): when both succeed, decoding in pieces yields
// exactly the records, head and outcome of decoding in one piece.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sched/codec/event_stream.hpp"
#include "sched/core/codec.hpp"
#include "sched/core/driver_core.hpp"

using namespace mesos::internal;
using namespace mesos::internal::sched;

namespace {

struct Outcome {
  bool ok = true;
  std::vector<std::string> records;
  std::optional<EventStreamDecoder::Head> head;
  bool done = false;
};

Outcome decode(const char* data, size_t size, size_t a, size_t b) {
  EventStreamDecoder decoder(4096, 1024);  // Small limits: reach them.
  Outcome outcome;
  for (size_t pos = 0, i = 0; outcome.ok && pos < size; ++i) {
    const size_t n = std::min(size - pos, i % 2 == 0 ? a : b);
    outcome.ok = decoder.feed(std::string_view(data + pos, n), outcome.records);
    pos += n;
  }
  outcome.head = decoder.head();
  outcome.done = decoder.done();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
  if (size < 2) return 0;
  const char* data = reinterpret_cast<const char*>(input) + 2;
  const Outcome pieces = decode(data, size - 2, input[0] + 1u, input[1] + 1u);
  const Outcome whole = decode(data, size - 2, size, size);
  // Beast may notice a malformed head sooner in pieces than whole (while the
  // whole still waits for its end): compare only runs that both succeeded.
  if (pieces.ok && whole.ok) {
    if (pieces.records != whole.records || pieces.done != whole.done ||
        pieces.head.has_value() != whole.head.has_value()) {
      __builtin_trap();
    }
    if (pieces.head && (pieces.head->status != whole.head->status ||
                        pieces.head->streamId != whole.head->streamId)) {
      __builtin_trap();
    }
  }

  // The records, as the runtime hands them to the core.
  static const std::unique_ptr<core::Codec> codec = core::makeHttpCodec();
  core::Options options;
  options.framework.set_name("fuzz");
  options.framework.set_user("fuzz");
  options.maxMessageBytes = 4096;
  core::DriverCore driver(options, *codec, [] { return 0.5; });
  const process::UPID master("master", 0x7f000001, 5050);
  mesos::MasterInfo info;
  info.set_id("m");
  info.set_ip(master.ip);
  info.set_port(master.port);
  info.set_pid(master.toString());
  double now = 1.8e9;
  driver.masterDetected(now, info);
  for (const std::string& record : whole.records) {
    now += 0.25;
    driver.messageReceived(now, master, core::kStreamedEventName, record);
    driver.takeEffects();
  }
  driver.answerReceived(now, "SUBSCRIBE", whole.head ? whole.head->status : 0,
                        std::string(data, std::min<size_t>(size - 2, 64)));
  driver.takeEffects();
  return 0;
}
