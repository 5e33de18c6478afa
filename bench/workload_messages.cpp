#include "workload_messages.hpp"

#include <cstdlib>
#include <cstring>

namespace bench {

namespace {
const char kClusterPrefix[] = "67f5bb78-7b54-4fb2-9218-f1ece620ca5a";
const char kTaskPrefix[] = "bench-task-";

double fixedTimestamp(int64_t i) { return 1764806400.0 + static_cast<double>(i) * 1e-3; }
}  // namespace

std::string frameworkIdValue() { return std::string(kClusterPrefix) + "-0000"; }

std::string agentIdValue(int agent) {
  return std::string(kClusterPrefix) + "-S" + std::to_string(agent);
}

std::string taskIdValue(int64_t task) { return kTaskPrefix + std::to_string(task); }

int64_t taskIndex(const std::string& taskId) {
  const size_t prefix = sizeof(kTaskPrefix) - 1;
  if (taskId.size() <= prefix || taskId.compare(0, prefix, kTaskPrefix) != 0) return -1;
  char* end = nullptr;
  const long long value = std::strtoll(taskId.c_str() + prefix, &end, 10);
  if (end == nullptr || *end != '\0' || value < 0) return -1;
  return value;
}

mesos::internal::StatusUpdateMessage agentStatusUpdate(int64_t task, int agent,
                                                       const std::string& agentPid) {
  mesos::internal::StatusUpdateMessage message;
  mesos::internal::StatusUpdate* update = message.mutable_update();
  update->mutable_framework_id()->set_value(frameworkIdValue());
  update->mutable_executor_id()->set_value(taskIdValue(task));
  update->mutable_slave_id()->set_value(agentIdValue(agent));
  update->set_timestamp(fixedTimestamp(task));
  // A distinct 16-byte uuid per update (the task index in the first 8 bytes).
  std::string uuid(16, '\x5a');
  std::memcpy(&uuid[0], &task, sizeof(task));
  update->set_uuid(uuid);

  mesos::TaskStatus* status = update->mutable_status();
  status->mutable_task_id()->set_value(taskIdValue(task));
  status->set_state(mesos::TASK_RUNNING);
  status->set_source(mesos::TaskStatus::SOURCE_EXECUTOR);
  status->set_message("Task is running");
  *status->mutable_slave_id() = update->slave_id();
  *status->mutable_executor_id() = update->executor_id();
  status->set_timestamp(update->timestamp());
  status->set_uuid(uuid);
  mesos::NetworkInfo* network = status->mutable_container_status()->add_network_infos();
  network->add_ip_addresses()->set_ip_address("10.0." + std::to_string(agent % 256) + "." +
                                              std::to_string(task % 256));
  status->mutable_container_status()->set_executor_pid(static_cast<uint32_t>(4000 + task % 60000));
  message.set_pid(agentPid);
  return message;
}

mesos::internal::StatusUpdateMessage reconciliationUpdate(const mesos::TaskID& task) {
  mesos::internal::StatusUpdateMessage message;
  mesos::internal::StatusUpdate* update = message.mutable_update();
  update->mutable_framework_id()->set_value(frameworkIdValue());
  update->set_timestamp(fixedTimestamp(0));
  mesos::TaskStatus* status = update->mutable_status();
  *status->mutable_task_id() = task;
  status->set_state(mesos::TASK_LOST);
  status->set_source(mesos::TaskStatus::SOURCE_MASTER);
  status->set_reason(mesos::TaskStatus::REASON_RECONCILIATION);
  status->set_message("Reconciliation: Task is unknown");
  status->set_timestamp(update->timestamp());
  // Master-generated: the pid is the empty UPID, as Mesos writes it.
  message.set_pid("@0.0.0.0:0");
  return message;
}

mesos::internal::ResourceOffersMessage offers(int count, const std::string& agentPidPrefix,
                                              const std::string& agentPidSuffix) {
  mesos::internal::ResourceOffersMessage message;
  const std::string framework = frameworkIdValue();
  for (int i = 0; i < count; ++i) {
    mesos::Offer* offer = message.add_offers();
    offer->mutable_id()->set_value(std::string(kClusterPrefix) + "-O" + std::to_string(i));
    offer->mutable_framework_id()->set_value(framework);
    offer->mutable_slave_id()->set_value(agentIdValue(i));
    offer->mutable_allocation_info()->set_role("*");
    offer->set_hostname("agent-" + std::to_string(i) + ".cluster.example.com");
    const std::pair<const char*, double> scalars[] = {
        {"cpus", 16}, {"mem", 63488}, {"disk", 466943}};
    for (const auto& [name, value] : scalars) {
      mesos::Resource* r = offer->add_resources();
      r->set_name(name);
      r->set_type(mesos::Value::SCALAR);
      r->mutable_scalar()->set_value(value);
      r->mutable_allocation_info()->set_role("*");
    }
    mesos::Resource* ports = offer->add_resources();
    ports->set_name("ports");
    ports->set_type(mesos::Value::RANGES);
    ports->mutable_allocation_info()->set_role("*");
    mesos::Value::Range* range = ports->mutable_ranges()->add_range();
    range->set_begin(31000);
    range->set_end(32000);
    const std::pair<const char*, std::string> attributes[] = {
        {"rack", "rack-" + std::to_string(i % 40)},
        {"zone", "zone-" + std::to_string(i % 3)},
        {"os", "debian-12"}};
    for (const auto& [name, value] : attributes) {
      mesos::Attribute* attribute = offer->add_attributes();
      attribute->set_name(name);
      attribute->set_type(mesos::Value::TEXT);
      attribute->mutable_text()->set_value(value);
    }
    message.add_pids(agentPidPrefix + std::to_string(i % 1000 + 1) + agentPidSuffix);
  }
  return message;
}

}  // namespace bench
