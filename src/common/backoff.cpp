#include "common/backoff.hpp"

#include <algorithm>
#include <memory>
#include <random>

#include "common/uuid.hpp"

namespace mesos {
namespace internal {

UnitRandom seededUnitRandom(uint64_t seed) {
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine] { return std::uniform_real_distribution<double>(0, 1)(*engine); };
}

UnitRandom systemUnitRandom() {
  uint64_t seed = 0;
  secureRandomBytes(&seed, sizeof(seed));
  return seededUnitRandom(seed);
}

std::chrono::milliseconds Backoff::next(const UnitRandom& random) {
  const std::chrono::milliseconds bound = std::min(bound_, policy_.cap);
  std::chrono::milliseconds delay = policy_.floor + bound;
  if (policy_.jitter) {
    const double fraction = std::clamp(random(), 0.0, 1.0);
    delay = policy_.floor + std::chrono::milliseconds(static_cast<int64_t>(
                                fraction * static_cast<double>(bound.count())));
  }
  // Doubling saturates at the cap, so a long outage never overflows.
  bound_ = bound > policy_.cap / 2 ? policy_.cap : bound * 2;
  return delay;
}

void Backoff::reset() { bound_ = std::min(policy_.initial, policy_.cap); }

void Backoff::capAt(std::chrono::milliseconds cap) {
  policy_.cap = std::min(policy_.cap, cap);
  bound_ = std::min(bound_, policy_.cap);
}

}  // namespace internal
}  // namespace mesos
