// The web view in a real browser, end to end: `mesos-local-master` on
// 127.0.0.1 (a port of its choosing, read from its banner), the example
// framework `test_framework` running real command tasks against it, then
// headless Chromium loading http://127.0.0.1:<port>/:
//
//  * the DOM Chromium ends with shows the script ran (`data-refreshes` on the
//    body, which only app.js sets) and rendered every task TASK_FINISHED in
//    the tasks table, each with a link to its stdout; polled with a deadline;
//  * a screenshot of the page (1280x1600) is kept in the build tree as an
//    artifact (its path is printed);
//  * a task's stdout link serves what the task printed;
//  * in a second test (an in-process LocalCluster and the real driver), a
//    framework and a task named with markup come out of the script as text:
//    no element of theirs is in the DOM, their escaped text is.
//
// Chromium is required: without it (`/usr/bin/chromium`, or the program in
// MESOS_TEST_CHROMIUM) the test fails. scripts/install-deps.sh installs it.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mesos/local/cluster.hpp>
#include <mesos/scheduler.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/io_thread.hpp"
#include "support/recording_scheduler.hpp"

namespace mesos {
namespace testing {
namespace {

using Millis = std::chrono::milliseconds;
using local::LocalCluster;
using local::LocalClusterOptions;
constexpr int kTasks = 4;

std::string chromium() {
  const char* configured = std::getenv("MESOS_TEST_CHROMIUM");
  return configured && *configured ? configured : "/usr/bin/chromium";
}

// From `begin` to the end of the next `end` after it; empty if absent.
std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  const size_t from = text.find(begin);
  if (from == std::string::npos) return "";
  const size_t to = text.find(end, from + begin.size());
  return to == std::string::npos ? "" : text.substr(from, to + end.size() - from);
}

size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class WebViewBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "webui-browser-" + std::to_string(::getpid());
    ASSERT_EQ(0, std::system(("rm -rf '" + dir_ + "' && mkdir -p '" + dir_ + "/work'").c_str()));
  }
  void TearDown() override {
    master_.reset();
    if (!HasFailure()) std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  // Runs Chromium headless on the page with `flags`; its stdout, or nothing
  // (and a failure) if it did not exit 0 in time.
  std::optional<std::string> runChromium(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-dev-shm-usage",
                                     "--no-first-run",
                                     "--hide-scrollbars",
                                     "--user-data-dir=" + dir_ + "/chromium-profile"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("http://127.0.0.1:" + std::to_string(port_) + "/");
    std::string error;
    auto browser = Child::start(chromium(), args, dir_ + "/chromium.log", &error);
    if (!browser) {
      ADD_FAILURE() << "cannot start " << chromium() << ": " << error;
      return std::nullopt;
    }
    bool complete = false;
    std::string out;
    for (const std::string& line :
         browser->readAll(Child::Clock::now() + scaled(Millis(60000)), &complete)) {
      out += line + "\n";
    }
    const std::optional<int> status = browser->wait(scaled(Millis(20000)));
    if (!complete || !status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
      ADD_FAILURE() << "chromium did not finish" << browser->exitNote()
                    << "; its log: " << readFile(dir_ + "/chromium.log");
      return std::nullopt;
    }
    return out;
  }

  static std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // The DOM once the script has refreshed the page and `done(tasks table)`
  // holds; fails at the deadline.
  std::string domWhen(const std::function<bool(const std::string&)>& done) {
    const auto deadline = Child::Clock::now() + scaled(Millis(30000));
    for (;;) {
      const std::optional<std::string> dumped =
          runChromium({"--dump-dom", "--virtual-time-budget=4000"});
      if (!dumped) return "";
      const std::string tasks = between(*dumped, "<table id=\"tasks\">", "</table>");
      if (dumped->find("<body data-refreshes=\"") != std::string::npos && done(tasks)) {
        return *dumped;
      }
      if (Child::Clock::now() >= deadline) {
        ADD_FAILURE() << "the page never showed what was expected; last DOM:\n" << *dumped;
        return "";
      }
    }
  }

  std::string dir_;
  std::unique_ptr<Child> master_;
  uint16_t port_ = 0;
};

TEST_F(WebViewBrowserTest, ChromiumShowsTheTasksOfTheExampleFramework) {
  ASSERT_EQ(0, ::access(chromium().c_str(), X_OK))
      << chromium() << " is missing: the browser test needs Chromium (scripts/install-deps.sh)";

  std::string error;
  master_ = Child::start(
      MESOS_LOCAL_MASTER,
      {"--ip=127.0.0.1", "--port=0", "--allocation_interval=100ms", "--work_dir=" + dir_ + "/work"},
      dir_ + "/master.log", &error);
  ASSERT_TRUE(master_) << error;
  const std::optional<std::string> pid = readMasterPid(*master_, &error);
  ASSERT_TRUE(pid.has_value()) << error;
  port_ = static_cast<uint16_t>(std::atoi(pid->substr(pid->rfind(':') + 1).c_str()));

  // The example framework's real command tasks, to their end.
  auto framework = Child::start(MESOS_TEST_FRAMEWORK,
                                {"--master=" + *pid, "--num_tasks=" + std::to_string(kTasks),
                                 "--command=echo hello from task $MESOS_TASK_ID"},
                                dir_ + "/framework.log", &error);
  ASSERT_TRUE(framework) << error;
  bool complete = false;
  std::string frameworkOut;
  for (const std::string& line :
       framework->readAll(Child::Clock::now() + scaled(Millis(60000)), &complete)) {
    frameworkOut += line + "\n";
  }
  const std::optional<int> status = framework->wait(scaled(Millis(10000)));
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << "test_framework" << framework->exitNote() << ":\n"
      << frameworkOut;

  // The DOM once the script has run, until its tasks table shows every task
  // finished (the master may still be taking in the last updates).
  std::string dom, tasks;
  const auto deadline = Child::Clock::now() + scaled(Millis(30000));
  for (;;) {
    const std::optional<std::string> dumped =
        runChromium({"--dump-dom", "--virtual-time-budget=4000"});
    ASSERT_TRUE(dumped.has_value());
    dom = *dumped;
    tasks = between(dom, "<table id=\"tasks\">", "</table>");
    const bool scripted = dom.find("<body data-refreshes=\"") != std::string::npos;
    if (scripted && occurrences(tasks, ">TASK_FINISHED</span>") == kTasks) break;
    ASSERT_LT(Child::Clock::now(), deadline)
        << "the page never showed " << kTasks << " finished tasks; last DOM:\n"
        << dom;
  }
  EXPECT_EQ(static_cast<size_t>(kTasks), occurrences(tasks, ">stdout</a>")) << tasks;
  EXPECT_NE(std::string::npos, dom.find("not Apache Mesos"));

  // The first task's stdout, one click away.
  // (app.js encodes the path's slashes too, the server's page does not.)
  std::string target = between(tasks, "/files/download?path=", "stdout\"");
  ASSERT_NE("", target) << tasks;
  target.pop_back();
  for (size_t at = target.find("&amp;"); at != std::string::npos; at = target.find("&amp;")) {
    target.replace(at, 5, "&");
  }
  auto file = httpGet(port_, target, &error);
  ASSERT_TRUE(file.has_value()) << error;
  EXPECT_EQ(200, file->first) << target;
  EXPECT_EQ(0u, file->second.rfind("hello from task ", 0)) << file->second;

  // The screenshot, kept in the build tree.
  const std::string screenshot = std::string(MESOS_TEST_ARTIFACT_DIR) + "/webui_browser_test.png";
  std::remove(screenshot.c_str());
  ASSERT_TRUE(runChromium({"--screenshot=" + screenshot, "--window-size=1280,1600",
                           "--virtual-time-budget=4000"})
                  .has_value());
  const std::string png = readFile(screenshot);
  ASSERT_GT(png.size(), 10000u) << screenshot;
  EXPECT_EQ(0, png.compare(0, 8, "\x89PNG\r\n\x1a\n"));
  std::cout << "Screenshot of the web view: " << screenshot << std::endl;
}

// What app.js writes is text: markup in a framework's or a task's name (from
// the framework, so untrusted) shows as those characters, and adds no element.
// (The page's Content-Security-Policy would stop such a script from running
// anyway; this checks the DOM itself.)
TEST_F(WebViewBrowserTest, TheScriptRendersNamesWithMarkupAsText) {
  ASSERT_EQ(0, ::access(chromium().c_str(), X_OK))
      << chromium() << " is missing: the browser test needs Chromium (scripts/install-deps.sh)";
  const std::string hostile = "<img src=x onerror=alert(1)><b>bold</b>";
  const std::string escaped = "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;bold&lt;/b&gt;";

  LocalClusterOptions options;
  options.allocationInterval = Millis(50);
  options.workDir = dir_ + "/work";
  std::string error;
  std::unique_ptr<LocalCluster> cluster = LocalCluster::start(options, &error);
  ASSERT_NE(nullptr, cluster) << error;
  const std::string pid = cluster->master();
  port_ = static_cast<uint16_t>(std::atoi(pid.substr(pid.rfind(':') + 1).c_str()));

  RecordingScheduler sched;
  DriverConfig config;
  config.scheduler = &sched;
  config.framework.set_name("framework " + hostile);
  config.framework.set_user("nobody");
  config.master = pid;
  config.bindIp = "127.0.0.1";
  MesosSchedulerDriver driver(config);
  ASSERT_EQ(DRIVER_RUNNING, driver.start());
  const std::optional<CallbackEvent> offers = sched.wait(Callback::kResourceOffers);
  ASSERT_TRUE(offers && !offers->offers.empty());
  const Offer& offer = offers->offers.front();
  TaskInfo task;
  task.set_name(hostile);
  task.mutable_task_id()->set_value("t1");
  *task.mutable_slave_id() = offer.slave_id();
  for (const auto& [name, value] : {std::pair<const char*, double>{"cpus", 0.1}, {"mem", 32}}) {
    Resource* resource = task.add_resources();
    resource->set_name(name);
    resource->set_type(Value::SCALAR);
    resource->mutable_scalar()->set_value(value);
  }
  task.mutable_command()->set_value("echo hi");
  ASSERT_EQ(DRIVER_RUNNING, driver.launchTasks({offer.id()}, {task}));
  ASSERT_TRUE(sched.wait(Callback::kStatusUpdate, [](const CallbackEvent& event) {
    return event.status.state() == TASK_FINISHED;
  }));

  // Rows the script wrote (its links encode the path's slashes).
  const std::string dom = domWhen([](const std::string& tasks) {
    return tasks.find("%2Fstdout") != std::string::npos &&
           tasks.find(">TASK_FINISHED</span>") != std::string::npos;
  });
  ASSERT_NE("", dom);
  EXPECT_EQ(std::string::npos, dom.find("<img")) << dom;
  EXPECT_EQ(std::string::npos, dom.find("<b>bold")) << dom;
  EXPECT_NE(std::string::npos, dom.find("<td>" + escaped + "</td>")) << dom;
  EXPECT_NE(std::string::npos, dom.find("<td>framework " + escaped + "</td>")) << dom;
  driver.stop();
}

}  // namespace
}  // namespace testing
}  // namespace mesos
