#pragma once

// Handlers queued on an io_context (timers, posts, completions) can run after
// the object that queued them has been destroyed, because the io_context
// outlives it. Such an object owns a `Lifetime`; every handler captures an
// `AliveToken` from it and returns at once if the token has expired. Internal
// to src/master; everything involved runs on the one I/O thread.

#include <memory>

namespace mesos {
namespace internal {
namespace master {

// Says whether the owner of the `Lifetime` it came from still exists. Cheap to
// copy; holds nothing of the owner alive.
class AliveToken {
 public:
  // True once the owner has been destroyed.
  bool expired() const { return owner_.expired(); }

 private:
  friend class Lifetime;
  explicit AliveToken(std::weak_ptr<const int> owner) : owner_(std::move(owner)) {}
  std::weak_ptr<const int> owner_;
};

// Ends, expiring every token taken from it, when its owner is destroyed.
class Lifetime {
 public:
  Lifetime() = default;
  // Not copyable: a copy would outlive the owner and keep its tokens valid.
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;

  AliveToken token() const { return AliveToken(owner_); }

 private:
  std::shared_ptr<const int> owner_ = std::make_shared<const int>(0);
};

}  // namespace master
}  // namespace internal
}  // namespace mesos
