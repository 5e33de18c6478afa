// System tests: the real driver (MesosSchedulerDriver, the library frameworks
// link) against the simulated master `mesos-local-master` (src/master/main.cpp)
// running as a separate process, whose agents run command tasks as real child
// processes. Each TEST starts its own master (`--allocation_interval=100ms`) and
// shows one behaviour end to end:
//
//   * FullLifecycle...: register, offers, 5 `echo hi` tasks each go
//     STARTING -> RUNNING -> FINISHED and are acknowledged, stop() tears the
//     framework down (`/state` lists it under completed_frameworks);
//   * FrameworkFailover...: a second driver with the same FrameworkInfo.id takes
//     the framework over; the first gets error("Framework failed over");
//   * MasterKilledAndRestarted...: SIGKILL of the master, a new master on the same
//     port; the driver calls disconnected(), registers again with the same id and
//     keeps working (the kill-to-registration time is printed);
//   * HeldOfferIsRescinded...: `--offer_timeout` rescinds an offer that is held;
//   * SlowScheduler...: one framework's statusUpdate() blocks for 2 s while another
//     framework runs tasks to completion; the slow one loses no update;
//   * TwoFrameworks...: two frameworks share a 2-agent cluster;
//   * LegacyDialect...: the same lifecycle with legacy `mesos.internal.*` messages.
//
// Agent loss needs fault injection inside the master process
// (SimulatedMaster::removeAgent), so it is covered in-process by
// tests/master/cluster_tasks_test.cpp, not here.
//
// Synchronisation is always an event with a deadline (Recorder::wait*, polling
// `/state`); the only sleep is the slow scheduler's, which is the behaviour under
// test. `Child` kills and reaps every master process however a test ends.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mesos/mesos.hpp>
#include <mesos/scheduler.hpp>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/io_thread.hpp"
#include "support/latch.hpp"
#include "system/recorder.hpp"

namespace mesos {
namespace testing {
namespace {

using Dialect = DriverConfig::Dialect;
using google::protobuf::Struct;

// ---- /state ---------------------------------------------------------------------

std::string str(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it != s.fields().end() && it->second.has_string_value() ? it->second.string_value() : "";
}

std::vector<Struct> structs(const Struct& s, const std::string& key) {
  std::vector<Struct> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end() || !it->second.has_list_value()) return out;
  for (const auto& item : it->second.list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

std::optional<Struct> findFramework(const Struct& state, const std::string& id,
                                    const std::string& list = "frameworks") {
  for (const Struct& f : structs(state, list)) {
    if (str(f, "id") == id) return f;
  }
  return std::nullopt;
}

// ---- Fixture --------------------------------------------------------------------

class SystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(0, ::access(MESOS_LOCAL_MASTER, X_OK))
        << "the simulated master " << MESOS_LOCAL_MASTER << " is missing or not executable";
  }

  void TearDown() override {
    // Drivers (test-body locals) are gone by now. A live master must still be
    // healthy and shut down cleanly on SIGTERM; Child's destructor kills and
    // reaps it in any case.
    if (master_ && master_->signal(SIGTERM)) {
      const std::optional<int> status = master_->wait(scaled(Millis(5000)));
      EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
          << "mesos-local-master did not exit cleanly on SIGTERM"
          << (status ? ": " + Child::describe(*status) : std::string(": still running"));
    }
    master_.reset();
    // A master killed with SIGKILL could not remove its agents' sandboxes.
    for (const std::string& id : killedMasterIds_) {
      std::error_code ignored;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path(ignored) / ("mesos-local-" + id), ignored);
    }
    for (const std::string& log : masterLogs_) {
      if (HasFailure()) {
        std::string text = readFile(log);
        if (text.size() > 20000) text = "...\n" + text.substr(text.size() - 20000);
        std::cerr << "---- mesos-local-master log " << log << " ----\n"
                  << text << "---- end ----\n";
      }
      ::unlink(log.c_str());
    }
  }

  // Starts mesos-local-master on 127.0.0.1:`port` (0: any free port) with
  // `--allocation_interval=100ms` and `flags`, and reads its banner
  // `Simulated master <id> at master@127.0.0.1:<port>`. False (with `*why`) if
  // it does not come up.
  bool tryStartMaster(const std::vector<std::string>& flags, uint16_t port, std::string* why) {
    std::string logPath = ::testing::TempDir() + "mesos_local_master.XXXXXX";
    const int fd = ::mkstemp(logPath.data());
    if (fd < 0) {
      *why = std::string("mkstemp: ") + std::strerror(errno);
      return false;
    }
    ::close(fd);
    masterLogs_.push_back(logPath);

    std::vector<std::string> args = {"--ip=127.0.0.1", "--port=" + std::to_string(port),
                                     "--allocation_interval=100ms"};
    args.insert(args.end(), flags.begin(), flags.end());
    master_ = Child::start(MESOS_LOCAL_MASTER, args, logPath, why);
    if (!master_) return false;
    const std::optional<std::string> line = master_->readLine(scaled(Millis(20000)));
    if (!line) {
      *why = "no startup line from mesos-local-master" + master_->exitNote() + "; log:\n" +
             readFile(logPath);
      master_.reset();
      return false;
    }
    static const std::regex banner(R"(^Simulated master (\S+) at (master@127\.0\.0\.1:(\d+))$)");
    std::smatch match;
    if (!std::regex_match(*line, match, banner)) {
      *why = "unexpected startup line from mesos-local-master: '" + *line + "'";
      master_.reset();
      return false;
    }
    masterId_ = match[1];
    masterUpid_ = match[2];
    port_ = static_cast<uint16_t>(std::stoi(match[3]));
    if (port != 0 && port_ != port) {
      *why = "the master listens on " + std::to_string(port_) + ", not " + std::to_string(port);
      return false;
    }
    return true;
  }

  void startMaster(const std::vector<std::string>& flags, uint16_t port = 0) {
    std::string why;
    ASSERT_TRUE(tryStartMaster(flags, port, &why)) << why;
  }

  // A port outside the kernel's ephemeral range, so that while the master is
  // down no outgoing connection can take it (or connect to itself on it); 0 if
  // that range leaves no room.
  static uint16_t nonEphemeralPort() {
    int low = 32768;
    int high = 60999;
    std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
    std::mt19937 random(std::random_device{}());
    if (low > 11000)
      return static_cast<uint16_t>(std::uniform_int_distribution<int>(10000, low - 1)(random));
    if (high < 64000)
      return static_cast<uint16_t>(std::uniform_int_distribution<int>(high + 1, 65000)(random));
    return 0;
  }

  DriverConfig config(Recorder& recorder, const FrameworkInfo& info,
                      Dialect dialect = Dialect::kCall) const {
    DriverConfig c;
    c.scheduler = &recorder;
    c.framework = info;
    c.master = "127.0.0.1:" + std::to_string(port_);
    c.bindIp = "127.0.0.1";
    c.dialect = dialect;
    return c;
  }

  static std::unique_ptr<MesosSchedulerDriver> startDriver(DriverConfig c) {
    auto driver = std::make_unique<MesosSchedulerDriver>(std::move(c));
    EXPECT_EQ(DRIVER_RUNNING, driver->start());
    return driver;
  }

  // GET /state, parsed.
  std::optional<Struct> state(std::string* json = nullptr) {
    std::string error;
    const auto response = httpGet(port_, "/state", &error);
    if (!response || response->first != 200) {
      if (json != nullptr) *json = response ? response->second : "GET /state: " + error;
      return std::nullopt;
    }
    if (json != nullptr) *json = response->second;
    Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(response->second, &parsed).ok()) {
      return std::nullopt;
    }
    return parsed;
  }

  // Polls `/state` until `predicate` holds; on timeout `*last` is the last JSON.
  bool waitForState(const std::function<bool(const Struct&)>& predicate, std::string* last,
                    Millis timeout = kDeadline) {
    return waitUntil(
        [&] {
          const std::optional<Struct> s = state(last);
          return s && predicate(*s);
        },
        timeout);
  }

  // The framework is registered and the master tracks no task of it: every
  // terminal update was acknowledged (the master forgets a task only then).
  bool waitAllTasksAcknowledged(const std::string& frameworkId, std::string* last) {
    return waitForState(
        [&](const Struct& s) {
          const std::optional<Struct> framework = findFramework(s, frameworkId);
          return framework && structs(*framework, "tasks").empty();
        },
        last);
  }

  // Five `echo hi` tasks run to completion in `dialect`, then stop() tears the
  // framework down.
  void runLifecycle(Dialect dialect) {
    ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));
    constexpr int kTasks = 5;
    Recorder recorder("lifecycle");
    recorder.queueTasks("echo", kTasks, "echo hi");
    auto driver = startDriver(config(recorder, frameworkInfo("system-lifecycle"), dialect));

    ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";
    const std::string id = recorder.frameworkId();
    EXPECT_EQ(masterId_ + "-0000", id);
    EXPECT_EQ(masterUpid_, recorder.masterInfo().pid());
    EXPECT_EQ(masterId_, recorder.masterInfo().id());
    ASSERT_TRUE(recorder.waitOffers(1)) << "no offer";

    for (int i = 0; i < kTasks; ++i) {
      const std::string task = "echo-" + std::to_string(i);
      ASSERT_TRUE(recorder.waitState(task, TASK_FINISHED)) << task << " did not finish; updates:\n"
                                                           << recorder.describeStatuses();
      expectRanToCompletion(recorder, task);
    }
    std::string json;
    EXPECT_TRUE(waitAllTasksAcknowledged(id, &json))
        << "the master still tracks tasks (an update was not acknowledged); /state:\n"
        << json;

    EXPECT_EQ(DRIVER_STOPPED, driver->stop());
    // connected() turns false once the I/O thread has processed the stop.
    EXPECT_TRUE(waitUntil([&] { return !driver->connected(); }));
    EXPECT_TRUE(waitForState(
        [&](const Struct& s) {
          return findFramework(s, id, "completed_frameworks").has_value() &&
                 !findFramework(s, id).has_value();
        },
        &json))
        << "the framework was not torn down; /state:\n"
        << json;
    EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
    EXPECT_EQ(1u, recorder.registeredAt().size());
    EXPECT_EQ(0, recorder.reregistrations());
  }

  std::unique_ptr<Child> master_;
  std::string masterId_;
  std::string masterUpid_;
  uint16_t port_ = 0;
  std::vector<std::string> masterLogs_;
  std::vector<std::string> killedMasterIds_;
};

// ---- 1. Full lifecycle ----------------------------------------------------------

TEST_F(SystemTest, FullLifecycleRunsEchoTasksAndTearsDown) { runLifecycle(Dialect::kCall); }

// ---- 2. Framework failover to a second driver -----------------------------------

TEST_F(SystemTest, FrameworkFailoverToSecondDriverKeepsRunningTask) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));

  Recorder first("first");
  first.queueTasks("long", 1, "sleep 30");
  auto driverA = startDriver(config(first, frameworkInfo("system-failover", 30)));
  ASSERT_TRUE(first.waitRegistrations(1)) << "A: no registered()";
  const std::string id = first.frameworkId();
  ASSERT_TRUE(first.waitState("long-0", TASK_RUNNING)) << "A: the task is not running; updates:\n"
                                                       << first.describeStatuses();

  // B takes over with the same id: SUBSCRIBE with force (its failover flag).
  Recorder second("second");
  FrameworkInfo info = frameworkInfo("system-failover", 30);
  info.mutable_id()->set_value(id);
  auto driverB = startDriver(config(second, info));
  ASSERT_TRUE(second.waitRegistrations(1)) << "B: no registered()";
  EXPECT_EQ(id, second.frameworkId());
  EXPECT_EQ(0, second.reregistrations());

  ASSERT_TRUE(first.waitErrors(1)) << "A: no error()";
  EXPECT_EQ("Framework failed over", first.errors().front());
  EXPECT_EQ(DRIVER_ABORTED, driverA->status());
  EXPECT_EQ(1u, first.registeredAt().size());

  // B learns the state of the task A launched.
  ASSERT_EQ(DRIVER_RUNNING, driverB->reconcileTasks({}));
  const auto reconciled = second.waitStatus("long-0", [](const TaskStatus& s) {
    return s.reason() == TaskStatus::REASON_RECONCILIATION;
  });
  ASSERT_TRUE(reconciled) << "B: no reconciliation answer; updates:\n" << second.describeStatuses();
  EXPECT_EQ(TASK_RUNNING, reconciled->status.state());
  EXPECT_EQ(TaskStatus::SOURCE_MASTER, reconciled->status.source());
  EXPECT_TRUE(second.errors().empty()) << second.errors().front();

  std::string json;
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) {
        const std::optional<Struct> framework = findFramework(s, id);
        if (!framework) return false;
        const std::vector<Struct> tasks = structs(*framework, "tasks");
        return tasks.size() == 1 && str(tasks[0], "state") == "TASK_RUNNING";
      },
      &json))
      << "/state:\n"
      << json;

  // B tears the framework down; the master kills `sleep 30`.
  EXPECT_EQ(DRIVER_STOPPED, driverB->stop());
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) { return findFramework(s, id, "completed_frameworks").has_value(); },
      &json))
      << "/state:\n"
      << json;
}

// ---- 3. Master killed and restarted on the same port ----------------------------

TEST_F(SystemTest, MasterKilledAndRestartedDriverRegistersAgainAndKeepsWorking) {
  const std::vector<std::string> flags = {"--agents=1"};
  const uint16_t wanted = nonEphemeralPort();
  std::string why;
  bool started = false;
  for (int attempt = 0; attempt < 5 && !started; ++attempt) {
    started = tryStartMaster(flags, attempt == 0 ? wanted : nonEphemeralPort(), &why);
  }
  ASSERT_TRUE(started) << why;
  const uint16_t port = port_;
  const std::string firstMasterId = masterId_;

  constexpr Millis kBackoff{100};
  Recorder recorder("master-failover");
  recorder.queueTasks("before", 1, "echo hi");
  DriverConfig c = config(recorder, frameworkInfo("system-master-failover"));
  c.registrationBackoffFactor = kBackoff;  // Also paces reconnection attempts.
  auto driver = startDriver(std::move(c));
  ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";
  const std::string id = recorder.frameworkId();
  ASSERT_TRUE(recorder.waitState("before-0", TASK_FINISHED)) << "updates:\n"
                                                             << recorder.describeStatuses();
  std::string json;
  ASSERT_TRUE(waitAllTasksAcknowledged(id, &json)) << "/state:\n" << json;

  const Clock::time_point killedAt = Clock::now();
  ASSERT_TRUE(master_->signal(SIGKILL));
  const std::optional<int> status = master_->wait(scaled(Millis(5000)));
  ASSERT_TRUE(status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
      << "the master did not die of SIGKILL";
  killedMasterIds_.push_back(firstMasterId);
  master_.reset();

  ASSERT_TRUE(recorder.waitDisconnections(1)) << "no disconnected() after the master died";
  const Clock::time_point disconnectedAt = recorder.disconnectedAt().front();
  EXPECT_FALSE(driver->connected());
  EXPECT_EQ(DRIVER_RUNNING, driver->status());

  // Offers can only come from the new master, after it registered the framework.
  recorder.queueTasks("after", 1, "echo hi");
  ASSERT_TRUE(tryStartMaster(flags, port, &why)) << "restarting on port " << port << ": " << why;
  const Clock::time_point restartedAt = Clock::now();
  EXPECT_NE(firstMasterId, masterId_);

  ASSERT_TRUE(recorder.waitRegistrations(2)) << "no registered() with the new master";
  const Clock::time_point registeredAt = recorder.registeredAt()[1];
  // The new master does not know the framework: it "recovers" the id and
  // answers with FrameworkRegisteredMessage, so registered() fires again.
  EXPECT_EQ(id, recorder.frameworkId());
  EXPECT_EQ(masterId_, recorder.masterInfo().id());
  EXPECT_EQ(0, recorder.reregistrations());
  EXPECT_TRUE(driver->connected());

  std::cout << "[ TIMING   ] master SIGKILL -> disconnected(): "
            << millisBetween(killedAt, disconnectedAt)
            << " ms; -> new master up: " << millisBetween(killedAt, restartedAt)
            << " ms; -> registered(): " << millisBetween(killedAt, registeredAt)
            << " ms (new master up -> registered(): " << millisBetween(restartedAt, registeredAt)
            << " ms; registration backoff factor " << kBackoff.count() << " ms)" << std::endl;
  RecordProperty("kill_to_reregistration_ms",
                 std::to_string(millisBetween(killedAt, registeredAt)));

  // It keeps working: offers from the new master, a task that finishes.
  ASSERT_TRUE(recorder.waitState("after-0", TASK_FINISHED)) << "updates:\n"
                                                            << recorder.describeStatuses();
  expectRanToCompletion(recorder, "after-0");
  EXPECT_TRUE(waitAllTasksAcknowledged(id, &json)) << "/state:\n" << json;
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
  EXPECT_EQ(1u, recorder.disconnectedAt().size());
}

// ---- 5. Offer rescind -----------------------------------------------------------

TEST_F(SystemTest, HeldOfferIsRescindedAfterOfferTimeout) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1", "--offer_timeout=300ms"}));
  Recorder recorder("rescind");
  recorder.holdOffers();
  auto driver = startDriver(config(recorder, frameworkInfo("system-rescind")));
  ASSERT_TRUE(recorder.waitRegistrations(1)) << "no registered()";
  ASSERT_TRUE(recorder.waitOffers(1)) << "no offer";
  const auto offered = recorder.offers().front();
  const std::string offerId = offered.second.id().value();

  const std::optional<Clock::time_point> rescindedAt = recorder.waitRescinded(offerId);
  ASSERT_TRUE(rescindedAt) << "offer " << offerId << " was never rescinded";
  // The master's timer started when it sent the offer, a little before it arrived.
  EXPECT_GE(millisBetween(offered.first, *rescindedAt), 200);

  // The resources came back: the master no longer lists the offer and offers
  // them again.
  std::string json;
  EXPECT_TRUE(waitForState(
      [&](const Struct& s) {
        for (const Struct& framework : structs(s, "frameworks")) {
          for (const Struct& offer : structs(framework, "offers")) {
            if (str(offer, "id") == offerId) return false;
          }
        }
        return true;
      },
      &json))
      << "/state:\n"
      << json;
  EXPECT_TRUE(recorder.waitOffers(2)) << "the rescinded resources were not offered again";
  EXPECT_TRUE(recorder.errors().empty()) << recorder.errors().front();
}

// ---- 6. Slow scheduler ----------------------------------------------------------

TEST_F(SystemTest, SlowSchedulerLosesNoUpdatesWhileAnotherFrameworkProceeds) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=1"}));
  constexpr int kTasks = 3;
  constexpr Millis kSlowCallback{2000};

  Recorder slow("slow");
  slow.queueTasks("slow", kTasks, "echo hi");
  Latch sleeping;
  std::atomic<bool> slept{false};
  std::atomic<bool> awake{false};
  slow.onStatus = [&](SchedulerDriver*, const TaskStatus&) {
    if (slept.exchange(true)) return;
    sleeping.notify();
    std::this_thread::sleep_for(kSlowCallback);  // The behaviour under test.
    awake = true;
  };
  auto driverA = startDriver(config(slow, frameworkInfo("system-slow")));
  ASSERT_TRUE(slow.waitRegistrations(1)) << "A: no registered()";
  ASSERT_TRUE(sleeping.wait()) << "A: no status update; updates:\n" << slow.describeStatuses();

  // While A's callback sleeps, B registers, launches and finishes its tasks.
  Recorder fast("fast");
  fast.queueTasks("fast", kTasks, "echo hi");
  const Clock::time_point fastStart = Clock::now();
  auto driverB = startDriver(config(fast, frameworkInfo("system-fast")));
  ASSERT_TRUE(fast.waitRegistrations(1)) << "B: no registered()";
  for (int i = 0; i < kTasks; ++i) {
    const std::string task = "fast-" + std::to_string(i);
    ASSERT_TRUE(fast.waitState(task, TASK_FINISHED))
        << "B: " << task << " did not finish; updates:\n"
        << fast.describeStatuses();
  }
  const Clock::time_point fastDone = Clock::now();
  EXPECT_FALSE(awake.load()) << "B needed " << millisBetween(fastStart, fastDone)
                             << " ms: it did not finish while A's callback was blocked";
  for (int i = 0; i < kTasks; ++i) expectRanToCompletion(fast, "fast-" + std::to_string(i));

  // A, once awake, gets every update of every task and acknowledges each.
  for (int i = 0; i < kTasks; ++i) {
    const std::string task = "slow-" + std::to_string(i);
    ASSERT_TRUE(slow.waitState(task, TASK_FINISHED))
        << "A: " << task << " did not finish; updates:\n"
        << slow.describeStatuses();
    expectRanToCompletion(slow, task);
  }
  EXPECT_TRUE(awake.load());
  std::string json;
  EXPECT_TRUE(waitAllTasksAcknowledged(slow.frameworkId(), &json))
      << "A: the master still tracks tasks (an update was not acknowledged); /state:\n"
      << json;
  EXPECT_TRUE(waitAllTasksAcknowledged(fast.frameworkId(), &json)) << "B: /state:\n" << json;
  EXPECT_TRUE(slow.errors().empty()) << slow.errors().front();
  EXPECT_TRUE(fast.errors().empty()) << fast.errors().front();
}

// ---- 7. Two frameworks sharing the cluster --------------------------------------

TEST_F(SystemTest, TwoFrameworksShareTwoAgentsAndRunTasksToCompletion) {
  ASSERT_NO_FATAL_FAILURE(startMaster({"--agents=2"}));
  constexpr int kTasks = 3;
  Recorder x("x");
  Recorder y("y");
  x.queueTasks("x", kTasks, "echo hi");
  y.queueTasks("y", kTasks, "echo hi");
  auto driverX = startDriver(config(x, frameworkInfo("system-share-x")));
  auto driverY = startDriver(config(y, frameworkInfo("system-share-y")));
  ASSERT_TRUE(x.waitRegistrations(1)) << "X: no registered()";
  ASSERT_TRUE(y.waitRegistrations(1)) << "Y: no registered()";
  EXPECT_NE(x.frameworkId(), y.frameworkId());

  for (auto* recorder : {&x, &y}) {
    const std::string prefix = recorder == &x ? "x" : "y";
    EXPECT_TRUE(recorder->waitOffers(1)) << prefix << ": no offer";
    for (int i = 0; i < kTasks; ++i) {
      const std::string task = prefix + "-" + std::to_string(i);
      ASSERT_TRUE(recorder->waitState(task, TASK_FINISHED)) << task << " did not finish; updates:\n"
                                                            << recorder->describeStatuses();
      expectRanToCompletion(*recorder, task);
    }
    std::string json;
    EXPECT_TRUE(waitAllTasksAcknowledged(recorder->frameworkId(), &json)) << "/state:\n" << json;
    EXPECT_TRUE(recorder->errors().empty()) << recorder->errors().front();
  }

  std::string json;
  const std::optional<Struct> s = state(&json);
  ASSERT_TRUE(s) << json;
  EXPECT_EQ(2u, structs(*s, "slaves").size());
  EXPECT_TRUE(findFramework(*s, x.frameworkId()).has_value());
  EXPECT_TRUE(findFramework(*s, y.frameworkId()).has_value());
}

// ---- 8. Legacy dialect ----------------------------------------------------------

TEST_F(SystemTest, LegacyDialectFrameworkRunsTasksToCompletion) { runLifecycle(Dialect::kLegacy); }

}  // namespace
}  // namespace testing
}  // namespace mesos
