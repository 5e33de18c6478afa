// start() never waits for DNS: a master given by host name is resolved on a
// thread of its own, and a lookup that hangs delays only the registration
// that needs it (src/process/resolver.hpp).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

#include "driver_test_util.hpp"
#include "process/resolver.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {
namespace {

using internal::Try;
using internal::process::BlockingResolver;
using internal::process::setBlockingResolverForTesting;

// Installs a resolver for the test's duration.
class ResolverOverride {
 public:
  explicit ResolverOverride(BlockingResolver resolver)
      : old_(setBlockingResolverForTesting(std::move(resolver))) {}
  ~ResolverOverride() { setBlockingResolverForTesting(std::move(old_)); }

 private:
  BlockingResolver old_;
};

// A lookup that hangs until released (or for at most 30 s).
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool open = false;
  bool returned = false;
};

TEST_F(DriverTest, StartReturnsWhileTheMastersHostNameIsStillBeingResolved) {
  auto gate = std::make_shared<Gate>();
  ResolverOverride hung([gate](const std::string& host) -> Try<uint32_t> {
    std::unique_lock<std::mutex> lock(gate->mutex);
    gate->entered = true;
    gate->changed.notify_all();
    gate->changed.wait_for(lock, std::chrono::seconds(30), [&] { return gate->open; });
    gate->returned = true;
    return internal::Error("no answer for " + host);
  });
  DriverConfig c = config();
  c.master = "master@master.hangs.invalid:5050";
  driver_ = std::make_unique<MesosSchedulerDriver>(c);
  EXPECT_EQ(DRIVER_RUNNING, driver_->start());
  {
    std::unique_lock<std::mutex> lock(gate->mutex);
    EXPECT_FALSE(gate->returned) << "start() waited for the lookup";
    ASSERT_TRUE(gate->changed.wait_for(lock, scaled(std::chrono::seconds(10)),
                                       [&] { return gate->entered; }));
  }
  // The driver stays responsive and goes away without waiting for DNS.
  EXPECT_FALSE(driver_->connected());
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop());
  driver_.reset();
  EXPECT_EQ(0u, sched_.count(Callback::kRegistered));
  std::lock_guard<std::mutex> lock(gate->mutex);
  EXPECT_FALSE(gate->returned);
  gate->open = true;
  gate->changed.notify_all();
}

TEST_F(DriverTest, AFailedLookupOfTheMastersHostIsRetried) {
  std::atomic<int> lookups{0};
  ResolverOverride flaky([&](const std::string& host) -> Try<uint32_t> {
    if (++lookups < 3) return internal::Error("temporary failure resolving " + host);
    return 0x7f000001u;
  });
  DriverConfig c = config();
  c.registrationBackoffFactor = std::chrono::milliseconds(20);
  c.master = "master@flaky-dns.test:" + std::to_string(master_.pid().port);
  startRegistered(c);
  EXPECT_EQ(3, lookups.load());
}

TEST_F(DriverTest, AMasterGivenByHostNameIsResolvedAndRegisteredWith) {
  std::atomic<int> lookups{0};
  ResolverOverride local([&](const std::string& host) -> Try<uint32_t> {
    ++lookups;
    if (host != "fake-master.test") return internal::Error("unknown host " + host);
    return 0x7f000001u;
  });
  DriverConfig c = config();
  c.master = "master@fake-master.test:" + std::to_string(master_.pid().port);
  startRegistered(c);
  EXPECT_EQ(1, lookups.load());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
