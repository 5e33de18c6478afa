// Driver calls made from inside callbacks (include/mesos/scheduler.hpp):
// join() and run() return at once instead of waiting for themselves, abort()
// stops every later callback and acknowledgement, and every other call works.

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "lifecycle_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

// ---- join() and run() from a callback -------------------------------------------

// join() from a callback would wait for itself: it returns DRIVER_ABORTED at once
// and leaves the driver running.
TEST_F(LifecycleTest, JoinFromACallbackReturnsAbortedAtOnce) {
  std::atomic<Status> joined{DRIVER_NOT_STARTED};
  Latch returned;
  sched_.once(Callback::kRegistered, [&](SchedulerDriver* driver, const CallbackEvent&) {
    joined = driver->join();
    returned.notify();
  });
  start(config());
  scheduler_ = expectRegistration(Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);
  const bool ok = returned.wait(1, kDeadline);
  if (!ok) driver_->stop();  // Unblock the callback so that the test can end.
  ASSERT_TRUE(ok) << "join() from a callback deadlocked";
  EXPECT_EQ(DRIVER_ABORTED, joined.load());
  EXPECT_EQ(DRIVER_RUNNING, driver_->status()) << "the driver is left as it was";
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("t1")));
  master_.expectCall(Call::KILL);
}

TEST_F(LifecycleTest, RunFromACallbackReturnsAbortedAtOnce) {
  std::atomic<Status> ran{DRIVER_NOT_STARTED};
  Latch returned;
  sched_.once(Callback::kRegistered, [&](SchedulerDriver* driver, const CallbackEvent&) {
    ran = driver->run();
    returned.notify();
  });
  start(config());
  scheduler_ = expectRegistration(Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);
  const bool ok = returned.wait(1, kDeadline);
  if (!ok) driver_->stop();
  ASSERT_TRUE(ok) << "run() from a callback deadlocked";
  EXPECT_EQ(DRIVER_ABORTED, ran.load());
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

// ---- abort() inside a callback ------------------------------------------------

// The ack decision is made right after statusUpdate() returns, long before the
// test sees the DeactivateFrameworkMessage and calls stop(); the TEARDOWN that
// stop() sends is the sentinel after which no ACKNOWLEDGE may be queued.
TEST_F(LifecycleTest, AbortInsideStatusUpdateSuppressesTheImplicitAck) {
  startRegistered();
  sched_.once(Callback::kStatusUpdate, [](SchedulerDriver* driver, const CallbackEvent&) {
    EXPECT_EQ(DRIVER_ABORTED, driver->abort());
  });
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, ackableStatus("t1").uuid(), kAgentPid));
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate));
  master_.expect<internal::DeactivateFrameworkMessage>();

  EXPECT_EQ(DRIVER_ABORTED, driver_->stop());
  master_.expectCall(Call::TEARDOWN);
  EXPECT_EQ(0u, untakenCalls(Call::ACKNOWLEDGE));
}

// Offers queued behind the aborting callback and offers arriving after the abort
// are never delivered. No sentinel callback can follow an abort (that is the
// point), so absence is checked with a short bounded wait.
TEST_F(LifecycleTest, NoCallbackStartsAfterAbortInsideACallback) {
  startRegistered();
  Latch entered;
  Latch release;
  sched_.once(Callback::kStatusUpdate, [&](SchedulerDriver* driver, const CallbackEvent&) {
    entered.notify();
    release.wait();
    driver->abort();
  });

  internal::ResourceOffersMessage offers;
  *offers.add_offers() = makeOffer("o1");
  offers.add_pids(kAgentPid);
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, ackableStatus("t1").uuid(), kAgentPid));
  ASSERT_TRUE(entered.wait());
  master_.send(scheduler_, offers);  // Queued behind the blocked callback.
  release.notify();
  master_.expect<internal::DeactivateFrameworkMessage>();
  *offers.mutable_offers(0)->mutable_id() = offerId("o2");
  master_.send(scheduler_, offers);  // After the abort.

  EXPECT_FALSE(sched_.wait(Callback::kResourceOffers, 1, std::chrono::milliseconds(300)));
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
}

// ---- Driver calls from inside callbacks ---------------------------------------

TEST_F(LifecycleTest, LaunchTasksFromResourceOffersReachesTheMaster) {
  startRegistered();
  sched_.once(Callback::kResourceOffers, [](SchedulerDriver* driver, const CallbackEvent& event) {
    ASSERT_EQ(1u, event.offers.size());
    EXPECT_EQ(DRIVER_RUNNING, driver->launchTasks({event.offers[0].id()}, {makeTask("t1")}));
  });
  internal::ResourceOffersMessage offers;
  *offers.add_offers() = makeOffer("o1");
  offers.add_pids(kAgentPid);
  master_.send(scheduler_, offers);

  Call accept = master_.expectCall(Call::ACCEPT);
  ASSERT_EQ(1, accept.accept().offer_ids_size());
  EXPECT_EQ("o1", accept.accept().offer_ids(0).value());
  ASSERT_EQ(1, accept.accept().operations_size());
  ASSERT_EQ(1, accept.accept().operations(0).launch().task_infos_size());
  EXPECT_EQ("t1", accept.accept().operations(0).launch().task_infos(0).task_id().value());
}

TEST_F(LifecycleTest, EveryDriverCallWorksFromInsideACallback) {
  DriverConfig c = config();
  c.implicitAcknowledgements = false;  // So that acknowledgeStatusUpdate() is allowed.
  std::vector<Status> statuses;  // Written by the callback, read once it was recorded.
  sched_.once(Callback::kRegistered, [&](SchedulerDriver* driver, const CallbackEvent&) {
    statuses = makeEveryCall(driver);
  });
  start(c);
  scheduler_ = expectRegistration(Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  for (Status status : statuses) EXPECT_EQ(DRIVER_RUNNING, status);

  for (Call::Type type : {Call::REQUEST, Call::ACCEPT, Call::ACCEPT, Call::ACCEPT, Call::DECLINE,
                          Call::KILL, Call::REVIVE, Call::REVIVE, Call::SUPPRESS, Call::SUPPRESS,
                          Call::ACKNOWLEDGE, Call::MESSAGE, Call::RECONCILE,
                          Call::UPDATE_FRAMEWORK}) {
    master_.expectCall(type);
  }
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
