// mesos-local-master: the simulated master and agents as a standalone process,
// taking its flags as a Mesos master does (daemon_flags.hpp; `--help` lists
// them): `mesos-local-master --port=5050 --agents=3`, or `MESOS_PORT=5050`.
//
// Prints `Simulated master <id> at master@<ip>:<port>` on stdout once it
// listens, then runs until SIGINT or SIGTERM. SIGUSR1 (without --zk) injects a
// master failover in place: every connection closes and the master comes back
// at the same address with a new id; frameworks re-register and the agents
// re-send the updates the new master has not seen, including the terminal
// updates acknowledged within --failover_resend_acknowledged before it, as a
// real agent re-sends updates whose acknowledgements were lost. Frameworks
// connect with `--master=<ip>:<port>`, or, with --zk, with
// `--master=zk://host:port/mesos`: the master then contends for leadership
// there and serves frameworks only while it leads; like a Mesos master, it
// exits (status 1) if it loses the leadership it had. The same port serves the
// v1 scheduler HTTP API (`/api/v1/scheduler`). TLS comes from the
// LIBPROCESS_SSL_* variables (docs/tls.md).

#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <glog/logging.h>

#include "master/daemon_flags.hpp"
#include "master/master.hpp"

int main(int argc, char** argv) {
  using namespace mesos::internal;
  master::DaemonFlags flags = master::parseDaemonFlags(argc, argv);
  if (flags.exitStatus) return *flags.exitStatus;
  master::MasterOptions options = std::move(flags.options);
  master::initDaemonLogging(argv[0]);

  // TLS as a Mesos daemon takes it: the LIBPROCESS_SSL_* variables (docs/tls.md).
  Try<std::shared_ptr<const process::TlsContext>> tls = process::tlsFromConfig(mesos::TlsConfig{});
  if (tls.isError()) {
    std::cerr << "Failed to start: TLS: " << tls.error() << std::endl;
    return 1;
  }
  options.tls = tls.get();

  boost::asio::io_context io;
  int status = 0;
  options.onLostLeadership = [&] {
    LOG(ERROR) << "Lost leadership; exiting, as a Mesos master does";
    status = 1;
    io.stop();
  };
  master::SimulatedMaster simulated(io, options);
  Try<Nothing> started = simulated.start();
  if (started.isError()) {
    std::cerr << "Failed to start: " << started.error() << std::endl;
    return 1;
  }
  // The handlers are in place before the banner, so that a signal sent as
  // soon as it is read is not fatal (their default action).
  boost::asio::signal_set failovers(io, SIGUSR1);
  std::function<void()> awaitFailover = [&] {
    failovers.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      if (!simulated.failover()) LOG(WARNING) << "SIGUSR1: no failover (only without --zk)";
      awaitFailover();
    });
  };
  awaitFailover();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int signal) {
    LOG(INFO) << "Received signal " << signal << "; shutting down";
    simulated.stop();
    failovers.cancel();
    io.stop();
  });
  std::cout << "Simulated master " << simulated.info().id() << " at " << simulated.pid()
            << (options.tls ? " (TLS)" : "") << std::endl;
  io.run();
  simulated.stop();
  return status;
}
