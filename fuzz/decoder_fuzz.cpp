// libFuzzer target for the inbound libprocess path, sans-I/O: bytes from a peer go
// through RequestDecoder in pieces, and every decoded request through routeRequest.
// Input: [a][b][stream...]; the stream is fed in pieces of a+1 and b+1 bytes in turn.
// Oracle (besides the sanitizers): when both runs succeed, decoding in pieces yields
// exactly what decoding in one piece does, every field of every HttpRequest.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "process/decoder.hpp"
#include "process/route.hpp"

using namespace mesos::internal::process;

static bool decode(const char* data, size_t size, size_t a, size_t b,
                   std::vector<HttpRequest>& out) {
  RequestDecoder decoder(DecoderLimits{4096, 1 << 20});  // Small limits: reach them.
  bool ok = true;
  for (size_t pos = 0, i = 0; ok && pos < size; ++i) {
    const size_t n = std::min(size - pos, i % 2 == 0 ? a : b);
    ok = !decoder.feed(data + pos, n, out);  // After an error the connection closes.
    pos += n;
  }
  for (const HttpRequest& request : out) (void)routeRequest(request);  // Served even so.
  return ok;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
  if (size < 2) return 0;
  const char* data = reinterpret_cast<const char*>(input) + 2;
  std::vector<HttpRequest> pieces, whole;
  const bool piecesOk = decode(data, size - 2, input[0] + 1u, input[1] + 1u, pieces);
  if (!piecesOk || !decode(data, size - 2, size, size, whole)) return 0;
  if (pieces.size() != whole.size()) __builtin_trap();
  for (size_t i = 0; i < whole.size(); ++i) {
    const HttpRequest &p = pieces[i], &w = whole[i];
    if (p.method != w.method || p.target != w.target || p.body != w.body ||
        p.userAgent != w.userAgent || p.libprocessFrom != w.libprocessFrom ||
        p.contentType != w.contentType || p.keepAlive != w.keepAlive) __builtin_trap();
  }
  return 0;
}
