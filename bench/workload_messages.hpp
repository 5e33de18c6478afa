#pragma once

// Realistic messages for the benchmarks: what a Mesos master sends a scheduler
// under load (agent status updates, large offer batches, reconciliation
// answers). Shared by the load master and the micro benchmarks so both measure
// the same bytes.

#include <cstdint>
#include <string>

#include <messages/messages.pb.h>

namespace bench {

// Ids shaped like a real cluster's (a master UUID prefix, then a suffix).
std::string frameworkIdValue();
std::string agentIdValue(int agent);
std::string taskIdValue(int64_t task);

// An agent's TASK_RUNNING update for task `task` as the master forwards it:
// executor source, a 16-byte uuid (which makes it need an acknowledgement),
// container status with an IP, the agent's pid in `pid`.
mesos::internal::StatusUpdateMessage agentStatusUpdate(int64_t task, int agent,
                                                       const std::string& agentPid);

// The master's answer to an explicit reconciliation of an unknown task: TASK_LOST,
// REASON_RECONCILIATION, SOURCE_MASTER, no uuid (never acknowledged).
mesos::internal::StatusUpdateMessage reconciliationUpdate(const mesos::TaskID& task);

// `count` offers, one per agent, each with cpus, mem, disk, a ports range and
// three attributes; `agentPid(i)` fills `pids`.
mesos::internal::ResourceOffersMessage offers(int count, const std::string& agentPidPrefix,
                                              const std::string& agentPidSuffix);

// The task index encoded in `taskIdValue(i)`, or -1.
int64_t taskIndex(const std::string& taskId);

}  // namespace bench
