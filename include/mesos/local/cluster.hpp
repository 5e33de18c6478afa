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

#include <cstddef>
#include <memory>
#include <string>

#include <mesos/local/options.hpp>

namespace mesos {
namespace local {

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
