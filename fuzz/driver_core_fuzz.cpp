// libFuzzer target for the driver core's inbound handlers (src/sched/core):
// arbitrary messages (type, sender, protobuf body) in arbitrary states, mixed
// with user calls, broken links, timer expiries and new leaders.
//
// Input: [setup][record...], record = [op][len lo][len hi][body: len bytes].
//   setup bits: 0 legacy dialect, 1 credential, 2 explicit acks, 3 registered
//               first, 4 framework has an id.
//   op low 4 bits: 0-8 a handled message type, 9 an unknown type, 10 accept
//               the last offer, 11 decline it, 12 the last update's callback
//               returned, 13 the master's link broke, 14 the next timer fired,
//               15 a new leader (body selects which).
//   op bits 4-5: the sender (0 the master, 1 a rogue on the master's host,
//               2 an agent, 3 the master again).
// Oracles (besides the sanitizers): a message from anyone but the leading
// master has no effect except an executor's data reaching the scheduler;
// nothing has an effect after abort(); the connected effects match the core's
// connected(); every call the core sends is one its codec can express.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <glog/logging.h>
#include <google/protobuf/stubs/logging.h>

#include "sched/core/codec.hpp"
#include "sched/core/driver_core.hpp"

using namespace mesos;
using namespace mesos::internal;
using namespace mesos::internal::sched::core;

namespace {

const char* const kTypes[] = {
    "mesos.internal.FrameworkRegisteredMessage", "mesos.internal.FrameworkReregisteredMessage",
    "mesos.internal.ResourceOffersMessage",      "mesos.internal.RescindResourceOfferMessage",
    "mesos.internal.StatusUpdateMessage",        "mesos.internal.LostSlaveMessage",
    "mesos.internal.ExitedExecutorMessage",      "mesos.internal.ExecutorToFrameworkMessage",
    "mesos.internal.FrameworkErrorMessage",      "mesos.internal.Unknown",
};

const process::UPID kMasters[] = {process::UPID("master", 0x7f000001, 5050),
                                  process::UPID("master", 0x7f000002, 5050)};
const process::UPID kRogue("master", 0x7f000001, 6060);
const process::UPID kAgent("slave(1)", 0x7f000001, 5051);

[[noreturn]] void fail() { __builtin_trap(); }

struct Run {
  std::unique_ptr<Codec> codec;
  std::unique_ptr<DriverCore> core;
  double now = 1.8e9;
  bool connected = false;
  bool aborted = false;
  std::optional<Timer> lastArmed;
  uint64_t lastSeq = 0;
  std::optional<Update> lastUpdate;
  std::optional<OfferID> lastOffer;

  // Applies the effects; returns how many there were, and whether any was not
  // an executor's data.
  std::pair<size_t, bool> drain() {
    size_t count = 0;
    bool beyondExecutorData = false;
    for (std::vector<Effect> effects = core->takeEffects(); !effects.empty();
         effects = core->takeEffects()) {
     for (Effect& effect : effects) {
      ++count;
      if (auto* invoke = std::get_if<Invoke>(&effect)) {
        if (!std::holds_alternative<ExecutorData>(invoke->callback)) beyondExecutorData = true;
        if (auto* u = std::get_if<Update>(&invoke->callback)) lastUpdate = *u;
        if (auto* o = std::get_if<Offers>(&invoke->callback)) {
          if (!o->offers.empty()) lastOffer = o->offers.back().id();
        }
        continue;
      }
      beyondExecutorData = true;
      if (auto* send = std::get_if<Send>(&effect)) {
        if (!codec->expresses(send->call)) fail();
        (void)codec->encode(send->call);
      } else if (auto* connected = std::get_if<SetConnected>(&effect)) {
        this->connected = connected->connected;
      } else if (auto* arm = std::get_if<ArmTimer>(&effect)) {
        lastArmed = arm->timer;
        lastSeq = arm->seq;
      } else if (std::holds_alternative<AbortWithError>(effect)) {
        core->abort(now);  // What the runtime's facade does.
        aborted = true;
      }
     }
    }
    if (connected != core->connected()) fail();
    return {count, beyondExecutorData};
  }
};

}  // namespace

// Logging is the bulk of the cost otherwise: only fatal messages are kept.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FLAGS_minloglevel = google::GLOG_FATAL;
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t setup = data[0];
  Options options;
  options.framework.set_name("fuzz");
  options.framework.set_user("fuzz");
  if (setup & 16) options.framework.mutable_id()->set_value("framework-1");
  if (setup & 2) {
    Credential credential;
    credential.set_principal("p");
    credential.set_secret("s");
    options.credential = credential;
  }
  options.implicitAcknowledgements = !(setup & 4);
  options.maxMessageBytes = 1 << 16;
  Run run;
  run.codec = (setup & 1) ? makeLegacyCodec() : makeCallCodec();
  uint64_t draws = 0;
  run.core = std::make_unique<DriverCore>(options, *run.codec, [&draws] {
    return static_cast<double>(++draws % 7) / 6.0;
  });

  size_t leader = 0;
  auto detect = [&](size_t which) {
    MasterInfo info;
    info.set_id("m");
    info.set_ip(kMasters[which].ip);
    info.set_port(kMasters[which].port);
    info.set_pid(kMasters[which].toString());
    run.core->masterDetected(run.now, info);
    leader = which;
  };
  detect(0);
  if (options.credential) {
    run.drain();
    run.core->authenticationFinished(run.now, 1, AuthOutcome::kAuthenticated, "");
  }
  if (setup & 8) {
    internal::FrameworkRegisteredMessage m;
    m.mutable_framework_id()->set_value("framework-1");
    m.mutable_master_info()->set_id("m");
    m.mutable_master_info()->set_ip(1);
    m.mutable_master_info()->set_port(1);
    run.core->messageReceived(run.now, kMasters[0], m.GetTypeName(), m.SerializeAsString());
  }
  run.drain();

  for (size_t pos = 1; pos + 3 <= size;) {
    const uint8_t op = data[pos];
    const size_t len = std::min<size_t>(data[pos + 1] | (data[pos + 2] << 8), size - pos - 3);
    const std::string body(reinterpret_cast<const char*>(data) + pos + 3, len);
    pos += 3 + len;
    run.now += 0.25;
    const unsigned kind = op & 15;
    const unsigned senderBits = (op >> 4) & 3;
    const process::UPID& from =
        senderBits == 1 ? kRogue : senderBits == 2 ? kAgent : kMasters[leader];
    const bool wasAborted = run.aborted || !run.core->running();
    if (kind <= 9) {
      run.core->messageReceived(run.now, from, kTypes[kind], body);
      const auto [count, beyond] = run.drain();
      if (from != kMasters[leader] && beyond) fail();  // The sender rule.
      if (wasAborted && count > 0) fail();             // Nothing after abort.
      continue;
    }
    switch (kind) {
      case 10:
        if (run.lastOffer) {
          Offer::Operation launch;
          launch.set_type(Offer::Operation::LAUNCH);
          TaskInfo* task = launch.mutable_launch()->add_task_infos();
          task->set_name("t");
          task->mutable_task_id()->set_value(body.substr(0, 8));
          task->mutable_slave_id()->set_value("agent-1");
          run.core->acceptOffers(run.now, {*run.lastOffer}, {launch}, Filters());
        }
        break;
      case 11:
        if (run.lastOffer) run.core->declineOffer(run.now, *run.lastOffer, Filters());
        break;
      case 12:
        if (run.lastUpdate && run.lastUpdate->ack) {
          run.core->updateProcessed(run.now, *run.lastUpdate->ack,
                                    run.lastUpdate->status.task_id());
        }
        break;
      case 13:
        run.core->linkBroken(run.now, kMasters[leader]);
        break;
      case 14:
        if (run.lastArmed) run.core->timerFired(run.now, *run.lastArmed, run.lastSeq);
        break;
      case 15:
        detect(body.empty() ? 0 : body[0] & 1);
        break;
    }
    run.drain();
  }
  run.core->stop(run.now, false);
  run.drain();
  return 0;
}
