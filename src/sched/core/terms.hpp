#pragma once

// The vocabulary of the driver's protocol core (docs/protocol.md, "The driver's
// state machine"): what the core asks to send (`Call`), what it is told was
// received (`Event`), and what it asks the scheduler to be told (`Callback`).
// These are protocol terms, not wire messages: a codec (core/codec.hpp) maps
// them to `mesos.scheduler.Call`, to the legacy messages, or to another wire.
//
// Plain values: no I/O, no threads.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <mesos/mesos.pb.h>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace core {

// ---- Outbound: what the core sends ----------------------------------------

// A first registration (framework without id) or a re-registration.
struct Subscribe {
  FrameworkInfo framework;
  std::vector<std::string> suppressedRoles;
  std::optional<scheduler::OfferConstraints> offerConstraints;
  bool force = false;  // Failover: take over from a running instance.
};
// The framework id, when the framework has one (a Call carries it only then).
using OptionalId = std::optional<FrameworkID>;
struct Teardown { OptionalId frameworkId; };
struct Deactivate { OptionalId frameworkId; };  // abort(): the master keeps the framework.
struct RequestResources { OptionalId frameworkId; std::vector<Request> requests; };
struct Accept {
  OptionalId frameworkId;
  std::vector<OfferID> offerIds;
  std::vector<Offer::Operation> operations;
  Filters filters;
};
struct Decline { OptionalId frameworkId; OfferID offerId; Filters filters; };
struct Kill { OptionalId frameworkId; TaskID taskId; };
struct Revive { OptionalId frameworkId; std::vector<std::string> roles; };
struct Suppress { OptionalId frameworkId; std::vector<std::string> roles; };
struct Acknowledge {
  OptionalId frameworkId;
  SlaveID slaveId;
  TaskID taskId;
  std::string uuid;
};
// Data for an executor: `direct` when sent to the agent itself, not the master.
struct ExecutorMessage {
  OptionalId frameworkId;
  SlaveID slaveId;
  ExecutorID executorId;
  std::string data;
  bool direct = false;
};
struct Reconcile { OptionalId frameworkId; std::vector<TaskStatus> statuses; };
struct UpdateFramework {
  OptionalId frameworkId;
  FrameworkInfo framework;
  std::vector<std::string> suppressedRoles;
  std::optional<scheduler::OfferConstraints> offerConstraints;
};

using Call = std::variant<Subscribe, Teardown, Deactivate, RequestResources, Accept, Decline,
                          Kill, Revive, Suppress, Acknowledge, ExecutorMessage, Reconcile,
                          UpdateFramework>;

// A short name for logs ("SUBSCRIBE", "ACCEPT", ...).
const char* callName(const Call& call);

// ---- Inbound: what the core is told ---------------------------------------

struct Registered { FrameworkID frameworkId; MasterInfo master; };
struct Reregistered { FrameworkID frameworkId; MasterInfo master; };
// The v1 HTTP API's answer to SUBSCRIBE, for first and later subscriptions
// alike: the core decides between registered() and reregistered().
struct Subscribed {
  FrameworkID frameworkId;
  MasterInfo master;
  double heartbeatIntervalSeconds = 0;  // 0: the master promised none.
};
// Proof of life on a streamed wire; carries nothing.
struct Heartbeat {};
// Offers, each with the agent that made it (empty UPID: unknown or unusable).
struct OffersReceived {
  std::vector<Offer> offers;
  std::vector<process::UPID> agents;  // Aligned with `offers`.
};
struct OfferRescinded { OfferID offerId; };
// An update; `agent` is the agent to acknowledge through (empty: none).
struct UpdateReceived {
  internal::StatusUpdate update;
  process::UPID agent;
  // The v1 HTTP API: the master kept `uuid` exactly when the update must be
  // acknowledged, and there is no agent pid to decide by.
  bool ackIffUuid = false;
};
struct AgentLost { SlaveID slaveId; };
struct ExecutorExited { ExecutorID executorId; SlaveID slaveId; int32_t status = 0; };
struct ExecutorData { ExecutorID executorId; SlaveID slaveId; std::string data; };
struct FrameworkError { std::string message; };

using Event = std::variant<Registered, Reregistered, Subscribed, Heartbeat, OffersReceived,
                           OfferRescinded, UpdateReceived, AgentLost, ExecutorExited,
                           ExecutorData, FrameworkError>;

// ---- To the scheduler -------------------------------------------------------

// What must be acknowledged once the update's callback has returned.
struct AckRef {
  SlaveID slaveId;
  std::string uuid;
};
struct Disconnected {};
struct Offers { std::vector<Offer> offers; };
struct Update {
  TaskStatus status;
  std::optional<AckRef> ack;  // Set when the driver acknowledges implicitly.
};

// The reconciliation helper is done for this registration (core/reconciler.hpp).
struct ReconcileDone {
  size_t tasks = 0;        // Named in the explicit reconciliation.
  int explicitRounds = 0;  // RECONCILE calls naming tasks (1 + retries).
};

using Callback = std::variant<Registered, Reregistered, Disconnected, Offers, OfferRescinded,
                              Update, AgentLost, ExecutorExited, ExecutorData, ReconcileDone>;

}  // namespace core
}  // namespace sched
}  // namespace internal
}  // namespace mesos
