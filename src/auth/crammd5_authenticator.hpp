#pragma once

// The master's CRAM-MD5 authenticator (docs/protocol.md, "Authentication"): one
// session process `crammd5-authenticator-session(N)` per attempt on the
// master's transport. Attempts are keyed by the client, the scheduler UPID
// named in the AuthenticateMessage (not its sender): a new attempt for a client
// discards the previous one. A session answers only its authenticatee, links to
// it and ends when that link breaks, and gives up after `timeout`.
//
// Runs on: the transport's thread, for every method and for `Finished`.
// Lifetime: destroying the authenticator ends every session quietly (no
// `Finished`); the transport must outlive it.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "auth/credentials.hpp"
#include "process/transport.hpp"

namespace mesos {
namespace internal {
namespace auth {

class CramMd5Authenticator {
 public:
  // An attempt for `client` ended: with its principal on success, else
  // nothing (refused, error, timeout, lost authenticatee). Not called for an
  // attempt replaced by a newer one for the same client.
  using Finished =
      std::function<void(const process::UPID& client, const std::optional<std::string>& principal)>;

  // With no credentials every attempt is refused.
  CramMd5Authenticator(boost::asio::io_context& io, process::Transport& transport,
                       CredentialMap credentials, std::chrono::milliseconds timeout,
                       Finished finished);
  ~CramMd5Authenticator();
  CramMd5Authenticator(const CramMd5Authenticator&) = delete;
  CramMd5Authenticator& operator=(const CramMd5Authenticator&) = delete;

  // Starts an attempt for `client`, answering `authenticatee` (the sender of
  // the AuthenticateMessage).
  void authenticate(const process::UPID& authenticatee, const process::UPID& client);

  // Whether an attempt for `client` is in progress.
  bool authenticating(const process::UPID& client) const;

 private:
  class Session;
  void end(const std::string& client, const std::optional<std::string>& principal);

  boost::asio::io_context& io_;
  process::Transport& transport_;
  const CredentialMap credentials_;
  const std::chrono::milliseconds timeout_;
  Finished finished_;
  std::string hostname_;
  uint64_t nextSession_ = 0;
  std::map<std::string, std::shared_ptr<Session>> sessions_;  // By client UPID.
};

}  // namespace auth
}  // namespace internal
}  // namespace mesos
