#pragma once

/// @file
/// An in-process simulated Mesos cluster (one master, N agents) on loopback, for
/// developing and testing frameworks on one machine. It is what the master
/// string `local` starts inside a driver; a test can also start one itself and
/// point any number of drivers (or other processes) at `master()`.
///
/// Command tasks run as real child processes in sandbox directories (or, with
/// `realCommands = false`, in simulation); tasks with an `ExecutorInfo` run on a
/// built-in executor that finishes when sent "finish". Status updates are resent
/// until acknowledged, as a real agent does. No child process outlives the cluster.
///
/// @par Threads
/// The cluster runs on a thread of its own. Every method is thread-safe and may
/// block briefly while that thread answers. Destroying the cluster stops it.
///
/// The names are in `mesos::local` (as in the master string `local`), not in a
/// `mesos::testing` namespace, which would collide with GoogleTest's `testing`
/// in a file that says `using namespace mesos; using namespace testing;`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mesos/mesos.hpp>

namespace mesos {
/// The embedded simulated cluster: what the master string `local` starts.
namespace local {

/// Options of a `LocalCluster`; the defaults suit interactive use.
struct LocalClusterOptions {
  /// Address to listen on (loopback by default).
  std::string ip = "127.0.0.1";
  /// Port of the master; 0 = ephemeral.
  uint16_t port = 0;
  /// Number of agents. Env: `MESOS_NUM_SLAVES`.
  int agents = 1;
  /// CPUs of each agent.
  double agentCpus = 4;
  /// Memory of each agent, in MB.
  double agentMem = 4096;
  /// Disk of each agent, in MB.
  double agentDisk = 10240;
  /// If set, replaces the three above: Mesos resource syntax, e.g.
  /// `cpus:4;mem:8192;disk:16384;ports:[31000-32000]`. Env: `MESOS_RESOURCES`.
  std::optional<std::string> agentResources;
  /// Agent attributes, Mesos syntax (`rack:r1;zone:z1`). Env: `MESOS_ATTRIBUTES`.
  std::optional<std::string> agentAttributes;
  /// How often offers are made. Env: `MESOS_ALLOCATION_INTERVAL` (e.g. `1secs`).
  std::chrono::milliseconds allocationInterval{1000};
  /// Rescind unused offers after this long. Env: `MESOS_OFFER_TIMEOUT`.
  std::optional<std::chrono::milliseconds> offerTimeout;
  /// Run command tasks as real child processes (`/bin/sh -c` in a sandbox). When
  /// false they are simulated: `sleep N` takes N seconds, `false`/`exit 1` fail,
  /// anything else finishes after `taskRunTime`.
  bool realCommands = true;
  /// Simulated run time of a command task that is not `sleep N`.
  std::chrono::milliseconds taskRunTime{200};
  /// First resend of an unacknowledged status update (doubles, up to 10 min).
  std::chrono::milliseconds statusUpdateRetry{10000};
  /// Frameworks must authenticate (CRAM-MD5) before registering; others are
  /// refused with "Framework at <pid> is not authenticated". Env:
  /// `MESOS_AUTHENTICATE_FRAMEWORKS` (old name `MESOS_AUTHENTICATE`), `true`/`false`.
  bool authenticateFrameworks = false;
  /// The principals and secrets the master accepts, required or not (a
  /// framework with a credential always authenticates). Empty: every attempt
  /// is refused. Env: `MESOS_CREDENTIALS`, the path (or `file://` URL) of
  /// Mesos's JSON file `{"credentials":[{"principal":"...","secret":"..."}]}`.
  std::vector<Credential> credentials;
  /// How long the master gives one authentication attempt.
  std::chrono::milliseconds authenticationTimeout{15000};

  /// The defaults overridden by the `MESOS_*` variables named above. Values that
  /// do not parse are reported in `*error` (if given) and ignored.
  static LocalClusterOptions fromEnvironment(std::string* error = nullptr);
};

/// A running simulated cluster.
class LocalCluster {
 public:
  /// Starts a cluster; on failure (e.g. the port is taken) returns null and
  /// says why in `*error`.
  static std::unique_ptr<LocalCluster> start(const LocalClusterOptions& options,
                                             std::string* error = nullptr);
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  /// The master's UPID, `master@ip:port`: a valid master string for a driver.
  std::string master() const;
  /// Removes agent `index` (0-based) as if it were shut down: its tasks are
  /// lost, its offers rescinded, and frameworks get `slaveLost()`.
  bool removeAgent(size_t index);
  /// Kills the master and its agents (their tasks' processes die with them) and
  /// starts a fresh one on the same address, as after a master failover: it
  /// knows no framework until the schedulers re-register. Returns false (and
  /// the cluster has no master) if the new one cannot listen.
  bool restartMaster(std::string* error = nullptr);
  /// The master's `/master/state` JSON.
  std::string stateJson() const;

  struct Impl;

 private:
  explicit LocalCluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace local
}  // namespace mesos
