// The ZooKeeper master detector (docs/protocol.md, "Detection"): a
// ZooKeeperGroup that only watches, whose reports hop onto the driver's I/O
// thread.

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "detector/detector.hpp"
#include "detector/zookeeper_group.hpp"

namespace mesos {
namespace internal {
namespace detector {

namespace {

class ZooKeeperDetector : public MasterDetector,
                          public std::enable_shared_from_this<ZooKeeperDetector> {
 public:
  ZooKeeperDetector(boost::asio::io_context& io, ZooKeeperUrl url, ZooKeeperOptions options)
      : io_(io), url_(std::move(url)), options_(options) {}
  ~ZooKeeperDetector() override { stop(); }

  void start(Listener onLeader, FailureListener onFailure) override {
    listener_ = std::move(onLeader);
    failure_ = std::move(onFailure);
    std::weak_ptr<ZooKeeperDetector> weak = shared_from_this();
    ZooKeeperGroup::Handler handler;
    // Runs on the group's thread: hop to the I/O thread, where `listener_` lives
    // and where stop() clears it, so nothing is reported after stop().
    handler.onLeader = [this, weak](const std::optional<GroupLeader>& leader) {
      std::optional<MasterInfo> info;
      if (leader) info = leader->info;
      boost::asio::post(io_, [weak, info = std::move(info)] {
        if (auto self = weak.lock()) self->deliver(info);
      });
    };
    handler.onFailure = [this, weak](const std::string& why) {
      boost::asio::post(io_, [weak, why] {
        auto self = weak.lock();
        if (self && self->failure_) self->failure_(why);
      });
    };
    group_ = std::make_unique<ZooKeeperGroup>(url_, options_, std::move(handler));
    LOG(INFO) << "Detecting the leading master in ZooKeeper at " << url_.servers << url_.path;
    group_->start();
  }

  void stop() override {
    listener_ = nullptr;
    failure_ = nullptr;
    if (group_) group_->stop();
  }

  std::optional<std::pair<int64_t, std::string>> zkSession() const override {
    if (!group_) return std::nullopt;
    return group_->session();
  }

 private:
  // The driver hears of a leader only when its MasterInfo differs from the last
  // one it heard of, e.g. not when the same master re-joins the group.
  void deliver(const std::optional<MasterInfo>& info) {
    if (!listener_) return;
    const bool same = info.has_value() == last_.has_value() &&
                      (!info || info->SerializeAsString() == last_->SerializeAsString());
    if (same) return;
    last_ = info;
    listener_(info);
  }

  boost::asio::io_context& io_;
  const ZooKeeperUrl url_;
  const ZooKeeperOptions options_;
  Listener listener_;
  FailureListener failure_;
  std::optional<MasterInfo> last_;
  std::unique_ptr<ZooKeeperGroup> group_;
};

}  // namespace

std::shared_ptr<MasterDetector> createZooKeeperDetector(boost::asio::io_context& io,
                                                        const ZooKeeperUrl& url,
                                                        const DetectorOptions& options) {
  ZooKeeperOptions zk;
  zk.sessionTimeout = options.zkSessionTimeout;
  return std::make_shared<ZooKeeperDetector>(io, url, zk);
}

}  // namespace detector
}  // namespace internal
}  // namespace mesos
