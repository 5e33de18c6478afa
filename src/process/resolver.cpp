#include "process/resolver.hpp"

#include <thread>

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace process {

struct ResolverScope::Shared {
  std::mutex mutex;
  boost::asio::io_context* io = nullptr;  // Null once closed.
};

namespace {

std::mutex resolverMutex;
BlockingResolver& resolverHook() {
  static BlockingResolver resolver;  // Empty: resolveIpv4.
  return resolver;
}

BlockingResolver currentResolver() {
  std::lock_guard<std::mutex> lock(resolverMutex);
  BlockingResolver resolver = resolverHook();
  if (!resolver) resolver = [](const std::string& host) { return resolveIpv4(host); };
  return resolver;
}

}  // namespace

BlockingResolver setBlockingResolverForTesting(BlockingResolver resolver) {
  std::lock_guard<std::mutex> lock(resolverMutex);
  BlockingResolver old = std::move(resolverHook());
  resolverHook() = std::move(resolver);
  return old;
}

ResolverScope::ResolverScope(boost::asio::io_context& io) : shared_(std::make_shared<Shared>()) {
  shared_->io = &io;
}

ResolverScope::~ResolverScope() { close(); }

void ResolverScope::close() {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  shared_->io = nullptr;
}

namespace {

// Runs `done(result)` on the scope's I/O thread, unless the scope is closed
// first (checked when posting and again when running). Thread: any.
void deliver(const std::shared_ptr<ResolverScope::Shared>& shared,
             std::function<void(Try<uint32_t>)> done, Try<uint32_t> result) {
  std::lock_guard<std::mutex> lock(shared->mutex);
  if (shared->io == nullptr) return;  // The asker is gone.
  boost::asio::post(*shared->io, [shared, done = std::move(done), result]() {
    {
      std::lock_guard<std::mutex> lock(shared->mutex);
      if (shared->io == nullptr) return;
    }
    done(result);
  });
}

}  // namespace

void resolveAsync(ResolverScope& scope, const std::string& host,
                  std::function<void(Try<uint32_t>)> done) {
  std::shared_ptr<ResolverScope::Shared> shared = scope.shared_;
  Try<uint32_t> literal = parseIp(host);
  if (literal.isSome()) {
    deliver(shared, std::move(done), literal);
    return;
  }
  // One thread per lookup: getaddrinfo cannot be cancelled, and a lookup that
  // hangs must not hold up any other. The thread owns what it touches.
  std::thread([shared, host, done = std::move(done), resolver = currentResolver()]() mutable {
    deliver(shared, std::move(done), resolver(host));
  }).detach();
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
