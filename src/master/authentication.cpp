// The simulated master's side of framework authentication: who is
// authenticated as which principal, subscriptions parked during an attempt,
// and the checks a subscription must pass. The CRAM-MD5 exchange
// itself is src/auth/crammd5_authenticator.cpp.

#include <glog/logging.h>
#include <mesos/authentication/authentication.pb.h>

#include "auth/crammd5_authenticator.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::Message;
using process::UPID;

void SimulatedMaster::startAuthenticator() {
  authenticator_ = std::make_unique<auth::CramMd5Authenticator>(
      io_, *transport_, auth::toCredentialMap(options_.credentials), options_.authenticationTimeout,
      [this](const UPID& client, const std::optional<std::string>& principal) {
        onAuthenticationFinished(client, principal);
      });
  if (options_.authenticateFrameworks) {
    LOG(INFO) << "Frameworks must authenticate (CRAM-MD5, " << options_.credentials.size()
              << " credential(s))";
  }
}

void SimulatedMaster::onAuthenticate(const Message& m) {
  internal::AuthenticateMessage message;
  if (!message.ParseFromString(m.body)) {
    LOG(WARNING) << "Dropping AuthenticateMessage from " << m.from << ": malformed protobuf";
    return;
  }
  Try<UPID> client = UPID::parse(message.pid(), UPID::Resolve::kNumericOnly);
  if (client.isError()) {
    LOG(WARNING) << "Dropping AuthenticateMessage from " << m.from
                 << ": unusable 'pid': " << client.error();
    return;
  }
  // A framework re-authenticates before every (re-)registration, so whatever
  // it proved before no longer counts.
  authenticated_.erase(client->toString());
  authenticator_->authenticate(m.from, client.get());
}

bool SimulatedMaster::parkWhileAuthenticating(const UPID& from, std::function<void()> replay) {
  if (!authenticator_ || !authenticator_->authenticating(from)) return false;
  std::vector<std::function<void()>>& parked = parked_[from.toString()];
  // A driver retries a subscription every few seconds; more than this many
  // during one attempt is a flood, not a framework.
  constexpr size_t kMaxParked = 64;
  if (parked.size() >= kMaxParked) {
    LOG(WARNING) << "Dropping a subscription of " << from << ": " << kMaxParked
                 << " already wait for its authentication";
    return true;
  }
  VLOG(1) << "Parking the subscription of " << from << " until its authentication ends";
  parked.push_back(std::move(replay));
  return true;
}

void SimulatedMaster::onAuthenticationFinished(const UPID& client,
                                               const std::optional<std::string>& principal) {
  if (stopped_) return;
  if (principal) authenticated_[client.toString()] = *principal;
  auto it = parked_.find(client.toString());
  if (it == parked_.end()) return;
  std::vector<std::function<void()>> replays = std::move(it->second);
  parked_.erase(it);
  // In arrival order; one may park again if a new attempt has started since.
  for (auto& replay : replays) replay();
}

bool SimulatedMaster::checkAuthentication(const UPID& from, FrameworkInfo* info) {
  auto it = authenticated_.find(from.toString());
  if (it == authenticated_.end()) {
    // CRAM-MD5 is for libprocess frameworks; HTTP ones authenticate each
    // request (http_api.cpp).
    if (!options_.authenticateFrameworks || isHttpScheduler(from)) return true;
    sendFrameworkError(from, "Framework at " + from.toString() + " is not authenticated");
    return false;
  }
  const std::string& principal = it->second;
  if (info->has_principal() && info->principal() != principal) {
    sendFrameworkError(from, "Framework principal '" + info->principal() +
                                 "' does not match authenticated principal '" + principal + "'");
    return false;
  }
  if (!info->has_principal()) info->set_principal(principal);
  return true;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
