// Driver lifecycle (docs/protocol.md, "The driver's state machine", and the
// contract in scheduler.hpp): status semantics of start/stop/abort/join/run,
// destruction, concurrency and the accessors.

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lifecycle_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

// ---- Status semantics ---------------------------------------------------------

// A second start() does nothing: no second scheduler process, so every SUBSCRIBE
// (retries included) comes from the one the first start() spawned.
TEST_F(LifecycleTest, StartTwiceReturnsRunningWithoutASecondRegistration) {
  start(config());
  EXPECT_EQ(DRIVER_RUNNING, driver_->start());
  scheduler_ = expectRegistration(Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));

  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("sentinel")));
  master_.expectCall(Call::KILL);
  EXPECT_EQ(scheduler_, master_.lastFrom());
  for (const std::string& from : untakenSubscribers()) EXPECT_EQ(scheduler_.toString(), from);
  EXPECT_EQ(1u, sched_.count(Callback::kRegistered));
}

TEST_F(LifecycleTest, StopReturnsDriverStopped) {
  startRegistered();
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop());
  EXPECT_EQ(DRIVER_STOPPED, driver_->status());
}

TEST_F(LifecycleTest, StopAfterAbortReturnsDriverAbortedAndStops) {
  startRegistered();
  ASSERT_EQ(DRIVER_ABORTED, driver_->abort());
  EXPECT_EQ(DRIVER_ABORTED, driver_->stop());
  EXPECT_EQ(DRIVER_STOPPED, driver_->status()) << "stop() after abort() still stops";
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop()) << "a second stop() does nothing";
}

TEST_F(LifecycleTest, AbortTwiceReturnsDriverAborted) {
  startRegistered();
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
}

TEST_F(LifecycleTest, CallsAfterStopReturnDriverStopped) {
  startRegistered();
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());
  for (Status status : makeEveryCall(driver_.get())) EXPECT_EQ(DRIVER_STOPPED, status);
  EXPECT_EQ(DRIVER_STOPPED, driver_->start());
  EXPECT_EQ(DRIVER_STOPPED, driver_->abort());
  EXPECT_EQ(DRIVER_STOPPED, driver_->join());
  EXPECT_EQ(DRIVER_STOPPED, driver_->run());
}

// An aborted driver is not terminated: a later stop() still sends TEARDOWN, which
// is the sentinel showing that none of the refused calls reached the master.
TEST_F(LifecycleTest, CallsAfterAbortReturnDriverAbortedAndSendNothing) {
  startRegistered();
  ASSERT_EQ(DRIVER_ABORTED, driver_->abort());
  for (Status status : makeEveryCall(driver_.get())) EXPECT_EQ(DRIVER_ABORTED, status);
  EXPECT_EQ(DRIVER_ABORTED, driver_->start());
  EXPECT_EQ(DRIVER_ABORTED, driver_->join());

  master_.expect<internal::DeactivateFrameworkMessage>();
  EXPECT_EQ(DRIVER_ABORTED, driver_->stop());
  master_.expectCall(Call::TEARDOWN);
  for (Call::Type type : {Call::REQUEST, Call::ACCEPT, Call::DECLINE, Call::KILL, Call::REVIVE,
                          Call::SUPPRESS, Call::ACKNOWLEDGE, Call::MESSAGE, Call::RECONCILE,
                          Call::UPDATE_FRAMEWORK}) {
    EXPECT_EQ(0u, untakenCalls(type)) << Call::Type_Name(type);
  }
}

TEST_F(LifecycleTest, JoinReturnsAfterStopFromAnotherThread) {
  startRegistered();
  auto joined = std::async(std::launch::async, [this] { return driver_->join(); });
  EXPECT_EQ(std::future_status::timeout, joined.wait_for(std::chrono::seconds(0)))
      << "join() returned while the driver was running";
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop());
  ASSERT_EQ(std::future_status::ready, joined.wait_for(scaled(kDeadline)));
  EXPECT_EQ(DRIVER_STOPPED, joined.get());
}

TEST_F(LifecycleTest, JoinReturnsAfterAbortFromAnotherThread) {
  startRegistered();
  auto joined = std::async(std::launch::async, [this] { return driver_->join(); });
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
  ASSERT_EQ(std::future_status::ready, joined.wait_for(scaled(kDeadline)));
  EXPECT_EQ(DRIVER_ABORTED, joined.get());
}

TEST_F(LifecycleTest, RunReturnsWhenACallbackCallsStop) {
  sched_.once(Callback::kRegistered, [](SchedulerDriver* driver, const CallbackEvent&) {
    EXPECT_EQ(DRIVER_STOPPED, driver->stop());
  });
  driver_ = std::make_unique<MesosSchedulerDriver>(config());
  auto ran = std::async(std::launch::async, [this] { return driver_->run(); });
  scheduler_ = expectRegistration(Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);

  if (ran.wait_for(scaled(kDeadline)) != std::future_status::ready) {
    driver_->stop();  // Unblock run() so that the test can end.
    FAIL() << "run() did not return after stop()";
  }
  EXPECT_EQ(DRIVER_STOPPED, ran.get());
  Call teardown = master_.expectCall(Call::TEARDOWN);
  EXPECT_EQ(kFrameworkId, teardown.framework_id().value());
}

TEST_F(LifecycleTest, JoinOnANeverStartedDriverReturnsNotStartedAtOnce) {
  driver_ = std::make_unique<MesosSchedulerDriver>(config());
  auto joined = std::async(std::launch::async, [this] { return driver_->join(); });
  if (joined.wait_for(scaled(kDeadline)) != std::future_status::ready) {
    driver_->start();
    driver_->stop();  // Unblock join() so that the test can end.
    FAIL() << "join() blocked on a driver that was never started";
  }
  EXPECT_EQ(DRIVER_NOT_STARTED, joined.get());
  EXPECT_EQ(DRIVER_NOT_STARTED, driver_->status());
}

// ---- Destruction --------------------------------------------------------------

// Destroying a driver is not stop(): it never tears the framework down (as
// Mesos's destructor), so a framework can fail over to a new scheduler.
TEST_F(LifecycleTest, DestroyingANeverStartedDriverIsSafe) {
  driver_ = std::make_unique<MesosSchedulerDriver>(config());
  driver_.reset();
  expectTeardownsAfterDestruction(0);
  EXPECT_EQ(0u, master_.count(kCallName));
}

TEST_F(LifecycleTest, DestroyingAStoppedDriverIsSafe) {
  startRegistered();
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());
  driver_.reset();
  expectTeardownsAfterDestruction(1);  // stop()'s own, and no second one.
}

TEST_F(LifecycleTest, DestroyingAnAbortedDriverIsSafe) {
  startRegistered();
  ASSERT_EQ(DRIVER_ABORTED, driver_->abort());
  driver_.reset();
  expectTeardownsAfterDestruction(0);
  EXPECT_EQ(1u, master_.count("mesos.internal.DeactivateFrameworkMessage"));
}

TEST_F(LifecycleTest, DestroyingARunningRegisteredDriverIsSafe) {
  startRegistered();
  sendOffers({makeOffer("o1")}, kAgentPid);
  driver_.reset();
  expectTeardownsAfterDestruction(0);
}

// ---- Concurrency --------------------------------------------------------------

TEST_F(LifecycleTest, ConcurrentCallsStopAbortAndJoinEndStoppedOrAborted) {
  startRegistered();
  std::atomic<bool> go{false};
  auto waitForGo = [&go] {
    while (!go.load()) std::this_thread::yield();
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      waitForGo();
      for (int i = 0; i < 200; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        Status status = DRIVER_RUNNING;
        switch (i % 6) {
          case 0: status = driver_->killTask(taskId(id)); break;
          case 1: status = driver_->launchTasks({offerId(id)}, {makeTask(id)}); break;
          case 2: status = driver_->reviveOffers(); break;
          case 3: status = driver_->reconcileTasks({}); break;
          case 4: status = driver_->sendFrameworkMessage(executorId("e"), agentId(), id); break;
          case 5: status = driver_->requestResources({Request()}); break;
        }
        if (status != DRIVER_RUNNING) {
          EXPECT_TRUE(status == DRIVER_STOPPED || status == DRIVER_ABORTED) << status;
          return;
        }
      }
    });
  }
  std::atomic<Status> joined{DRIVER_NOT_STARTED};
  threads.emplace_back([&] {
    waitForGo();
    joined = driver_->join();
  });
  threads.emplace_back([&] {
    waitForGo();
    const Status status = driver_->abort();
    EXPECT_TRUE(status == DRIVER_ABORTED || status == DRIVER_STOPPED) << status;
  });
  threads.emplace_back([&] {
    waitForGo();
    const Status status = driver_->stop();
    EXPECT_TRUE(status == DRIVER_STOPPED || status == DRIVER_ABORTED) << status;
  });
  go = true;
  for (std::thread& thread : threads) thread.join();

  const Status final = driver_->status();
  EXPECT_TRUE(final == DRIVER_STOPPED || final == DRIVER_ABORTED) << final;
  EXPECT_TRUE(joined == DRIVER_STOPPED || joined == DRIVER_ABORTED) << joined.load();
  EXPECT_TRUE(driver_->stopped());
}

// Also the leak check under ASan: every cycle creates and tears down two threads,
// a listening socket, a connection to the master and the state machine.
// Each cycle registers, so its stop() tears the framework down: the master sees
// 1,000 distinct schedulers subscribe and 1,000 TEARDOWNs, one from each.
TEST_F(LifecycleTest, ThousandStartStopDestroyCyclesAgainstTheMaster) {
  constexpr int kCycles = 1000;
  std::set<std::string> subscribers, teardowns;
  for (int i = 0; i < kCycles; ++i) {
    auto driver = std::make_unique<MesosSchedulerDriver>(config());
    ASSERT_EQ(DRIVER_RUNNING, driver->start()) << "cycle " << i;
    // Skip SUBSCRIBE retries of earlier cycles' drivers (sent before their TEARDOWN).
    std::string from;
    do {
      Call subscribe = master_.expectCall(Call::SUBSCRIBE);
      ASSERT_EQ(Call::SUBSCRIBE, subscribe.type()) << "cycle " << i;
      from = master_.lastFrom().toString();
    } while (subscribers.count(from) != 0);
    subscribers.insert(from);
    master_.registered(master_.lastFrom(), kFrameworkId);
    ASSERT_TRUE(waitUntil([&] { return driver->connected(); })) << "cycle " << i;
    ASSERT_EQ(DRIVER_STOPPED, driver->stop()) << "cycle " << i;
    Call teardown = master_.expectCall(Call::TEARDOWN);
    ASSERT_EQ(Call::TEARDOWN, teardown.type()) << "cycle " << i;
    EXPECT_EQ(from, master_.lastFrom().toString()) << "cycle " << i;
    teardowns.insert(master_.lastFrom().toString());
  }
  EXPECT_EQ(size_t{kCycles}, subscribers.size());
  EXPECT_EQ(size_t{kCycles}, teardowns.size());
  EXPECT_EQ(size_t{kCycles}, master_.countCalls(Call::TEARDOWN));
}

// ---- Accessors ----------------------------------------------------------------

TEST_F(LifecycleTest, AccessorsFollowStartRegisterAndStop) {
  driver_ = std::make_unique<MesosSchedulerDriver>(config());
  EXPECT_EQ(DRIVER_NOT_STARTED, driver_->status());
  EXPECT_FALSE(driver_->connected());
  EXPECT_TRUE(driver_->stopped()) << "stopped() is true whenever the driver is not running";

  ASSERT_EQ(DRIVER_RUNNING, driver_->start());
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
  EXPECT_FALSE(driver_->connected());
  EXPECT_FALSE(driver_->stopped());

  scheduler_ = expectRegistration(Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  EXPECT_TRUE(driver_->connected());
  EXPECT_FALSE(driver_->stopped());

  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());
  EXPECT_EQ(DRIVER_STOPPED, driver_->status());
  EXPECT_TRUE(driver_->stopped());
  EXPECT_TRUE(waitUntil([&] { return !driver_->connected(); }));
}

TEST_F(LifecycleTest, AccessorsFollowAbortThenStop) {
  startRegistered();
  ASSERT_EQ(DRIVER_ABORTED, driver_->abort());
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
  EXPECT_TRUE(driver_->stopped());

  ASSERT_EQ(DRIVER_ABORTED, driver_->stop());
  EXPECT_EQ(DRIVER_STOPPED, driver_->status());
  EXPECT_TRUE(driver_->stopped());
  EXPECT_TRUE(waitUntil([&] { return !driver_->connected(); }));
}

// disconnected() runs with connected() already false (it used to be cleared only
// after the callback was queued, so the callback could still see true).
TEST_F(LifecycleTest, ConnectedIsFalseWhenDisconnectedRuns) {
  DriverConfig c = config();
  c.registrationBackoffFactor = std::chrono::seconds(60);  // No reconnection meanwhile.
  startRegistered(c);
  std::atomic<bool> connectedInCallback{true};
  sched_.once(Callback::kDisconnected, [&](SchedulerDriver*, const CallbackEvent&) {
    connectedInCallback = driver_->connected();
  });
  master_.stop();
  ASSERT_TRUE(sched_.wait(Callback::kDisconnected));
  EXPECT_FALSE(connectedInCallback.load());
  EXPECT_FALSE(driver_->connected());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
