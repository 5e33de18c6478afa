#pragma once

/// @file
/// `mesos::local::LocalClusterOptions`: how the embedded simulated cluster is
/// configured, both by a test that starts one itself (`<mesos/local/cluster.hpp>`)
/// and by `DriverConfig::localCluster` for the master string `local` (which is
/// why `<mesos/scheduler.hpp>` includes this header, and only this one).
///
/// The names are in `mesos::local` (as in the master string `local`), not in a
/// `mesos::testing` namespace, which would collide with GoogleTest's `testing`
/// in a file that says `using namespace mesos; using namespace testing;`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <mesos/mesos.hpp>
#include <mesos/tls.hpp>

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
  /// Run command tasks as real child processes in a sandbox (see `workDir`):
  /// `/bin/sh -c <value>`, or with `CommandInfo.shell` false the program
  /// `value` exec'd with `arguments` as its argv, no shell involved. When
  /// false they are simulated: `sleep N` takes N seconds, `false`/`exit 1` fail,
  /// anything else finishes after `taskRunTime`.
  bool realCommands = true;
  /// Root directory of the agents' task sandboxes (Mesos: `--work_dir`). Each
  /// command task run as a real process gets
  /// `<workDir>/agents/<agent id>/frameworks/<framework id>/tasks/<task id>`,
  /// its working directory, with the task's output in the files `stdout` and
  /// `stderr`; the terminal status update's `message` ends with
  /// `(sandbox: <path>)`. Lifetime: a directory given here is created if
  /// missing and everything in it is kept after the cluster stops (the
  /// caller removes it); empty (the default): a fresh temporary directory,
  /// removed with everything in it when the cluster (or, on
  /// `restartMaster()`, its old master) stops. A relative path is taken from
  /// the working directory at start. Env: `MESOS_WORK_DIR`.
  std::string workDir;
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
  /// Period of the HEARTBEAT events of the v1 scheduler HTTP API.
  std::chrono::milliseconds heartbeatInterval{15000};
  /// Requests to the v1 scheduler HTTP API need HTTP Basic credentials from
  /// `credentials`.
  bool authenticateHttpFrameworks = false;
  /// TLS on the master's and the agents' ports, both wires (docs/tls.md).
  /// Fields left unset come from the `LIBPROCESS_SSL_*` variables, as for
  /// the driver; with `master = "local"` the driver's own `DriverConfig::tls`
  /// is used when this is unset, as a Mesos `local` cluster shares its
  /// process's settings.
  std::optional<TlsConfig> tls;

  /// The defaults overridden by the `MESOS_*` variables named above. Values that
  /// do not parse are reported in `*error` (if given) and ignored. Defined with
  /// the cluster itself, in `libmesos-scheduler` (`mesos::scheduler`); the
  /// in-tree driver-only library `mesos_scheduler_driver` has neither.
  static LocalClusterOptions fromEnvironment(std::string* error = nullptr);
};

}  // namespace local
}  // namespace mesos
