// Driver lifecycle (docs/protocol.md, "The driver's state machine", and the
// contract in scheduler.hpp): status semantics of start/stop/abort/join/run,
// calls from callbacks, destruction, concurrency, and errors that abort the
// driver instead of the host process.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "driver_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

constexpr char kCallName[] = "mesos.scheduler.Call";
constexpr char kAgentPid[] = "slave(1)@127.0.0.1:5051";
constexpr auto kDeadline = std::chrono::seconds(10);

ExecutorID executorId(const std::string& value) {
  ExecutorID id;
  id.set_value(value);
  return id;
}

SlaveID agentId() {
  SlaveID id;
  id.set_value(kAgentId);
  return id;
}

// A status an agent produced: it carries a uuid and an agent id.
TaskStatus ackableStatus(const std::string& task) {
  TaskStatus status;
  status.mutable_task_id()->set_value(task);
  status.set_state(TASK_RUNNING);
  status.mutable_slave_id()->set_value(kAgentId);
  // 16 bytes with a version-4 nibble.
  status.set_uuid(
      std::string("\x01\x02\x03\x04\x05\x06\x47\x08\x89\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16));
  return status;
}

FrameworkInfo registeredInfo() {
  FrameworkInfo info;
  info.set_name("driver-test");
  info.set_user("tester");
  info.set_hostname("test-host");
  info.mutable_id()->set_value(kFrameworkId);
  return info;
}

// Every driver call except start/stop/abort/join/run; returns their statuses.
std::vector<Status> makeEveryCall(SchedulerDriver* driver) {
  Offer::Operation launch;
  launch.set_type(Offer::Operation::LAUNCH);
  *launch.mutable_launch()->add_task_infos() = makeTask("t2");
  return {
      driver->requestResources({Request()}),
      driver->launchTasks({offerId("o1")}, {makeTask("t1")}),
      driver->launchTasks(offerId("o2"), {}),
      driver->acceptOffers({offerId("o3")}, {launch}),
      driver->declineOffer(offerId("o4")),
      driver->killTask(taskId("t1")),
      driver->reviveOffers(),
      driver->reviveOffers({"web"}),
      driver->suppressOffers(),
      driver->suppressOffers({"web"}),
      driver->acknowledgeStatusUpdate(ackableStatus("t1")),
      driver->sendFrameworkMessage(executorId("e1"), agentId(), "ping"),
      driver->reconcileTasks({}),
      driver->updateFramework(registeredInfo(), {}, scheduler::OfferConstraints()),
  };
}

class LifecycleTest : public DriverTest {
 protected:
  // For a driver that is gone: waits until its connection to the master is closed
  // (so the master has read all it wrote), then checks that the master saw
  // exactly `teardowns` TEARDOWNs and no UnregisterFrameworkMessage.
  void expectTeardownsAfterDestruction(size_t teardowns) {
    EXPECT_TRUE(waitUntil([&] { return master_.inboundConnections() == 0; }))
        << "the destroyed driver's connection to the master is still open";
    EXPECT_EQ(teardowns, master_.countCalls(Call::TEARDOWN));
    EXPECT_EQ(0u, master_.count("mesos.internal.UnregisterFrameworkMessage"));
  }

  // Waits for the first error() and returns its message.
  std::string awaitError() {
    std::optional<CallbackEvent> error = sched_.wait(Callback::kError);
    EXPECT_TRUE(error) << "error() was not called";
    return error ? error->message : "";
  }
};

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
  sched_.on(Callback::kRegistered, [](SchedulerDriver* driver, const CallbackEvent&) {
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

// join() from a callback would wait for itself: it returns DRIVER_ABORTED at once
// and leaves the driver running.
TEST_F(LifecycleTest, JoinFromACallbackReturnsAbortedAtOnce) {
  std::atomic<Status> joined{DRIVER_NOT_STARTED};
  Latch returned;
  sched_.on(Callback::kRegistered, [&](SchedulerDriver* driver, const CallbackEvent&) {
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
  sched_.on(Callback::kRegistered, [&](SchedulerDriver* driver, const CallbackEvent&) {
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
  sched_.on(Callback::kStatusUpdate, [](SchedulerDriver* driver, const CallbackEvent&) {
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
  sched_.on(Callback::kStatusUpdate, [&](SchedulerDriver* driver, const CallbackEvent&) {
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
  sched_.on(Callback::kResourceOffers, [](SchedulerDriver* driver, const CallbackEvent& event) {
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
  sched_.on(Callback::kRegistered, [&](SchedulerDriver* driver, const CallbackEvent&) {
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

// ---- Master strings -----------------------------------------------------------

struct BadMaster {
  const char* name;
  const char* master;
};

class LifecycleBadMasterTest : public DriverTest,
                               public ::testing::WithParamInterface<BadMaster> {};

TEST_P(LifecycleBadMasterTest, StartReturnsAbortedAndCallsError) {
  const std::string master = GetParam().master;
  DriverConfig c = config();
  c.master = master;
  driver_ = std::make_unique<MesosSchedulerDriver>(c);

  EXPECT_EQ(DRIVER_ABORTED, driver_->start());
  std::optional<CallbackEvent> error = sched_.wait(Callback::kError);
  ASSERT_TRUE(error);
  const std::string& message = error->message;
  EXPECT_EQ(0u, message.rfind("Failed to create a master detector for '" + master + "'", 0))
      << message;
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
  EXPECT_EQ(DRIVER_ABORTED, driver_->join()) << "returns at once: nothing was spawned";
  EXPECT_EQ(1u, sched_.count(Callback::kError));
}

INSTANTIATE_TEST_SUITE_P(Masters, LifecycleBadMasterTest,
                         ::testing::Values(BadMaster{"Nonsense", "nonsense"},
                                           BadMaster{"EmptyHost", "master@:5050"},
                                           BadMaster{"MissingFile", "file:///nonexistent"},
                                           BadMaster{"PortOutOfRange", "host:99999"}),
                         [](const ::testing::TestParamInfo<BadMaster>& info) {
                           return std::string(info.param.name);
                         });

TEST_F(LifecycleTest, FileMasterRegistersNormally) {
  std::string path = ::testing::TempDir() + "/lifecycle-master-XXXXXX";
  const int fd = ::mkstemp(path.data());
  ASSERT_GE(fd, 0) << path;
  const std::string content = master_.address() + "\n";
  ASSERT_EQ(static_cast<ssize_t>(content.size()), ::write(fd, content.data(), content.size()));
  ::close(fd);

  DriverConfig c = config();
  c.master = "file://" + path;
  startRegistered(c);
  std::remove(path.c_str());
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
}

// ---- "Never kill the host process" --------------------------------------------

TEST_F(LifecycleTest, AcknowledgeWithImplicitAcknowledgementsAbortsWithError) {
  startRegistered();

  EXPECT_EQ(DRIVER_ABORTED, driver_->acknowledgeStatusUpdate(ackableStatus("t1")));
  EXPECT_THAT(awaitError(), HasSubstr("implicit acknowledgements"));
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());

  master_.expect<internal::DeactivateFrameworkMessage>();
  driver_->stop();
  master_.expectCall(Call::TEARDOWN);
  EXPECT_EQ(0u, untakenCalls(Call::ACKNOWLEDGE));
}

TEST_F(LifecycleTest, UpdateFrameworkWithDuplicateSuppressedRolesAbortsWithError) {
  startRegistered();

  EXPECT_EQ(DRIVER_ABORTED, driver_->updateFramework(registeredInfo(), {"web", "web"},
                                                     scheduler::OfferConstraints()));
  EXPECT_THAT(awaitError(), HasSubstr("duplicate"));
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());

  master_.expect<internal::DeactivateFrameworkMessage>();
  driver_->stop();
  master_.expectCall(Call::TEARDOWN);
  EXPECT_EQ(0u, untakenCalls(Call::UPDATE_FRAMEWORK));
}

TEST_F(LifecycleTest, UpdateFrameworkBeforeRegistrationCallsErrorWithMesossMessage) {
  start(config());
  expectRegistration(Dialect::kCall);

  EXPECT_EQ(DRIVER_RUNNING,
            driver_->updateFramework(registeredInfo(), {}, scheduler::OfferConstraints()));
  EXPECT_EQ(
      "MesosSchedulerDriver::updateFramework() must not be called prior to registration with "
      "the master",
      awaitError());
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
}

TEST_F(LifecycleTest, AcceptOffersWithAnOperationIdAbortsWithError) {
  startRegistered();
  Offer::Operation launch;
  launch.set_type(Offer::Operation::LAUNCH);
  *launch.mutable_launch()->add_task_infos() = makeTask("t1");
  launch.mutable_id()->set_value("op-1");

  EXPECT_EQ(DRIVER_RUNNING, driver_->acceptOffers({offerId("o1")}, {launch}));
  EXPECT_THAT(awaitError(), HasSubstr("must not set 'id'"));
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());

  // The ACCEPT, had it been sent, would precede the DeactivateFrameworkMessage.
  master_.expect<internal::DeactivateFrameworkMessage>();
  EXPECT_EQ(0u, untakenCalls(Call::ACCEPT));
}

TEST_F(LifecycleTest, FrameworkErrorMessageAbortsDeactivatesAndCallsError) {
  startRegistered();
  internal::FrameworkErrorMessage error;
  error.set_message("Framework has been removed");
  master_.send(scheduler_, error);

  EXPECT_EQ("Framework has been removed", awaitError());
  EXPECT_EQ(DRIVER_ABORTED, driver_->status());
  auto deactivate = master_.expect<internal::DeactivateFrameworkMessage>();
  EXPECT_EQ(kFrameworkId, deactivate.framework_id().value());
}

TEST_F(LifecycleTest, ErrorIsDeliveredEvenWhenTheDriverIsDestroyedAsSoonAsJoinReturns) {
  startRegistered();
  // A slow resourceOffers() holds the callback thread, so the driver's error()
  // is still queued when join() returns at the abort and the driver is
  // destroyed at once (as `return driver.run()` in main does).
  Latch busy;
  Latch joined;
  sched_.on(Callback::kResourceOffers, [&](SchedulerDriver*, const CallbackEvent&) {
    busy.notify();
    joined.wait();  // Until join() returned: error() is surely still queued.
  });
  internal::ResourceOffersMessage offers;
  *offers.add_offers() = makeOffer("o1");
  offers.add_pids(kAgentPid);
  master_.send(scheduler_, offers);
  ASSERT_TRUE(busy.wait());
  internal::FrameworkErrorMessage error;
  error.set_message("Framework has been removed");
  master_.send(scheduler_, error);
  EXPECT_EQ(DRIVER_ABORTED, driver_->join());
  joined.notify();
  driver_.reset();  // Joins the callback thread: what it recorded is there.
  EXPECT_EQ(1u, sched_.count(Callback::kError))
      << "the driver's own error() was dropped at destruction";
  EXPECT_EQ(1u, sched_.count(Callback::kResourceOffers));
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
  sched_.on(Callback::kDisconnected, [&](SchedulerDriver*, const CallbackEvent&) {
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
