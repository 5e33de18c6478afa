// The simulated master driven by the real driver: framework lifecycle (teardown, failover to a second scheduler,
// scheduler exit) and what /master/state says about it all.

#include <set>
#include <string>
#include <vector>

#include "local_cluster_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

// ---- Framework lifecycle --------------------------------------------------------

TEST_F(LocalClusterTest, StopTearsTheFrameworkDown) {
  startCluster();
  startRegistered();
  launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const std::string id = sched_.frameworkId()->value();
  ASSERT_EQ(DRIVER_STOPPED, driver_->stop());
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    return findFramework(s, id, "completed_frameworks").has_value();
  })) << "not in completed_frameworks";
  const Struct s = state();
  EXPECT_FALSE(findFramework(s, id).has_value()) << "still in frameworks";
  EXPECT_FALSE(findTask(s, "t").has_value());
  EXPECT_EQ(0, num(sub(structs(s, "slaves")[0], "used_resources"), "cpus"));
}

TEST_F(LocalClusterTest, SecondSchedulerWithSameIdTakesOver) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(10);
  startRegistered(info);
  const std::string id = sched_.frameworkId()->value();
  const std::string pidA = str(*findFramework(state(), id), "pid");

  Recorder b;
  info.mutable_id()->set_value(id);
  auto driverB = startDriver(config(b, info));
  ASSERT_TRUE(b.waitRegistered());
  EXPECT_EQ(id, b.frameworkId()->value());
  ASSERT_TRUE(sched_.waitFor([&] { return !sched_.errors().empty(); }));
  EXPECT_EQ(std::vector<std::string>({"Framework failed over"}), sched_.errors());
  EXPECT_TRUE(b.errors().empty());

  auto framework = findFramework(state(), id);
  ASSERT_TRUE(framework.has_value());
  EXPECT_NE(pidA, str(*framework, "pid"));
  EXPECT_TRUE(field(*framework, "connected")->bool_value());
  // B gets the offers now.
  EXPECT_TRUE(b.waitOffer(0).has_value());
}

TEST_F(LocalClusterTest, SchedulerExitWithZeroFailoverTimeoutRemovesTheFramework) {
  startCluster();
  startRegistered();  // failover_timeout unset: 0.
  const std::string id = sched_.frameworkId()->value();
  driver_.reset();  // No stop(): the master only sees the link break.
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    return findFramework(s, id, "completed_frameworks").has_value() && !findFramework(s, id);
  }));
}

TEST_F(LocalClusterTest, SchedulerExitWithFailoverTimeoutKeepsTheFrameworkDisconnected) {
  startCluster();
  FrameworkInfo info = frameworkInfo();
  info.set_failover_timeout(60);
  startRegistered(info);
  const std::string id = sched_.frameworkId()->value();
  driver_.reset();
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto f = findFramework(s, id);
    return f && !field(*f, "connected")->bool_value();
  }));
  auto f = findFramework(state(), id);
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(field(*f, "active")->bool_value());
  EXPECT_TRUE(structs(*f, "offers").empty()) << "a disconnected framework holds offers";
}

// ---- /master/state --------------------------------------------------------------

TEST_F(LocalClusterTest, StateJsonDescribesAgentsFrameworksTasksAndOffers) {
  startCluster(fastOptions(2));
  startRegistered();
  Offer offer = launchRunning(commandTask("t", SlaveID(), "sleep 30"));
  const std::string id = sched_.frameworkId()->value();
  // The task's leftovers are offered again: two outstanding offers.
  ASSERT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    auto f = findFramework(s, id);
    return f && structs(*f, "offers").size() == 2;
  }));
  const Struct s = state();
  EXPECT_EQ(cluster_->master(), str(s, "leader"));
  EXPECT_EQ(sched_.masterInfo().id(), str(s, "id"));

  std::set<std::string> agents;
  for (const Struct& a : structs(s, "slaves")) agents.insert(str(a, "id"));
  EXPECT_EQ(2u, agents.size());

  auto f = findFramework(s, id);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ("local-cluster-test", str(*f, "name"));
  const auto tasks = structs(*f, "tasks");
  ASSERT_EQ(1u, tasks.size());
  EXPECT_EQ("t", str(tasks[0], "id"));
  EXPECT_EQ("TASK_RUNNING", str(tasks[0], "state"));
  EXPECT_EQ(offer.slave_id().value(), str(tasks[0], "slave_id"));
  EXPECT_DOUBLE_EQ(0.5, num(sub(tasks[0], "resources"), "cpus"));

  std::set<std::string> received;
  for (const auto& o : sched_.offers()) received.insert(o.offer.id().value());
  std::set<std::string> offerAgents;
  for (const Struct& o : structs(*f, "offers")) {
    EXPECT_EQ(1u, received.count(str(o, "id"))) << "state lists an offer the framework never got";
    EXPECT_NE(offer.id().value(), str(o, "id")) << "the used offer is still listed";
    offerAgents.insert(str(o, "slave_id"));
  }
  EXPECT_EQ(agents, offerAgents);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
