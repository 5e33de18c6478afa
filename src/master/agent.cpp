// The simulated agents' setup: each is a libprocess endpoint of its own,
// `slave(N)`, with the resources and attributes of the options. What they do
// with tasks is in tasks.cpp.

#include <cstdio>
#include <sstream>

#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::Message;

Try<std::vector<Attribute>> parseAttributes(const std::string& text) {
  std::vector<Attribute> out;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ';')) {
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Error("attribute '" + item + "' is not name:value");
    }
    Attribute attribute;
    attribute.set_name(item.substr(0, colon));
    const std::string value = item.substr(colon + 1);
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (!value.empty() && end == value.c_str() + value.size()) {
      attribute.set_type(Value::SCALAR);
      attribute.mutable_scalar()->set_value(number);
    } else {
      attribute.set_type(Value::TEXT);
      attribute.mutable_text()->set_value(value);
    }
    out.push_back(attribute);
  }
  return out;
}

Try<Nothing> SimulatedMaster::startAgents() {
  for (int i = 0; i < options_.numAgents; ++i) {
    auto agent = std::make_unique<Agent>();
    char id[32];
    std::snprintf(id, sizeof(id), "-S%d", i);
    agent->id.set_value(info_.id() + id);
    // Each agent is a libprocess endpoint of its own, on its own port, as a
    // separate host would be: its direct messages to a framework then travel on
    // their own connection (some drivers attribute a connection's messages to
    // its first sender).
    process::TransportOptions agentTransport;
    agentTransport.bindIp = options_.ip;
    agent->transport = std::make_unique<process::Transport>(io_, agentTransport);
    Try<Nothing> listening = agent->transport->start();
    if (listening.isError()) return Error("agent " + std::to_string(i + 1) + ": " + listening.error());
    agent->pid = agent->transport->self("slave(" + std::to_string(i + 1) + ")");
    agent->hostname = process::formatIp(pid_.ip);
    agent->total.cpus = options_.agentCpus;
    agent->total.mem = options_.agentMem;
    agent->total.disk = options_.agentDisk;
    if (options_.agentPorts.second >= options_.agentPorts.first) {
      agent->total.ports.push_back(options_.agentPorts);
    }
    // Attributes in Mesos syntax (`rack:r1;zone:z1`; numbers become SCALAR);
    // by default agents alternate between two racks.
    Try<std::vector<Attribute>> attributes = parseAttributes(
        options_.agentAttributes.value_or("rack:rack-" + std::to_string(i % 2)));
    if (attributes.isError()) return Error("bad agent attributes: " + attributes.error());
    agent->attributes = attributes.get();
    if (options_.agentResources) {
      Try<SimpleResources> resources = SimpleResources::parse(*options_.agentResources);
      if (resources.isError()) return Error("bad agent resources: " + resources.error());
      agent->total = resources.get();
    }
    const size_t index = agents_.size();
    agent->transport->addProcess(agent->pid.id,
                                 [this, index](Message&& m) { onAgentMessage(index, std::move(m)); });
    agents_.push_back(std::move(agent));
  }
  return Nothing();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
