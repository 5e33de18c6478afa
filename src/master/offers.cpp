// Allocation and offers: every `allocationInterval`, each connected, active
// framework is offered what each active agent has left, for the first of its
// roles that is not suppressed, in an order that rotates every round so that
// frameworks share. Declined offers and what an ACCEPT leaves unused are
// filtered for refuse_seconds; REVIVE clears the filters; SUPPRESS stops
// offers for some roles; outstanding offers can time out.

#include <algorithm>

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "master/master_state.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace asio = boost::asio;

void SimulatedMaster::scheduleAllocation() {
  allocationTimer_.expires_after(options_.allocationInterval);
  allocationTimer_.async_wait([this, alive = aliveToken()](const boost::system::error_code& ec) {
    if (ec || alive.expired() || stopped_) return;
    allocate();
    scheduleAllocation();
  });
}

void SimulatedMaster::allocate() {
  if (stopped_ || frameworks_.empty()) return;
  const auto nowTime = std::chrono::steady_clock::now();
  // Rotate which framework goes first so several frameworks share fairly.
  std::vector<Framework*> order;
  for (auto& entry : frameworks_) order.push_back(entry.second.get());
  std::rotate(order.begin(), order.begin() + (allocationRound_++ % order.size()), order.end());

  for (Framework* f : order) {
    if (!f->connected || !f->active) continue;
    std::string role;
    for (const std::string& r : rolesOf(f->info)) {
      if (f->suppressedRoles.count(r) == 0) {
        role = r;
        break;
      }
    }
    if (role.empty()) continue;  // Every role suppressed.
    bool multiRole = false;
    for (const auto& c : f->info.capabilities()) multiRole |= c.type() == FrameworkInfo::Capability::MULTI_ROLE;

    internal::ResourceOffersMessage message;
    for (size_t i = 0; i < agents_.size(); ++i) {
      Agent& agent = *agents_[i];
      if (!agent.active) continue;
      auto filter = f->filters.find(i);
      if (filter != f->filters.end()) {
        if (filter->second > nowTime) continue;
        f->filters.erase(filter);
      }
      SimpleResources available = agent.total;
      available -= agent.allocated;
      if (available.cpus < 0.01 && available.mem < 1) continue;

      Offer offer;
      offer.mutable_id()->set_value(newId("O", &offerCounter_));
      *offer.mutable_framework_id() = f->info.id();
      *offer.mutable_slave_id() = agent.id;
      offer.set_hostname(agent.hostname);
      URL* url = offer.mutable_url();
      url->set_scheme("http");
      url->mutable_address()->set_hostname(agent.hostname);
      url->mutable_address()->set_ip(process::formatIp(agent.pid.ip));
      url->mutable_address()->set_port(agent.pid.port);
      url->set_path("/" + agent.pid.id);
      for (Resource& r : available.toProtobuf()) {
        if (multiRole) r.mutable_allocation_info()->set_role(role);
        *offer.add_resources() = r;
      }
      if (multiRole) offer.mutable_allocation_info()->set_role(role);
      for (const Attribute& attribute : agent.attributes) *offer.add_attributes() = attribute;
      for (auto& task : f->tasks) {
        if (task.second->agent == i && task.second->info.has_executor() && !isTerminal(task.second->state)) {
          *offer.add_executor_ids() = task.second->info.executor().executor_id();
        }
      }

      agent.allocated += available;
      Framework::OutstandingOffer& outstanding = f->offers[offer.id().value()];
      outstanding.offer = offer;
      outstanding.agent = i;
      outstanding.resources = available;
      if (options_.offerTimeout) {
        outstanding.timeout = std::make_unique<asio::steady_timer>(io_, *options_.offerTimeout);
        const std::string frameworkId = f->info.id().value();
        const std::string offerId = offer.id().value();
        outstanding.timeout->async_wait([this, alive = aliveToken(), frameworkId, offerId](const boost::system::error_code& ec) {
          if (ec || alive.expired() || stopped_) return;
          auto found = frameworks_.find(frameworkId);
          if (found != frameworks_.end()) rescindOffer(*found->second, offerId, true);
        });
      }
      *message.add_offers() = offer;
      message.add_pids(agent.pid.toString());
    }
    if (message.offers_size() > 0) {
      VLOG(1) << "Sending " << message.offers_size() << " offer(s) to framework "
              << f->info.id().value();
      send(f->pid, message);
    }
  }
}

void SimulatedMaster::rescindOffer(Framework& framework, const std::string& offerId, bool notify) {
  auto it = framework.offers.find(offerId);
  if (it == framework.offers.end()) return;
  agents_[it->second.agent]->allocated -= it->second.resources;
  framework.offers.erase(it);
  if (notify) {
    internal::RescindResourceOfferMessage message;
    message.mutable_offer_id()->set_value(offerId);
    send(framework.pid, message);
  }
}

void SimulatedMaster::decline(Framework& framework, const std::vector<OfferID>& offerIds,
                              const Filters& filters) {
  const Millis refusal = refusalOf(filters);
  for (const OfferID& id : offerIds) {
    auto it = framework.offers.find(id.value());
    if (it == framework.offers.end()) continue;  // Unknown ids are ignored.
    const size_t agent = it->second.agent;
    rescindOffer(framework, id.value(), false);
    if (refusal.count() > 0) framework.filters[agent] = std::chrono::steady_clock::now() + refusal;
  }
}

Millis SimulatedMaster::refusalOf(const Filters& filters) {
  // refuse_seconds: > 365 days -> 365 days; negative or not finite -> 5 s;
  // 0 -> no filter.
  double seconds = filters.refuse_seconds();
  if (!(seconds >= 0) || seconds > 1e15) seconds = 5;
  seconds = std::min(seconds, 365.0 * 24 * 3600);
  return Millis(static_cast<int64_t>(seconds * 1000));
}

void SimulatedMaster::revive(Framework& framework, const std::vector<std::string>& roles) {
  const std::set<std::string> all = rolesOf(framework.info);
  for (const std::string& role : roles) {
    if (all.count(role) == 0) {
      LOG(WARNING) << "Dropping REVIVE: '" << role << "' is not a role of the framework";
      return;
    }
  }
  framework.filters.clear();
  if (roles.empty()) {
    framework.suppressedRoles.clear();
  } else {
    for (const std::string& role : roles) framework.suppressedRoles.erase(role);
  }
  asio::post(io_, [this, alive = aliveToken()] {
    if (!alive.expired()) allocate();
  });
}

void SimulatedMaster::suppress(Framework& framework, const std::vector<std::string>& roles) {
  const std::set<std::string> all = rolesOf(framework.info);
  for (const std::string& role : roles) {
    if (all.count(role) == 0) {
      LOG(WARNING) << "Dropping SUPPRESS: '" << role << "' is not a role of the framework";
      return;
    }
  }
  if (roles.empty()) {
    framework.suppressedRoles = all;
  } else {
    framework.suppressedRoles.insert(roles.begin(), roles.end());
  }
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
