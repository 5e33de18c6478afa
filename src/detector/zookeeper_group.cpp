#include "detector/zookeeper_group.hpp"

#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace detector {

namespace {

constexpr std::chrono::milliseconds kMaxRetryDelay{60000};

// Retries start at `retryInitial` and double up to a minute. Without jitter,
// so the delays are exactly those ZooKeeperOptions documents.
Backoff::Policy retryPolicy(const ZooKeeperOptions& options) {
  Backoff::Policy policy;
  policy.initial = options.retryInitial;
  policy.cap = kMaxRetryDelay;
  policy.jitter = false;
  return policy;
}
// ZooKeeper's own limit on znode data (jute.maxbuffer) is about 1 MiB.
constexpr int kMaxDataBytes = 1 << 20;
// Internal event type: re-read the group (not a ZooKeeper event type).
constexpr int kRefreshEvent = -1000;

// The ZooKeeper client writes its own log lines; route them to glog. Its
// errors (e.g. "connection refused" on every reconnect attempt) are warnings
// for us: the group reports what matters itself.
void logFromZooKeeper(const char* message) {
  if (std::strstr(message, "ZOO_ERROR") != nullptr) {
    LOG(WARNING) << "ZooKeeper client: " << message;
  } else {
    VLOG(1) << "ZooKeeper client: " << message;
  }
}

bool retryable(int rc) {
  return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONMOVED ||
         rc == ZCLOSING;
}

std::string hexSession(int64_t id) {
  char text[32];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(id));
  return text;
}

}  // namespace

struct ZooKeeperGroup::Event {
  uint64_t generation;
  int type;
  int state;
  std::string path;
};

// What the client's watcher sees: which group, and which of its handles (events
// of a replaced handle are ignored).
struct ZooKeeperGroup::Context {
  ZooKeeperGroup* group;
  uint64_t generation;
};

ZooKeeperGroup::ZooKeeperGroup(ZooKeeperUrl url, ZooKeeperOptions options, Handler handler)
    : url_(std::move(url)),
      options_(options),
      handler_(std::move(handler)),
      retryBackoff_(retryPolicy(options_)) {}

ZooKeeperGroup::~ZooKeeperGroup() { stop(); }

void ZooKeeperGroup::join(std::string label, std::string data) {
  joinAs_ = std::make_pair(std::move(label), std::move(data));
}

void ZooKeeperGroup::start() {
  static std::once_flag quiet;
  // The client's default (INFO on stderr) is far too chatty for a library.
  std::call_once(quiet, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_WARN); });
  worker_ = std::thread([this] { run(); });
}

void ZooKeeperGroup::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
}

std::optional<std::pair<int64_t, std::string>> ZooKeeperGroup::session() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return session_;
}

void ZooKeeperGroup::run() {
  while (true) {
    const auto now = Clock::now();
    if (zh_ == nullptr && !failed_ && (!retryAt_ || now >= *retryAt_)) {
      retryAt_.reset();
      openHandle();
    }
    std::optional<Clock::time_point> deadline = retryAt_;
    if (sessionDeadline_ && (!deadline || *sessionDeadline_ < *deadline)) deadline = sessionDeadline_;

    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [this] { return stopping_ || !events_.empty(); };
    if (deadline) {
      wake_.wait_until(lock, *deadline, ready);
    } else {
      wake_.wait(lock, ready);
    }
    if (stopping_) break;
    if (!events_.empty()) {
      Event event = std::move(events_.front());
      events_.pop_front();
      lock.unlock();
      handle(event);
      continue;
    }
    lock.unlock();

    const auto later = Clock::now();
    if (zh_ != nullptr && !connected_ && sessionDeadline_ && later >= *sessionDeadline_) {
      // ZooKeeper only reports expiry once reconnected; a session we could not
      // reach for its whole timeout is as good as expired.
      expire("could not reach ZooKeeper within the session timeout");
    } else if (zh_ != nullptr && retryAt_ && later >= *retryAt_) {
      retryAt_.reset();
      refresh();
    }
  }
  closeHandle();
}

void ZooKeeperGroup::openHandle() {
  ++generation_;
  context_ = std::make_unique<Context>(Context{this, generation_});
  auto watcher = [](zhandle_t*, int type, int state, const char* path, void* ctx) {
    auto* context = static_cast<Context*>(ctx);
    ZooKeeperGroup* group = context->group;
    {
      std::lock_guard<std::mutex> lock(group->mutex_);
      group->events_.push_back(Event{context->generation, type, state, path ? path : ""});
    }
    group->wake_.notify_all();
  };
  zh_ = zookeeper_init2(url_.servers.c_str(), watcher, static_cast<int>(options_.sessionTimeout.count()),
                        nullptr, context_.get(), 0, logFromZooKeeper);
  if (zh_ == nullptr) {
    const int error = errno;
    context_.reset();
    LOG(WARNING) << "Failed to create a ZooKeeper client for '" << url_.servers
                 << "': " << std::strerror(error);
    retryLater("client creation", ZCONNECTIONLOSS);
    return;
  }
  connected_ = false;
  pathReady_ = false;
  sessionDeadline_ = Clock::now() + options_.sessionTimeout;
  if (url_.credentials) {
    // Queued by the client and (re)sent on every connection of this session.
    const std::string& cert = *url_.credentials;
    const int rc = zoo_add_auth(zh_, "digest", cert.data(), static_cast<int>(cert.size()),
                                [](int result, const void*) {
                                  if (result != ZOK) {
                                    LOG(WARNING) << "ZooKeeper digest authentication failed: "
                                                 << zerror(result);
                                  }
                                },
                                nullptr);
    if (rc != ZOK) LOG(WARNING) << "Failed to queue ZooKeeper authentication: " << zerror(rc);
  }
  VLOG(1) << "Connecting to ZooKeeper at " << url_.servers;
}

void ZooKeeperGroup::closeHandle() {
  if (zh_ == nullptr) return;
  // Ends the session, so our ephemeral member (if any) goes at once. No watcher
  // runs after this returns; only then can its context go.
  zookeeper_close(zh_);
  zh_ = nullptr;
  context_.reset();
  connected_ = false;
  std::lock_guard<std::mutex> lock(mutex_);
  session_.reset();
}

void ZooKeeperGroup::handle(const Event& event) {
  if (event.generation != generation_ || zh_ == nullptr || failed_) return;
  if (event.type == kRefreshEvent) return refresh();
  if (event.type == ZOO_SESSION_EVENT) {
    if (event.state == ZOO_CONNECTED_STATE) {
      connected_ = true;
      sessionDeadline_.reset();
      const clientid_t* client = zoo_client_id(zh_);
      const int64_t id = client->client_id;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        session_.emplace(id, std::string(client->passwd, sizeof(client->passwd)));
      }
      LOG(INFO) << "Connected to ZooKeeper at " << url_.servers << " (session "
                << hexSession(id) << ", timeout " << zoo_recv_timeout(zh_) << " ms)";
      refresh();
    } else if (event.state == ZOO_CONNECTING_STATE || event.state == ZOO_ASSOCIATING_STATE) {
      if (connected_) {
        connected_ = false;
        const std::chrono::milliseconds timeout(zoo_recv_timeout(zh_));
        sessionDeadline_ = Clock::now() + timeout;
        LOG(WARNING) << "Lost the connection to ZooKeeper; the session ends in "
                     << timeout.count() << " ms unless it comes back";
      }
    } else if (event.state == ZOO_EXPIRED_SESSION_STATE) {
      expire("ZooKeeper expired the session");
    } else if (event.state == ZOO_AUTH_FAILED_STATE) {
      fail("ZooKeeper refused the credentials of the URL");
    }
    return;
  }
  // A membership change, or the path (re)appearing.
  refresh();
}

void ZooKeeperGroup::expire(const char* why) {
  LOG(WARNING) << "ZooKeeper session lost (" << why << "); starting a new one";
  report(std::nullopt);
  closeHandle();
  sessionDeadline_.reset();
  retryAt_.reset();
  retryBackoff_.reset();
  loseMember();
}

void ZooKeeperGroup::loseMember() {
  if (member_.empty()) return;
  member_.clear();
  if (handler_.onMembership) handler_.onMembership("");
}

void ZooKeeperGroup::refreshSoon() {
  std::lock_guard<std::mutex> lock(mutex_);
  events_.push_back(Event{generation_, kRefreshEvent, 0, ""});
}

void ZooKeeperGroup::fail(const std::string& why) {
  LOG(ERROR) << "ZooKeeper group " << url_.path << " failed: " << why;
  failed_ = true;
  report(std::nullopt);
  closeHandle();
  sessionDeadline_.reset();
  retryAt_.reset();
  if (handler_.onFailure) handler_.onFailure(why);
}

void ZooKeeperGroup::retryLater(const std::string& what, int rc) {
  if (rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE) return expire(zerror(rc));
  if (!retryable(rc)) return fail("ZooKeeper " + what + " failed: " + zerror(rc));
  const std::chrono::milliseconds delay = retryBackoff_.next({});  // No jitter: no generator.
  retryAt_ = Clock::now() + delay;
  LOG(WARNING) << "ZooKeeper " << what << " failed (" << zerror(rc) << "); retrying in "
               << delay.count() << " ms";
}

// Creates the group's path and its parents if missing. Returns whether it
// exists now; if we may not create it, watches for it instead.
bool ZooKeeperGroup::ensurePath() {
  for (size_t slash = 1; slash != std::string::npos;) {
    slash = url_.path.find('/', slash + 1);
    const std::string prefix = url_.path.substr(0, slash);
    const int rc = zoo_create(zh_, prefix.c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    if (rc == ZOK || rc == ZNODEEXISTS) continue;
    if (rc == ZNOAUTH) {
      struct Stat stat;
      const int exists = zoo_exists(zh_, url_.path.c_str(), 1, &stat);
      if (exists == ZOK) break;
      if (exists == ZNONODE) {
        LOG(WARNING) << "ZooKeeper path " << url_.path << " does not exist and we may not create "
                     << prefix << "; waiting for it to appear";
        return false;
      }
      retryLater("exists " + url_.path, exists);
      return false;
    }
    retryLater("create " + prefix, rc);
    return false;
  }
  pathReady_ = true;
  return true;
}

bool ZooKeeperGroup::ensureMember() {
  const std::string prefix = url_.path + "/" + joinAs_->first + "_";
  // With credentials Mesos protects its nodes: anyone may read, only we write.
  ACL acls[2] = {ZOO_READ_ACL_UNSAFE.data[0], ZOO_CREATOR_ALL_ACL.data[0]};
  ACL_vector protectedAcl{2, acls};
  char created[1024];
  const std::string& data = joinAs_->second;
  const int rc = zoo_create(zh_, prefix.c_str(), data.data(), static_cast<int>(data.size()),
                            url_.credentials ? &protectedAcl : &ZOO_OPEN_ACL_UNSAFE,
                            ZOO_EPHEMERAL_SEQUENTIAL, created, sizeof(created));
  if (rc != ZOK) {
    retryLater("create " + prefix, rc);
    return false;
  }
  const std::string path(created);
  member_ = path.substr(path.rfind('/') + 1);
  LOG(INFO) << "Joined ZooKeeper group " << url_.path << " as " << member_;
  if (handler_.onMembership) handler_.onMembership(member_);
  return true;
}

void ZooKeeperGroup::refresh() {
  if (zh_ == nullptr || !connected_ || failed_) return;
  if (!pathReady_ && !ensurePath()) {
    report(std::nullopt);
    return;
  }
  if (joinAs_ && member_.empty() && !ensureMember()) return;

  String_vector list{0, nullptr};
  const int rc = zoo_get_children(zh_, url_.path.c_str(), 1, &list);
  if (rc == ZNONODE) {
    // Someone removed the whole group; make it again (or wait for it).
    LOG(WARNING) << "ZooKeeper path " << url_.path << " vanished";
    pathReady_ = false;
    loseMember();
    report(std::nullopt);
    return refreshSoon();
  }
  if (rc != ZOK) return retryLater("list " + url_.path, rc);
  std::vector<std::string> children(list.data, list.data + list.count);
  deallocate_String_vector(&list);

  if (!member_.empty() && std::find(children.begin(), children.end(), member_) == children.end()) {
    LOG(WARNING) << "Our ZooKeeper member " << member_ << " was removed; joining again";
    loseMember();
    return refreshSoon();
  }
  retryBackoff_.reset();
  bool stale = false;
  std::optional<GroupLeader> leader = readLeader(std::move(children), &stale);
  if (stale) return refreshSoon();
  report(leader);
}

std::optional<GroupLeader> ZooKeeperGroup::readLeader(std::vector<std::string> children,
                                                      bool* stale) {
  std::vector<GroupMember> members;
  VLOG(2) << "ZooKeeper group " << url_.path << " has " << children.size() << " children";
  for (const std::string& child : children) {
    VLOG(2) << "  " << child;
    if (std::optional<GroupMember> member = parseMember(child)) members.push_back(*member);
  }
  std::sort(members.begin(), members.end(),
            [](const GroupMember& a, const GroupMember& b) { return a.sequence < b.sequence; });
  std::optional<GroupLeader> leader;
  for (const GroupMember& member : members) {
    const std::string path = url_.path + "/" + member.name;
    struct Stat stat;
    int rc = zoo_exists(zh_, path.c_str(), 0, &stat);
    std::string data;
    if (rc == ZOK) {
      data.resize(static_cast<size_t>(std::min(std::max(stat.dataLength, 0), kMaxDataBytes)));
      int length = static_cast<int>(data.size());
      rc = zoo_get(zh_, path.c_str(), 0, data.empty() ? nullptr : &data[0], &length, &stat);
      data.resize(static_cast<size_t>(std::max(length, 0)));
    }
    if (rc == ZNONODE) {
      // The listing is stale: read the group again rather than report a leader
      // (or none) that was never true.
      VLOG(2) << "ZooKeeper member " << path << " is gone since the listing";
      *stale = true;
      return std::nullopt;
    }
    if (rc != ZOK) {
      retryLater("read " + path, rc);
      return reported_;
    }
    Try<MasterInfo> info = parseMasterInfo(member, data);
    if (info.isError()) {
      if (badMembers_.insert(member.name).second) {
        LOG(WARNING) << "Ignoring ZooKeeper member " << path << ": " << info.error();
      }
      continue;
    }
    leader = GroupLeader{member.name, std::move(info.get())};
    break;
  }
  // Forget members that are gone, so the set cannot grow without bound.
  for (auto it = badMembers_.begin(); it != badMembers_.end();) {
    it = std::find(children.begin(), children.end(), *it) == children.end() ? badMembers_.erase(it)
                                                                            : std::next(it);
  }
  return leader;
}

void ZooKeeperGroup::report(const std::optional<GroupLeader>& leader) {
  const bool same = leader.has_value() == reported_.has_value() &&
                    (!leader || (leader->member == reported_->member &&
                                 leader->info.SerializeAsString() ==
                                     reported_->info.SerializeAsString()));
  if (same) return;
  reported_ = leader;
  if (leader) {
    LOG(INFO) << "Leading master in ZooKeeper group " << url_.path << ": " << leader->info.pid()
              << " (" << leader->member << ")";
  } else {
    LOG(INFO) << "No leading master in ZooKeeper group " << url_.path;
  }
  if (handler_.onLeader) handler_.onLeader(leader);
}

}  // namespace detector
}  // namespace internal
}  // namespace mesos
