// DriverConfig::frameworkIdFile and onFrameworkRemoved against the simulated
// cluster with the real driver: the id from registered() is on disk (written
// atomically) before registered() runs, start() reads it back (the field, or
// MESOS_FRAMEWORK_ID_FILE), a bad file fails start(), an unwritable place is
// one WARNING, and a framework the master removed either aborts the driver
// (kError, as Mesos) or registers anew (kStartFresh).

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "local_cluster_fixture.hpp"
#include "sched/framework_id_store.hpp"
#include "support/latch.hpp"
#include "support/log_capture.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::_;
using ::testing::Invoke;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
void writeFile(const std::string& path, const std::string& content) {
  std::ofstream(path) << content;
}
std::set<std::string> listDir(const std::string& dir) {
  std::set<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.insert(name);
    }
    ::closedir(d);
  }
  return names;
}

class FrameworkIdFileTest : public LocalClusterTest {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/fwid-XXXXXX";
    ASSERT_NE(nullptr, ::mkdtemp(&pattern[0]));
    dir_ = pattern;
    path_ = dir_ + "/framework_id";
    ::unsetenv("MESOS_FRAMEWORK_ID_FILE");
  }
  void TearDown() override {
    ::unsetenv("MESOS_FRAMEWORK_ID_FILE");
    for (const std::string& name : listDir(dir_)) {
      const std::string p = dir_ + "/" + name;
      ::rmdir(p.c_str());
      ::unlink(p.c_str());
    }
    ::rmdir(dir_.c_str());
    LocalClusterTest::TearDown();
  }
  DriverConfig fileConfig(Recorder& recorder, FrameworkInfo info = frameworkInfo()) {
    info.set_failover_timeout(60);
    DriverConfig c = config(recorder, info);
    c.frameworkIdFile = path_;
    c.registrationBackoffFactor = std::chrono::milliseconds(50);
    return c;
  }

  std::string dir_, path_;
};

TEST_F(FrameworkIdFileTest, TheIdIsOnDiskWhenRegisteredRuns) {
  startCluster();
  std::mutex mutex;
  std::string seen;
  Latch registered;
  ON_CALL(sched_.mock, registered(_, _, _))
      .WillByDefault(Invoke([&](SchedulerDriver*, const FrameworkID& id, const MasterInfo&) {
        std::lock_guard<std::mutex> lock(mutex);
        seen = id.value() + " in file: " + readFile(path_);
        registered.notify();
      }));
  driver_ = startDriver(fileConfig(sched_));
  ASSERT_TRUE(registered.wait());
  const std::string id = str(structs(state(), "frameworks")[0], "id");
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(id + " in file: " + id + "\n", seen);
  // Written through a temporary file that is gone.
  EXPECT_EQ(std::set<std::string>{"framework_id"}, listDir(dir_));
}

TEST_F(FrameworkIdFileTest, StartReadsTheFileAndTakesTheFrameworkOver) {
  startCluster();
  driver_ = startDriver(fileConfig(sched_));
  ASSERT_TRUE(sched_.waitRegistered());
  const std::string id = sched_.frameworkId()->value();
  ASSERT_TRUE(waitUntil([&] { return readFile(path_) == id + "\n"; }));
  driver_.reset();  // No stop(): the master keeps the framework for 60 s.

  Recorder b;
  auto driverB = startDriver(fileConfig(b));
  ASSERT_TRUE(b.waitRegistered());
  EXPECT_EQ(id, b.frameworkId()->value()) << "the second scheduler did not fail over";
  EXPECT_TRUE(b.errors().empty());
  EXPECT_EQ(1u, structs(state(), "frameworks").size());
}

TEST_F(FrameworkIdFileTest, AnExplicitIdWinsOverTheFile) {
  startCluster();
  writeFile(path_, "from-the-file\n");
  FrameworkInfo info = frameworkInfo();
  info.mutable_id()->set_value("explicit-id");
  driver_ = startDriver(fileConfig(sched_, info));
  ASSERT_TRUE(sched_.waitRegistered());
  EXPECT_EQ("explicit-id", sched_.frameworkId()->value());
  EXPECT_TRUE(waitUntil([&] { return readFile(path_) == "explicit-id\n"; }));
}

TEST_F(FrameworkIdFileTest, TheEnvironmentNamesTheFileWhenTheFieldIsUnset) {
  startCluster();
  writeFile(path_, "  env-id \n");  // Surrounding whitespace is not the id's.
  ::setenv("MESOS_FRAMEWORK_ID_FILE", path_.c_str(), 1);
  DriverConfig c = fileConfig(sched_);
  c.frameworkIdFile.reset();
  driver_ = startDriver(c);
  ASSERT_TRUE(sched_.waitRegistered());
  EXPECT_EQ("env-id", sched_.frameworkId()->value());
  // A later registration with another id rewrites it (here: none; the same
  // id is not rewritten, the file keeps its bytes).
  EXPECT_EQ("  env-id \n", readFile(path_));
}

TEST_F(FrameworkIdFileTest, AnUnusableFileFailsStartNamingIt) {
  startCluster();
  struct Case {
    std::string content;
    std::string reason;
  };
  for (const Case& c : {Case{"two words\n", "does not hold a valid framework id"},
                        Case{"a/b", "does not hold a valid framework id"},
                        Case{std::string(300, 'x'), "longer than 255"},
                        Case{"", ""} /* a directory: unreadable */}) {
    if (c.reason.empty()) {
      ::unlink(path_.c_str());
      ASSERT_EQ(0, ::mkdir(path_.c_str(), 0700));
    } else {
      writeFile(path_, c.content);
    }
    Recorder r;
    MesosSchedulerDriver driver(fileConfig(r));
    EXPECT_EQ(DRIVER_ABORTED, driver.start()) << c.content;
    ASSERT_EQ(1u, r.errors().size()) << c.content;
    EXPECT_NE(std::string::npos, r.errors()[0].find(path_)) << r.errors()[0];
    EXPECT_NE(std::string::npos,
              r.errors()[0].find(c.reason.empty() ? "cannot read" : c.reason))
        << r.errors()[0];
    if (c.reason.empty()) ::rmdir(path_.c_str());
  }
  EXPECT_TRUE(structs(state(), "frameworks").empty());
}

TEST_F(FrameworkIdFileTest, AnUnwritablePlaceIsOneWarningNotAFailure) {
  startCluster();
  LogCapture log;
  DriverConfig c = fileConfig(sched_);
  c.frameworkIdFile = dir_ + "/missing-dir/framework_id";
  driver_ = startDriver(c);
  ASSERT_TRUE(sched_.waitRegistered());
  ASSERT_TRUE(log.warned({"Cannot write framework id file", "missing-dir"})) << log.dump();
  EXPECT_EQ(DRIVER_RUNNING, driver_->status());
  EXPECT_TRUE(sched_.errors().empty());

  // The store warns once, however often it fails.
  internal::sched::FrameworkIdStore store(dir_ + "/missing-dir/other", std::nullopt);
  store.save("a");
  store.save("b");
  store.forget();
  EXPECT_EQ(1u, log.matching({"missing-dir/other"}).size()) << log.dump();
}

// The framework is removed (stop() tears it down); a new scheduler comes with
// the stored id.
class FrameworkRemovedTest : public FrameworkIdFileTest {
 protected:
  std::string registerAndTearDown() {
    driver_ = startDriver(fileConfig(sched_));
    EXPECT_TRUE(sched_.waitRegistered());
    const std::string id = sched_.frameworkId()->value();
    EXPECT_TRUE(waitUntil([&] { return readFile(path_) == id + "\n"; }));
    EXPECT_EQ(DRIVER_STOPPED, driver_->stop());
    EXPECT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
      return findFramework(s, id, "completed_frameworks").has_value();
    }));
    driver_.reset();
    return id;
  }
};

TEST_F(FrameworkRemovedTest, ByDefaultTheDriverAbortsWithTheMastersError) {
  startCluster();
  const std::string id = registerAndTearDown();
  Recorder b;
  auto driverB = startDriver(fileConfig(b));  // onFrameworkRemoved = kError.
  ASSERT_TRUE(b.waitFor([&] { return !b.errors().empty(); }));
  EXPECT_EQ(std::vector<std::string>{"Framework has been removed"}, b.errors());
  EXPECT_EQ(DRIVER_ABORTED, driverB->status());
  EXPECT_EQ(0, b.registrations());
  EXPECT_EQ(id + "\n", readFile(path_)) << "kError leaves the file alone";
}

TEST_F(FrameworkRemovedTest, StartFreshRegistersANewFrameworkWithoutError) {
  startCluster();
  const std::string id = registerAndTearDown();
  Recorder b;
  DriverConfig c = fileConfig(b);
  c.onFrameworkRemoved = DriverConfig::FrameworkRemovedPolicy::kStartFresh;
  auto driverB = startDriver(c);
  ASSERT_TRUE(b.waitRegistered());
  const std::string fresh = b.frameworkId()->value();
  EXPECT_NE(id, fresh);
  EXPECT_TRUE(b.errors().empty());
  EXPECT_EQ(DRIVER_RUNNING, driverB->status());
  EXPECT_EQ(fresh + "\n", readFile(path_));
  EXPECT_TRUE(findFramework(state(), fresh).has_value());
  EXPECT_EQ(1, b.registrations());
}

TEST_F(FrameworkRemovedTest, StartFreshOnTheHttpApi) {
  // The v1 API: ERROR on the subscription stream, which the master closes.
  startCluster();
  const std::string id = registerAndTearDown();
  Recorder b;
  DriverConfig c = fileConfig(b);
  c.api = DriverConfig::Api::kHttp;
  c.onFrameworkRemoved = DriverConfig::FrameworkRemovedPolicy::kStartFresh;
  auto driverB = startDriver(c);
  ASSERT_TRUE(b.waitRegistered());
  const std::string fresh = b.frameworkId()->value();
  EXPECT_NE(id, fresh);
  EXPECT_TRUE(b.errors().empty());
  EXPECT_TRUE(waitUntil([&] { return readFile(path_) == fresh + "\n"; }));
  // One new framework, not one per subscription attempt.
  EXPECT_TRUE(waitForState(*cluster_, [&](const Struct& s) {
    return structs(s, "frameworks").size() == 1;
  }));
  EXPECT_EQ(1, b.registrations());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
