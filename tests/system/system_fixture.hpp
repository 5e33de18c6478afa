#pragma once

// The fixture of the system tests (tests/system/*_test.cpp): each test starts
// its own `mesos-local-master` process and drives the real driver against it.

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


using Dialect = DriverConfig::Dialect;
using google::protobuf::Struct;

// ---- /state ---------------------------------------------------------------------

inline std::string str(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it != s.fields().end() && it->second.has_string_value() ? it->second.string_value() : "";
}

inline std::vector<Struct> structs(const Struct& s, const std::string& key) {
  std::vector<Struct> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end() || !it->second.has_list_value()) return out;
  for (const auto& item : it->second.list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

inline std::optional<Struct> findFramework(const Struct& state, const std::string& id,
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

    // INFO, so that the log shown when a test fails says what the master did.
    std::vector<std::string> args = {"--ip=127.0.0.1", "--port=" + std::to_string(port),
                                     "--allocation_interval=100ms", "--logging_level=INFO"};
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

}  // namespace testing
}  // namespace mesos
