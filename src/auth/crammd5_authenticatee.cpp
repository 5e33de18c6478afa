#include "auth/crammd5_authenticatee.hpp"

#include <glog/logging.h>
#include <mesos/authentication/authentication.pb.h>

#include <atomic>
#include <boost/asio/post.hpp>

#include "auth/sasl_client.hpp"

namespace mesos {
namespace internal {
namespace auth {

using process::Message;
using process::UPID;

namespace {

constexpr char kMechanism[] = "CRAM-MD5";
// Every handshake message is tiny; a larger one is garbage, not a challenge.
constexpr size_t kMaxMessageBytes = 64 * 1024;

constexpr char kMechanismsName[] = "mesos.internal.AuthenticationMechanismsMessage";
constexpr char kStepName[] = "mesos.internal.AuthenticationStepMessage";
constexpr char kCompletedName[] = "mesos.internal.AuthenticationCompletedMessage";
constexpr char kFailedName[] = "mesos.internal.AuthenticationFailedMessage";
constexpr char kErrorName[] = "mesos.internal.AuthenticationErrorMessage";

// Generated ids follow libprocess's `<prefix>(<n>)`, counted per OS process.
std::string nextId() {
  static std::atomic<uint64_t> counter{0};
  return "crammd5-authenticatee(" + std::to_string(++counter) + ")";
}

bool sameAddress(const UPID& a, const UPID& b) { return a.ip == b.ip && a.port == b.port; }

}  // namespace

class CramMd5Authenticatee::Process : public std::enable_shared_from_this<Process> {
 public:
  Process(boost::asio::io_context& io, process::Transport& transport)
      : io_(io), transport_(transport), self_(transport.self(nextId())) {}

  const UPID& self() const { return self_; }

  void start(const UPID& master, const UPID& client, const Credential& credential, Done done) {
    master_ = master;
    credential_ = credential;
    done_ = std::move(done);
    state_ = State::kWaitingMechanisms;
    std::weak_ptr<Process> weak = shared_from_this();
    transport_.addProcess(self_.id, [weak](Message&& message) {
      if (auto self = weak.lock()) self->onMessage(std::move(message));
    });
    VLOG(1) << "Authenticatee " << self_ << " asking " << master_ << " to authenticate " << client;
    AuthenticateMessage message;
    message.set_pid(client.toString());
    if (!send(master_, message)) {
      // Reported later: `done` must not run inside authenticate().
      boost::asio::post(io_, [weak] {
        if (auto self = weak.lock()) self->finish(Outcome::kFailed, "cannot reach the master");
      });
    }
  }

  // The owner gave up on this attempt: go quiet at once.
  void cancel() {
    if (state_ == State::kDone) return;
    state_ = State::kDone;
    done_ = nullptr;
    credential_.Clear();
    transport_.removeProcess(self_.id);
    sasl_.reset();
  }

 private:
  enum class State { kIdle, kWaitingMechanisms, kStepping, kDone };

  void onMessage(Message&& m) {
    if (state_ == State::kDone) return;
    const bool fromPeer = state_ == State::kStepping && m.from == peer_;
    if (state_ == State::kWaitingMechanisms && m.name == kMechanismsName) {
      // The session is on the master's libprocess instance; nobody else may
      // take the master's part.
      if (!sameAddress(m.from, master_)) {
        VLOG(1) << "Ignoring " << m.name << " from " << m.from << ": not at the master's address "
                << master_.address();
        return;
      }
      if (tooLarge(m)) return;
      peer_ = m.from;
      onMechanisms(m.body);
      return;
    }
    if (state_ == State::kWaitingMechanisms && m.from == master_) {
      // The master answers an AuthenticateMessage itself when it cannot
      // authenticate at all ("No authenticator loaded").
      if (m.name == kErrorName || m.name == kFailedName) {
        onOutcome(m);
      } else if (m.name == kStepName || m.name == kCompletedName) {
        fail("unexpected " + m.name + " before the mechanisms");
      } else {
        VLOG(1) << "Ignoring unexpected message '" << m.name << "' from " << m.from;
      }
      return;
    }
    if (!fromPeer) {
      VLOG(1) << "Ignoring " << m.name << " from " << m.from << ": not the authenticator"
              << (peer_.empty() ? std::string() : " (" + peer_.toString() + ")");
      return;
    }
    if (tooLarge(m)) return;
    if (m.name == kStepName) {
      onStep(m.body);
    } else if (m.name == kCompletedName || m.name == kFailedName || m.name == kErrorName) {
      onOutcome(m);
    } else if (m.name == kMechanismsName) {
      fail("unexpected second AuthenticationMechanismsMessage");
    } else {
      VLOG(1) << "Ignoring unexpected message '" << m.name << "' from " << m.from;
    }
  }

  bool tooLarge(const Message& m) {
    if (m.body.size() <= kMaxMessageBytes) return false;
    fail(m.name + " of " + std::to_string(m.body.size()) + " bytes is too large");
    return true;
  }

  void onMechanisms(const std::string& body) {
    AuthenticationMechanismsMessage message;
    if (!message.ParseFromString(body)) return fail("malformed AuthenticationMechanismsMessage");
    bool offered = false;
    for (const std::string& mechanism : message.mechanisms()) offered |= mechanism == kMechanism;
    if (!offered) {
      return fail("the master offers " + std::to_string(message.mechanisms_size()) +
                  " mechanism(s), none of them CRAM-MD5");
    }
    Try<std::unique_ptr<SaslClient>> client =
        SaslClient::create("mesos", process::formatIp(master_.ip), credential_);
    if (client.isError()) return fail(client.error());
    sasl_ = std::move(client).get();
    credential_.clear_secret();  // SASL holds its own copy until the attempt ends.
    Try<SaslClient::Started> started = sasl_->start(kMechanism);
    if (started.isError()) return fail(started.error());

    AuthenticationStartMessage start;
    start.set_mechanism(started->mechanism.empty() ? kMechanism : started->mechanism);
    start.set_data(started->data);  // Present even when empty: CRAM-MD5 is server-first.
    state_ = State::kStepping;
    if (!send(peer_, start)) fail("cannot reach the authenticator");
  }

  void onStep(const std::string& body) {
    AuthenticationStepMessage message;
    if (!message.ParseFromString(body)) return fail("malformed AuthenticationStepMessage");
    Try<std::string> response = sasl_->step(message.data());
    if (response.isError()) return fail(response.error());
    AuthenticationStepMessage reply;
    reply.set_data(response.get());
    if (!send(peer_, reply)) fail("cannot reach the authenticator");
  }

  void onOutcome(const Message& m) {
    if (m.name == kCompletedName) {
      finish(Outcome::kAuthenticated, "");
    } else if (m.name == kFailedName) {
      finish(Outcome::kRefused, "wrong principal or secret");
    } else {
      // The master's own words, cut short: they end up in our log.
      AuthenticationErrorMessage error;
      const bool parsed = error.ParseFromString(m.body);
      finish(
          Outcome::kFailed,
          "authentication error from the master" +
              (parsed && error.has_error() ? ": " + error.error().substr(0, 256) : std::string()));
    }
  }

  void fail(const std::string& reason) { finish(Outcome::kFailed, reason); }

  void finish(Outcome outcome, const std::string& reason) {
    if (state_ == State::kDone) return;
    Done done = std::move(done_);
    cancel();
    // Last: `done` typically destroys our owner (we stay alive through the
    // handler's reference).
    if (done) done(outcome, reason);
  }

  bool send(const UPID& to, const google::protobuf::Message& message) {
    std::string body;
    message.SerializePartialToString(&body);
    Try<Nothing> sent = transport_.send(self_, to, message.GetTypeName(), body);
    if (sent.isError()) {
      VLOG(1) << "Failed to send " << message.GetTypeName() << " to " << to << ": " << sent.error();
      return false;
    }
    return true;
  }

  boost::asio::io_context& io_;
  process::Transport& transport_;
  const UPID self_;
  UPID master_;
  UPID peer_;  // The authenticator session: the sender of the mechanisms.
  Credential credential_;
  Done done_;
  State state_ = State::kIdle;
  std::unique_ptr<SaslClient> sasl_;
};

CramMd5Authenticatee::CramMd5Authenticatee(boost::asio::io_context& io,
                                           process::Transport& transport)
    : process_(std::make_shared<Process>(io, transport)) {}

CramMd5Authenticatee::~CramMd5Authenticatee() { process_->cancel(); }

void CramMd5Authenticatee::authenticate(const UPID& master, const UPID& client,
                                        const Credential& credential, Done done) {
  process_->start(master, client, credential, std::move(done));
}

UPID CramMd5Authenticatee::self() const { return process_->self(); }

}  // namespace auth
}  // namespace internal
}  // namespace mesos
