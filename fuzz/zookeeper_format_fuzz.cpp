// libFuzzer target for what a ZooKeeper server (or whoever writes into the
// election group) hands the detector: the sans-I/O part of
// src/detector/zookeeper_format.hpp. Input: [mode][data...], mode % 6:
//   0, 1, 2  data is the znode data of a `json.info_`, `info_` or unlabeled member
//   3        data is `<znode name>\0<znode data>`, parsed as the group code does
//   4        data is a list of child names, one per line, for electLeader()
//   5        data is a `zk://` URL
//
// Oracles, besides the sanitizers:
//  - a parsed MasterInfo is initialized (id, ip, port), and survives both
//    encodings: binary bytes re-parse to the same bytes; its JSON (as a Mesos
//    master writes it, masterInfoJson) re-parses to an equivalent MasterInfo
//    whose JSON is the same text;
//  - a bare UPID gives a MasterInfo whose pid is that UPID, trimmed;
//  - errors are bounded by the input they quote;
//  - members: the name is kept, the sequence is the number after the last '_'
//    (at most 10 digits, below 2^31), the label what precedes the first '_';
//    the leader is the first member with the lowest sequence;
//  - a parsed URL prints back to a URL that parses the same.

#include <glog/logging.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detector/zookeeper_format.hpp"
#include "fuzz_input.hpp"
#include "utf8.hpp"
#include "process/upid.hpp"

namespace {

using namespace mesos;
using namespace mesos::internal;
using namespace mesos::internal::detector;
using google::protobuf::util::MessageDifferencer;

GroupMember member(const std::string& name) {
  std::optional<GroupMember> m = parseMember(name);
  FUZZ_CHECK(m.has_value());
  return *m;
}

const GroupMember& jsonMember() {
  static const GroupMember m = member("json.info_0000000017");
  return m;
}
const GroupMember& binaryMember() {
  static const GroupMember m = member("info_0000000005");
  return m;
}
const GroupMember& upidMember() {
  static const GroupMember m = member("0000000002");
  return m;
}

// Whether every string in `message` is UTF-8: JSON can only carry text, so
// only such a MasterInfo has a JSON form to check.
bool textOnly(const google::protobuf::Message& message) {
  const auto* r = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const auto* f : fields) {
    const int n = f->is_repeated() ? r->FieldSize(message, f) : 1;
    for (int i = 0; i < n; ++i) {
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
          f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& s = f->is_repeated() ? r->GetRepeatedStringReference(message, f, i, &scratch)
                                                : r->GetStringReference(message, f, &scratch);
        if (!fuzz::isUtf8(s)) return false;
      } else if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (!textOnly(f->is_repeated() ? r->GetRepeatedMessage(message, f, i)
                                       : r->GetMessage(message, f))) {
          return false;
        }
      }
    }
  }
  return true;
}

void checkMasterInfo(const MasterInfo& info) {
  FUZZ_CHECK(info.IsInitialized());

  // Binary: what a 0.17-0.23 master would have written, read back.
  const std::string bytes = info.SerializeAsString();
  Try<MasterInfo> binary = parseMasterInfo(binaryMember(), bytes);
  FUZZ_CHECK(binary.isSome());
  FUZZ_CHECK(binary->SerializeAsString() == bytes);

  // JSON: what our simulated master writes (src/master/leadership.cpp), read back.
  MasterInfo known = info;
  known.DiscardUnknownFields();  // Not representable in JSON.
  if (!textOnly(known)) return;
  const std::string json = masterInfoJson(known);
  Try<MasterInfo> reparsed = parseMasterInfo(jsonMember(), json);
  FUZZ_CHECK(reparsed.isSome());
  FUZZ_CHECK(MessageDifferencer::Equivalent(known, reparsed.get()));
  FUZZ_CHECK(masterInfoJson(reparsed.get()) == json);
}

void checkParse(const GroupMember& m, const std::string& data) {
  Try<MasterInfo> info = parseMasterInfo(m, data);
  if (info.isError()) {
    FUZZ_CHECK(info.error().size() <= 4096 + 2 * data.size() + m.name.size());
    return;
  }
  checkMasterInfo(info.get());
  if (m.label.empty()) {
    // The trimmed text is the UPID, and the MasterInfo says so.
    Try<mesos::internal::process::UPID::Unresolved> upid =
        mesos::internal::process::UPID::parseUnresolved(data);
    FUZZ_CHECK(upid.isSome());
    FUZZ_CHECK(info->port() == upid->port);
    Try<mesos::internal::process::UPID::Unresolved> pid =
        mesos::internal::process::UPID::parseUnresolved(info->pid());
    FUZZ_CHECK(pid.isSome());
    FUZZ_CHECK(pid->id == upid->id && pid->port == upid->port);
  }
}

void checkMember(const std::string& name, const std::optional<GroupMember>& m) {
  const size_t last = name.rfind('_');
  const std::string digits = last == std::string::npos ? name : name.substr(last + 1);
  uint64_t value = 0;
  bool number = !digits.empty() && digits.size() <= 10;
  for (char c : digits) {
    if (c < '0' || c > '9') number = false;
    if (number) value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  number = number && value <= 0x7fffffff;
  FUZZ_CHECK(m.has_value() == number);
  if (!m) return;
  FUZZ_CHECK(m->name == name);
  FUZZ_CHECK(m->sequence == value);
  FUZZ_CHECK(m->label == (last == std::string::npos ? "" : name.substr(0, name.find('_'))));
}

void checkChildren(const std::string& data) {
  std::vector<std::string> children;
  size_t start = 0;
  while (start <= data.size()) {
    const size_t end = data.find('\n', start);
    children.push_back(data.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::optional<GroupMember> expected;
  for (const std::string& child : children) {
    std::optional<GroupMember> m = parseMember(child);
    checkMember(child, m);
    if (m && (!expected || m->sequence < expected->sequence)) expected = m;
  }
  std::optional<GroupMember> leader = electLeader(children);
  FUZZ_CHECK(leader.has_value() == expected.has_value());
  if (leader) FUZZ_CHECK(leader->name == expected->name && leader->sequence == expected->sequence);
}

void checkUrl(const std::string& text) {
  Try<ZooKeeperUrl> url = ZooKeeperUrl::parse(text);
  if (url.isError()) {
    FUZZ_CHECK(url.error().size() <= 256 + text.size());
    return;
  }
  FUZZ_CHECK(!url->servers.empty() && url->servers.find('/') == std::string::npos);
  FUZZ_CHECK(url->servers.find('@') == std::string::npos);
  FUZZ_CHECK(url->path.size() > 1 && url->path[0] == '/' && url->path.back() != '/');
  if (url->credentials) {
    FUZZ_CHECK(url->credentials->find(':') != std::string::npos);
    FUZZ_CHECK(url->credentials->find('/') == std::string::npos);
  }
  // Printed back with a trailing '/', which the parser drops, so that a path
  // ending in white space is not trimmed away.
  const std::string printed = "zk://" + (url->credentials ? *url->credentials + "@" : "") +
                              url->servers + url->path + "/";
  Try<ZooKeeperUrl> again = ZooKeeperUrl::parse(printed);
  FUZZ_CHECK(again.isSome());
  FUZZ_CHECK(again->servers == url->servers && again->path == url->path &&
             again->credentials == url->credentials);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quietLibraries();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
  fuzz::FuzzInput in(input, size);
  const uint8_t mode = in.byte() % 6;
  const std::string data = in.rest();
  switch (mode) {
    case 0:
      checkParse(jsonMember(), data);
      break;
    case 1:
      checkParse(binaryMember(), data);
      break;
    case 2:
      checkParse(upidMember(), data);
      break;
    case 3: {
      const size_t nul = data.find('\0');
      const std::string name = data.substr(0, nul);
      std::optional<GroupMember> m = parseMember(name);
      checkMember(name, m);
      if (m) checkParse(*m, nul == std::string::npos ? "" : data.substr(nul + 1));
      break;
    }
    case 4:
      checkChildren(data);
      break;
    case 5:
      checkUrl(data);
      break;
  }
  return 0;
}
