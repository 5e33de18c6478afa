#include <arpa/inet.h>

#include <fstream>
#include <sstream>

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "common/uuid.hpp"
#include "detector/detector.hpp"
#include "detector/zookeeper_format.hpp"

namespace mesos {
namespace internal {
namespace detector {

namespace {

// Reports one fixed master, once.
class StandaloneDetector : public MasterDetector,
                           public std::enable_shared_from_this<StandaloneDetector> {
 public:
  StandaloneDetector(boost::asio::io_context& io, MasterInfo leader)
      : io_(io), leader_(std::move(leader)) {}

  void start(Listener onLeader, FailureListener) override {
    listener_ = std::move(onLeader);
    // Report asynchronously, like every other detector, so the caller finishes
    // its own setup first.
    boost::asio::post(io_, [self = shared_from_this()] {
      if (self->listener_) self->listener_(self->leader_);
    });
  }
  void stop() override { listener_ = nullptr; }

 private:
  boost::asio::io_context& io_;
  MasterInfo leader_;
  Listener listener_;
};

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

Try<std::shared_ptr<MasterDetector>> create(const std::string& master,
                                            boost::asio::io_context& io,
                                            const DetectorOptions& options, int depth) {
  const std::string spec = trim(master);
  if (spec.rfind("zk://", 0) == 0) {
    Try<ZooKeeperUrl> url = ZooKeeperUrl::parse(spec);
    if (url.isError()) return Error(url.error());
    return createZooKeeperDetector(io, url.get(), options);
  }
  if (spec == "local") {
    return Error("the embedded local cluster ('local') is not available in this build");
  }
  if (spec.rfind("file://", 0) == 0) {
    const std::string path = spec.substr(7);
    if (depth > 0) return Error("'" + path + "' refers to another file; nesting is not allowed");
    std::ifstream in(path);
    if (!in.good()) return Error("Failed to read from file at '" + path + "'");
    std::stringstream content;
    content << in.rdbuf();
    return create(content.str(), io, options, depth + 1);
  }
  const std::string upidText = spec.rfind("master@", 0) == 0 ? spec : "master@" + spec;
  // Syntax only: a host name is resolved later, off the caller's thread, by
  // the driver (start() never waits for DNS).
  Try<process::UPID::Unresolved> upid = process::UPID::parseUnresolved(upidText);
  if (upid.isError()) return Error("Failed to parse '" + spec + "': " + upid.error());
  return std::shared_ptr<MasterDetector>(
      std::make_shared<StandaloneDetector>(io, masterInfoFromUnresolved(upid.get())));
}

}  // namespace

MasterInfo masterInfoFromUnresolved(const process::UPID::Unresolved& upid) {
  Try<uint32_t> ip = process::parseIp(upid.host);
  if (ip.isSome()) return masterInfoFromUpid(process::UPID(upid.id, ip.get(), upid.port));
  // Not resolved yet: the address is what was written, the IP unknown (0).
  const std::string pid = upid.id + "@" + upid.host + ":" + std::to_string(upid.port);
  MasterInfo info;
  info.set_id(pid + "-" + randomUuidString());
  info.set_ip(0);
  info.set_port(upid.port);
  info.set_pid(pid);
  info.set_hostname(upid.host);
  info.mutable_address()->set_hostname(upid.host);
  info.mutable_address()->set_port(upid.port);
  return info;
}

MasterInfo masterInfoFromUpid(const process::UPID& upid) {
  MasterInfo info;
  info.set_id(upid.toString() + "-" + randomUuidString());
  // Mesos stores the network-order bytes read as a native integer.
  info.set_ip(htonl(upid.ip));
  info.set_port(upid.port);
  info.set_pid(upid.toString());
  info.set_hostname(process::formatIp(upid.ip));
  info.mutable_address()->set_ip(process::formatIp(upid.ip));
  info.mutable_address()->set_port(upid.port);
  info.mutable_address()->set_hostname(process::formatIp(upid.ip));
  return info;
}

Try<std::shared_ptr<MasterDetector>> createMasterDetector(const std::string& master,
                                                          boost::asio::io_context& io,
                                                          const DetectorOptions& options) {
  return create(master, io, options, 0);
}

}  // namespace detector
}  // namespace internal
}  // namespace mesos
