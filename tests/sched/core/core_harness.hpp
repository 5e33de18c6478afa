#pragma once

// Drives the driver's protocol core (src/sched/core) with a fake clock and a
// fixed or seeded generator, and records its effects: no sockets, no threads,
// no waiting. A test feeds inputs, advances protocol time (timers fire in due
// order) and reads what the core sent, told the scheduler and armed.

#include <algorithm>
#include <cmath>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <mesos/mesos.pb.h>
#include <messages/messages.pb.h>

#include "common/backoff.hpp"
#include "sched/core/codec.hpp"
#include "sched/core/driver_core.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {
namespace test {

using std::chrono::milliseconds;

inline const process::UPID kMaster("master", 0x7f000001, 5050);
inline const process::UPID kRogue("master", 0x7f000001, 6060);
inline const process::UPID kAgent("slave(1)", 0x7f000001, 5051);

// One Send, when it was sent, and its encoding by the core's codec.
struct Sent {
  double at = 0;  // Protocol seconds since the harness started.
  process::UPID to;
  Call call;
  std::string wireName;  // Empty if the codec refused it.
};

class CoreHarness {
 public:
  explicit CoreHarness(Options options, bool legacy = false, UnitRandom random = fixed(1.0))
      : codec_(legacy ? makeLegacyCodec() : makeCallCodec()),
        core_(std::move(options), *codec_, std::move(random)) {}
  // Any codec, e.g. makeHttpCodec().
  CoreHarness(Options options, std::unique_ptr<Codec> codec, UnitRandom random = fixed(1.0))
      : codec_(std::move(codec)), core_(std::move(options), *codec_, std::move(random)) {}

  static UnitRandom fixed(double fraction) {
    return [fraction] { return fraction; };
  }
  static Options defaults() {
    Options o;
    o.framework.set_name("core-test");
    o.framework.set_user("tester");
    return o;
  }

  DriverCore& core() { return core_; }
  const Codec& codec() const { return *codec_; }
  double now() const { return kEpoch + elapsed_; }
  double elapsed() const { return elapsed_; }

  // Runs `input(core, now)` and collects its effects.
  template <typename F>
  void input(F&& f) {
    f(core_, now());
    collect();
  }

  void detect(const process::UPID& master = kMaster) {
    MasterInfo info;
    info.set_id("master-id");
    info.set_ip(master.ip);
    info.set_port(master.port);
    info.set_pid(master.toString());
    input([&](DriverCore& c, Time t) { c.masterDetected(t, info); });
  }
  // A leader whose pid names its host (to be resolved by the runtime).
  void detectPid(const std::string& pid) {
    MasterInfo info;
    info.set_id("m");
    info.set_ip(0);
    info.set_port(5050);
    info.set_pid(pid);
    input([&](DriverCore& c, Time t) { c.masterDetected(t, info); });
  }
  void detectNone() {
    input([](DriverCore& c, Time t) { c.masterDetected(t, std::nullopt); });
  }
  void receive(const process::UPID& from, const google::protobuf::Message& message) {
    const std::string body = message.SerializeAsString();
    input([&](DriverCore& c, Time t) { c.messageReceived(t, from, message.GetTypeName(), body); });
  }
  // One record of a streamed wire's event stream, as the runtime hands it over.
  void record(const std::string& bytes, const process::UPID& from = kMaster) {
    input([&](DriverCore& c, Time t) { c.messageReceived(t, from, kStreamedEventName, bytes); });
  }
  void registered(const std::string& id = "framework-1", const process::UPID& from = kMaster) {
    internal::FrameworkRegisteredMessage m;
    m.mutable_framework_id()->set_value(id);
    m.mutable_master_info()->set_id("master-id");
    m.mutable_master_info()->set_ip(from.ip);
    m.mutable_master_info()->set_port(from.port);
    receive(from, m);
  }

  // Advances protocol time by `d`, firing every timer that falls due, in order.
  void advance(milliseconds d) {
    const double until = elapsed_ + std::chrono::duration<double>(d).count();
    for (;;) {
      auto next = std::min_element(timers_.begin(), timers_.end(), [](auto& a, auto& b) {
        return a.second.due < b.second.due;
      });
      if (next == timers_.end() || next->second.due > until + 1e-9) break;
      elapsed_ = std::max(elapsed_, next->second.due);
      const Timer timer = next->first;
      const uint64_t seq = next->second.seq;
      timers_.erase(next);
      input([&](DriverCore& c, Time t) { c.timerFired(t, timer, seq); });
    }
    elapsed_ = until;
  }
  // Fires the earliest armed timer (advancing time to it); false if none.
  bool fireNext() {
    if (timers_.empty()) return false;
    auto next = std::min_element(timers_.begin(), timers_.end(), [](auto& a, auto& b) {
      return a.second.due < b.second.due;
    });
    elapsed_ = std::max(elapsed_, next->second.due);
    const Timer timer = next->first;
    const uint64_t seq = next->second.seq;
    timers_.erase(next);
    input([&](DriverCore& c, Time t) { c.timerFired(t, timer, seq); });
    return true;
  }

  std::optional<milliseconds> armed(Timer timer) const {
    auto it = timers_.find(timer);
    if (it == timers_.end()) return std::nullopt;
    return it->second.delay;
  }

  // Recorded effects (tests may clear them).
  std::vector<Sent> sent;
  std::vector<Callback> callbacks;
  std::vector<std::string> aborts;
  std::vector<StartAuthentication> authentications;
  std::vector<Resolve> resolves;
  std::vector<process::UPID> links;
  int unlinks = 0;
  int authenticationCancels = 0;
  int forgets = 0;  // ForgetFrameworkId effects.
  bool connected = false;

  // The calls of one kind, in order.
  template <typename T>
  std::vector<T> calls() const {
    std::vector<T> out;
    for (const Sent& s : sent) {
      if (auto* c = std::get_if<T>(&s.call)) out.push_back(*c);
    }
    return out;
  }
  template <typename T>
  std::vector<double> callTimes() const {
    std::vector<double> out;
    for (const Sent& s : sent) {
      if (std::holds_alternative<T>(s.call)) out.push_back(s.at);
    }
    return out;
  }
  template <typename T>
  std::vector<T> callbacksOf() const {
    std::vector<T> out;
    for (const Callback& c : callbacks) {
      if (auto* v = std::get_if<T>(&c)) out.push_back(*v);
    }
    return out;
  }
  void clear() {
    sent.clear();
    callbacks.clear();
    aborts.clear();
    authentications.clear();
    resolves.clear();
    links.clear();
  }

 private:
  static constexpr double kEpoch = 1.8e9;  // A fixed wall-clock start.

  struct Armed {
    double due = 0;
    uint64_t seq = 0;
    milliseconds delay{0};
  };

  void collect() {
    for (Effect& effect : core_.takeEffects()) {
      std::visit(
          [this](auto&& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, Send>) {
              Try<WireMessage> wire = codec_->encode(e.call);
              sent.push_back({elapsed_, e.to, e.call, wire.isSome() ? wire->name : ""});
            } else if constexpr (std::is_same_v<T, Invoke>) {
              callbacks.push_back(e.callback);
            } else if constexpr (std::is_same_v<T, ArmTimer>) {
              timers_[e.timer] = {elapsed_ + std::chrono::duration<double>(e.delay).count(),
                                  e.seq, e.delay};
            } else if constexpr (std::is_same_v<T, CancelTimer>) {
              timers_.erase(e.timer);
            } else if constexpr (std::is_same_v<T, Link>) {
              links.push_back(e.master);
            } else if constexpr (std::is_same_v<T, Unlink>) {
              ++unlinks;
            } else if constexpr (std::is_same_v<T, Resolve>) {
              resolves.push_back(e);
            } else if constexpr (std::is_same_v<T, StartAuthentication>) {
              authentications.push_back(e);
            } else if constexpr (std::is_same_v<T, CancelAuthentication>) {
              ++authenticationCancels;
            } else if constexpr (std::is_same_v<T, SetConnected>) {
              connected = e.connected;
            } else if constexpr (std::is_same_v<T, AbortWithError>) {
              aborts.push_back(e.message);
            } else if constexpr (std::is_same_v<T, ForgetFrameworkId>) {
              ++forgets;
            }
          },
          std::move(effect));
    }
  }

  std::unique_ptr<Codec> codec_;
  DriverCore core_;
  double elapsed_ = 0;
  std::map<Timer, Armed> timers_;
};

}  // namespace test
}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
