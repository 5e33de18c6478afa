// mesos-local-master's flags (daemon_flags.hpp): their definitions, the
// MESOS_* environment, `file://` values, aliases, --help and --version, the
// checks that turn them into MasterOptions, and the logging set-up.

#include "master/daemon_flags.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include <gflags/gflags.h>
#include <glog/logging.h>
#include <mesos/version.hpp>

#include "auth/credentials.hpp"
#include "common/duration.hpp"
#include "process/upid.hpp"

// The master's flags, with Mesos's names and defaults where Mesos has the flag.
// --v and --log_dir are glog's own (logging.h).
DEFINE_string(ip, "127.0.0.1", "IP address the master and the agents listen on.");
DEFINE_int32(port, 5050, "Port of the master (0: any free port). Each agent listens on a free port of its own.");
DEFINE_string(hostname, "", "Hostname the master (MasterInfo) and the agents (offers) report. Default: the advertised IP address.");
DEFINE_string(advertise_ip, "", "IP address the master and the agents advertise (their PIDs, MasterInfo) instead of --ip, e.g. behind NAT.");
DEFINE_int32(advertise_port, 0, "Port the master advertises instead of the one it listens on (0: the one it listens on).");
DEFINE_int32(agents, 1, "Number of simulated agents, 1 to 1000 (aliases: --num_agents, --num_slaves).");
DEFINE_double(agent_cpus, 4, "CPUs of each agent (without --resources).");
DEFINE_double(agent_mem, 4096, "Memory of each agent in MB (without --resources).");
DEFINE_string(resources, "", "Resources of each agent, e.g. 'cpus:4;mem:4096;disk:10240;ports:[31000-32000]' (the default, with --agent_cpus and --agent_mem).");
DEFINE_string(attributes, "", "Attributes of each agent, e.g. 'rack:r1;zone:z1' (numbers are SCALAR). Default: rack:rack-<agent index % 2>.");
DEFINE_string(allocation_interval, "1secs", "How often offers are made (a duration: ns, us, ms, secs, mins, hrs, days, weeks).");
DEFINE_string(offer_timeout, "", "Rescind an offer not used within this duration. Default: never.");
DEFINE_string(task_run_time, "200ms", "Run time of a simulated command task. Unused by this binary, whose command tasks run as real processes; accepted for older command lines.");
DEFINE_string(work_dir, "", "Root of the task sandboxes (<work_dir>/agents/<agent>/frameworks/<framework>/tasks/<task>, with the task's stdout and stderr files), kept after the master exits. Default: a temporary directory, removed when the master exits.");
DEFINE_string(zk, "", "zk://[user:password@]host:port,.../path: contend for leadership there and serve frameworks only while leading.");
DEFINE_string(zk_session_timeout, "10secs", "ZooKeeper session timeout.");
DEFINE_bool(authenticate_frameworks, false, "Only frameworks that authenticate (CRAM-MD5) may register (alias: --authenticate).");
DEFINE_string(credentials, "", "Path (or file:// URL) of a JSON file {\"credentials\": [{\"principal\": \"...\", \"secret\": \"...\"}]}: the principals that may authenticate.");
DEFINE_string(authenticators, "crammd5", "Framework authenticator; only 'crammd5'.");
DEFINE_string(authentication_v0_timeout, "15secs", "How long one framework authentication attempt may take.");
DEFINE_bool(authenticate_http_frameworks, false, "Every request to the v1 scheduler HTTP API needs HTTP Basic credentials from --credentials.");
DEFINE_string(http_framework_authenticators, "basic", "HTTP framework authenticator; only 'basic'.");
DEFINE_string(heartbeat_interval, "15secs", "Period of the HEARTBEAT events on v1 scheduler HTTP API event streams.");
DEFINE_string(failover_resend_acknowledged, "0secs", "After a master failover (SIGUSR1), agents re-send the terminal updates acknowledged within this long before it.");
DEFINE_string(logging_level, "WARNING", "Lowest severity logged: INFO, WARNING or ERROR. Default: WARNING, or INFO when --v (or GLOG_v) is above 0.");
DEFINE_bool(quiet, false, "Log nothing to stderr (log files under --log_dir are still written).");

namespace mesos {
namespace internal {
namespace master {

namespace {

// How a flag's `file://` value is read: its content, or (kPath) the path.
enum class Kind { kValue, kPath, kBool };

struct Spec {
  const char* name;
  Kind kind;
  const char* help;  // For glog's flags, whose own descriptions say less.
};

const Spec kSpecs[] = {
    {"ip", Kind::kValue, nullptr},
    {"port", Kind::kValue, nullptr},
    {"hostname", Kind::kValue, nullptr},
    {"advertise_ip", Kind::kValue, nullptr},
    {"advertise_port", Kind::kValue, nullptr},
    {"agents", Kind::kValue, nullptr},
    {"agent_cpus", Kind::kValue, nullptr},
    {"agent_mem", Kind::kValue, nullptr},
    {"resources", Kind::kValue, nullptr},
    {"attributes", Kind::kValue, nullptr},
    {"allocation_interval", Kind::kValue, nullptr},
    {"offer_timeout", Kind::kValue, nullptr},
    {"task_run_time", Kind::kValue, nullptr},
    {"work_dir", Kind::kPath, nullptr},
    {"zk", Kind::kValue, nullptr},
    {"zk_session_timeout", Kind::kValue, nullptr},
    {"authenticate_frameworks", Kind::kBool, nullptr},
    {"credentials", Kind::kPath, nullptr},
    {"authenticators", Kind::kValue, nullptr},
    {"authentication_v0_timeout", Kind::kValue, nullptr},
    {"authenticate_http_frameworks", Kind::kBool, nullptr},
    {"http_framework_authenticators", Kind::kValue, nullptr},
    {"heartbeat_interval", Kind::kValue, nullptr},
    {"failover_resend_acknowledged", Kind::kValue, nullptr},
    {"logging_level", Kind::kValue, nullptr},
    {"log_dir", Kind::kPath,
     "Directory for log files, created if missing; WARNING and above (or --logging_level) "
     "also go to stderr unless --quiet. Default: stderr only."},
    {"quiet", Kind::kBool, nullptr},
    {"v", Kind::kValue, "Verbose logging (VLOG) up to this level; above 0 the default "
                        "--logging_level is INFO."},
};

// Other names of a flag: Mesos's `local` names and the old spelling.
const std::pair<const char*, const char*> kAliases[] = {
    {"num_agents", "agents"},
    {"num_slaves", "agents"},
    {"authenticate", "authenticate_frameworks"},
};

const Spec* findSpec(const std::string& name) {
  for (const Spec& spec : kSpecs) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

std::string canonical(const std::string& name) {
  for (const auto& [alias, target] : kAliases) {
    if (name == alias) return target;
  }
  return name;
}

std::string envName(const std::string& flag) {
  std::string name = "MESOS_" + flag;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

// A value as Mesos reads it: `file:///path` is the file's content (without a
// trailing newline) or, for a path flag, the path.
Try<std::string> resolve(const Spec& spec, const std::string& value) {
  if (value.rfind("file://", 0) != 0) return value;
  const std::string path = value.substr(7);
  if (spec.kind == Kind::kPath) return path;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error("cannot read '" + path + "'");
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) return Error("cannot read '" + path + "'");
  std::string text = content.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// The first problem found; reported as one line.
struct Problem {
  std::optional<std::string> text;
  void set(const std::string& flag, const std::string& why) {
    if (!text) text = "Bad value for --" + flag + ": " + why;
  }
};

void printHelp(const char* argv0) {
  std::cout << "Usage: " << argv0 << " [--flag=value ...]\n\n"
            << "The simulated Mesos master and agents as one process, until SIGINT or SIGTERM\n"
            << "(SIGUSR1 without --zk: a master failover in place). Every flag may also be\n"
            << "given in the environment as MESOS_<FLAG> (MESOS_PORT=5051); the command line\n"
            << "wins. A value file:///path stands for that file's content (for --credentials,\n"
            << "--work_dir and --log_dir, for the path). Booleans: --name, --noname, --no-name,\n"
            << "--name=true|false. --flagfile=PATH reads flags from a file, one per line.\n\n";
  for (const Spec& spec : kSpecs) {
    gflags::CommandLineFlagInfo info;
    if (!gflags::GetCommandLineFlagInfo(spec.name, &info)) continue;
    std::cout << "  --" << (spec.kind == Kind::kBool ? "[no-]" : "") << spec.name;
    if (spec.kind != Kind::kBool) std::cout << "=<" << info.type << ">";
    if (!info.default_value.empty()) std::cout << " (default: " << info.default_value << ")";
    std::cout << "\n      " << (spec.help != nullptr ? spec.help : info.description.c_str())
              << "\n";
  }
  std::cout << "\nAlso accepted, from glog and gflags:\n";
  std::vector<gflags::CommandLineFlagInfo> all;
  gflags::GetAllFlags(&all);
  for (const gflags::CommandLineFlagInfo& info : all) {
    if (findSpec(info.name) != nullptr) continue;
    std::cout << "  --" << info.name << "=<" << info.type << "> (default: " << info.default_value
              << ")\n      " << info.description << "\n";
  }
}

// MESOS_<FLAG> for each flag (an alias's first, so the flag's own name wins).
bool applyEnvironment(std::map<std::string, std::string>* applied, std::string* error) {
  std::vector<std::pair<std::string, std::string>> sources;  // (variable, flag)
  for (const auto& [alias, target] : kAliases) sources.emplace_back(envName(alias), target);
  for (const Spec& spec : kSpecs) sources.emplace_back(envName(spec.name), spec.name);
  for (const auto& [variable, flag] : sources) {
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    Try<std::string> resolved = resolve(*findSpec(flag), value);
    if (resolved.isError()) {
      *error = "Bad value for " + variable + " (--" + flag + "): " + resolved.error();
      return false;
    }
    if (gflags::SetCommandLineOption(flag.c_str(), resolved->c_str()).empty()) {
      *error = "Bad value for " + variable + " (--" + flag + "): '" + resolved.get() + "'";
      return false;
    }
    (*applied)[flag] = resolved.get();
  }
  return true;
}

// The command line with aliases renamed, `--no-name` spelled as gflags does,
// and `file://` values resolved. Values already resolved go into `applied`.
bool rewriteArguments(int argc, char** argv, std::vector<std::string>* out,
                      std::map<std::string, std::string>* applied, std::string* error) {
  out->push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      out->insert(out->end(), argv + i, argv + argc);
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out->push_back(arg);
      continue;
    }
    const size_t dashes = arg[1] == '-' ? 2 : 1;
    const size_t eq = arg.find('=');
    std::string name = arg.substr(dashes, eq == std::string::npos ? std::string::npos : eq - dashes);
    std::optional<std::string> value;
    if (eq != std::string::npos) value = arg.substr(eq + 1);

    // Negated booleans: Mesos's `--no-name` and gflags' `--noname`, aliases too.
    for (const char* prefix : {"no-", "no"}) {
      const size_t length = std::char_traits<char>::length(prefix);
      if (value || name.rfind(prefix, 0) != 0) continue;
      const Spec* negated = findSpec(canonical(name.substr(length)));
      if (negated == nullptr || negated->kind != Kind::kBool) continue;
      out->push_back(std::string("--no") + negated->name);
      applied->erase(negated->name);
      name.clear();
      break;
    }
    if (name.empty()) continue;

    const Spec* spec = findSpec(canonical(name));
    if (spec == nullptr) {
      out->push_back(arg);  // gflags' and glog's own, or unknown (gflags says so).
      continue;
    }
    // gflags also takes `--name value`.
    if (!value && spec->kind != Kind::kBool && i + 1 < argc) value = argv[++i];
    if (value) {
      Try<std::string> resolved = resolve(*spec, *value);
      if (resolved.isError()) {
        *error = "Bad value for --" + std::string(spec->name) + ": " + resolved.error();
        return false;
      }
      value = resolved.get();
      (*applied)[spec->name] = *value;
    } else {
      applied->erase(spec->name);
    }
    out->push_back("--" + std::string(spec->name) + (value ? "=" + *value : ""));
  }
  return true;
}

// A --flagfile's `file://` values (flags of other kinds already failed to parse).
bool resolveFlagfileValues(const std::map<std::string, std::string>& applied, std::string* error) {
  for (const Spec& spec : kSpecs) {
    if (spec.kind == Kind::kBool) continue;
    std::string value;
    if (!gflags::GetCommandLineOption(spec.name, &value) || value.rfind("file://", 0) != 0) continue;
    auto done = applied.find(spec.name);
    if (done != applied.end() && done->second == value) continue;  // A file's content.
    Try<std::string> resolved = resolve(spec, value);
    if (resolved.isError() || gflags::SetCommandLineOption(spec.name, resolved->c_str()).empty()) {
      *error = "Bad value for --" + std::string(spec.name) + ": " +
               (resolved.isError() ? resolved.error() : "'" + resolved.get() + "'");
      return false;
    }
  }
  return true;
}

std::optional<Millis> duration(Problem* problem, const char* flag, const std::string& value,
                               bool positive) {
  Try<Millis> parsed = parseDuration(value);
  if (parsed.isError()) {
    problem->set(flag, parsed.error());
    return std::nullopt;
  }
  if (positive && parsed->count() <= 0) {
    problem->set(flag, "'" + value + "' must be positive");
    return std::nullopt;
  }
  return parsed.get();
}

std::optional<int> severity(std::string level) {
  std::transform(level.begin(), level.end(), level.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (level == "INFO") return google::GLOG_INFO;
  if (level == "WARNING") return google::GLOG_WARNING;
  if (level == "ERROR") return google::GLOG_ERROR;
  return std::nullopt;
}

// The parsed flags, checked, as MasterOptions.
void toOptions(MasterOptions* o, Problem* problem) {
  auto ip = [&](const char* flag, const std::string& value) {
    if (process::parseIp(value).isError()) problem->set(flag, "'" + value + "' is not an IPv4 address");
  };
  ip("ip", FLAGS_ip);
  o->ip = FLAGS_ip;
  if (FLAGS_port < 0 || FLAGS_port > 65535) {
    problem->set("port", "'" + std::to_string(FLAGS_port) + "' is not a port number (0-65535)");
  }
  o->port = static_cast<uint16_t>(FLAGS_port);
  if (!FLAGS_hostname.empty()) o->hostname = FLAGS_hostname;
  if (!FLAGS_advertise_ip.empty()) {
    ip("advertise_ip", FLAGS_advertise_ip);
    o->advertiseIp = FLAGS_advertise_ip;
  }
  if (FLAGS_advertise_port < 0 || FLAGS_advertise_port > 65535) {
    problem->set("advertise_port",
                 "'" + std::to_string(FLAGS_advertise_port) + "' is not a port number (1-65535)");
  } else if (FLAGS_advertise_port > 0) {
    o->advertisePort = static_cast<uint16_t>(FLAGS_advertise_port);
  }
  if (FLAGS_agents < 1 || FLAGS_agents > 1000) {
    problem->set("agents", "'" + std::to_string(FLAGS_agents) + "' is not in 1..1000");
  }
  o->numAgents = FLAGS_agents;
  if (!(FLAGS_agent_cpus > 0)) problem->set("agent_cpus", "must be positive");
  if (!(FLAGS_agent_mem > 0)) problem->set("agent_mem", "must be positive");
  o->agentCpus = FLAGS_agent_cpus;
  o->agentMem = FLAGS_agent_mem;
  if (!FLAGS_resources.empty()) {
    Try<SimpleResources> resources = SimpleResources::parse(FLAGS_resources);
    if (resources.isError()) problem->set("resources", resources.error());
    o->agentResources = FLAGS_resources;
  }
  if (!FLAGS_attributes.empty()) {
    Try<std::vector<Attribute>> attributes = parseAttributes(FLAGS_attributes);
    if (attributes.isError()) problem->set("attributes", attributes.error());
    o->agentAttributes = FLAGS_attributes;
  }
  auto set = [](Millis* out, const std::optional<Millis>& value) {
    if (value) *out = *value;
  };
  set(&o->allocationInterval,
      duration(problem, "allocation_interval", FLAGS_allocation_interval, true));
  if (!FLAGS_offer_timeout.empty()) {
    o->offerTimeout = duration(problem, "offer_timeout", FLAGS_offer_timeout, false);
  }
  set(&o->taskRunTime, duration(problem, "task_run_time", FLAGS_task_run_time, false));
  o->workDir = FLAGS_work_dir;
  if (!FLAGS_zk.empty()) o->zk = FLAGS_zk;
  set(&o->zkSessionTimeout, duration(problem, "zk_session_timeout", FLAGS_zk_session_timeout, true));
  o->authenticateFrameworks = FLAGS_authenticate_frameworks;
  if (!FLAGS_credentials.empty()) {
    Try<std::vector<Credential>> credentials = auth::loadCredentialsFile(FLAGS_credentials);
    if (credentials.isError()) problem->set("credentials", credentials.error());
    else o->credentials = credentials.get();
  }
  if (FLAGS_authenticators != "crammd5") {
    problem->set("authenticators", "'" + FLAGS_authenticators + "' (only 'crammd5' is available)");
  }
  set(&o->authenticationTimeout,
      duration(problem, "authentication_v0_timeout", FLAGS_authentication_v0_timeout, true));
  o->authenticateHttpFrameworks = FLAGS_authenticate_http_frameworks;
  if (FLAGS_http_framework_authenticators != "basic") {
    problem->set("http_framework_authenticators",
                 "'" + FLAGS_http_framework_authenticators + "' (only 'basic' is available)");
  }
  set(&o->heartbeatInterval, duration(problem, "heartbeat_interval", FLAGS_heartbeat_interval, true));
  set(&o->failoverResendAcknowledged,
      duration(problem, "failover_resend_acknowledged", FLAGS_failover_resend_acknowledged, false));
  if (!severity(FLAGS_logging_level)) {
    problem->set("logging_level", "'" + FLAGS_logging_level + "' (INFO, WARNING or ERROR)");
  }
  if (FLAGS_v < 0) problem->set("v", "must not be negative");
  if (!FLAGS_log_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(FLAGS_log_dir, ec);
    if (ec) problem->set("log_dir", "cannot create '" + FLAGS_log_dir + "': " + ec.message());
  }
}

}  // namespace

DaemonFlags parseDaemonFlags(int argc, char** argv) {
  DaemonFlags result;
  auto fail = [&](const std::string& why) {
    std::cerr << argv[0] << ": " << why << " (see --help)" << std::endl;
    result.exitStatus = 1;
    return result;
  };
  gflags::SetUsageMessage("the simulated Mesos master and agents; see --help");
  gflags::SetVersionString(MESOS_VERSION);

  std::map<std::string, std::string> applied;  // Flag -> its resolved value.
  std::string error;
  if (!applyEnvironment(&applied, &error)) return fail(error);
  std::vector<std::string> arguments;
  if (!rewriteArguments(argc, argv, &arguments, &applied, &error)) return fail(error);
  std::vector<char*> pointers;
  for (std::string& argument : arguments) pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  int count = static_cast<int>(arguments.size());
  char** rest = pointers.data();
  // Unknown flags and values of the wrong type: gflags prints one line
  // naming the flag and exits with status 1.
  gflags::ParseCommandLineNonHelpFlags(&count, &rest, true);
  if (count > 1) return fail("Unexpected argument '" + std::string(rest[1]) + "'");

  std::string help, version;
  gflags::GetCommandLineOption("help", &help);
  gflags::GetCommandLineOption("version", &version);
  if (help == "true") {
    printHelp(argv[0]);
    result.exitStatus = 0;
    return result;
  }
  if (version == "true") {
    std::cout << "mesos-local-master " << MESOS_VERSION << std::endl;
    result.exitStatus = 0;
    return result;
  }
  gflags::HandleCommandLineHelpFlags();  // gflags' other --help* flags (and exits).

  if (!resolveFlagfileValues(applied, &error)) return fail(error);
  Problem problem;
  toOptions(&result.options, &problem);
  if (problem.text) return fail(*problem.text);
  return result;
}

void initDaemonLogging(const char* argv0) {
  auto explicitlySet = [](const char* flag) {
    gflags::CommandLineFlagInfo info;
    return gflags::GetCommandLineFlagInfo(flag, &info) && !info.is_default;
  };
  // What GLOG_* variables or glog's flags on the command line set is theirs.
  auto glogSet = [&](const char* flag) {
    return std::getenv(("GLOG_" + std::string(flag)).c_str()) != nullptr || explicitlySet(flag);
  };
  const bool levelGiven = explicitlySet("logging_level");
  const int level = levelGiven ? severity(FLAGS_logging_level).value_or(google::GLOG_WARNING)
                               : (FLAGS_v > 0 ? google::GLOG_INFO : google::GLOG_WARNING);
  if (levelGiven || !glogSet("minloglevel")) FLAGS_minloglevel = level;
  if (!glogSet("logtostderr")) FLAGS_logtostderr = FLAGS_log_dir.empty();
  // Log files are written at once, as with Mesos's --logbufsecs default (glog
  // would hold INFO lines back for up to 30 s).
  if (!glogSet("logbufsecs")) FLAGS_logbufsecs = 0;
  if (FLAGS_quiet) {
    FLAGS_stderrthreshold = google::GLOG_FATAL;
    FLAGS_alsologtostderr = false;
    // Logging to stderr instead of files ignores the threshold.
    if (FLAGS_logtostderr) FLAGS_minloglevel = google::GLOG_FATAL;
  } else if (!glogSet("stderrthreshold")) {
    FLAGS_stderrthreshold = FLAGS_minloglevel;
  }
  google::InitGoogleLogging(argv0);
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
