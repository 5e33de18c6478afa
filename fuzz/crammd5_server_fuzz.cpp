// libFuzzer target for the master's side of CRAM-MD5: the authenticator
// (src/auth/crammd5_authenticator.cpp) and its sans-I/O session
// (src/auth/crammd5_server.cpp), fed arbitrary AuthenticateMessages and
// arbitrary messages to its sessions, from arbitrary senders, in arbitrary
// order, with lost links and timeouts. It runs on a real io_context and the
// socket-free transport of fake_transport.hpp: no sockets, no threads.
//
// Input: [flags] then operations until the end of the input:
//   0 [authenticatee][body]        an AuthenticateMessage from an authenticatee,
//                                  handled as src/master/authentication.cpp does
//   1 [session][sender][name][body]  a message to one of the sessions so far
//   2 [session][credential][how]   the session's authenticatee answers its
//                                  challenge: how % 4 = right, wrong secret,
//                                  upper-case digest, digest cut short
//   3 [authenticatee]              the connection to that authenticatee broke
//   4                              poll the io_context (due timers fire)
//   5 [b]                          from now on sends fail iff b is odd
//   6                              destroy the authenticator
// flags: bit 0 gives the authenticator no credentials, bit 1 makes every
// attempt time out at the next poll (else never). A name byte >= 0xf0 reads a
// name of its own; bodies have a 2-byte length (fuzz_input.hpp).
//
// Oracle, besides the sanitizers: a reference model of the protocol of
// crammd5_authenticator.hpp and crammd5_server.hpp, written from those
// comments, predicts after each operation exactly which messages go out (to
// whom, of which type, which error text) and which attempts finish, with which
// principal. In particular: only the right answer to a session's own
// challenge for a listed principal authenticates; a session answers only its
// authenticatee; an attempt replaced by a newer one for the same client, or
// ended by the authenticator's destruction, never reports; nothing is sent or
// reported for a session that is over; challenges look like Cyrus SASL's
// `<digits.digits@host>`; every body parses as its type.

#include <glog/logging.h>
#include <mesos/authentication/authentication.pb.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "auth/crammd5_authenticator.hpp"
#include "auth/crammd5_server.hpp"
#include "common/hostname.hpp"
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

const UPID kAuthenticatees[] = {
    UPID("crammd5-authenticatee(1)", 0x0a000002, 5051),
    UPID("crammd5-authenticatee(2)", 0x0a000002, 5051),
    UPID("crammd5-authenticatee(1)", 0x0a000003, 5051),
};
constexpr size_t kAuthenticateeCount = sizeof(kAuthenticatees) / sizeof(kAuthenticatees[0]);

const char* const kNames[] = {
    kStart, kStep, kMechanisms, kCompleted, kError, "mesos.internal.AuthenticateMessage",
    "mesos.internal.SomethingElse",
};

// What the authenticator holds (unless the flags say none), and one stranger.
const std::pair<const char*, const char*> kCredentials[] = {
    {"alice", "fuzz-secret-a1ic3"},
    {"tim", "tanstaaftanstaaf"},
    {"principal with spaces", "s3cr3t with spaces"},
    {"bob", ""},
    {"mallory", "not-listed"},
};
constexpr size_t kListed = 4;

template <typename T>
bool parses(const std::string& body, T* message) {
  return message->ParseFromString(body);
}

struct Sent {
  std::string from, to, name, error;  // `error`: the text of an error message.
  bool operator<(const Sent& o) const {
    return std::tie(from, to, name, error) < std::tie(o.from, o.to, o.name, o.error);
  }
  bool operator==(const Sent& o) const {
    return std::tie(from, to, name, error) == std::tie(o.from, o.to, o.name, o.error);
  }
};
using Report = std::pair<std::string, std::optional<std::string>>;  // client, principal

class Harness {
 public:
  explicit Harness(FuzzInput& in) : in_(in), transport_(io_, options()) {}

  void run() {
    const uint8_t flags = in_.byte();
    if ((flags & 1) == 0) {
      for (size_t i = 0; i < kListed; ++i) credentials_[kCredentials[i].first] = kCredentials[i].second;
    }
    const auto timeout = (flags & 2) ? std::chrono::milliseconds(0) : std::chrono::hours(1);
    timesOut_ = (flags & 2) != 0;
    authenticator_ = std::make_unique<auth::CramMd5Authenticator>(
        io_, transport_, credentials_, timeout,
        [this](const UPID& client, const std::optional<std::string>& principal) {
          reports_.emplace_back(client.toString(), principal);
        });

    while (!in_.done()) {
      switch (in_.byte() % 7) {
        case 0:
          authenticate();
          break;
        case 1:
          deliver();
          break;
        case 2:
          answer();
          break;
        case 3:
          breakLink();
          break;
        case 4:
          poll();
          break;
        case 5:
          net().failSends = (in_.byte() & 1) != 0;
          break;
        case 6:
          destroy();
          break;
      }
    }
    poll();
    destroy();
    poll();
  }

 private:
  struct Session {
    UPID self, authenticatee, client;
    enum class State { kWaitingStart, kWaitingResponse, kOver } state = State::kWaitingStart;
    std::string challenge;
  };

  static process::TransportOptions options() {
    process::TransportOptions o;
    o.advertiseIp = "10.0.0.1";
    o.advertisePort = 5050;
    return o;
  }

  fuzz::FakeTransport& net() { return fuzz::fake(transport_); }

  // Expectations of the operation under way, checked by settle().
  void expectSend(const Session& s, const std::string& name, const std::string& error = "") {
    if (!net().failSends) expectedSends_.push_back({s.self.toString(), s.authenticatee.toString(), name, error});
  }
  void expectReport(Session& s, std::optional<std::string> principal) {
    s.state = Session::State::kOver;
    expectedReports_.emplace_back(s.client.toString(), std::move(principal));
  }
  void expectError(Session& s, const std::string& text) {
    expectSend(s, kError, text);
    expectReport(s, std::nullopt);
  }

  // Compares what happened with the model's expectations, then forgets both.
  void settle(bool ordered) {
    std::vector<Sent> sent;
    for (size_t i = checked_; i < net().sent.size(); ++i) {
      const Message& m = net().sent[i];
      Sent s{m.from.toString(), m.to.toString(), m.name, ""};
      if (m.name == kMechanisms) {
        AuthenticationMechanismsMessage message;
        FUZZ_CHECK(parses(m.body, &message));
        FUZZ_CHECK(message.mechanisms_size() == 1 && message.mechanisms(0) == "CRAM-MD5");
      } else if (m.name == kStep) {
        AuthenticationStepMessage message;
        FUZZ_CHECK(parses(m.body, &message));
        checkChallenge(message.data());
        challenges_[s.from] = message.data();
      } else if (m.name == kError) {
        AuthenticationErrorMessage message;
        FUZZ_CHECK(parses(m.body, &message));
        s.error = message.error();
      } else if (m.name == kCompleted) {
        AuthenticationCompletedMessage message;
        FUZZ_CHECK(parses(m.body, &message));
      } else {
        FUZZ_CHECK(m.name == kFailed);
        AuthenticationFailedMessage message;
        FUZZ_CHECK(parses(m.body, &message));
      }
      FUZZ_TRACE("  sent %s to %s %s\n", s.name.c_str(), s.to.c_str(), s.error.c_str());
      sent.push_back(std::move(s));
    }
    checked_ = net().sent.size();
    if (!ordered) {
      std::sort(sent.begin(), sent.end());
      std::sort(expectedSends_.begin(), expectedSends_.end());
      std::sort(reports_.begin(), reports_.end());
      std::sort(expectedReports_.begin(), expectedReports_.end());
    }
    for (const Report& r : reports_) {
      FUZZ_TRACE("  finished %s: %s\n", r.first.c_str(), r.second ? r.second->c_str() : "-");
    }
    FUZZ_CHECK(sent == expectedSends_);
    FUZZ_CHECK(reports_ == expectedReports_);
    expectedSends_.clear();
    expectedReports_.clear();
    reports_.clear();
    // The challenge of each session the model saw challenged.
    for (auto& entry : sessions_) {
      Session& s = entry.second;
      if (s.state == Session::State::kWaitingResponse && s.challenge.empty()) {
        auto it = challenges_.find(s.self.toString());
        if (it != challenges_.end()) s.challenge = it->second;
      }
    }
    for (const auto& entry : current_) {
      const bool live = sessions_.at(entry.second).state != Session::State::kOver;
      Try<UPID> client = UPID::parse(entry.first, UPID::Resolve::kNumericOnly);
      FUZZ_CHECK(client.isSome());
      FUZZ_CHECK(authenticator_ == nullptr ? !live
                                           : authenticator_->authenticating(client.get()) == live);
    }
    if (authenticator_ == nullptr) FUZZ_CHECK(net().processCount() == 0 && net().linkCount() == 0);
  }

  // `<random.seconds@host>`, as Cyrus SASL's server makes them.
  void checkChallenge(const std::string& c) {
    const std::string host = localHostname().empty() ? "localhost" : localHostname();
    const std::string tail = "@" + host + ">";
    FUZZ_CHECK(c.size() > tail.size() + 3 && c.front() == '<');
    FUZZ_CHECK(c.compare(c.size() - tail.size(), tail.size(), tail) == 0);
    const std::string numbers = c.substr(1, c.size() - 1 - tail.size());
    const size_t dot = numbers.find('.');
    FUZZ_CHECK(dot != std::string::npos && dot > 0 && dot + 1 < numbers.size());
    FUZZ_CHECK(numbers.find_first_not_of("0123456789.") == std::string::npos);
    FUZZ_CHECK(numbers.find('.', dot + 1) == std::string::npos);
  }

  void authenticate() {
    const UPID& from = kAuthenticatees[in_.byte() % kAuthenticateeCount];
    const std::string body = in_.bytes();
    if (authenticator_ == nullptr) return;
    // As SimulatedMaster::onAuthenticate (src/master/authentication.cpp).
    AuthenticateMessage message;
    if (!message.ParseFromString(body)) return;
    Try<UPID> client = UPID::parse(message.pid(), UPID::Resolve::kNumericOnly);
    if (client.isError()) return;

    const std::string key = client->toString();
    auto previous = current_.find(key);
    if (previous != current_.end()) {
      // Replaced: quiet from now on, and never reported.
      sessions_.at(previous->second).state = Session::State::kOver;
    }
    Session s;
    s.self = UPID("crammd5-authenticator-session(" + std::to_string(++sessionCount_) + ")",
                  0x0a000001, 5050);
    s.authenticatee = from;
    s.client = client.get();
    expectSend(s, kMechanisms);
    sessions_[sessionCount_] = s;
    current_[key] = sessionCount_;
    order_.push_back(sessionCount_);
    FUZZ_TRACE("authenticate %s through %s in %s\n", key.c_str(), from.toString().c_str(),
               s.self.id.c_str());
    authenticator_->authenticate(from, client.get());
    settle(true);
  }

  // A session chosen by the input among those created so far.
  Session* pick() {
    const uint8_t b = in_.byte();
    if (order_.empty()) return nullptr;
    return &sessions_.at(order_[b % order_.size()]);
  }

  void deliver() {
    Session* s = pick();
    const uint8_t senderByte = in_.byte();
    const uint8_t nameByte = in_.byte();
    const std::string name =
        nameByte >= 0xf0 ? in_.shortBytes() : kNames[nameByte % (sizeof(kNames) / sizeof(kNames[0]))];
    const std::string body = in_.bytes();
    if (s == nullptr) return;
    UPID from;
    switch (senderByte % 5) {
      case 0: from = s->authenticatee; break;
      case 1: from = UPID("crammd5-authenticatee(9)", s->authenticatee.ip, s->authenticatee.port); break;
      case 2: from = s->client; break;
      case 3: from = UPID(s->authenticatee.id, 0x0a000009, s->authenticatee.port); break;
      case 4: break;
    }
    send(*s, from, name, body);
  }

  void answer() {
    Session* s = pick();
    const auto& credential = kCredentials[in_.byte() % (sizeof(kCredentials) / sizeof(kCredentials[0]))];
    const uint8_t how = in_.byte() % 4;
    if (s == nullptr) return;
    std::string digest =
        auth::cramMd5Digest(how == 1 ? std::string("wrong") : credential.second, s->challenge);
    if (how == 2) {
      for (char& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (how == 3) {
      digest.pop_back();
    }
    AuthenticationStepMessage step;
    step.set_data(std::string(credential.first) + " " + digest);
    send(*s, s->authenticatee, kStep, step.SerializeAsString());
  }

  // Delivers a message to session `s`, predicting its effect first.
  void send(Session& s, const UPID& from, const std::string& name, const std::string& body) {
    const bool live = authenticator_ != nullptr && s.state != Session::State::kOver;
    FUZZ_TRACE("deliver %s from %s to %s\n", name.c_str(), from.toString().c_str(),
               s.self.id.c_str());
    if (live && from == s.authenticatee) model(s, name, body);
    const bool delivered = net().deliver(Message{from, s.self, name, body});
    FUZZ_CHECK(delivered == live);  // A session that is over has left the transport.
    settle(true);
  }

  // CramMd5ServerSession as crammd5_server.hpp describes it.
  void model(Session& s, const std::string& name, const std::string& body) {
    using State = Session::State;
    if (name == kStart) {
      if (s.state != State::kWaitingStart) return expectError(s, "Unexpected authentication 'start' received");
      AuthenticationStartMessage start;
      if (!parses(body, &start)) return expectError(s, "Malformed AuthenticationStartMessage");
      if (start.mechanism() != "CRAM-MD5") return expectError(s, "Unsupported authentication mechanism");
      expectSend(s, kStep);
      s.state = State::kWaitingResponse;
    } else if (name == kStep) {
      if (s.state != State::kWaitingResponse) return expectError(s, "Unexpected authentication 'step' received");
      AuthenticationStepMessage step;
      if (!parses(body, &step)) return expectError(s, "Malformed AuthenticationStepMessage");
      // "principal digest", split at the last space; the digest in lower-case hex.
      const std::string& response = step.data();
      const size_t space = response.rfind(' ');
      std::optional<std::string> principal;
      if (space != std::string::npos && space > 0) {
        const std::string who = response.substr(0, space);
        auto it = credentials_.find(who);
        if (it != credentials_.end() && !s.challenge.empty() &&
            response.substr(space + 1) == auth::cramMd5Digest(it->second, s.challenge)) {
          principal = who;
        }
      }
      expectSend(s, principal ? kCompleted : kFailed);
      expectReport(s, principal);
    }
  }

  void breakLink() {
    const UPID& authenticatee = kAuthenticatees[in_.byte() % kAuthenticateeCount];
    if (authenticator_ != nullptr) {
      for (auto& entry : sessions_) {
        Session& s = entry.second;
        if (s.state != Session::State::kOver && s.authenticatee.address() == authenticatee.address()) {
          expectReport(s, std::nullopt);
        }
      }
    }
    FUZZ_TRACE("break the link to %s\n", authenticatee.address().c_str());
    net().breakLinks(authenticatee.address());
    settle(false);
  }

  void poll() {
    if (timesOut_ && authenticator_ != nullptr) {
      for (auto& entry : sessions_) {
        if (entry.second.state != Session::State::kOver) expectReport(entry.second, std::nullopt);
      }
    }
    FUZZ_TRACE("poll\n");
    io_.restart();
    io_.poll();
    settle(false);
  }

  void destroy() {
    FUZZ_TRACE("destroy the authenticator\n");
    authenticator_.reset();
    for (auto& entry : sessions_) entry.second.state = Session::State::kOver;
    settle(true);
  }

  FuzzInput& in_;
  boost::asio::io_context io_;
  process::Transport transport_;
  auth::CredentialMap credentials_;
  bool timesOut_ = false;
  std::unique_ptr<auth::CramMd5Authenticator> authenticator_;

  uint64_t sessionCount_ = 0;
  std::map<uint64_t, Session> sessions_;
  std::vector<uint64_t> order_;
  std::map<std::string, uint64_t> current_;  // Client -> its latest session.
  std::map<std::string, std::string> challenges_;  // Session -> challenge sent.

  size_t checked_ = 0;
  std::vector<Sent> expectedSends_;
  std::vector<Report> expectedReports_;
  std::vector<Report> reports_;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quietLibraries();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  Harness(in).run();
  return 0;
}
