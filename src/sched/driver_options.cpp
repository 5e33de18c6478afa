#include "sched/driver_options.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <initializer_list>
#include <optional>

#include "auth/authenticatee.hpp"
#include "common/duration.hpp"
#include "common/hostname.hpp"
#include "sched/framework_id_store.hpp"

namespace mesos {
namespace internal {
namespace sched {

namespace {

std::string currentUser() {
  struct passwd pw;
  struct passwd* result = nullptr;
  char buffer[4096];
  if (getpwuid_r(geteuid(), &pw, buffer, sizeof(buffer), &result) == 0 && result != nullptr) {
    return pw.pw_name;
  }
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "";
}

// An explicit value, else the first of `names` set in the environment, else
// `fallback`.
Try<std::chrono::milliseconds> durationOption(const std::optional<std::chrono::milliseconds>& value,
                                              std::initializer_list<const char*> names,
                                              std::chrono::milliseconds fallback) {
  if (value) return *value;
  for (const char* name : names) {
    if (std::getenv(name) != nullptr) return durationFromEnv(name, fallback);
  }
  return fallback;
}

// The authentication options (docs/protocol.md, "Authentication").
Try<Nothing> resolveAuthentication(const DriverConfig& config, ProcessOptions* p) {
  Try<std::chrono::milliseconds> factor = durationOption(
      config.authenticationBackoffFactor, {"MESOS_AUTHENTICATION_BACKOFF_FACTOR"},
      std::chrono::seconds(1));
  if (factor.isError()) return Error(factor.error());
  // `MESOS_AUTHENTICATION_TIMEOUT` is the variable's old name.
  Try<std::chrono::milliseconds> min = durationOption(
      config.authenticationTimeoutMin,
      {"MESOS_AUTHENTICATION_TIMEOUT_MIN", "MESOS_AUTHENTICATION_TIMEOUT"},
      std::chrono::seconds(5));
  if (min.isError()) return Error(min.error());
  Try<std::chrono::milliseconds> max = durationOption(
      config.authenticationTimeoutMax, {"MESOS_AUTHENTICATION_TIMEOUT_MAX"},
      std::chrono::seconds(60));
  if (max.isError()) return Error(max.error());
  if (factor->count() < 0) return Error("the authentication backoff factor must not be negative");
  if (min->count() <= 0) return Error("the minimum authentication timeout must be positive");
  if (*max < *min) {
    return Error("the maximum authentication timeout is below the minimum");
  }
  p->authenticationBackoffFactor = factor.get();
  p->authenticationTimeoutMin = min.get();
  p->authenticationTimeoutMax = max.get();

  // The mechanism matters only to a driver that authenticates.
  if (!config.credential) return Nothing();
  std::string name = "crammd5";
  if (config.authenticatee) {
    name = *config.authenticatee;
  } else if (const char* env = std::getenv("MESOS_AUTHENTICATEE")) {
    name = env;
  }
  Try<auth::AuthenticateeFactory> factory = auth::authenticateeFactory(name);
  if (factory.isError()) return Error(factory.error());
  p->authenticatee = factory.get();
  return Nothing();
}

// Which wire: `http://` selects the HTTP API with that master; otherwise the
// config, else MESOS_SCHEDULER_API, else libprocess.
Try<Nothing> resolveApi(const DriverConfig& config, ResolvedOptions* resolved) {
  resolved->master = config.master;
  const bool https = config.master.rfind("https://", 0) == 0;
  if (https || config.master.rfind("http://", 0) == 0) {
    std::string address = config.master.substr(https ? 8 : 7);
    address = address.substr(0, address.find('/'));  // A path, if any, is the API's own.
    if (address.empty()) return Error("no host in master '" + config.master + "'");
    resolved->master = address;
    resolved->process.http = true;
    resolved->https = https;
    return Nothing();
  }
  if (config.api) {
    resolved->process.http = *config.api == DriverConfig::Api::kHttp;
    return Nothing();
  }
  if (const char* env = std::getenv("MESOS_SCHEDULER_API")) {
    const std::string value = env;
    if (value == "http") {
      resolved->process.http = true;
    } else if (value != "libprocess" && !value.empty()) {
      return Error("MESOS_SCHEDULER_API must be 'http' or 'libprocess', not '" + value + "'");
    }
  }
  return Nothing();
}

// TLS (docs/tls.md): the libprocess wire uses it iff enabled; the HTTP API
// iff enabled or the master string says `https://`, which also verifies the
// master's certificate unless told otherwise.
Try<Nothing> resolveTls(const DriverConfig& config, ResolvedOptions* resolved) {
  TlsConfig tls = config.tls;
  if (resolved->https) {
    if (!tls.enabled) tls.enabled = true;
    // Only an explicit value (the field, or a variable set) decides otherwise.
    if (!tls.verifyServerCert && !process::TlsOptions::inEnvironment("verify_server_cert") &&
        !process::TlsOptions::inEnvironment("verify_cert")) {
      tls.verifyServerCert = true;
    }
  }
  // The HTTP API only connects: like any HTTPS client it needs no certificate.
  Try<std::shared_ptr<const process::TlsContext>> context =
      process::tlsFromConfig(tls, resolved->process.http);
  if (context.isError()) return Error("TLS: " + context.error());
  if (resolved->process.http) {
    resolved->process.httpTls = context.get();
  } else {
    resolved->transport.tls = context.get();
  }
  return Nothing();
}

// The framework id file (docs/protocol.md, "Framework id store"): the field,
// else MESOS_FRAMEWORK_ID_FILE. An explicit `framework.id` wins over the file.
Try<Nothing> resolveFrameworkIdFile(const DriverConfig& config, ProcessOptions* p) {
  std::string path;
  if (config.frameworkIdFile) {
    path = *config.frameworkIdFile;
  } else if (const char* env = std::getenv("MESOS_FRAMEWORK_ID_FILE")) {
    path = env;
  }
  if (path.empty()) return Nothing();
  Try<std::optional<std::string>> stored = readFrameworkIdFile(path);
  if (stored.isError()) return Error(stored.error());
  if (*stored && p->framework.id().value().empty()) {
    p->framework.mutable_id()->set_value(**stored);
  }
  p->frameworkIdStore = std::make_shared<FrameworkIdStore>(path, stored.get());
  return Nothing();
}

}  // namespace

FrameworkInfo completeFrameworkInfo(const DriverConfig& config) {
  FrameworkInfo framework = config.framework;
  if (framework.user().empty()) framework.set_user(currentUser());
  if (config.hostnameOverride) {
    framework.set_hostname(*config.hostnameOverride);
  } else if (framework.hostname().empty()) {
    framework.set_hostname(localHostname());
  }
  return framework;
}

Try<ResolvedOptions> resolveOptions(const DriverConfig& config) {
  ResolvedOptions resolved;

  ProcessOptions& p = resolved.process;
  p.framework = completeFrameworkInfo(config);
  if (!p.framework.IsInitialized()) {
    // The driver could never send it (the master would not parse it either):
    // retrying registration forever would hide the mistake.
    return Error("FrameworkInfo is missing required fields: " +
                 p.framework.InitializationErrorString());
  }
  Try<Nothing> api = resolveApi(config, &resolved);
  if (api.isError()) return Error(api.error());
  p.credential = config.credential;
  p.implicitAcknowledgements = config.implicitAcknowledgements;
  p.suppressedRoles = config.suppressedRoles;
  p.offerConstraints = config.offerConstraints;
  p.dialect = config.dialect;
  p.reconnectOnLinkLoss = config.reconnectOnLinkLoss;
  if (config.maxMessageBytes) p.maxMessageBytes = *config.maxMessageBytes;

  // An explicit DriverConfig value wins over the environment.
  if (config.registrationBackoffFactor) {
    p.registrationBackoffFactor = *config.registrationBackoffFactor;
  } else {
    Try<std::chrono::milliseconds> factor =
        durationFromEnv("MESOS_REGISTRATION_BACKOFF_FACTOR", std::chrono::seconds(2));
    if (factor.isError()) return Error(factor.error());
    p.registrationBackoffFactor = factor.get();
  }
  if (p.registrationBackoffFactor.count() <= 0) {
    return Error("the registration backoff factor must be positive");
  }
  Try<Nothing> authentication = resolveAuthentication(config, &p);
  if (authentication.isError()) return Error(authentication.error());

  if (config.zkSessionTimeout) {
    resolved.detector.zkSessionTimeout = *config.zkSessionTimeout;
  } else {
    Try<std::chrono::milliseconds> timeout =
        durationFromEnv("MESOS_ZK_SESSION_TIMEOUT", resolved.detector.zkSessionTimeout);
    if (timeout.isError()) return Error(timeout.error());
    resolved.detector.zkSessionTimeout = timeout.get();
  }
  if (resolved.detector.zkSessionTimeout.count() <= 0) {
    return Error("the ZooKeeper session timeout must be positive");
  }

  Try<process::TransportOptions> transport =
      process::TransportOptions::fromEnvironment(process::TransportOptions{});
  if (transport.isError()) return Error(transport.error());
  resolved.transport = transport.get();
  process::TransportOptions& t = resolved.transport;
  if (config.bindIp) t.bindIp = *config.bindIp;
  if (config.bindPort) t.bindPort = *config.bindPort;
  if (config.advertiseIp) t.advertiseIp = *config.advertiseIp;
  if (config.advertisePort) t.advertisePort = *config.advertisePort;
  if (config.maxHeaderBytes) t.maxHeaderBytes = *config.maxHeaderBytes;
  if (config.keepaliveIdle) t.keepaliveIdle = *config.keepaliveIdle;
  if (config.keepaliveInterval) t.keepaliveInterval = *config.keepaliveInterval;
  if (config.keepaliveProbes) t.keepaliveProbes = *config.keepaliveProbes;
  if (t.keepaliveIdle.count() < 0 || t.keepaliveInterval.count() <= 0 || t.keepaliveProbes < 1) {
    return Error("keepalive: the idle time must not be negative, the interval must be positive "
                 "and there must be at least one probe");
  }
  // Let bodies a little over the message limit through the transport, so an
  // oversized message is dropped by the state machine with a clear log line
  // instead of costing the master's connection.
  t.maxBodyBytes = std::max<uint64_t>(t.maxBodyBytes, p.maxMessageBytes + 1024 * 1024);
  // Nothing the master sends may be cut off for being slow: its link to us is
  // meant to stay open while idle (docs/protocol.md, "The wire").
  t.idleTimeout = std::chrono::milliseconds(0);

  Try<std::chrono::milliseconds> watchdog = durationOption(
      config.callbackWarningThreshold, {"MESOS_CALLBACK_WARNING_THRESHOLD"},
      std::chrono::seconds(1));
  if (watchdog.isError()) return Error(watchdog.error());
  Try<std::chrono::milliseconds> silence = durationOption(
      config.masterSilenceWarning, {"MESOS_MASTER_SILENCE_WARNING"}, std::chrono::seconds(10));
  if (silence.isError()) return Error(silence.error());
  if (watchdog->count() < 0 || silence->count() < 0) {
    return Error("the callback warning threshold and the master silence warning must not be "
                 "negative");
  }
  resolved.callbackWarningThreshold = watchdog.get();
  p.masterSilenceWarning = silence.get();

  Try<Nothing> tls = resolveTls(config, &resolved);
  if (tls.isError()) return Error(tls.error());

  p.reconciliation = config.reconciliation;
  p.startFreshWhenRemoved =
      config.onFrameworkRemoved == DriverConfig::FrameworkRemovedPolicy::kStartFresh;
  Try<Nothing> idFile = resolveFrameworkIdFile(config, &p);
  if (idFile.isError()) return Error(idFile.error());
  return resolved;
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
