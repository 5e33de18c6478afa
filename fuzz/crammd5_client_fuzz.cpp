// libFuzzer target for the driver's side of CRAM-MD5: the authenticatee
// (src/auth/crammd5_authenticatee.cpp) and the Cyrus SASL client behind it
// (src/auth/sasl_client.cpp), in one attempt fed arbitrary inbound messages
// from arbitrary senders in arbitrary order. The authenticatee is tied to a
// Transport, so it runs on a real io_context and the socket-free transport of
// fake_transport.hpp: no sockets, no threads; what it posts runs when the
// script polls.
//
// Input: [flags] then operations until the end of the input:
//   0 [sender][name][body]  deliver a message to the attempt's process
//   1                       poll the io_context (posted handlers run)
//   2 [b]                   from now on sends fail iff b is odd
//   3                       destroy the authenticatee (the driver gives up)
// flags: bits 0-1 pick the credential, bit 2 fails the opening send, bit 3
// destroys the authenticatee from inside its `done` (as the driver does).
// sender % 128 indexes kSenders, and with bit 7 set the body gets 64 KiB of
// zeros appended (past the authenticatee's size limit); name indexes kNames (a
// byte >= 0xf0 reads a name of its own instead); bodies have a 2-byte length
// (fuzz_input.hpp).
//
// Oracles, besides the sanitizers:
//  - `done` runs at most once, never inside authenticate(), never after the
//    authenticatee is destroyed, and nothing is sent after it;
//  - every message sent is the attempt's: an AuthenticateMessage{pid =
//    client} to the master first, then only to the peer (the sender of the
//    accepted mechanisms): one AuthenticationStartMessage{CRAM-MD5, ""}, then
//    steps; every body parses as its type;
//  - the sender rules of crammd5_authenticatee.hpp: before the mechanisms only
//    mechanisms from the master's address or an outcome from the master itself
//    count, after them only the peer; anything else changes nothing;
//  - the outcome follows the message that ended the attempt (Completed from
//    the peer: authenticated; Failed: refused; anything else: failed), and
//    those messages do end it; the reason is empty iff authenticated, bounded,
//    and never holds the secret;
//  - the answer to the first challenge is "principal hex(HMAC-MD5(secret,
//    challenge))" as src/auth/crammd5_server.cpp computes it with OpenSSL: the
//    SASL client and the master's verifier agree on every challenge.

#include <glog/logging.h>
#include <mesos/authentication/authentication.pb.h>

#include <boost/asio/io_context.hpp>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "auth/crammd5_authenticatee.hpp"
#include "auth/crammd5_server.hpp"
#include "fake_transport.hpp"
#include "fuzz_input.hpp"

namespace {

using namespace mesos;
using namespace mesos::internal;
using fuzz::FuzzInput;
using process::Message;
using process::UPID;

constexpr char kMechanisms[] = "mesos.internal.AuthenticationMechanismsMessage";
constexpr char kStart[] = "mesos.internal.AuthenticationStartMessage";
constexpr char kStep[] = "mesos.internal.AuthenticationStepMessage";
constexpr char kCompleted[] = "mesos.internal.AuthenticationCompletedMessage";
constexpr char kFailed[] = "mesos.internal.AuthenticationFailedMessage";
constexpr char kError[] = "mesos.internal.AuthenticationErrorMessage";
constexpr char kAuthenticate[] = "mesos.internal.AuthenticateMessage";
// The authenticatee's limit on an inbound body (crammd5_authenticatee.cpp).
constexpr size_t kMaxBody = 64 * 1024;

constexpr uint32_t kMasterIp = 0x0a000001;  // 10.0.0.1
const UPID kMaster("master", kMasterIp, 5050);
const UPID kClient("scheduler(1)", 0x0a000002, 5051);

// Who may write to the authenticatee: the master, the session the master's
// authenticator would use, and impostors next to and away from it.
const UPID kSenders[] = {
    UPID("crammd5-authenticator-session(1)", kMasterIp, 5050),
    kMaster,
    UPID("crammd5-authenticator-session(2)", kMasterIp, 5050),
    UPID("crammd5-authenticator-session(1)", 0x0a000009, 5050),
    UPID("crammd5-authenticator-session(1)", kMasterIp, 5051),
    UPID(),
};

const char* const kNames[] = {
    kMechanisms, kStep, kCompleted, kFailed, kError, kAuthenticate, kStart,
    "mesos.internal.SomethingElse",
};

struct TestCredential {
  const char* principal;
  const char* secret;
};
const TestCredential kCredentials[] = {
    {"alice", "fuzz-secret-a1ic3"},
    {"tim", "tanstaaftanstaaf"},  // RFC 2195's example.
    {"principal with spaces", "s3cr3t with spaces"},
    {"bob", ""},
};

bool sameAddress(const UPID& a, const UPID& b) { return a.ip == b.ip && a.port == b.port; }

template <typename T>
bool parses(const std::string& body, T* message) {
  return message->ParseFromString(body);
}

class Harness {
 public:
  Harness(FuzzInput& in, bool inputHasSecret)
      : in_(in), inputHasSecret_(inputHasSecret), transport_(io_, options()) {}

  void run() {
    const uint8_t flags = in_.byte();
    const TestCredential& c = kCredentials[flags & 3];
    credential_.set_principal(c.principal);
    credential_.set_secret(c.secret);
    destroyInDone_ = (flags & 8) != 0;
    openingFails_ = (flags & 4) != 0;
    net().failSends = openingFails_;

    authenticatee_ = std::make_unique<auth::CramMd5Authenticatee>(io_, transport_);
    self_ = authenticatee_->self();
    inAuthenticate_ = true;
    authenticatee_->authenticate(kMaster, kClient, credential_,
                                 [this](auth::Outcome outcome, const std::string& reason) {
                                   onDone(outcome, reason);
                                 });
    inAuthenticate_ = false;
    FUZZ_CHECK(dones_ == 0);
    if (!net().failSends) {
      FUZZ_CHECK(net().sent.size() == 1);
      const Message& opening = net().sent[0];
      FUZZ_CHECK(opening.from == self_ && opening.to == kMaster && opening.name == kAuthenticate);
      AuthenticateMessage message;
      FUZZ_CHECK(parses(opening.body, &message) && message.pid() == kClient.toString());
    } else {
      FUZZ_CHECK(net().sent.empty());
    }
    checked_ = net().sent.size();

    while (!in_.done()) {
      switch (in_.byte() % 4) {
        case 0:
          deliver();
          break;
        case 1:
          poll();
          break;
        case 2:
          net().failSends = (in_.byte() & 1) != 0;
          break;
        case 3:
          destroy();
          break;
      }
    }
    poll();
    destroy();
    poll();
    FUZZ_CHECK(net().processCount() == 0);
  }

 private:
  static process::TransportOptions options() {
    process::TransportOptions o;
    o.advertiseIp = "10.0.0.2";
    o.advertisePort = 5051;
    return o;
  }

  fuzz::FakeTransport& net() { return fuzz::fake(transport_); }
  bool over() const { return dones_ > 0 || destroyed_; }

  void onDone(auth::Outcome outcome, const std::string& reason) {
    FUZZ_CHECK(!inAuthenticate_);
    FUZZ_CHECK(!destroyed_);
    FUZZ_CHECK(++dones_ == 1);
    FUZZ_TRACE("done: %s '%s'\n", auth::outcomeName(outcome), reason.c_str());
    outcome_ = outcome;
    FUZZ_CHECK(reason.empty() == (outcome == auth::Outcome::kAuthenticated));
    FUZZ_CHECK(reason.size() <= 512 + lastName_.size());
    const std::string secret = credential_.secret();
    if (secret.size() >= 4 && !inputHasSecret_) FUZZ_CHECK(reason.find(secret) == std::string::npos);
    if (destroyInDone_) {
      authenticatee_.reset();
      destroyed_ = true;
    }
  }

  void poll() {
    const size_t dones = dones_;
    io_.restart();
    io_.poll();
    checkNoNewSends();
    // The only thing the authenticatee posts is the report of a failed
    // opening send.
    if (dones_ > dones) FUZZ_CHECK(openingFails_ && outcome_ == auth::Outcome::kFailed);
  }

  void destroy() {
    if (!destroyed_) {
      const size_t dones = dones_;
      authenticatee_.reset();
      destroyed_ = true;
      FUZZ_CHECK(dones_ == dones);
      checkNoNewSends();
      FUZZ_CHECK(net().processCount() == 0);
    }
  }

  void checkNoNewSends() { FUZZ_CHECK(net().sent.size() == checked_); }

  void deliver() {
    Message m;
    const uint8_t senderByte = in_.byte();
    m.from = kSenders[(senderByte & 0x7f) % (sizeof(kSenders) / sizeof(kSenders[0]))];
    const uint8_t nameByte = in_.byte();
    m.name = nameByte >= 0xf0 ? in_.shortBytes()
                              : kNames[nameByte % (sizeof(kNames) / sizeof(kNames[0]))];
    m.body = in_.bytes();
    // Inputs are far smaller than the size limit; reach it by padding.
    if (senderByte & 0x80) m.body.resize(m.body.size() + kMaxBody + 1, '\0');
    m.to = self_;
    lastName_ = m.name;

    const bool wasOver = over();
    const std::optional<UPID> peer = peer_;
    bool mayAct;
    if (wasOver) {
      mayAct = false;
    } else if (!peer) {
      mayAct = (m.name == kMechanisms && sameAddress(m.from, kMaster)) ||
               (m.from == kMaster &&
                (m.name == kError || m.name == kFailed || m.name == kStep || m.name == kCompleted));
    } else {
      mayAct = m.from == *peer;
    }
    const size_t dones = dones_;
    const Message copy = m;
    FUZZ_TRACE("deliver %s from %s (%zu bytes)%s\n", copy.name.c_str(),
               copy.from.toString().c_str(), copy.body.size(), mayAct ? "" : ", to be ignored");
    const bool delivered = net().deliver(std::move(m));
    // An attempt that is over has left the transport.
    FUZZ_CHECK(delivered == !wasOver);

    if (!mayAct) {
      checkNoNewSends();
      FUZZ_CHECK(dones_ == dones);
      return;
    }
    const bool ended = dones_ > dones;
    const bool small = copy.body.size() <= kMaxBody;
    std::vector<Message>& sent = net().sent;
    FUZZ_CHECK(sent.size() <= checked_ + 1);
    if (sent.size() == checked_ + 1) {
      const Message& out = sent.back();
      FUZZ_TRACE("sent %s to %s\n", out.name.c_str(), out.to.toString().c_str());
      FUZZ_CHECK(out.from == self_);
      FUZZ_CHECK(!ended);  // A send that went out did not fail the attempt.
      if (!peer) {
        // The accepted mechanisms: the start goes to their sender, who is the
        // peer from now on.
        FUZZ_CHECK(copy.name == kMechanisms && small);
        FUZZ_CHECK(out.to == copy.from && out.name == kStart);
        AuthenticationStartMessage start;
        FUZZ_CHECK(parses(out.body, &start));
        FUZZ_CHECK(start.mechanism() == "CRAM-MD5" && start.has_data() && start.data().empty());
        peer_ = copy.from;
      } else {
        FUZZ_CHECK(copy.name == kStep && small);
        FUZZ_CHECK(out.to == *peer && out.name == kStep);
        AuthenticationStepMessage reply;
        FUZZ_CHECK(parses(out.body, &reply));
        AuthenticationStepMessage challenge;
        FUZZ_CHECK(parses(copy.body, &challenge));
        if (++answered_ == 1) {
          FUZZ_CHECK(reply.data() == credential_.principal() + " " +
                                         auth::cramMd5Digest(credential_.secret(),
                                                             challenge.data()));
        }
      }
      checked_ = sent.size();
    }
    if (ended) {
      const bool byPeer = peer.has_value();
      if (outcome_ == auth::Outcome::kAuthenticated) {
        FUZZ_CHECK(byPeer && copy.name == kCompleted);
      }
      if (outcome_ == auth::Outcome::kRefused) FUZZ_CHECK(copy.name == kFailed);
    }
    // The messages that end an attempt do end it.
    if (copy.name == kCompleted && peer && small) {
      FUZZ_CHECK(ended && outcome_ == auth::Outcome::kAuthenticated);
    }
    if (copy.name == kFailed && (small || !peer)) {
      FUZZ_CHECK(ended && outcome_ == auth::Outcome::kRefused);
    }
    if (copy.name == kError && (small || !peer)) {
      FUZZ_CHECK(ended && outcome_ == auth::Outcome::kFailed);
    }
    if (!peer && (copy.name == kStep || copy.name == kCompleted)) {
      FUZZ_CHECK(ended && outcome_ == auth::Outcome::kFailed);  // Before the mechanisms.
    }
    if (peer && small && copy.name != kStep && copy.name != kCompleted && copy.name != kFailed &&
        copy.name != kError && copy.name != kMechanisms) {
      FUZZ_CHECK(!ended && sent.size() == checked_);  // Other names are ignored.
    }
  }

  FuzzInput& in_;
  const bool inputHasSecret_;
  boost::asio::io_context io_;
  process::Transport transport_;
  Credential credential_;
  std::unique_ptr<auth::CramMd5Authenticatee> authenticatee_;
  UPID self_;
  std::optional<UPID> peer_;
  bool inAuthenticate_ = false;
  bool destroyInDone_ = false;
  bool openingFails_ = false;
  bool destroyed_ = false;
  size_t dones_ = 0;
  auth::Outcome outcome_ = auth::Outcome::kFailed;
  size_t checked_ = 0;  // Sends already checked.
  size_t answered_ = 0;
  std::string lastName_;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quietLibraries();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bool inputHasSecret = false;
  for (const TestCredential& c : kCredentials) {
    const size_t n = std::strlen(c.secret);
    inputHasSecret |= n > 0 && memmem(data, size, c.secret, n) != nullptr;
  }
  FuzzInput in(data, size);
  Harness(in, inputHasSecret).run();
  return 0;
}
