// What the master checks before it acts: a Call's shape, the sender of a
// call for a framework, a subscription's FrameworkInfo, and an update of it.
// A malformed Call is dropped with a log line; a subscription or update that
// breaks a rule is answered with a FrameworkErrorMessage saying which, in the
// order a Mesos master checks them.

#include <glog/logging.h>

#include "common/uuid.hpp"
#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::UPID;

namespace {

// Mesos's id rules: non-empty, at most 255 characters, not "." or "..",
// no control characters, no '/' or '\'.
bool validId(const std::string& id) {
  if (id.empty() || id.size() > 255 || id == "." || id == "..") return false;
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

bool validRole(const std::string& role) {
  if (role == "*") return true;
  if (role.empty() || role == "." || role == ".." || role[0] == '-') return false;
  for (char c : role) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::set<std::string> rolesOf(const FrameworkInfo& info) {
  for (const auto& capability : info.capabilities()) {
    if (capability.type() == FrameworkInfo::Capability::MULTI_ROLE) {
      return std::set<std::string>(info.roles().begin(), info.roles().end());
    }
  }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  return {info.role()};  // Pre-MULTI_ROLE frameworks have one role, default "*".
#pragma GCC diagnostic pop
}

std::optional<std::string> SimulatedMaster::callError(const scheduler::Call& call) {
  using Call = scheduler::Call;
  if (!call.has_type()) return std::string("Expecting 'type' to be present");
  if (call.type() == Call::SUBSCRIBE) {
    if (!call.has_subscribe()) return std::string("Expecting 'subscribe' to be present");
    const FrameworkInfo& info = call.subscribe().framework_info();
    if (info.id().value() != call.framework_id().value()) {
      return std::string("'framework_id' differs from 'subscribe.framework_info.id'");
    }
    return std::nullopt;
  }
  if (!call.has_framework_id()) return std::string("Expecting 'framework_id' to be present");
  // The sub-message matching the type must be present.
  const char* missing = [&]() -> const char* {
    switch (call.type()) {
      case Call::ACCEPT: return call.has_accept() ? nullptr : "accept";
      case Call::DECLINE: return call.has_decline() ? nullptr : "decline";
      case Call::KILL: return call.has_kill() ? nullptr : "kill";
      case Call::ACKNOWLEDGE: return call.has_acknowledge() ? nullptr : "acknowledge";
      case Call::RECONCILE: return call.has_reconcile() ? nullptr : "reconcile";
      case Call::MESSAGE: return call.has_message() ? nullptr : "message";
      case Call::REQUEST: return call.has_request() ? nullptr : "request";
      case Call::UPDATE_FRAMEWORK: return call.has_update_framework() ? nullptr : "update_framework";
      default: return nullptr;
    }
  }();
  if (missing != nullptr) return "Expecting '" + std::string(missing) + "' to be present";
  if (call.type() == Call::ACKNOWLEDGE && !isValidUuidBytes(call.acknowledge().uuid())) {
    return std::string("'acknowledge.uuid' is not a valid UUID");
  }
  return std::nullopt;
}

bool SimulatedMaster::validCall(const UPID& from, const scheduler::Call& call) {
  using Call = scheduler::Call;
  const std::optional<std::string> error = callError(call);
  if (error) {
    LOG(WARNING) << "Dropping " << (call.has_type() ? Call::Type_Name(call.type()) : "a Call")
                 << " from " << from << ": " << *error;
    count("master/dropped_messages");
    return false;
  }
  if (call.type() == Call::UNKNOWN) {
    LOG(WARNING) << "Dropping a Call of type UNKNOWN from " << from;
    count("master/dropped_messages");
    return false;
  }
  return true;
}

SimulatedMaster::Framework* SimulatedMaster::authorizedFramework(const UPID& from,
                                                                 const FrameworkID& id,
                                                                 const char* what) {
  auto it = frameworks_.find(id.value());
  if (it == frameworks_.end()) {
    LOG(WARNING) << "Ignoring " << what << " for unknown framework " << id.value() << " from "
                 << from;
    count("master/dropped_messages");
    return nullptr;
  }
  if (it->second->pid != from) {
    LOG(WARNING) << "Ignoring " << what << " for framework " << id.value() << " from " << from
                 << ": not its scheduler (" << it->second->pid << ")";
    count("master/dropped_messages");
    return nullptr;
  }
  return it->second.get();
}

bool SimulatedMaster::validSubscription(const UPID& from, FrameworkInfo* info,
                                        const std::vector<std::string>& suppressedRoles) {
  bool multiRole = false;
  for (const auto& c : info->capabilities()) multiRole |= c.type() == FrameworkInfo::Capability::MULTI_ROLE;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  if (multiRole && info->has_role()) {
    sendFrameworkError(
        from, "'FrameworkInfo.role' must not be set when the MULTI_ROLE capability is");
    return false;
  }
  if (!multiRole && info->roles_size() > 0) {
    sendFrameworkError(from, "'FrameworkInfo.roles' needs the MULTI_ROLE capability");
    return false;
  }
#pragma GCC diagnostic pop
  const std::set<std::string> roles = rolesOf(*info);
  if (multiRole && roles.size() != static_cast<size_t>(info->roles_size())) {
    sendFrameworkError(from, "'FrameworkInfo.roles' contains duplicate items");
    return false;
  }
  for (const std::string& role : roles) {
    if (!validRole(role)) {
      sendFrameworkError(from, "Role '" + role + "' is invalid");
      return false;
    }
  }
  if (info->has_id() && !validId(info->id().value())) {
    sendFrameworkError(from, "Framework id '" + info->id().value() + "' is invalid");
    return false;
  }
  if (info->has_failover_timeout() &&
      !(info->failover_timeout() >= 0 && info->failover_timeout() < 1e12)) {
    sendFrameworkError(from, "The framework failover_timeout (" +
                                 std::to_string(info->failover_timeout()) + ") is invalid");
    return false;
  }
  if (!checkAuthentication(from, info)) return false;
  for (const std::string& role : suppressedRoles) {
    if (roles.count(role) == 0) {
      sendFrameworkError(
          from, "Suppressed roles {" + role + "} are not contained in the set of roles");
      return false;
    }
  }
  return true;
}

std::optional<std::string> SimulatedMaster::frameworkUpdateError(
    const Framework& framework, const scheduler::Call::UpdateFramework& update) {
  const FrameworkInfo& info = update.framework_info();
  if (info.id().value() != framework.info.id().value()) {
    return std::string("'UpdateFramework' call is not valid: framework_info.id differs");
  }
  const std::set<std::string> roles = rolesOf(info);
  for (const std::string& role : update.suppressed_roles()) {
    if (roles.count(role) == 0) {
      return "'UpdateFramework' call is not valid: Suppressed roles {" + role +
             "} are not contained in the set of roles";
    }
  }
  return std::nullopt;
}

bool SimulatedMaster::validFrameworkUpdate(const UPID& from, const Framework& framework,
                                           const scheduler::Call::UpdateFramework& update) {
  const std::optional<std::string> error = frameworkUpdateError(framework, update);
  if (error) sendFrameworkError(from, *error);
  return !error;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
