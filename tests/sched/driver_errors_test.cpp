// Errors abort the driver, never the host process ("Errors" in
// include/mesos/scheduler.hpp): master strings that name no master, calls the
// driver must refuse, and the master's FrameworkErrorMessage each end in
// error() and DRIVER_ABORTED.

#include <unistd.h>

#include <cstdio>
#include <string>

#include "lifecycle_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

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
  sched_.once(Callback::kResourceOffers, [&](SchedulerDriver*, const CallbackEvent&) {
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

}  // namespace
}  // namespace testing
}  // namespace mesos
