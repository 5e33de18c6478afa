#pragma once

// Master detection (docs/protocol.md, "Detection"): tells the driver who leads.
//
// Runs on: the driver's I/O thread. A detector reports through `Listener` on that
// thread, only when the answer differs from its previous one; `std::nullopt`
// means "no leader known". Implementations with threads of their own (ZooKeeper)
// post onto the I/O thread. The state machine knows only this interface, so
// standalone, file, ZooKeeper and `local` detection plug in without touching it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <mesos/mesos.pb.h>

#include "common/try.hpp"
#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace detector {

class MasterDetector {
 public:
  using Listener = std::function<void(const std::optional<MasterInfo>& leader)>;
  // Detection failed for good (e.g. unusable ZooKeeper data); the driver aborts.
  using FailureListener = std::function<void(const std::string& why)>;

  virtual ~MasterDetector() = default;
  // Begins detection. Must be called once, on the I/O thread.
  virtual void start(Listener onLeader, FailureListener onFailure) = 0;
  // Stops reporting. Idempotent; no listener runs after it returns. May block
  // briefly (closing a ZooKeeper session).
  virtual void stop() = 0;
  // The ZooKeeper session (id, password), so tests can expire it from outside;
  // nullopt for other detectors or while there is none.
  virtual std::optional<std::pair<int64_t, std::string>> zkSession() const { return std::nullopt; }
};

struct DetectorOptions {
  // ZooKeeper session timeout (Mesos: --zk_session_timeout, 10 s).
  std::chrono::milliseconds zkSessionTimeout{10000};
};

// Makes a detector for a `master` string (docs/protocol.md, "Detection").
// Errors read like Mesos's ("Failed to parse '...'") and say what is wrong.
Try<std::shared_ptr<MasterDetector>> createMasterDetector(const std::string& master,
                                                          boost::asio::io_context& io,
                                                          const DetectorOptions& options = {});

struct ZooKeeperUrl;
// A ZooKeeper detector for a parsed `zk://` URL (zookeeper_detector.cpp).
std::shared_ptr<MasterDetector> createZooKeeperDetector(boost::asio::io_context& io,
                                                        const ZooKeeperUrl& url,
                                                        const DetectorOptions& options);

// The MasterInfo Mesos fabricates for a fixed master address.
MasterInfo masterInfoFromUpid(const process::UPID& upid);
// Same for an address not resolved yet: with a host name, `ip` is 0 and `pid`
// keeps the name (the driver resolves it asynchronously).
MasterInfo masterInfoFromUnresolved(const process::UPID::Unresolved& upid);

}  // namespace detector
}  // namespace internal
}  // namespace mesos
