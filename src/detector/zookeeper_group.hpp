#pragma once

// A view of (and optionally a seat in) the masters' election group in ZooKeeper
// (docs/protocol.md, "Detection"), on the ZooKeeper C client (libzookeeper-mt).
//
// Threads: a `ZooKeeperGroup` runs one worker thread of its own, which makes
// every ZooKeeper call (synchronous calls are safe there because it is not the
// client's completion thread) and runs every `Handler` callback, one at a time.
// The client's own threads only queue events for the worker. Public methods are
// thread-safe. Callers that keep state on another thread post from the handler
// (the detector hops onto the driver's I/O thread).
//
// Lifetime: `stop()` (also run by the destructor) returns once the worker has
// ended and the ZooKeeper handle is closed; no handler runs after it returns.
// It may block for as long as one ZooKeeper round trip or close takes.
//
// What it does, as Mesos's group and detector do:
//  - connects (authenticating with `digest` if the URL has credentials), makes
//    the group's path if it is missing (waiting for it to appear if it may not),
//    lists the members with a watch and re-lists on every change;
//  - retries retryable errors after 2 s, doubling up to 60 s;
//  - treats a connection that stays lost for the session timeout as an expired
//    session: the view empties (no leader), the handle is replaced by a new one;
//  - the leader is the member with the lowest sequence whose data is a usable
//    MasterInfo. Mesos fails detection on unusable data; here such a member is
//    logged once and skipped, so one bad znode cannot take a cluster down.
//  - with `join()`, keeps one ephemeral sequential member of its own (a new one
//    after a session expires), as a contending master does.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <mesos/mesos.pb.h>

#include "common/backoff.hpp"
#include "detector/zookeeper_format.hpp"

struct _zhandle;

namespace mesos {
namespace internal {
namespace detector {

struct ZooKeeperOptions {
  // Requested session timeout (Mesos: --zk_session_timeout, 10 s).
  std::chrono::milliseconds sessionTimeout{10000};
  // First delay before retrying a failed ZooKeeper operation; doubles up to 60 s.
  std::chrono::milliseconds retryInitial{2000};
};

// The current leader as seen by the group.
struct GroupLeader {
  std::string member;  // Znode name, e.g. `json.info_0000000003`.
  MasterInfo info;
};

class ZooKeeperGroup {
 public:
  struct Handler {
    // The leader changed (nullopt: none). Called only when it differs from the
    // previous report, which starts as "none".
    std::function<void(const std::optional<GroupLeader>&)> onLeader;
    // Detection cannot go on (e.g. ZooKeeper refused our credentials).
    std::function<void(const std::string& why)> onFailure;
    // Only with join(): our own member was created (name), or lost ("").
    std::function<void(const std::string& member)> onMembership;
  };

  ZooKeeperGroup(ZooKeeperUrl url, ZooKeeperOptions options, Handler handler);
  ~ZooKeeperGroup();
  ZooKeeperGroup(const ZooKeeperGroup&) = delete;
  ZooKeeperGroup& operator=(const ZooKeeperGroup&) = delete;

  // Contend: keep a member `<label>_<seq>` holding `data`. Call before start().
  void join(std::string label, std::string data);
  void start();
  void stop();

  // The current session (id, password), so tests can expire it from outside.
  std::optional<std::pair<int64_t, std::string>> session() const;

  struct Event;

 private:
  void run();
  void handle(const Event& event);
  void openHandle();
  void closeHandle();
  void expire(const char* why);
  void refresh();
  // Queues a re-read of the group (after a change we caused or a stale view).
  void refreshSoon();
  // Forgets our own member (gone with the session or the path) and says so.
  void loseMember();
  bool ensurePath();
  bool ensureMember();
  std::optional<GroupLeader> readLeader(std::vector<std::string> children, bool* stale);
  void retryLater(const std::string& what, int rc);
  void fail(const std::string& why);
  void report(const std::optional<GroupLeader>& leader);

  using Clock = std::chrono::steady_clock;

  const ZooKeeperUrl url_;
  const ZooKeeperOptions options_;
  const Handler handler_;
  std::optional<std::pair<std::string, std::string>> joinAs_;  // label, data

  // Shared with the client's threads and the public methods.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> events_;
  bool stopping_ = false;
  std::optional<std::pair<int64_t, std::string>> session_;
  std::thread worker_;

  // Worker-thread state.
  struct Context;
  std::unique_ptr<Context> context_;  // Watcher context of the current handle.
  _zhandle* zh_ = nullptr;
  uint64_t generation_ = 0;
  bool connected_ = false;
  bool failed_ = false;
  bool pathReady_ = false;
  std::string member_;  // Our own znode name, if joined.
  std::optional<Clock::time_point> sessionDeadline_;
  std::optional<Clock::time_point> retryAt_;
  Backoff retryBackoff_;  // Delays of retryLater(); reset once the group is read.
  std::optional<GroupLeader> reported_;
  std::set<std::string> badMembers_;  // Logged once each.
};

}  // namespace detector
}  // namespace internal
}  // namespace mesos
