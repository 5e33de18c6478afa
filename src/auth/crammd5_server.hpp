#pragma once

// The server side of CRAM-MD5 (RFC 2195) as the simulated master speaks it
// (docs/protocol.md, "Authentication"), written independently of the client:
// OpenSSL HMAC-MD5, no SASL. `CramMd5ServerSession` is sans-I/O: it is fed the
// messages of one attempt and returns what to answer; crammd5_authenticator.hpp
// carries the bytes.
//
// Threads: any; a session is used by one thread at a time.

#include <google/protobuf/message.h>

#include <memory>
#include <optional>
#include <string>

#include "auth/credentials.hpp"

namespace mesos {
namespace internal {
namespace auth {

// hex(HMAC-MD5(key = secret, message = challenge)): 32 lowercase hex digits.
std::string cramMd5Digest(const std::string& secret, const std::string& challenge);

// A fresh challenge in the style of Cyrus SASL, `<random.timestamp@hostname>`.
std::string makeCramMd5Challenge(const std::string& hostname);

// Checks `response` ("principal digest", split at the last space) against
// `challenge`; the principal if it holds a listed secret. The digests are
// compared in constant time, and an unknown principal costs the same work.
std::optional<std::string> verifyCramMd5Response(const CredentialMap& credentials,
                                                 const std::string& challenge,
                                                 const std::string& response);

class CramMd5ServerSession {
 public:
  enum class Result {
    kContinue,       // Waiting for the authenticatee's next message.
    kAuthenticated,  // `principal` proved it holds its secret.
    kRefused,        // Wrong principal or secret.
    kError,          // A protocol violation; the attempt is over.
  };
  struct Output {
    Result result = Result::kContinue;
    // What to send to the authenticatee, if anything.
    std::unique_ptr<google::protobuf::Message> reply;
    std::string principal;  // With kAuthenticated.
    std::string why;        // With kRefused and kError, for the log.
  };

  // `credentials` must outlive the session.
  CramMd5ServerSession(const CredentialMap& credentials, std::string hostname);

  // The opening move: AuthenticationMechanismsMessage{["CRAM-MD5"]}.
  Output begin();
  // One message from the authenticatee. Unknown names are ignored (kContinue,
  // no reply); a malformed or out-of-order one ends the attempt with
  // AuthenticationErrorMessage.
  Output onMessage(const std::string& name, const std::string& body);

 private:
  enum class State { kNew, kWaitingStart, kWaitingResponse, kDone };
  Output error(const std::string& text);
  Output onStart(const std::string& body);
  Output onStep(const std::string& body);

  const CredentialMap& credentials_;
  const std::string hostname_;
  std::string challenge_;
  State state_ = State::kNew;
};

}  // namespace auth
}  // namespace internal
}  // namespace mesos
