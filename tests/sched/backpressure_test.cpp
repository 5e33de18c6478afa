// Backpressure: while the scheduler is slow, the driver's event queue stays
// bounded (it stops reading from the network instead), acknowledgements and
// calls still go out, and every event is delivered in order once it drains.

#include <atomic>
#include <future>
#include <string>

#include "driver_test_util.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {
namespace {

using scheduler::Call;

constexpr int kUpdates = 1500;
constexpr size_t kPadding = 4096;  // Bytes of status message per update.
constexpr size_t kMaxEvents = 50;

TEST_F(DriverTest, ASlowSchedulerPausesReadingInsteadOfQueueingWithoutBound) {
  DriverConfig c = config();
  c.maxQueuedEvents = kMaxEvents;
  startRegistered(c);

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // Released on every way out, so a failed assertion cannot leave the
  // callback thread blocked and the driver's destructor waiting for it.
  // On a failure, the driver is aborted first: no further callback starts that
  // would touch this test's locals after they are gone.
  struct Releaser {
    std::promise<void>* promise;
    MesosSchedulerDriver* driver;
    bool done = false;
    void operator()() {
      if (!done) promise->set_value();
      done = true;
    }
    ~Releaser() {
      if (!done) driver->abort();
      (*this)();
    }
  } releaser{&release, nullptr};
  std::atomic<int> seen{0};
  std::atomic<bool> inOrder{true};
  Latch first;
  sched_.on(Callback::kStatusUpdate, [&](SchedulerDriver*, const CallbackEvent& event) {
    const int n = seen++;
    if (event.status.task_id().value() != "t" + std::to_string(n)) inOrder = false;
    if (n == 0) {
      first.notify();
      released.wait();
    }
  });

  releaser.driver = driver_.get();
  const std::string padding(kPadding, 'x');
  for (int i = 0; i < kUpdates; ++i) {
    internal::StatusUpdateMessage update =
        agentUpdate("t" + std::to_string(i), TASK_RUNNING, "0123456789abcdef",
                    "slave(1)@127.0.0.1:1");
    update.mutable_update()->mutable_status()->set_message(padding);
    master_.send(scheduler_, update);
  }
  ASSERT_TRUE(first.wait());

  // The queue fills up to its bound and the driver stops reading.
  ASSERT_TRUE(waitUntil([&] { return driver_->metrics().readPaused; }, std::chrono::seconds(20)))
      << "queued: " << driver_->metrics().eventQueueMessages;
  // What one read may still have carried in is the only slack.
  const size_t slack = 64 * 1024 / kPadding + 2;
  DriverMetrics paused = driver_->metrics();
  EXPECT_LE(paused.eventQueueMessages, kMaxEvents + slack);
  EXPECT_GE(paused.eventQueueBytes, kMaxEvents * kPadding / 2);
  EXPECT_GE(paused.readPauses, 1u);

  // Calls still go out while reading is paused.
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("still-writing")));
  Call kill = master_.expectCall(Call::KILL);
  EXPECT_EQ("still-writing", kill.kill().task_id().value());
  // And the queue does not grow while paused (the master has more to send).
  EXPECT_LE(driver_->metrics().eventQueueMessages, kMaxEvents + slack);

  releaser();
  ASSERT_TRUE(waitUntil([&] { return seen.load() == kUpdates; }, std::chrono::seconds(60)))
      << seen.load() << " of " << kUpdates << " delivered";
  EXPECT_TRUE(inOrder.load());
  EXPECT_EQ(size_t{kUpdates}, sched_.count(Callback::kStatusUpdate));
  ASSERT_TRUE(waitUntil(
      [&] { return master_.countCalls(Call::ACKNOWLEDGE) == size_t{kUpdates}; },
      std::chrono::seconds(30)))
      << master_.countCalls(Call::ACKNOWLEDGE) << " acknowledgements";
  ASSERT_TRUE(waitUntil([&] { return driver_->metrics().eventQueueMessages == 0; },
                        std::chrono::seconds(10)));
  EXPECT_FALSE(driver_->metrics().readPaused);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
