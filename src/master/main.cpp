// mesos-local-master: the simulated master and agents as a standalone process.
//
//   mesos-local-master [--ip=127.0.0.1] [--port=5050] [--agents=1]
//                      [--resources='cpus:4;mem:4096;disk:10240;ports:[31000-32000]']
//                      [--attributes='rack:r1;zone:z1']
//                      [--allocation_interval=1secs] [--offer_timeout=30secs]
//                      [--task_run_time=200ms] [--v=N]
//                      [--zk=zk://host:port/mesos] [--zk_session_timeout=10secs]
//                      [--authenticate_frameworks] [--credentials=/path/credentials.json]
//                      [--authentication_v0_timeout=15secs]
//                      [--failover_resend_acknowledged=DURATION]
//                      [--heartbeat_interval=15secs] [--authenticate_http_frameworks]
//
// Runs until SIGINT or SIGTERM. SIGUSR1 (without --zk) injects a master
// failover in place: every connection closes and the master comes back at the
// same address with a new id; frameworks re-register and the agents re-send
// the updates the new master has not seen, including the terminal updates
// acknowledged within --failover_resend_acknowledged before it (default 0:
// none), as a real agent re-sends updates whose acknowledgements were lost. Frameworks connect with `--master=<ip>:<port>`,
// or, with --zk, with `--master=zk://host:port/mesos`: the master then contends
// for leadership there and serves frameworks only while it leads; like a Mesos
// master, it exits (status 1) if it loses the leadership it had.
// `--credentials` takes Mesos's JSON file (a path or `file://` URL):
// `{"credentials": [{"principal": "...", "secret": "..."}]}`.
// The same port serves the v1 scheduler HTTP API (`/api/v1/scheduler`), with
// HEARTBEAT events every --heartbeat_interval; --authenticate_http_frameworks
// requires HTTP Basic credentials from --credentials on each of its requests.

#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <glog/logging.h>

#include "auth/credentials.hpp"
#include "common/duration.hpp"
#include "master/master.hpp"

namespace {

int usage(const char* argv0, const std::string& problem) {
  std::cerr << problem << "\nUsage: " << argv0
            << " [--ip=IP] [--port=PORT] [--agents=N] [--resources='cpus:4;mem:4096;ports:[31000-32000]'] [--attributes='rack:r1']"
               " [--allocation_interval=DURATION] [--offer_timeout=DURATION]"
               " [--task_run_time=DURATION] [--zk=zk://HOST:PORT/PATH]"
               " [--zk_session_timeout=DURATION] [--v=N] [--authenticate_frameworks]"
               " [--credentials=PATH] [--authentication_v0_timeout=DURATION]"
               " [--failover_resend_acknowledged=DURATION] [--heartbeat_interval=DURATION]"
               " [--authenticate_http_frameworks]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mesos::internal;
  master::MasterOptions options;
  int verbosity = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0) return usage(argv[0], "Bad flag '" + arg + "'");
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    // Boolean flags as Mesos spells them: `--name`, `--no-name`, `--name=true|false`.
    const bool boolean = name == "authenticate_frameworks" || name == "authenticate" ||
                         name == "no-authenticate_frameworks" || name == "no-authenticate" ||
                         name == "authenticate_http_frameworks" ||
                         name == "no-authenticate_http_frameworks";
    if (eq == std::string::npos) {
      if (!boolean) return usage(argv[0], "Bad flag '" + arg + "'");
      value = name.rfind("no-", 0) == 0 ? "false" : "true";
      if (name.rfind("no-", 0) == 0) name = name.substr(3);
    }
    auto duration = [&](master::Millis* out) {
      Try<std::chrono::milliseconds> d = parseDuration(value);
      if (d.isError()) return false;
      *out = d.get();
      return true;
    };
    bool ok = true;
    if (name == "ip") {
      options.ip = value;
    } else if (name == "port") {
      const int port = std::atoi(value.c_str());
      ok = port >= 0 && port <= 65535;
      options.port = static_cast<uint16_t>(port);
    } else if (name == "num_agents" || name == "agents" || name == "num_slaves") {
      options.numAgents = std::atoi(value.c_str());
      ok = options.numAgents > 0;
    } else if (name == "agent_cpus") {
      options.agentCpus = std::atof(value.c_str());
      ok = options.agentCpus > 0;
    } else if (name == "attributes") {
      options.agentAttributes = value;
    } else if (name == "resources") {
      options.agentResources = value;
    } else if (name == "agent_mem") {
      options.agentMem = std::atof(value.c_str());
      ok = options.agentMem > 0;
    } else if (name == "allocation_interval") {
      ok = duration(&options.allocationInterval) && options.allocationInterval.count() > 0;
    } else if (name == "offer_timeout") {
      master::Millis timeout{0};
      ok = duration(&timeout);
      options.offerTimeout = timeout;
    } else if (name == "task_run_time") {
      ok = duration(&options.taskRunTime);
    } else if (name == "zk") {
      options.zk = value;
    } else if (name == "zk_session_timeout") {
      ok = duration(&options.zkSessionTimeout) && options.zkSessionTimeout.count() > 0;
    } else if (name == "authenticate_frameworks" || name == "authenticate") {
      ok = value == "true" || value == "false";
      options.authenticateFrameworks = value == "true";
    } else if (name == "credentials") {
      Try<std::vector<mesos::Credential>> credentials = auth::loadCredentialsFile(value);
      if (credentials.isError()) return usage(argv[0], "Bad --credentials: " + credentials.error());
      options.credentials = credentials.get();
    } else if (name == "authenticators") {
      ok = value == "crammd5";  // The only one this master has, as Mesos's default.
    } else if (name == "authentication_v0_timeout") {
      ok = duration(&options.authenticationTimeout) && options.authenticationTimeout.count() > 0;
    } else if (name == "authenticate_http_frameworks") {
      ok = value == "true" || value == "false";
      options.authenticateHttpFrameworks = value == "true";
    } else if (name == "http_framework_authenticators") {
      ok = value == "basic";  // The only one this master has.
    } else if (name == "heartbeat_interval") {
      ok = duration(&options.heartbeatInterval) && options.heartbeatInterval.count() > 0;
    } else if (name == "failover_resend_acknowledged") {
      ok = duration(&options.failoverResendAcknowledged);
    } else if (name == "v") {
      verbosity = std::atoi(value.c_str());
    } else {
      return usage(argv[0], "Unknown flag '--" + name + "'");
    }
    if (!ok) return usage(argv[0], "Bad value for --" + name + ": '" + value + "'");
  }

  FLAGS_logtostderr = true;
  FLAGS_v = verbosity;
  google::InitGoogleLogging(argv[0]);

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
  std::cout << "Simulated master " << simulated.info().id() << " at " << simulated.pid()
            << (options.tls ? " (TLS)" : "") << std::endl;
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
  io.run();
  simulated.stop();
  return status;
}
