// mesos-local-master's flags (src/master/daemon_flags.cpp), by running the
// binary: --help and --version, bad values, the MESOS_* environment and its
// precedence, --flagfile, `file://` values, the boolean spellings, the
// advertised address and hostname, and the logging defaults. Every wait is
// for the banner line or the exit, with a deadline.

#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mesos/version.hpp>

#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_get.hpp"

namespace mesos {
namespace testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using Millis = std::chrono::milliseconds;

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}


class LocalMasterFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(0, ::access(MESOS_LOCAL_MASTER, X_OK)) << MESOS_LOCAL_MASTER << " is missing";
    std::string pattern = (fs::temp_directory_path() / "local_master_flags.XXXXXX").string();
    ASSERT_NE(nullptr, ::mkdtemp(pattern.data()));
    dir_ = pattern;
  }

  void TearDown() override {
    if (master_) master_->stop();
    if (HasFailure()) std::cerr << "mesos-local-master stderr:\n" << stderrText() << std::endl;
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Starts the binary (stderr to a file) with `args`, on top of our
  // environment, `environment`.
  void start(const std::vector<std::string>& args,
             const std::vector<std::string>& environment = {}) {
    std::string error;
    master_ = Child::start(MESOS_LOCAL_MASTER, args, stderrPath(), &error, false, environment);
    ASSERT_TRUE(master_) << error;
  }

  // Runs the binary until it exits; its exit status and stdout.
  std::pair<int, std::string> run(const std::vector<std::string>& args,
                                  const std::vector<std::string>& environment = {}) {
    start(args, environment);
    if (!master_) return {-1, ""};
    bool complete = false;
    const auto lines = master_->readAll(Child::Clock::now() + scaled(Millis(20000)), &complete);
    std::string out;
    for (const std::string& line : lines) out += line + "\n";
    const std::optional<int> status = master_->wait(scaled(Millis(20000)));
    EXPECT_TRUE(complete && status) << "mesos-local-master did not exit";
    if (!status || !WIFEXITED(*status)) return {-1, out};
    return {WEXITSTATUS(*status), out};
  }

  // Starts the master and reads its banner; the advertised `ip:port`.
  std::string startServing(const std::vector<std::string>& args,
                           const std::vector<std::string>& environment = {}) {
    start(args, environment);
    if (!master_) return "";
    const std::optional<std::string> line = master_->readLine(scaled(Millis(20000)));
    EXPECT_TRUE(line) << "no banner" << master_->exitNote();
    if (!line) return "";
    static const std::regex banner(R"(^Simulated master \S+ at master@(\S+)$)");
    std::smatch match;
    EXPECT_TRUE(std::regex_match(*line, match, banner)) << "banner: " << *line;
    return match.empty() ? "" : match[1].str();
  }

  std::string state(uint16_t port) {
    std::string error;
    const auto response = httpGet(port, "/state", &error);
    EXPECT_TRUE(response && response->first == 200) << error;
    return response ? response->second : "";
  }

  std::string stderrPath() const { return (dir_ / "stderr").string(); }
  std::string stderrText() const { return readFile(stderrPath()); }

  fs::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
    return dir_ / name;
  }

  fs::path dir_;
  std::unique_ptr<Child> master_;
};

TEST_F(LocalMasterFlagsTest, HelpListsEveryFlagAndExitsZero) {
  const auto [status, out] = run({"--help"});
  EXPECT_EQ(0, status);
  for (const char* flag :
       {"ip", "port", "hostname", "advertise_ip", "advertise_port", "agents", "agent_cpus",
        "agent_mem", "resources", "attributes", "allocation_interval", "offer_timeout",
        "task_run_time", "work_dir", "zk", "zk_session_timeout", "authenticate_frameworks",
        "credentials", "authenticators", "authentication_v0_timeout",
        "authenticate_http_frameworks", "http_framework_authenticators", "heartbeat_interval",
        "failover_resend_acknowledged", "logging_level", "log_dir", "quiet", "v", "flagfile"}) {
    EXPECT_TRUE(std::regex_search(out, std::regex(std::string(R"(\n  --(\[no-\])?)") + flag +
                                                  R"([=\s])")))
        << "--help does not list --" << flag;
  }
  EXPECT_THAT(out, HasSubstr("--num_agents"));
  EXPECT_THAT(out, HasSubstr("MESOS_PORT"));
}

TEST_F(LocalMasterFlagsTest, VersionPrintsTheMesosVersion) {
  const auto [status, out] = run({"--version"});
  EXPECT_EQ(0, status);
  EXPECT_EQ(std::string("mesos-local-master ") + MESOS_VERSION + "\n", out);
}

struct BadFlag {
  std::vector<std::string> args;
  std::vector<std::string> environment;
  std::string named;  // What the message must name.
};

class LocalMasterBadFlagTest : public LocalMasterFlagsTest,
                               public ::testing::WithParamInterface<BadFlag> {};

TEST_P(LocalMasterBadFlagTest, ExitsNonZeroWithOneLineNamingTheFlag) {
  const auto [status, out] = run(GetParam().args, GetParam().environment);
  EXPECT_EQ(1, status);
  EXPECT_EQ("", out) << "no banner";
  const std::string text = stderrText();
  EXPECT_THAT(text, HasSubstr(GetParam().named));
  EXPECT_EQ(1, std::count(text.begin(), text.end(), '\n')) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Values, LocalMasterBadFlagTest,
    ::testing::Values(BadFlag{{"--port=abc"}, {}, "'port'"},
                      BadFlag{{"--port=70000"}, {}, "--port"},
                      BadFlag{{"--agents=0"}, {}, "--agents"},
                      BadFlag{{"--num_agents=-2"}, {}, "--agents"},
                      BadFlag{{"--offer_timeout=xyz"}, {}, "--offer_timeout"},
                      BadFlag{{"--allocation_interval=0secs"}, {}, "--allocation_interval"},
                      BadFlag{{"--advertise_ip=nowhere"}, {}, "--advertise_ip"},
                      BadFlag{{"--logging_level=LOUD"}, {}, "--logging_level"},
                      BadFlag{{"--resources=cpus:x"}, {}, "--resources"},
                      BadFlag{{"--no_such_flag=1"}, {}, "no_such_flag"},
                      BadFlag{{"--hostname=file:///nonexistent/file"}, {}, "--hostname"},
                      BadFlag{{"positional"}, {}, "'positional'"},
                      BadFlag{{}, {"MESOS_AGENTS=abc"}, "MESOS_AGENTS"},
                      BadFlag{{}, {"MESOS_HEARTBEAT_INTERVAL=soon"}, "--heartbeat_interval"}));

TEST_F(LocalMasterFlagsTest, EnvironmentSetsAFlag) {
  const uint16_t port = freePort();
  ASSERT_NE(0, port);
  EXPECT_EQ("127.0.0.1:" + std::to_string(port),
            startServing({}, {"MESOS_PORT=" + std::to_string(port)}));
}

TEST_F(LocalMasterFlagsTest, CommandLineWinsOverEnvironment) {
  const uint16_t port = freePort();
  ASSERT_NE(0, port);
  EXPECT_EQ("127.0.0.1:" + std::to_string(port),
            startServing({"--port=" + std::to_string(port), "--allocation_interval=2secs"},
                         {"MESOS_PORT=1", "MESOS_ALLOCATION_INTERVAL=nonsense"}));
  EXPECT_THAT(state(port), HasSubstr(R"("allocation_interval":"2secs")"));
}

TEST_F(LocalMasterFlagsTest, FlagfileSetsFlags) {
  const uint16_t port = freePort();
  ASSERT_NE(0, port);
  const fs::path flagfile =
      write("flags", "--port=" + std::to_string(port) + "\n--hostname=flagfile.example\n" +
                         "--allocation_interval=3secs\n");
  EXPECT_EQ("127.0.0.1:" + std::to_string(port),
            startServing({"--flagfile=" + flagfile.string()}));
  const std::string json = state(port);
  EXPECT_THAT(json, HasSubstr(R"("hostname":"flagfile.example")"));
  EXPECT_THAT(json, HasSubstr(R"("allocation_interval":"3secs")"));
}

// `file://` values are the file's content, trailing newline trimmed, whatever
// the flag's type and wherever the value comes from.
TEST_F(LocalMasterFlagsTest, FileValuesAreTheFilesContent) {
  const uint16_t port = freePort();
  ASSERT_NE(0, port);
  const fs::path portFile = write("port", std::to_string(port) + "\n");
  const fs::path hostFile = write("host", "from-file.example\n");
  const fs::path flagfile = write("flags", "--allocation_interval=file://" +
                                               write("interval", "4secs\n").string() + "\n");
  EXPECT_EQ("127.0.0.1:" + std::to_string(port),
            startServing({"--port=file://" + portFile.string(), "--flagfile=" + flagfile.string()},
                         {"MESOS_HOSTNAME=file://" + hostFile.string()}));
  const std::string json = state(port);
  EXPECT_THAT(json, HasSubstr(R"("hostname":"from-file.example")"));
  EXPECT_THAT(json, HasSubstr(R"("allocation_interval":"4secs")"));
}

TEST_F(LocalMasterFlagsTest, AdvertisedAddressIsInTheBannerAndState) {
  const uint16_t port = freePort();
  ASSERT_NE(0, port);
  EXPECT_EQ("127.0.0.2:6060", startServing({"--port=" + std::to_string(port),
                                            "--advertise_ip=127.0.0.2", "--advertise_port=6060"}));
  EXPECT_THAT(state(port), HasSubstr(R"("pid":"master@127.0.0.2:6060")"));
}

// gflags' spellings (`--name`, `--noname`, `--name=false`) and Mesos's
// `--no-name`, for the flag and its alias.
TEST_F(LocalMasterFlagsTest, BooleanSpellings) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--authenticate_frameworks"}, "true"},
      {{"--authenticate"}, "true"},
      {{"--authenticate_frameworks=true"}, "true"},
      {{"--authenticate_frameworks", "--noauthenticate_frameworks"}, "false"},
      {{"--authenticate_frameworks", "--no-authenticate_frameworks"}, "false"},
      {{"--authenticate", "--no-authenticate"}, "false"},
      {{"--authenticate_frameworks", "--authenticate_frameworks=false"}, "false"},
  };
  for (const auto& [args, expected] : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    const uint16_t port = freePort();
    ASSERT_NE(0, port);
    std::vector<std::string> all = args;
    all.push_back("--port=" + std::to_string(port));
    ASSERT_EQ("127.0.0.1:" + std::to_string(port), startServing(all));
    EXPECT_THAT(state(port), HasSubstr(R"("authenticate_frameworks":")" + expected + "\""));
    master_->stop();
  }
}

// WARNING and above by default: the INFO line the master logs when it starts
// is not on stderr (it is printed before the banner, so it would be there).
TEST_F(LocalMasterFlagsTest, LogsWarningsOnlyByDefault) {
  ASSERT_NE("", startServing({"--port=0"}));
  EXPECT_THAT(stderrText(), Not(HasSubstr("listening at")));
}

TEST_F(LocalMasterFlagsTest, LoggingLevelInfoShowsInfo) {
  ASSERT_NE("", startServing({"--port=0"}, {"MESOS_LOGGING_LEVEL=INFO"}));
  EXPECT_THAT(stderrText(), HasSubstr("listening at"));
}

// glog's environment is the user's: GLOG_v=1 shows VLOG(1) lines (and INFO).
TEST_F(LocalMasterFlagsTest, GlogEnvironmentIsHonoured) {
  ASSERT_NE("", startServing({"--port=0"}, {"GLOG_v=1"}));
  EXPECT_THAT(stderrText(), HasSubstr("Transport listening on"));
  EXPECT_THAT(stderrText(), HasSubstr("listening at"));
}

TEST_F(LocalMasterFlagsTest, QuietLogsNothingToStderr) {
  ASSERT_NE("", startServing({"--port=0", "--quiet", "--logging_level=INFO"}));
  EXPECT_EQ("", stderrText());
}

// Log files under --log_dir, written at once (glog would hold INFO lines back
// for up to 30 s): the line a failover (SIGUSR1) logs shows up well before.
TEST_F(LocalMasterFlagsTest, LogDirGetsLogFilesWrittenAtOnce) {
  const fs::path logs = dir_ / "logs";
  ASSERT_NE("", startServing({"--port=0", "--logging_level=INFO", "--quiet",
                              "--log_dir=" + logs.string()}));
  auto logged = [&] {
    std::string all;
    for (const auto& entry : fs::directory_iterator(logs)) all += readFile(entry.path());
    return all;
  };
  EXPECT_THAT(logged(), HasSubstr("listening at"));
  ASSERT_TRUE(master_->signal(SIGUSR1));
  EXPECT_TRUE(waitUntil([&] { return logged().find("Failed over in place") != std::string::npos; },
                        Millis(2500), Millis(20)))
      << logged();
  EXPECT_EQ("", stderrText());
}

}  // namespace
}  // namespace testing
}  // namespace mesos
