#include "process/upid.hpp"

#include <gtest/gtest.h>

namespace mesos {
namespace internal {
namespace process {
namespace {

TEST(UpidTest, ParsesIdIpAndPort) {
  Try<UPID> upid = UPID::parse("master@10.0.0.1:5050");
  ASSERT_TRUE(upid.isSome()) << upid.error();
  EXPECT_EQ("master", upid->id);
  EXPECT_EQ(0x0a000001u, upid->ip);
  EXPECT_EQ(5050, upid->port);
  EXPECT_EQ("master@10.0.0.1:5050", upid->toString());
}

TEST(UpidTest, AcceptsGeneratedIdsAndSurroundingWhitespace) {
  Try<UPID> upid = UPID::parse("  slave(1)@127.0.0.1:5051\t\n");
  ASSERT_TRUE(upid.isSome()) << upid.error();
  EXPECT_EQ("slave(1)", upid->id);
  EXPECT_EQ("slave(1)@127.0.0.1:5051", upid->toString());

  Try<UPID> scheduler =
      UPID::parse("scheduler-3f0c1d2e-8a41-4c6e-9b1e-1b2f0f8e3a77@10.0.0.5:41321");
  ASSERT_TRUE(scheduler.isSome());
  EXPECT_EQ("scheduler-3f0c1d2e-8a41-4c6e-9b1e-1b2f0f8e3a77", scheduler->id);
}

TEST(UpidTest, AllowsEmptyIdAsLibprocessDoes) {
  Try<UPID> upid = UPID::parse("@127.0.0.1:80");
  ASSERT_TRUE(upid.isSome());
  EXPECT_EQ("", upid->id);
}

TEST(UpidTest, ResolvesHostNamesToIpv4) {
  Try<UPID> upid = UPID::parse("master@localhost:5050");
  ASSERT_TRUE(upid.isSome()) << upid.error();
  EXPECT_EQ(0x7fu, upid->ip >> 24);
}

TEST(UpidTest, NumericOnlyModeRefusesHostNames) {
  Try<UPID> upid = UPID::parse("master@localhost:5050", UPID::Resolve::kNumericOnly);
  ASSERT_TRUE(upid.isError());
  EXPECT_NE(std::string::npos, upid.error().find("host name")) << upid.error();
}

struct BadUpid {
  const char* text;
  const char* why;  // A fragment the error message must contain.
};

class BadUpidTest : public ::testing::TestWithParam<BadUpid> {};

TEST_P(BadUpidTest, IsAnErrorThatSaysWhy) {
  Try<UPID> upid = UPID::parse(GetParam().text, UPID::Resolve::kNumericOnly);
  ASSERT_TRUE(upid.isError()) << "parsed '" << GetParam().text << "' as " << upid->toString();
  EXPECT_NE(std::string::npos, upid.error().find(GetParam().why))
      << "error for '" << GetParam().text << "' was: " << upid.error();
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, BadUpidTest,
    ::testing::Values(BadUpid{"", "empty"}, BadUpid{"   ", "empty"},
                      BadUpid{"master", "no '@'"}, BadUpid{"master@10.0.0.1", "no ':'"},
                      BadUpid{"master@:5050", "empty host"},
                      BadUpid{"master@10.0.0.1:", "empty port"},
                      BadUpid{"master@10.0.0.1:65536", "above 65535"},
                      BadUpid{"master@10.0.0.1:99999999999", "above 65535"},
                      BadUpid{"master@10.0.0.1:5050abc", "trailing"},
                      BadUpid{"master@10.0.0.1:-1", "trailing"},
                      BadUpid{"master@10.0.0.1:0", "port 0"},
                      BadUpid{"master@10.0.0.1:5050 extra", "whitespace"},
                      BadUpid{"master@[::1]:5050", "IPv4"},
                      BadUpid{"master@10.0.0.256:5050", "IPv4"},
                      BadUpid{"master@10.0.0:5050", "IPv4"}));

TEST(UpidTest, EqualityIgnoresNothingButHostnames) {
  EXPECT_EQ(UPID("a", 1, 2), UPID("a", 1, 2));
  EXPECT_NE(UPID("a", 1, 2), UPID("b", 1, 2));
  EXPECT_NE(UPID("a", 1, 2), UPID("a", 3, 2));
  EXPECT_NE(UPID("a", 1, 2), UPID("a", 1, 3));
  EXPECT_TRUE(UPID().empty());
  EXPECT_EQ("@0.0.0.0:0", UPID().toString());
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
