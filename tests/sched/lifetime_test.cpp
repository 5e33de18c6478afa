// Lifetime and API semantics: destroying the driver inside each callback, a
// join() outliving the driver, start() failures reporting error() before
// returning, connected()/stopped() after stop and abort, and a statusUpdate()
// that throws. Run under AddressSanitizer in CI, which turns any touch of the
// destroyed driver into a failure.

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include "driver_test_util.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using internal::process::UPID;
using scheduler::Call;

// ---- Destroying the driver inside a callback --------------------------------

enum class Kind {
  kRegistered,
  kReregistered,
  kDisconnected,
  kResourceOffers,
  kOfferRescinded,
  kStatusUpdateImplicit,
  kStatusUpdateExplicit,
  kFrameworkMessage,
  kSlaveLost,
  kExecutorLost,
  kError,
};

std::string kindName(const ::testing::TestParamInfo<Kind>& info) {
  static const char* const kNames[] = {
      "Registered",       "Reregistered",   "Disconnected",         "ResourceOffers",
      "OfferRescinded",   "StatusUpdateImplicitAck", "StatusUpdateExplicitAck",
      "FrameworkMessage", "SlaveLost",      "ExecutorLost",         "Error"};
  return kNames[static_cast<int>(info.param)];
}

// Deletes its driver in the callback of one kind, then counts what still
// arrives (nothing may).
class DeletingScheduler : public Scheduler {
 public:
  explicit DeletingScheduler(Kind kind) : kind_(kind) {}
  MesosSchedulerDriver* driver = nullptr;  // Owned; deleted in the callback.
  Latch deleted;
  Latch registeredLatch;
  std::atomic<int> afterDelete{0};

  void registered(SchedulerDriver*, const FrameworkID&, const MasterInfo&) override {
    registeredLatch.notify();
    on(Kind::kRegistered);
  }
  void reregistered(SchedulerDriver*, const MasterInfo&) override { on(Kind::kReregistered); }
  void disconnected(SchedulerDriver*) override { on(Kind::kDisconnected); }
  void resourceOffers(SchedulerDriver*, const std::vector<Offer>&) override {
    on(Kind::kResourceOffers);
  }
  void offerRescinded(SchedulerDriver*, const OfferID&) override { on(Kind::kOfferRescinded); }
  void statusUpdate(SchedulerDriver*, const TaskStatus&) override {
    on(kind_ == Kind::kStatusUpdateExplicit ? Kind::kStatusUpdateExplicit
                                            : Kind::kStatusUpdateImplicit);
  }
  void frameworkMessage(SchedulerDriver*, const ExecutorID&, const SlaveID&,
                        const std::string&) override {
    on(Kind::kFrameworkMessage);
  }
  void slaveLost(SchedulerDriver*, const SlaveID&) override { on(Kind::kSlaveLost); }
  void executorLost(SchedulerDriver*, const ExecutorID&, const SlaveID&, int) override {
    on(Kind::kExecutorLost);
  }
  void error(SchedulerDriver*, const std::string&) override { on(Kind::kError); }

 private:
  void on(Kind kind) {
    if (driver == nullptr) {
      ++afterDelete;
      return;
    }
    if (kind != kind_) return;
    MesosSchedulerDriver* doomed = driver;
    driver = nullptr;
    delete doomed;
    deleted.notify();
  }

  const Kind kind_;
};

class DestroyInCallbackTest : public DriverTest, public ::testing::WithParamInterface<Kind> {};

TEST_P(DestroyInCallbackTest, IsSafe) {
  const Kind kind = GetParam();
  DeletingScheduler sched(kind);
  DriverConfig c = config();
  c.scheduler = &sched;
  c.implicitAcknowledgements = kind != Kind::kStatusUpdateExplicit;
  c.registrationBackoffFactor = std::chrono::seconds(60);  // No re-registration noise.
  if (kind == Kind::kReregistered) c.framework.mutable_id()->set_value(kFrameworkId);
  sched.driver = new MesosSchedulerDriver(c);
  ASSERT_EQ(DRIVER_RUNNING, sched.driver->start());
  const UPID driver = expectRegistration(DriverConfig::Dialect::kCall);

  if (kind == Kind::kReregistered) {
    master_.reregistered(driver, kFrameworkId);
  } else {
    master_.registered(driver, kFrameworkId);
  }
  if (kind != Kind::kRegistered && kind != Kind::kReregistered) {
    ASSERT_TRUE(sched.registeredLatch.wait());
  }
  switch (kind) {
    case Kind::kRegistered:
    case Kind::kReregistered:
      break;
    case Kind::kDisconnected:
      master_.stop();
      break;
    case Kind::kResourceOffers: {
      internal::ResourceOffersMessage offers;
      *offers.add_offers() = makeOffer("o1");
      offers.add_pids("slave(1)@127.0.0.1:1");
      master_.send(driver, offers);
      break;
    }
    case Kind::kOfferRescinded: {
      internal::RescindResourceOfferMessage rescind;
      rescind.mutable_offer_id()->set_value("o1");
      master_.send(driver, rescind);
      break;
    }
    case Kind::kStatusUpdateImplicit:
    case Kind::kStatusUpdateExplicit:
      master_.send(driver, agentUpdate("t1", TASK_RUNNING, "0123456789abcdef",
                                       "slave(1)@127.0.0.1:1"));
      break;
    case Kind::kFrameworkMessage: {
      internal::ExecutorToFrameworkMessage data;
      data.mutable_slave_id()->set_value(kAgentId);
      data.mutable_framework_id()->set_value(kFrameworkId);
      data.mutable_executor_id()->set_value("e1");
      data.set_data("x");
      master_.send(driver, data);
      break;
    }
    case Kind::kSlaveLost: {
      internal::LostSlaveMessage lost;
      lost.mutable_slave_id()->set_value(kAgentId);
      master_.send(driver, lost);
      break;
    }
    case Kind::kExecutorLost: {
      internal::ExitedExecutorMessage exited;
      exited.mutable_executor_id()->set_value("e1");
      exited.mutable_framework_id()->set_value(kFrameworkId);
      exited.mutable_slave_id()->set_value(kAgentId);
      exited.set_status(1);
      master_.send(driver, exited);
      break;
    }
    case Kind::kError: {
      internal::FrameworkErrorMessage error;
      error.set_message("bye");
      master_.send(driver, error);
      break;
    }
  }
  ASSERT_TRUE(sched.deleted.wait());
  // Destroying is not a goodbye: no TEARDOWN, and no deactivation but the one
  // the driver's own abort (on the master's error) sends.
  EXPECT_EQ(0u, master_.countCalls(Call::TEARDOWN));
  EXPECT_EQ(kind == Kind::kError ? 1u : 0u,
            master_.count("mesos.internal.DeactivateFrameworkMessage"));
  EXPECT_EQ(0, sched.afterDelete.load());
}

INSTANTIATE_TEST_SUITE_P(EveryCallback, DestroyInCallbackTest,
                         ::testing::Values(Kind::kRegistered, Kind::kReregistered,
                                           Kind::kDisconnected, Kind::kResourceOffers,
                                           Kind::kOfferRescinded, Kind::kStatusUpdateImplicit,
                                           Kind::kStatusUpdateExplicit, Kind::kFrameworkMessage,
                                           Kind::kSlaveLost, Kind::kExecutorLost, Kind::kError),
                         kindName);

// An error() the driver owes (it aborted itself) while another callback runs,
// and that callback destroys the driver: error() still runs, before the
// destructor returns, with a driver it may call.
TEST_F(DriverTest, AnOwedErrorRunsInsideTheDestructorWithAUsableDriver) {
  startRegistered();
  MesosSchedulerDriver* driver = driver_.release();
  Latch inUpdate;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> destructorReturned{false};
  std::atomic<int> statusInError{-1};
  sched_.once(Callback::kStatusUpdate, [&](SchedulerDriver*, const CallbackEvent&) {
    inUpdate.notify();
    released.wait();
    delete driver;
    destructorReturned = true;
  });
  sched_.once(Callback::kError, [&](SchedulerDriver* d, const CallbackEvent&) {
    EXPECT_FALSE(destructorReturned.load());
    statusInError = d->reviveOffers();  // The driver is still whole here.
  });
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, "0123456789abcdef",
                                       "slave(1)@127.0.0.1:1"));
  ASSERT_TRUE(inUpdate.wait());
  internal::FrameworkErrorMessage bye;
  bye.set_message("bye");
  master_.send(scheduler_, bye);
  // The driver has aborted itself once its status says so.
  ASSERT_TRUE(waitUntil([&] { return driver->status() == DRIVER_ABORTED; },
                        std::chrono::seconds(10)));
  release.set_value();
  std::optional<CallbackEvent> error = sched_.wait(Callback::kError);
  ASSERT_TRUE(error);
  EXPECT_EQ("bye", error->message);
  ASSERT_TRUE(waitUntil([&] { return destructorReturned.load(); }, std::chrono::seconds(10)));
  // The callback thread records the update after the action returns: the
  // scheduler (destroyed with this test) must not go before that.
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate));
  EXPECT_EQ(DRIVER_ABORTED, statusInError.load());
  EXPECT_EQ(1u, sched_.count(Callback::kError));
}

// ---- join() and the destructor ---------------------------------------------

// True once thread `tid` of this process is asleep (blocked), as join() is.
bool threadIsBlocked(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'S';
}

TEST_F(DriverTest, JoinReturnsWhenAnotherThreadDestroysTheDriver) {
  startRegistered();
  MesosSchedulerDriver* driver = driver_.get();
  std::atomic<pid_t> joiner{0};
  auto joined = std::async(std::launch::async, [driver, &joiner] {
    joiner = static_cast<pid_t>(::syscall(SYS_gettid));
    return driver->join();
  });
  // Destroyed only once the other thread is blocked inside join().
  ASSERT_TRUE(waitUntil([&] { return joiner.load() != 0 && threadIsBlocked(joiner.load()); },
                        std::chrono::seconds(10)));
  driver_.reset();
  ASSERT_EQ(std::future_status::ready, joined.wait_for(scaled(std::chrono::seconds(10))));
  EXPECT_EQ(DRIVER_ABORTED, joined.get());
}

TEST_F(DriverTest, RunReturnsWhenAnotherThreadDestroysTheDriver) {
  driver_ = std::make_unique<MesosSchedulerDriver>(config());
  auto ran = std::async(std::launch::async, [&] { return driver_->run(); });
  scheduler_ = expectRegistration(DriverConfig::Dialect::kCall);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered));
  driver_.reset();
  ASSERT_EQ(std::future_status::ready, ran.wait_for(scaled(std::chrono::seconds(10))));
  EXPECT_EQ(DRIVER_ABORTED, ran.get());
}

// ---- start() failures -------------------------------------------------------

// error() has run, exactly once, when start() or run() returns; its message has
// `part`.
void expectOneErrorWith(const RecordingScheduler& sched, const std::string& part) {
  const std::vector<CallbackEvent> errors = sched.events(Callback::kError);
  ASSERT_EQ(1u, errors.size()) << "error() must have run before the call returned";
  EXPECT_THAT(errors[0].message, HasSubstr(part));
}

TEST_F(DriverTest, ABadMasterStringHasCalledErrorWhenStartReturns) {
  DriverConfig c = config();
  c.master = "nonsense://where";
  driver_ = std::make_unique<MesosSchedulerDriver>(c);
  EXPECT_EQ(DRIVER_ABORTED, driver_->start());
  expectOneErrorWith(sched_, "master detector");
}

TEST_F(DriverTest, ABadOptionHasCalledErrorWhenRunReturns) {
  DriverConfig c = config();
  c.registrationBackoffFactor = std::chrono::milliseconds(0);
  driver_ = std::make_unique<MesosSchedulerDriver>(c);
  EXPECT_EQ(DRIVER_ABORTED, driver_->run());
  expectOneErrorWith(sched_, "Invalid driver configuration");
}

TEST_F(DriverTest, AFrameworkInfoWithoutNameFailsStartInsteadOfRetryingForever) {
  DriverConfig c = config();
  c.framework.clear_name();
  driver_ = std::make_unique<MesosSchedulerDriver>(c);
  EXPECT_EQ(DRIVER_ABORTED, driver_->start());
  expectOneErrorWith(sched_, "name");
  EXPECT_FALSE(master_.received("mesos.scheduler.Call", std::chrono::milliseconds(0)));
}

// ---- connected() and stopped() ----------------------------------------------

TEST_F(DriverTest, StoppedIsTrueWheneverTheDriverIsNotRunning) {
  driver_ = std::make_unique<MesosSchedulerDriver>(config());
  EXPECT_EQ(DRIVER_NOT_STARTED, driver_->status());
  EXPECT_TRUE(driver_->stopped());
  ASSERT_EQ(DRIVER_RUNNING, driver_->start());
  EXPECT_FALSE(driver_->stopped());
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop(true));
  EXPECT_TRUE(driver_->stopped());
}

TEST_F(DriverTest, ConnectedIsFalseRightAfterAbort) {
  startRegistered();
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
  EXPECT_FALSE(driver_->connected());
}

TEST_F(DriverTest, ConnectedIsFalseRightAfterStop) {
  startRegistered();
  EXPECT_EQ(DRIVER_STOPPED, driver_->stop(true));
  EXPECT_FALSE(driver_->connected());
}

TEST_F(DriverTest, ConnectedIsFalseOnceTheDriverAbortedItself) {
  startRegistered();
  internal::FrameworkErrorMessage bye;
  bye.set_message("bye");
  master_.send(scheduler_, bye);
  ASSERT_TRUE(sched_.wait(Callback::kError));
  EXPECT_FALSE(driver_->connected());
}

TEST_F(DriverTest, ALateRegistrationAfterAbortDoesNotMakeItConnected) {
  start(config());
  scheduler_ = expectRegistration(DriverConfig::Dialect::kCall);
  EXPECT_EQ(DRIVER_ABORTED, driver_->abort());
  master_.registered(scheduler_, kFrameworkId);
  // However the registration and the abort interleave on the I/O thread:
  EXPECT_FALSE(driver_->connected());
  driver_.reset();  // Joins the I/O thread: whatever it did is done.
  EXPECT_EQ(0u, sched_.count(Callback::kRegistered));
}

// ---- statusUpdate() that throws ---------------------------------------------

TEST_F(DriverTest, AnUpdateWhoseCallbackThrowsIsNotAcknowledgedUntilItReturns) {
  startRegistered();
  int calls = 0;  // Only the callback thread touches it.
  sched_.on(Callback::kStatusUpdate, [&calls](SchedulerDriver*, const CallbackEvent&) {
    if (++calls == 1) throw std::runtime_error("not now");
  });
  const std::string uuid = "0123456789abcdef";
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, uuid, "slave(1)@127.0.0.1:1"));
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate, 1));
  // The agent's retry of the same update: this time the callback returns.
  master_.send(scheduler_, agentUpdate("t1", TASK_RUNNING, uuid, "slave(1)@127.0.0.1:1"));
  ASSERT_TRUE(sched_.wait(Callback::kStatusUpdate, 2));
  Call ack = master_.expectCall(Call::ACKNOWLEDGE);
  EXPECT_EQ(uuid, ack.acknowledge().uuid());
  // Exactly one. A rescind's callback runs after the second update's
  // acknowledgement was queued; a kill sent after that callback reaches the
  // master after every acknowledgement there will be.
  awaitMarker();
  ASSERT_EQ(DRIVER_RUNNING, driver_->killTask(taskId("marker")));
  master_.expectCall(Call::KILL);
  EXPECT_EQ(1u, master_.countCalls(Call::ACKNOWLEDGE));
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
  EXPECT_EQ(2u, sched_.count(Callback::kStatusUpdate));
}

}  // namespace
}  // namespace testing
}  // namespace mesos
