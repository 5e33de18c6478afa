#pragma once

// The sans-I/O half of ZooKeeper master detection (docs/protocol.md,
// "Detection"): the `zk://` URL grammar, the election group's znode names, the
// leader choice and the payload formats. The ZooKeeper client glue builds on
// these.

#include <optional>
#include <string>
#include <vector>

#include <mesos/mesos.pb.h>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace detector {

struct ZooKeeperUrl {
  std::string servers;                     // "host1:port1,host2:port2", as given.
  std::optional<std::string> credentials;  // "user:password" for the digest scheme.
  std::string path;                        // The election group's parent znode.

  // `zk://[user:password@]host:port[,host:port...]/path`. A missing path, or a
  // path of exactly "/", is an error; a trailing '/' is dropped.
  static Try<ZooKeeperUrl> parse(const std::string& text);
};

// A member of the election group, from its znode name (`json.info_0000000017`).
struct GroupMember {
  std::string name;
  std::string label;  // "json.info", "info", or "" (unlabeled, Mesos <= 0.16).
  uint32_t sequence = 0;
};

// Splits a child name at '_'; the last token must be a 32-bit sequence number
// (else the child is not a member, e.g. `log_replicas`).
std::optional<GroupMember> parseMember(const std::string& name);

// The leader: the member with the lowest sequence, whatever its label.
std::optional<GroupMember> electLeader(const std::vector<std::string>& children);

// The leader's MasterInfo from its znode data, by label: JSON, binary protobuf,
// or a bare UPID string. Unknown JSON keys and enum names are ignored; missing
// required fields (id, ip, port) or any other label are errors.
Try<MasterInfo> parseMasterInfo(const GroupMember& member, const std::string& data);

// MasterInfo as a Mesos master writes it into its `json.info_` znode: compact
// JSON, keys sorted, protobuf field names, enums by name.
std::string masterInfoJson(const MasterInfo& info);

}  // namespace detector
}  // namespace internal
}  // namespace mesos
