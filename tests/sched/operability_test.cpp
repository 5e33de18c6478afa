// What the driver tells about itself: metrics (the accessor and the
// /metrics/snapshot and /metrics/prometheus endpoints on its libprocess port),
// the callback watchdog, and the diagnosis of a master that cannot connect
// back. Against the simulated cluster, over real sockets.

#include <gtest/gtest.h>
#include <mesos/local/cluster.hpp>
#include <mesos/scheduler.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "support/free_port.hpp"
#include "support/http_get.hpp"
#include "support/io_thread.hpp"
#include "support/latch.hpp"
#include "support/log_capture.hpp"
#include "support/raw_client.hpp"
#include "support/recording_scheduler.hpp"

namespace mesos {
namespace testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;


class OperabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    local::LocalClusterOptions options;
    options.agents = 1;
    std::string error;
    cluster_ = local::LocalCluster::start(options, &error);
    ASSERT_TRUE(cluster_) << error;
  }

  DriverConfig config(Scheduler* scheduler) {
    DriverConfig c;
    c.scheduler = scheduler;
    c.framework.set_name("operability");
    c.framework.set_user("test");
    c.master = cluster_->master();
    c.bindIp = "127.0.0.1";
    return c;
  }

  std::unique_ptr<local::LocalCluster> cluster_;
};

TEST_F(OperabilityTest, MetricsCountWhatHappenedAndAreServedOnTheDriversPort) {
  RecordingScheduler sched;
  sched.once(Callback::kResourceOffers, [](SchedulerDriver* d, const CallbackEvent& e) {
    for (const Offer& offer : e.offers) d->declineOffer(offer.id());
  });
  DriverConfig c = config(&sched);
  c.bindPort = freePort();
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(sched.wait(Callback::kResourceOffers));

  DriverMetrics m;
  ASSERT_TRUE(waitUntil(
      [&] {
        m = driver.metrics();
        return m.callsSent["decline"] >= 1 && m.callbacks >= 2;
      },
      seconds(10)));
  EXPECT_EQ(m.registrations, 1u);
  ASSERT_TRUE(m.registrationTime.has_value());
  EXPECT_GE(m.eventsReceived["registered"], 1u);
  EXPECT_GE(m.eventsReceived["offers"], 1u);
  EXPECT_GE(m.callsSent["subscribe"], 1u);
  EXPECT_GE(m.messagesReceived, 2u);
  EXPECT_GT(m.bytesReceived, 0u);
  EXPECT_GT(m.bytesSent, 0u);
  EXPECT_EQ(m.messagesDropped, 0u);
  EXPECT_GT(m.callbackMax.count(), 0);
  EXPECT_LE(m.callbackP50, m.callbackP99);
  EXPECT_LE(m.callbackP99, m.callbackMax);
  EXPECT_FALSE(m.slowestCallback.empty());
  EXPECT_GT(m.uptime.count(), 0);

  std::string error;
  std::optional<std::pair<int, std::string>> json = httpGet(*c.bindPort, "/metrics/snapshot", &error);
  ASSERT_TRUE(json) << error;
  EXPECT_EQ(json->first, 200);
  EXPECT_NE(json->second.find("\"scheduler/registrations\":1"), std::string::npos) << json->second;
  EXPECT_NE(json->second.find("\"scheduler/event_queue_messages\":"), std::string::npos);
  EXPECT_NE(json->second.find("\"scheduler/event_queue_dispatches\":"), std::string::npos);
  EXPECT_NE(json->second.find("\"scheduler/calls_sent/decline\":"), std::string::npos);
  EXPECT_NE(json->second.find("\"scheduler/events_received/offers\":"), std::string::npos);

  std::optional<std::pair<int, std::string>> text =
      httpGet(*c.bindPort, "/metrics/prometheus?x=1", &error);
  ASSERT_TRUE(text) << error;
  EXPECT_EQ(text->first, 200);
  EXPECT_NE(text->second.find("\nmesos_scheduler_registrations 1\n"), std::string::npos)
      << text->second;

  // Nothing but GET: a POST (not a libprocess message) is refused.
  RawClient post(*c.bindPort);
  ASSERT_TRUE(post.connected());
  ASSERT_TRUE(post.send("POST /metrics/snapshot HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                        "Connection: close\r\n\r\n"));
  const std::string answer = post.readUntil(
      [](const std::string& d) { return d.find("\r\n\r\n") != std::string::npos; },
      scaled(seconds(10)));
  EXPECT_EQ(answer.compare(0, 12, "HTTP/1.1 405"), 0) << answer;
  driver.stop();
  driver.join();
}

TEST_F(OperabilityTest, UnacknowledgedUpdatesAreCountedUntilAcknowledged) {
  RecordingScheduler sched;
  sched.once(Callback::kResourceOffers, [](SchedulerDriver* d, const CallbackEvent& e) {
    TaskInfo task;
    task.set_name("t");
    task.mutable_task_id()->set_value("t1");
    *task.mutable_slave_id() = e.offers[0].slave_id();
    task.mutable_command()->set_value("sleep 600");
    Resource* cpus = task.add_resources();
    cpus->set_name("cpus");
    cpus->set_type(Value::SCALAR);
    cpus->mutable_scalar()->set_value(0.1);
    d->launchTasks(e.offers[0].id(), {task});
  });
  DriverConfig c = config(&sched);
  c.implicitAcknowledgements = false;
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());

  // A task that runs until killed: TASK_STARTING, TASK_RUNNING, then
  // TASK_KILLED. The agent sends each only once the one before it is
  // acknowledged, so exactly one is outstanding at a time.
  std::optional<CallbackEvent> running;
  for (size_t n = 1; n <= 2 && !running; ++n) {
    std::optional<CallbackEvent> update = sched.wait(Callback::kStatusUpdate, n, seconds(30));
    ASSERT_TRUE(update);
    ASSERT_TRUE(update->status.has_uuid());
    EXPECT_TRUE(waitUntil([&] { return driver.metrics().unacknowledgedUpdates == 1; },
                          seconds(10)))
        << driver.metrics().unacknowledgedUpdates;
    driver.acknowledgeStatusUpdate(update->status);
    // Outstanding: exactly the updates delivered after this one (the next
    // may follow the acknowledgement at once).
    EXPECT_TRUE(waitUntil(
        [&] {
          const uint64_t unacknowledged = driver.metrics().unacknowledgedUpdates;
          return unacknowledged == sched.count(Callback::kStatusUpdate) - n;
        },
        seconds(10)))
        << driver.metrics().unacknowledgedUpdates;
    if (update->status.state() == TASK_RUNNING) running = update;
  }
  ASSERT_TRUE(running);

  driver.killTask(running->status.task_id());
  std::optional<CallbackEvent> killed =
      sched.wait(Callback::kStatusUpdate,
                 [](const CallbackEvent& e) { return e.status.state() == TASK_KILLED; },
                 seconds(30));
  ASSERT_TRUE(killed);
  EXPECT_TRUE(waitUntil([&] { return driver.metrics().unacknowledgedUpdates == 1; }, seconds(10)));
  driver.acknowledgeStatusUpdate(killed->status);
  EXPECT_TRUE(waitUntil([&] { return driver.metrics().unacknowledgedUpdates == 0; }, seconds(10)));
  EXPECT_EQ(driver.metrics().callsSent["acknowledge"], 3u);
  driver.stop();
  driver.join();
}

TEST_F(OperabilityTest, ASlowCallbackIsNamedWhileItRuns) {
  LogCapture log;
  RecordingScheduler sched;
  Latch release;
  sched.once(Callback::kRegistered,
             [&](SchedulerDriver*, const CallbackEvent&) { release.wait(1, seconds(60)); });
  DriverConfig c = config(&sched);
  c.callbackWarningThreshold = milliseconds(100);
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  // Named while it still runs: the line comes before the callback returns.
  EXPECT_TRUE(log.warned({"Scheduler callback registered() has been running for"})) << log.dump();
  EXPECT_EQ(driver.metrics().runningCallback, "registered");
  release.notify();
  ASSERT_TRUE(sched.wait(Callback::kRegistered));
  EXPECT_TRUE(waitUntil([&] { return driver.metrics().slowCallbacks == 1; }, seconds(10)));
  EXPECT_EQ(driver.metrics().slowestCallback, "registered");
  driver.stop();
  driver.join();
}

// A framework advertising a port nobody listens on: its registration
// reaches the master, which cannot answer. The driver says so.
TEST_F(OperabilityTest, AMasterThatCannotConnectBackIsDiagnosed) {
  LogCapture log;
  RecordingScheduler sched;
  DriverConfig c = config(&sched);
  c.advertisePort = freePort();
  c.masterSilenceWarning = seconds(1);
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  // At start(): the advertised port is not the one listened on.
  EXPECT_FALSE(log.matching({"Advertising port " + std::to_string(*c.advertisePort)}).empty())
      << log.dump();
  EXPECT_TRUE(log.warned({"has sent this scheduler nothing", ":" +
                          std::to_string(*c.advertisePort), "LIBPROCESS_ADVERTISE_IP",
                          "LIBPROCESS_IP", "MESOS_SCHEDULER_API=http"}))
      << log.dump();
  EXPECT_GE(driver.metrics().masterSilentWarnings, 1u);
  EXPECT_EQ(sched.count(Callback::kRegistered), 0u);
  driver.stop();
  driver.join();
}

// The control: a master that can connect back is never reported silent.
TEST_F(OperabilityTest, AMasterThatAnswersIsNotDiagnosed) {
  LogCapture log;
  RecordingScheduler sched;
  DriverConfig c = config(&sched);
  c.masterSilenceWarning = milliseconds(200);
  MesosSchedulerDriver driver(c);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  ASSERT_TRUE(sched.wait(Callback::kRegistered));
  // Several silence intervals after the registration.
  EXPECT_FALSE(waitUntil([&] { return driver.metrics().masterSilentWarnings > 0; },
                         milliseconds(1000)));
  EXPECT_TRUE(log.matching({"has sent this scheduler nothing"}).empty());
  driver.stop();
  driver.join();
}

}  // namespace
}  // namespace testing
}  // namespace mesos
