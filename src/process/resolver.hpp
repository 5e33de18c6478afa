#pragma once

// Host name resolution that never blocks the thread asking for it.
//
// `resolveAsync` runs the lookup (getaddrinfo, which may block for as long as
// the system's resolver likes) on a thread of its own and delivers the result
// on the I/O thread through `io`, unless the `ResolverScope` it was given has
// been closed by then: a lookup that hangs delays only the one caller that
// needs its answer, and outlives its caller harmlessly.
//
// Threads: `resolveAsync` and `ResolverScope::close` on the I/O thread; the
// callback runs there too.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace process {

// Owned by whoever asks for lookups; close() (or destruction) before the
// io_context goes: no callback runs after it.
class ResolverScope {
 public:
  explicit ResolverScope(boost::asio::io_context& io);
  ~ResolverScope();
  ResolverScope(const ResolverScope&) = delete;
  ResolverScope& operator=(const ResolverScope&) = delete;

  void close();

  struct Shared;  // Shared with the lookup threads.

 private:
  friend void resolveAsync(ResolverScope& scope, const std::string& host,
                           std::function<void(Try<uint32_t>)> done);
  std::shared_ptr<Shared> shared_;
};

// Resolves `host` (an IPv4 literal is answered at once, still through `io`).
void resolveAsync(ResolverScope& scope, const std::string& host,
                  std::function<void(Try<uint32_t>)> done);

// The blocking lookup used by `resolveAsync` (default: resolveIpv4). Tests
// replace it to simulate a resolver that hangs or fails; returns the old one.
using BlockingResolver = std::function<Try<uint32_t>(const std::string& host)>;
BlockingResolver setBlockingResolverForTesting(BlockingResolver resolver);

}  // namespace process
}  // namespace internal
}  // namespace mesos
