#include "driver_test_util.hpp"

namespace mesos {
namespace testing {

OfferID offerId(const std::string& value) {
  OfferID id;
  id.set_value(value);
  return id;
}

TaskID taskId(const std::string& value) {
  TaskID id;
  id.set_value(value);
  return id;
}

TaskInfo makeTask(const std::string& id, const std::string& command) {
  TaskInfo task;
  task.set_name("task " + id);
  task.mutable_task_id()->set_value(id);
  task.mutable_slave_id()->set_value(kAgentId);
  Resource* cpus = task.add_resources();
  cpus->set_name("cpus");
  cpus->set_type(Value::SCALAR);
  cpus->mutable_scalar()->set_value(0.5);
  task.mutable_command()->set_value(command);
  return task;
}

FrameworkInfo DriverTest::frameworkInfo() {
  FrameworkInfo info;
  info.set_name("driver-test");
  info.set_user("tester");
  info.set_hostname("test-host");
  return info;
}

DriverConfig DriverTest::config(DriverConfig::Dialect dialect) {
  DriverConfig config;
  config.scheduler = &sched_;
  config.framework = frameworkInfo();
  config.master = master_.address();
  config.dialect = dialect;
  config.bindIp = "127.0.0.1";
  return config;
}

void DriverTest::start(DriverConfig config) {
  driver_ = std::make_unique<MesosSchedulerDriver>(std::move(config));
  ASSERT_EQ(DRIVER_RUNNING, driver_->start());
}

internal::process::UPID DriverTest::expectRegistration(DriverConfig::Dialect dialect) {
  if (dialect == DriverConfig::Dialect::kCall) {
    master_.expectCall(scheduler::Call::SUBSCRIBE);
  } else {
    master_.expect<internal::RegisterFrameworkMessage>();
  }
  return master_.lastFrom();
}

void DriverTest::startRegistered(DriverConfig config) {
  const DriverConfig::Dialect dialect = config.dialect;
  start(std::move(config));
  scheduler_ = expectRegistration(dialect);
  master_.registered(scheduler_, kFrameworkId);
  ASSERT_TRUE(sched_.wait(Callback::kRegistered)) << "no registered()";
  ASSERT_TRUE(driver_->connected());
}

Offer DriverTest::makeOffer(const std::string& id) {
  Offer offer;
  offer.mutable_id()->set_value(id);
  offer.mutable_framework_id()->set_value(kFrameworkId);
  offer.mutable_slave_id()->set_value(kAgentId);
  offer.set_hostname("agent-host");
  Resource* cpus = offer.add_resources();
  cpus->set_name("cpus");
  cpus->set_type(Value::SCALAR);
  cpus->mutable_scalar()->set_value(2);
  Resource* mem = offer.add_resources();
  mem->set_name("mem");
  mem->set_type(Value::SCALAR);
  mem->mutable_scalar()->set_value(1024);
  Resource* ports = offer.add_resources();
  ports->set_name("ports");
  ports->set_type(Value::RANGES);
  Value::Range* range = ports->mutable_ranges()->add_range();
  range->set_begin(31000);
  range->set_end(32000);
  return offer;
}

void DriverTest::sendOffers(const std::vector<Offer>& offers, const std::string& agentPid) {
  const size_t before = sched_.count(Callback::kResourceOffers);
  internal::ResourceOffersMessage message;
  for (const Offer& offer : offers) {
    *message.add_offers() = offer;
    message.add_pids(agentPid);
  }
  master_.send(scheduler_, message);
  ASSERT_TRUE(sched_.wait(Callback::kResourceOffers, before + 1)) << "no resourceOffers()";
}

void DriverTest::awaitMarker(const std::string& marker) {
  internal::RescindResourceOfferMessage message;
  message.mutable_offer_id()->set_value(marker);
  master_.send(scheduler_, message);
  ASSERT_TRUE(sched_.wait(Callback::kOfferRescinded,
                          [&](const CallbackEvent& e) { return e.offerId.value() == marker; }))
      << "no offerRescinded() for marker " << marker;
}

size_t DriverTest::untakenCalls(scheduler::Call::Type type) {
  drainCalls();
  return untaken_.count(type);
}

std::set<std::string> DriverTest::untakenSubscribers() {
  drainCalls();
  return subscribers_;
}

void DriverTest::drainCalls() {
  while (auto m = master_.waitFor("mesos.scheduler.Call", std::chrono::milliseconds(0))) {
    scheduler::Call call;
    if (!call.ParseFromString(m->body)) continue;
    untaken_.insert(call.type());
    if (call.type() == scheduler::Call::SUBSCRIBE) subscribers_.insert(m->from.toString());
  }
}

internal::StatusUpdateMessage DriverTest::agentUpdate(const std::string& taskId, TaskState state,
                                                      const std::string& uuid,
                                                      const std::string& agentPid) {
  internal::StatusUpdateMessage message;
  internal::StatusUpdate* update = message.mutable_update();
  update->mutable_framework_id()->set_value(kFrameworkId);
  update->mutable_slave_id()->set_value(kAgentId);
  update->set_timestamp(1700000000.5);
  update->set_uuid(uuid);
  TaskStatus* status = update->mutable_status();
  status->mutable_task_id()->set_value(taskId);
  status->set_state(state);
  status->mutable_slave_id()->set_value(kAgentId);
  status->set_uuid(uuid);
  status->set_source(TaskStatus::SOURCE_EXECUTOR);
  message.set_pid(agentPid);
  return message;
}

}  // namespace testing
}  // namespace mesos
