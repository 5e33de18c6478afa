#pragma once

// The CRAM-MD5 authenticatee (docs/protocol.md, "Authentication"), using the
// Cyrus SASL client. Each object is one attempt and one libprocess process,
// `crammd5-authenticatee(N)`, on the driver's transport:
//
//   A -> M  AuthenticateMessage{pid = client}
//   X -> A  AuthenticationMechanismsMessage       (X: the master's session process)
//   A -> X  AuthenticationStartMessage{mechanism, data}
//   X -> A  AuthenticationStepMessage{challenge}  (A answers each with a step)
//   X -> A  AuthenticationCompleted | Failed | ErrorMessage
//
// Every input is untrusted. The session is whoever sent the mechanisms, and it
// must live at the master's address; after that only X is listened to. Before
// it, only the master itself may end the attempt (an `AuthenticationErrorMessage`
// such as "No authenticator loaded"). Anything from another sender is ignored
// with a VLOG(1) line. A malformed or out-of-order message from the peer, or a
// SASL error, fails the attempt (transient: the driver retries).
//
// Runs on: the transport's thread. Lifetime: see authenticatee.hpp.

#include <memory>

#include "auth/authenticatee.hpp"

namespace mesos {
namespace internal {
namespace auth {

class CramMd5Authenticatee : public Authenticatee {
 public:
  CramMd5Authenticatee(boost::asio::io_context& io, process::Transport& transport);
  ~CramMd5Authenticatee() override;

  void authenticate(const process::UPID& master, const process::UPID& client,
                    const Credential& credential, Done done) override;
  process::UPID self() const override;

 private:
  class Process;
  // Shared with the transport's message handler, so that a handler running
  // while its owner destroys this attempt still finds live state.
  std::shared_ptr<Process> process_;
};

}  // namespace auth
}  // namespace internal
}  // namespace mesos
