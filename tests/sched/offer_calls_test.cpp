// Offer calls (docs/protocol.md, "The two dialects"): requestResources,
// launchTasks, acceptOffers, declineOffer, reviveOffers and suppressOffers put
// exactly the expected message on the wire, in both dialects (the sentinel:
// calls_test_util.hpp).

#include <string>
#include <vector>

#include "calls_test_util.hpp"

namespace mesos {
namespace testing {
namespace {

using Call = scheduler::Call;
using Dialect = DriverConfig::Dialect;

class OfferCallsTest : public CallsTest {};

// ---- requestResources ---------------------------------------------------------

TEST_P(OfferCallsTest, RequestResourcesSendsTheRequests) {
  startRegistered(GetParam());
  std::vector<Request> requests(2);
  requests[0].mutable_slave_id()->set_value(kAgentId);
  Resource* mem = requests[0].add_resources();
  mem->set_name("mem");
  mem->set_type(Value::SCALAR);
  mem->mutable_scalar()->set_value(64);
  *requests[1].add_resources() = *mem;
  ASSERT_EQ(DRIVER_RUNNING, driver_->requestResources(requests));

  if (legacy()) {
    auto message = master_.expect<internal::ResourceRequestMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.requests_size());
    EXPECT_THAT(message.requests(0), EqualsProto(requests[0]));
    EXPECT_THAT(message.requests(1), EqualsProto(requests[1]));
  } else {
    Call call = master_.expectCall(Call::REQUEST);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.request().requests_size());
    EXPECT_THAT(call.request().requests(0), EqualsProto(requests[0]));
    EXPECT_THAT(call.request().requests(1), EqualsProto(requests[1]));
  }
}

// ---- launchTasks / acceptOffers / declineOffer --------------------------------

TEST_P(OfferCallsTest, LaunchTasksSendsAnAcceptWithOneLaunch) {
  startRegistered(GetParam());
  const std::vector<TaskInfo> tasks = {taskWithData("t1"), taskWithData("t2")};
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->launchTasks({offerId("o1"), offerId("o2")}, tasks, filters(7)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    EXPECT_EQ("o2", message.offer_ids(1).value());
    ASSERT_EQ(2, message.tasks_size());
    EXPECT_THAT(message.tasks(0), EqualsProto(tasks[0]));
    EXPECT_THAT(message.tasks(1), EqualsProto(tasks[1]));
    EXPECT_EQ(7, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    EXPECT_EQ("o2", call.accept().offer_ids(1).value());
    ASSERT_EQ(1, call.accept().operations_size());
    const Offer::Operation& launch = call.accept().operations(0);
    EXPECT_EQ(Offer::Operation::LAUNCH, launch.type());
    EXPECT_FALSE(launch.has_id());
    ASSERT_EQ(2, launch.launch().task_infos_size());
    EXPECT_THAT(launch.launch().task_infos(0), EqualsProto(tasks[0]));
    EXPECT_THAT(launch.launch().task_infos(1), EqualsProto(tasks[1]));
    EXPECT_EQ(7, call.accept().filters().refuse_seconds());
  }
}

TEST_P(OfferCallsTest, SingleOfferLaunchTasksSendsTheSameAccept) {
  startRegistered(GetParam());
  const TaskInfo task = taskWithData("t1");
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks(offerId("o1"), {task}, filters(3)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(1, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    ASSERT_EQ(1, message.tasks_size());
    EXPECT_THAT(message.tasks(0), EqualsProto(task));
    EXPECT_EQ(3, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(1, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    ASSERT_EQ(1, call.accept().operations_size());
    EXPECT_EQ(Offer::Operation::LAUNCH, call.accept().operations(0).type());
    ASSERT_EQ(1, call.accept().operations(0).launch().task_infos_size());
    EXPECT_THAT(call.accept().operations(0).launch().task_infos(0), EqualsProto(task));
    EXPECT_EQ(3, call.accept().filters().refuse_seconds());
  }
}

// An empty task list is still sent: as an ACCEPT with an empty LAUNCH (the master
// declines the offers with the filters), legacy as a LaunchTasksMessage without tasks.
TEST_P(OfferCallsTest, LaunchTasksWithNoTasksSendsAnEmptyLaunch) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->launchTasks({offerId("o1")}, {}, filters(11)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(1, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    EXPECT_EQ(0, message.tasks_size());
    EXPECT_EQ(11, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(1, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    ASSERT_EQ(1, call.accept().operations_size());
    EXPECT_EQ(Offer::Operation::LAUNCH, call.accept().operations(0).type());
    EXPECT_TRUE(call.accept().operations(0).has_launch());
    EXPECT_EQ(0, call.accept().operations(0).launch().task_infos_size());
    EXPECT_EQ(11, call.accept().filters().refuse_seconds());
  }
}

// Call: every operation as given. Legacy: only the LAUNCH tasks are expressible.
TEST_P(OfferCallsTest, AcceptOffersSendsOperationsAndFilters) {
  startRegistered(GetParam());
  Offer::Operation reserve;
  reserve.set_type(Offer::Operation::RESERVE);
  Resource* cpus = reserve.mutable_reserve()->add_resources();
  cpus->set_name("cpus");
  cpus->set_type(Value::SCALAR);
  cpus->mutable_scalar()->set_value(1);
  Resource::ReservationInfo* reservation = cpus->add_reservations();
  reservation->set_type(Resource::ReservationInfo::DYNAMIC);
  reservation->set_role("web");
  Offer::Operation launch;
  launch.set_type(Offer::Operation::LAUNCH);
  *launch.mutable_launch()->add_task_infos() = taskWithData("t1");
  ASSERT_EQ(DRIVER_RUNNING,
            driver_->acceptOffers({offerId("o1"), offerId("o2")}, {reserve, launch}, filters(2)));

  if (legacy()) {
    // A LaunchTasksMessage cannot carry the RESERVE: the call is refused and
    // nothing is sent (a partial launch, or an empty one that the master would
    // read as a decline, is not what was asked). The revive is sent after it,
    // on the same connection.
    ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());
    master_.expect<internal::ReviveOffersMessage>();
    EXPECT_EQ(0u, master_.count("mesos.internal.LaunchTasksMessage"));
  } else {
    Call call = master_.expectCall(Call::ACCEPT);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.accept().offer_ids_size());
    EXPECT_EQ("o1", call.accept().offer_ids(0).value());
    EXPECT_EQ("o2", call.accept().offer_ids(1).value());
    ASSERT_EQ(2, call.accept().operations_size());
    EXPECT_THAT(call.accept().operations(0), EqualsProto(reserve));
    EXPECT_THAT(call.accept().operations(1), EqualsProto(launch));
    EXPECT_EQ(2, call.accept().filters().refuse_seconds());
  }
}

TEST_P(OfferCallsTest, DeclineOfferSendsADeclineWithFilters) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->declineOffer(offerId("o1"), filters(42)));

  if (legacy()) {
    auto message = master_.expect<internal::LaunchTasksMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(1, message.offer_ids_size());
    EXPECT_EQ("o1", message.offer_ids(0).value());
    EXPECT_EQ(0, message.tasks_size());
    EXPECT_EQ(42, message.filters().refuse_seconds());
  } else {
    Call call = master_.expectCall(Call::DECLINE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(1, call.decline().offer_ids_size());
    EXPECT_EQ("o1", call.decline().offer_ids(0).value());
    EXPECT_EQ(42, call.decline().filters().refuse_seconds());
  }
}

// ---- reviveOffers / suppressOffers --------------------------------------------

TEST_P(OfferCallsTest, ReviveOffersSendsAReviveWithoutRoles) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers());

  if (legacy()) {
    auto message = master_.expect<internal::ReviveOffersMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    EXPECT_EQ(0, message.roles_size());
  } else {
    Call call = master_.expectCall(Call::REVIVE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_FALSE(call.has_revive()) << "as Mesos: no Revive part means all roles";
  }
}

TEST_P(OfferCallsTest, ReviveOffersForRolesSendsAReviveWithThoseRoles) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->reviveOffers({"web", "batch"}));

  if (legacy()) {
    auto message = master_.expect<internal::ReviveOffersMessage>();
    EXPECT_EQ(kFrameworkId, message.framework_id().value());
    ASSERT_EQ(2, message.roles_size());
    EXPECT_EQ("web", message.roles(0));
    EXPECT_EQ("batch", message.roles(1));
  } else {
    Call call = master_.expectCall(Call::REVIVE);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.revive().roles_size());
    EXPECT_EQ("web", call.revive().roles(0));
    EXPECT_EQ("batch", call.revive().roles(1));
  }
}

TEST_P(OfferCallsTest, ReviveAndSuppressWithAnEmptyRoleListSendNothing) {
  startRegistered(GetParam());
  EXPECT_EQ(DRIVER_RUNNING, driver_->reviveOffers(std::vector<std::string>{}));
  EXPECT_EQ(DRIVER_RUNNING, driver_->suppressOffers(std::vector<std::string>{}));
  sentinel();
  if (legacy()) {
    EXPECT_EQ(0u, master_.count("mesos.internal.ReviveOffersMessage"));
    EXPECT_EQ(0u, master_.count(kCallName));
  } else {
    EXPECT_EQ(0u, untakenCalls(Call::REVIVE));
    EXPECT_EQ(0u, untakenCalls(Call::SUPPRESS));
  }
}

TEST_P(OfferCallsTest, SuppressOffersSendsASuppressWithoutRolesButNothingInLegacy) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->suppressOffers());

  if (legacy()) {
    sentinel();
    EXPECT_EQ(0u, master_.count(kCallName)) << "SUPPRESS has no legacy message";
  } else {
    Call call = master_.expectCall(Call::SUPPRESS);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    EXPECT_FALSE(call.has_suppress()) << "as Mesos: no Suppress part means all roles";
  }
}

TEST_P(OfferCallsTest, SuppressOffersForRolesSendsASuppressWithThoseRolesButNothingInLegacy) {
  startRegistered(GetParam());
  ASSERT_EQ(DRIVER_RUNNING, driver_->suppressOffers({"web", "batch"}));

  if (legacy()) {
    sentinel();
    EXPECT_EQ(0u, master_.count(kCallName)) << "SUPPRESS has no legacy message";
  } else {
    Call call = master_.expectCall(Call::SUPPRESS);
    EXPECT_EQ(kFrameworkId, call.framework_id().value());
    ASSERT_EQ(2, call.suppress().roles_size());
    EXPECT_EQ("web", call.suppress().roles(0));
    EXPECT_EQ("batch", call.suppress().roles(1));
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, OfferCallsTest, bothDialects(), dialectName);

}  // namespace
}  // namespace testing
}  // namespace mesos
