// The sandboxes' files on the master's port (src/master/files.cpp), after a
// real command task ran:
//
//  * `/files/read?path=<sandbox>/stdout&offset=N&length=L` answers the bytes
//    at N (`{"data", "offset"}`); without an offset the size, as `offset`;
//    `length` is capped at 1 MiB. `/files/download` answers the whole file as
//    text/plain, up to 8 MiB (413 beyond).
//  * Nothing outside a known task's sandbox is ever served: a `..` component
//    (400, also percent-encoded), a relative path (400), an absolute path
//    outside (404), a sandbox-like directory no task has (404), a symlink in
//    the sandbox to a file or a directory outside (403), a directory (400), a
//    missing file (404). Each refusal is a WARNING line, and the answer does
//    not say where a symlink leads.
//  * Malformed parameters are a 400.

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "support/log_capture.hpp"
#include "webui_fixture.hpp"

namespace mesos {
namespace testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SandboxFilesTest : public WebViewTest {
 protected:
  // A registered framework whose task `t1` printed to stdout and stderr.
  void runTask() {
    ASSERT_NO_FATAL_FAILURE(startWithWorkDir());
    ASSERT_NO_FATAL_FAILURE(startRegistered());
    const TaskStatus finished =
        runToEnd(commandTask("t1", SlaveID(), "printf 0123456789abcdef; printf oops >&2"));
    sandbox_ = sandboxOf(finished);
    ASSERT_NE("", sandbox_) << finished.message();
  }

  HttpResult read(const std::string& path, const std::string& more = "") {
    return get("/files/read?path=" + encoded(path) + more);
  }

  // `path` is refused with `status` by both endpoints, each time with a
  // WARNING line, and nothing of /etc/passwd is in the answer.
  void expectRefused(const std::string& path, int status) {
    for (const char* endpoint : {"/files/read?path=", "/files/download?path="}) {
      LogCapture log;
      const HttpResult result = get(endpoint + encoded(path));
      EXPECT_EQ(status, result.status) << endpoint << path << ": " << result.body;
      EXPECT_THAT(result.body, Not(HasSubstr("root:"))) << endpoint << path;
      EXPECT_THAT(result.body, Not(HasSubstr("/etc"))) << endpoint << path;
      EXPECT_TRUE(log.warned({"Refusing GET /files/"})) << endpoint << path;
    }
  }

  std::string sandbox_;
};

TEST_F(SandboxFilesTest, StdoutOfACommandTaskIsReadWithOffsetAndLength) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  HttpResult result = read(sandbox_ + "/stdout", "&offset=2&length=5");
  EXPECT_EQ(200, result.status) << result.body;
  EXPECT_EQ("application/json", result.header("Content-Type"));
  Struct json = parseState(result.body);
  EXPECT_EQ("23456", str(json, "data"));
  EXPECT_EQ(2, num(json, "offset"));

  // From the offset to the end; past the end, nothing.
  json = parseState(read(sandbox_ + "/stdout", "&offset=10").body);
  EXPECT_EQ("abcdef", str(json, "data"));
  json = parseState(read(sandbox_ + "/stdout", "&offset=100&length=3").body);
  EXPECT_EQ("", str(json, "data"));
  EXPECT_EQ(100, num(json, "offset"));
  // Without an offset (or -1): the size.
  for (const char* more : {"", "&offset=-1"}) {
    json = parseState(read(sandbox_ + "/stdout", more).body);
    EXPECT_EQ("", str(json, "data")) << more;
    EXPECT_EQ(16, num(json, "offset")) << more;
  }
  json = parseState(read(sandbox_ + "/stderr", "&offset=0").body);
  EXPECT_EQ("oops", str(json, "data"));

  result = get("/files/download?path=" + encoded(sandbox_ + "/stdout"));
  EXPECT_EQ(200, result.status);
  EXPECT_EQ("text/plain; charset=utf-8", result.header("Content-Type"));
  EXPECT_EQ("nosniff", result.header("X-Content-Type-Options"));
  EXPECT_EQ("0123456789abcdef", result.body);
}

TEST_F(SandboxFilesTest, ReadsAndDownloadsAreBounded) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  writeFile(fs::path(sandbox_) / "big", std::string(3 << 20, 'x'));
  const HttpResult result = read(sandbox_ + "/big", "&offset=0&length=4000000");
  EXPECT_EQ(200, result.status);
  EXPECT_EQ(size_t{1} << 20, str(parseState(result.body), "data").size());
  // A download is whole or refused: 8 MiB at most.
  writeFile(fs::path(sandbox_) / "huge", std::string((8 << 20) + 1, 'x'));
  EXPECT_EQ(413, get("/files/download?path=" + encoded(sandbox_ + "/huge")).status);
  writeFile(fs::path(sandbox_) / "huge", std::string(8 << 20, 'x'));
  EXPECT_EQ(size_t{8} << 20,
            get("/files/download?path=" + encoded(sandbox_ + "/huge")).body.size());
  // Invalid UTF-8 from a task still makes valid JSON.
  writeFile(fs::path(sandbox_) / "binary", std::string("a\xff\xfe\x80z", 5));
  EXPECT_EQ("a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz",
            str(parseState(read(sandbox_ + "/binary", "&offset=0").body), "data"));
}

TEST_F(SandboxFilesTest, DotDotAndRelativePathsAreRefused) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  expectRefused(sandbox_ + "/../t1/stdout", 400);
  expectRefused(sandbox_ + "/../../../../../../../../../etc/passwd", 400);
  expectRefused(sandbox_ + "/..", 400);
  expectRefused("stdout", 400);
  expectRefused("", 400);
  // Percent-encoded dots are the same dots.
  EXPECT_EQ(400, get("/files/read?path=" + sandbox_ + "/%2e%2e/t1/stdout").status);
}

TEST_F(SandboxFilesTest, PathsOutsideEveryKnownSandboxAreRefused) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  expectRefused("/etc/passwd", 404);
  expectRefused(workDir_.string() + "/agents", 404);
  // A directory shaped like a sandbox that no task has.
  const fs::path unknown = fs::path(sandbox_).parent_path() / "t2";
  fs::create_directories(unknown);
  writeFile(unknown / "stdout", "not a task's");
  expectRefused((unknown / "stdout").string(), 404);
  // A sandbox's prefix is not its sandbox: `t1x` is not inside `t1`.
  fs::create_directories(sandbox_ + "x");
  writeFile(sandbox_ + "x/stdout", "not a task's");
  expectRefused(sandbox_ + "x/stdout", 404);
}

TEST_F(SandboxFilesTest, SymlinksOutOfTheSandboxAreRefused) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  ASSERT_EQ(0, ::symlink("/etc/passwd", (sandbox_ + "/passwd").c_str()));
  ASSERT_EQ(0, ::symlink("/etc", (sandbox_ + "/etc-dir").c_str()));
  ASSERT_EQ(0, ::symlink("..", (sandbox_ + "/up").c_str()));
  expectRefused(sandbox_ + "/passwd", 403);
  expectRefused(sandbox_ + "/etc-dir/passwd", 403);
  const fs::path other = fs::path(sandbox_).parent_path() / "t2";
  fs::create_directories(other);
  writeFile(other / "stdout", "not a task's");
  expectRefused(sandbox_ + "/up/t2/stdout", 403);
  // A symlink that stays inside is followed, even by way of `..`.
  ASSERT_EQ(0, ::symlink("stdout", (sandbox_ + "/out").c_str()));
  EXPECT_EQ("0123456789abcdef", get("/files/download?path=" + encoded(sandbox_ + "/out")).body);
  EXPECT_EQ("0123456789abcdef",
            get("/files/download?path=" + encoded(sandbox_ + "/up/t1/stdout")).body);
}

TEST_F(SandboxFilesTest, DirectoriesAndMissingFilesAreRefused) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  expectRefused(sandbox_, 400);
  expectRefused(sandbox_ + "/", 400);
  fs::create_directories(sandbox_ + "/sub");
  expectRefused(sandbox_ + "/sub", 400);
  expectRefused(sandbox_ + "/missing", 404);
  expectRefused(sandbox_ + "/sub/missing", 404);
}

TEST_F(SandboxFilesTest, MalformedParametersAreRefused) {
  ASSERT_NO_FATAL_FAILURE(runTask());
  const std::string path = "/files/read?path=" + encoded(sandbox_ + "/stdout");
  for (const char* more : {"&offset=abc", "&offset=-2", "&length=-1", "&length=1e3",
                           "&offset=99999999999999999999", "&length=%zz"}) {
    LogCapture log;
    EXPECT_EQ(400, get(path + more).status) << more;
    EXPECT_TRUE(log.warned({"Refusing GET /files/read"})) << more;
  }
  EXPECT_EQ(400, get("/files/read").status);
  EXPECT_EQ(400, get("/files/read?offset=0").status);
  EXPECT_EQ(200, get(path + "&offset=0&length=0").status);
}

}  // namespace
}  // namespace testing
}  // namespace mesos
