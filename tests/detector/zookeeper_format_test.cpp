// ZooKeeper detection, sans-I/O part: URL grammar, group members, leader choice
// and MasterInfo payloads (docs/protocol.md, "Detection").

#include "detector/zookeeper_format.hpp"

#include <gtest/gtest.h>

namespace mesos {
namespace internal {
namespace detector {
namespace {

TEST(ZooKeeperUrlTest, ParsesServersCredentialsAndPath) {
  Try<ZooKeeperUrl> url = ZooKeeperUrl::parse("  zk://jo:s3cret@zk1:2181,zk2:2181/mesos/  ");
  ASSERT_TRUE(url.isSome()) << url.error();
  EXPECT_EQ("zk1:2181,zk2:2181", url->servers);
  ASSERT_TRUE(url->credentials.has_value());
  EXPECT_EQ("jo:s3cret", *url->credentials);
  EXPECT_EQ("/mesos", url->path);
}

TEST(ZooKeeperUrlTest, CredentialsEndAtTheLastAt) {
  Try<ZooKeeperUrl> url = ZooKeeperUrl::parse("zk://u:p@ss@zk:2181/a/b");
  ASSERT_TRUE(url.isSome()) << url.error();
  EXPECT_EQ("u:p@ss", *url->credentials);
  EXPECT_EQ("zk:2181", url->servers);
  EXPECT_EQ("/a/b", url->path);
}

TEST(ZooKeeperUrlTest, RejectsBadUrls) {
  EXPECT_NE(std::string::npos,
            ZooKeeperUrl::parse("zk://zk:2181/").error().find("'/' is not supported"));
  EXPECT_NE(std::string::npos,
            ZooKeeperUrl::parse("zk://zk:2181").error().find("'/' is not supported"));
  EXPECT_TRUE(ZooKeeperUrl::parse("http://zk:2181/mesos").isError());
  EXPECT_TRUE(ZooKeeperUrl::parse("zk:///mesos").isError());
  EXPECT_TRUE(ZooKeeperUrl::parse("zk://nocolon@zk:2181/mesos").isError());
}

TEST(GroupTest, LeaderIsTheLowestSequenceWhateverTheLabel) {
  std::optional<GroupMember> leader = electLeader(
      {"json.info_0000000017", "log_replicas", "info_0000000005", "json.info_0000000009",
       "garbage", "x_notanumber"});
  ASSERT_TRUE(leader.has_value());
  EXPECT_EQ("info_0000000005", leader->name);
  EXPECT_EQ("info", leader->label);
  EXPECT_EQ(5u, leader->sequence);
  EXPECT_FALSE(electLeader({"log_replicas"}).has_value());

  std::optional<GroupMember> unlabeled = parseMember("0000000002");
  ASSERT_TRUE(unlabeled.has_value());
  EXPECT_EQ("", unlabeled->label);
  EXPECT_FALSE(parseMember("json.info_99999999999").has_value()) << "over 32 bits";
}

// The JSON a Mesos master writes (docs/protocol.md, "Detection"), plus an
// unknown key and an unknown capability a newer master might add.
constexpr char kMasterJson[] =
    R"({"address":{"hostname":"m1.example","ip":"10.0.0.1","port":5050},)"
    R"("capabilities":[{"type":"AGENT_UPDATE"},{"type":"AGENT_DRAINING"},{"type":"QUOTA_V2"},)"
    R"({"type":"FUTURE_THING"}],"hostname":"m1.example","id":"b5a1c0de-6f7e-4a51-9c84-0d2a77d1f3e2",)"
    R"("ip":16777226,"pid":"master@10.0.0.1:5050","port":5050,"version":"1.11.0","new_key":1})";

TEST(MasterInfoTest, ParsesTheJsonMesosWrites) {
  Try<MasterInfo> info = parseMasterInfo(*parseMember("json.info_0000000017"), kMasterJson);
  ASSERT_TRUE(info.isSome()) << info.error();
  EXPECT_EQ("master@10.0.0.1:5050", info->pid());
  EXPECT_EQ(16777226u, info->ip());
  EXPECT_EQ(5050u, info->port());
  EXPECT_EQ("10.0.0.1", info->address().ip());
}

TEST(MasterInfoTest, ParsesBinaryAndUpidPayloads) {
  MasterInfo binary;
  binary.set_id("id");
  binary.set_ip(16777343);
  binary.set_port(5050);
  binary.set_pid("master@127.0.0.1:5050");
  Try<MasterInfo> info = parseMasterInfo(*parseMember("info_0000000001"), binary.SerializeAsString());
  ASSERT_TRUE(info.isSome()) << info.error();
  EXPECT_EQ("master@127.0.0.1:5050", info->pid());

  Try<MasterInfo> fromUpid = parseMasterInfo(*parseMember("0000000001"), "master@127.0.0.1:5050\n");
  ASSERT_TRUE(fromUpid.isSome()) << fromUpid.error();
  EXPECT_EQ("master@127.0.0.1:5050", fromUpid->pid());
  EXPECT_EQ(16777343u, fromUpid->ip()) << "network-order bytes read as a native integer";
}

TEST(MasterInfoTest, GarbageAndMissingRequiredFieldsAreErrors) {
  EXPECT_TRUE(parseMasterInfo(*parseMember("json.info_0000000001"), "{not json").isError());
  EXPECT_TRUE(parseMasterInfo(*parseMember("json.info_0000000001"),
                              R"({"pid":"master@10.0.0.1:5050","port":5050})")
                  .isError())
      << "id and ip are required";
  EXPECT_TRUE(parseMasterInfo(*parseMember("info_0000000001"), "\xff\xff\xff").isError());
  EXPECT_TRUE(parseMasterInfo(*parseMember("0000000001"), "not a upid").isError());
  EXPECT_TRUE(parseMasterInfo(*parseMember("other_0000000001"), "{}").isError());
}

}  // namespace
}  // namespace detector
}  // namespace internal
}  // namespace mesos
