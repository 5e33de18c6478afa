// Leader election of the simulated master: with a `zk://`
// URL the master joins the election group as a real Mesos master does, with its
// MasterInfo as JSON in a `json.info_` member, and serves frameworks only while
// its member is the leader.

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "common/clock.hpp"
#include "master/master.hpp"

namespace mesos {
namespace internal {
namespace master {

Try<Nothing> SimulatedMaster::startContending() {
  if (!options_.zk) {
    leading_ = true;
    electedTime_ = nowSeconds();
    leaderPid_ = pidText_;
    leaderInfo_ = info_;
    return Nothing();
  }
  Try<detector::ZooKeeperUrl> url = detector::ZooKeeperUrl::parse(*options_.zk);
  if (url.isError()) return Error("bad --zk URL: " + url.error());
  leading_ = false;
  detector::ZooKeeperOptions zk;
  zk.sessionTimeout = options_.zkSessionTimeout;
  // The group reports on its own thread; state lives on the I/O thread.
  detector::ZooKeeperGroup::Handler handler;
  const AliveToken alive = aliveToken();
  handler.onLeader = [this, alive](const std::optional<detector::GroupLeader>& leader) {
    boost::asio::post(io_, [this, alive, leader] {
      if (!alive.expired()) onGroupLeader(leader);
    });
  };
  handler.onMembership = [this, alive](const std::string& member) {
    boost::asio::post(io_, [this, alive, member] {
      if (!alive.expired() && !stopped_) groupMember_ = member;
    });
  };
  handler.onFailure = [](const std::string& why) {
    LOG(ERROR) << "Leader election failed: " << why;
  };
  group_ = std::make_unique<detector::ZooKeeperGroup>(url.get(), zk, std::move(handler));
  group_->join("json.info", detector::masterInfoJson(info_));
  LOG(INFO) << "Contending for leadership in ZooKeeper at " << url->servers << url->path;
  group_->start();
  return Nothing();
}

void SimulatedMaster::onGroupLeader(const std::optional<detector::GroupLeader>& leader) {
  if (stopped_) return;
  leaderPid_ = leader ? leader->info.pid() : "";
  leaderInfo_.reset();
  if (leader) leaderInfo_ = leader->info;
  const bool leading = leader && !groupMember_.empty() && leader->member == groupMember_;
  if (leading == leading_) return;
  leading_ = leading;
  if (leading_) {
    electedTime_ = nowSeconds();
    LOG(INFO) << "Elected as the leading master (" << groupMember_ << ")";
    return;
  }
  LOG(ERROR) << "Lost leadership; "
             << (leader ? "the leader is now " + leader->info.pid() : std::string("no leader"));
  if (options_.onLostLeadership) options_.onLostLeadership();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
