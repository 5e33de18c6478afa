#include "auth/crammd5_authenticator.hpp"

#include <glog/logging.h>

#include <boost/asio/steady_timer.hpp>

#include "auth/crammd5_server.hpp"
#include "common/hostname.hpp"

namespace mesos {
namespace internal {
namespace auth {

using process::Message;
using process::UPID;

namespace {

// The host part of our challenges (Cyrus style `<random.time@host>`).
std::string challengeHost() {
  const std::string host = localHostname();
  return host.empty() ? "localhost" : host;
}

}  // namespace

class CramMd5Authenticator::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(CramMd5Authenticator& owner, UPID self, UPID authenticatee, UPID client)
      : owner_(owner),
        self_(std::move(self)),
        authenticatee_(std::move(authenticatee)),
        client_(std::move(client)),
        machine_(owner.credentials_, owner.hostname_),
        timer_(owner.io_) {}

  const UPID& client() const { return client_; }

  void start() {
    std::weak_ptr<Session> weak = shared_from_this();
    owner_.transport_.addProcess(self_.id, [weak](Message&& message) {
      if (auto self = weak.lock()) self->onMessage(std::move(message));
    });
    // An authenticatee that goes away cannot finish; do not wait for the timeout.
    link_ = owner_.transport_.link(authenticatee_, [weak](const UPID&) {
      auto self = weak.lock();
      if (!self || self->closed_) return;
      self->link_.reset();
      LOG(INFO) << "Authentication of " << self->client_ << " failed: lost the authenticatee "
                << self->authenticatee_;
      self->owner_.end(self->client_.toString(), std::nullopt);
    });
    timer_.expires_after(owner_.timeout_);
    timer_.async_wait([weak](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->closed_) return;
      LOG(WARNING) << "Authentication of " << self->client_ << " timed out after "
                   << self->owner_.timeout_.count() << " ms; discarding the attempt";
      self->owner_.end(self->client_.toString(), std::nullopt);
    });
    apply(machine_.begin());
  }

  // Goes quiet: no more messages, link or timer callbacks.
  void close() {
    if (closed_) return;
    closed_ = true;
    owner_.transport_.removeProcess(self_.id);
    if (link_) owner_.transport_.unlink(*link_);
    link_.reset();
    timer_.cancel();
  }

 private:
  void onMessage(Message&& m) {
    if (closed_) return;
    if (m.from != authenticatee_) {
      VLOG(1) << "Ignoring " << m.name << " from " << m.from << " in " << self_
              << ": not the authenticatee (" << authenticatee_ << ")";
      return;
    }
    apply(machine_.onMessage(m.name, m.body));
  }

  void apply(CramMd5ServerSession::Output out) {
    if (out.reply) {
      std::string body;
      out.reply->SerializePartialToString(&body);
      Try<Nothing> sent =
          owner_.transport_.send(self_, authenticatee_, out.reply->GetTypeName(), body);
      if (sent.isError()) {
        LOG(WARNING) << "Failed to send " << out.reply->GetTypeName() << " to " << authenticatee_
                     << ": " << sent.error();
      }
    }
    switch (out.result) {
      case CramMd5ServerSession::Result::kContinue:
        return;
      case CramMd5ServerSession::Result::kAuthenticated:
        LOG(INFO) << "Authenticated " << client_ << " as principal '" << out.principal << "'";
        owner_.end(client_.toString(), out.principal);
        return;
      case CramMd5ServerSession::Result::kRefused:
        LOG(INFO) << "Authentication of " << client_ << " refused: " << out.why;
        owner_.end(client_.toString(), std::nullopt);
        return;
      case CramMd5ServerSession::Result::kError:
        LOG(WARNING) << "Authentication of " << client_ << " failed: " << out.why;
        owner_.end(client_.toString(), std::nullopt);
        return;
    }
  }

  CramMd5Authenticator& owner_;
  const UPID self_;
  const UPID authenticatee_;
  const UPID client_;
  CramMd5ServerSession machine_;
  boost::asio::steady_timer timer_;
  std::optional<process::Transport::LinkId> link_;
  bool closed_ = false;
};

CramMd5Authenticator::CramMd5Authenticator(boost::asio::io_context& io,
                                           process::Transport& transport, CredentialMap credentials,
                                           std::chrono::milliseconds timeout, Finished finished)
    : io_(io),
      transport_(transport),
      credentials_(std::move(credentials)),
      timeout_(timeout),
      finished_(std::move(finished)),
      hostname_(challengeHost()) {}

CramMd5Authenticator::~CramMd5Authenticator() {
  for (auto& entry : sessions_) entry.second->close();
}

void CramMd5Authenticator::authenticate(const UPID& authenticatee, const UPID& client) {
  const std::string key = client.toString();
  auto previous = sessions_.find(key);
  if (previous != sessions_.end()) {
    LOG(INFO) << "Discarding the authentication in progress for " << client
              << ": a new attempt started";
    previous->second->close();
    sessions_.erase(previous);
  }
  const UPID self =
      transport_.self("crammd5-authenticator-session(" + std::to_string(++nextSession_) + ")");
  VLOG(1) << "Authenticating " << client << " through " << authenticatee << " in " << self;
  auto session = std::make_shared<Session>(*this, self, authenticatee, client);
  sessions_[key] = session;
  session->start();
}

bool CramMd5Authenticator::authenticating(const UPID& client) const {
  return sessions_.count(client.toString()) > 0;
}

void CramMd5Authenticator::end(const std::string& client,
                               const std::optional<std::string>& principal) {
  auto it = sessions_.find(client);
  if (it == sessions_.end()) return;
  // Kept alive to the end of this call: we may be inside one of its handlers.
  std::shared_ptr<Session> session = it->second;
  sessions_.erase(it);
  session->close();
  if (finished_) finished_(session->client(), principal);
}

}  // namespace auth
}  // namespace internal
}  // namespace mesos
