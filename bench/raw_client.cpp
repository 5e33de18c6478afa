// The wire's limit: a benchmark subject built on the libprocess transport alone,
// with no driver logic (no state machine, no second thread, no callbacks). It
// receives the same messages as a framework and sends the same Calls our driver
// sends (SUBSCRIBE, one ACKNOWLEDGE per update, one DECLINE per offer, one
// RECONCILE), parsing and serializing the same protobufs. Same command line as
// bench_framework:
//
//   raw_client --master=HOST:PORT --workload=W --n=N

#include <cstdlib>
#include <iostream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <mesos/scheduler/scheduler.pb.h>
#include <messages/messages.pb.h>

#include "process/transport.hpp"
#include "subject_flags.hpp"

namespace asio = boost::asio;
using mesos::internal::process::Message;
using mesos::internal::process::Transport;
using mesos::internal::process::UPID;
using mesos::scheduler::Call;

namespace {

class RawClient {
 public:
  RawClient(asio::io_context& io, UPID master, std::string workload, long n)
      : master_(std::move(master)), workload_(std::move(workload)), n_(n) {
    mesos::internal::process::TransportOptions options;
    options.bindIp = "127.0.0.1";
    transport_ = std::make_unique<Transport>(io, options);
  }

  bool start() {
    auto started = transport_->start();
    if (started.isError()) {
      std::cerr << "raw_client: " << started.error() << std::endl;
      return false;
    }
    self_ = transport_->self("scheduler(1)").toString();
    transport_->addProcess("scheduler(1)", [this](Message&& m) { onMessage(m); });
    Call call;
    call.set_type(Call::SUBSCRIBE);
    mesos::FrameworkInfo* info = call.mutable_subscribe()->mutable_framework_info();
    info->set_user("bench");
    info->set_name("bench (raw transport)");
    send(call);
    return true;
  }

 private:
  void onMessage(const Message& m) {
    if (m.from != master_) return;
    if (m.name == "mesos.internal.FrameworkRegisteredMessage") {
      mesos::internal::FrameworkRegisteredMessage registered;
      if (!registered.ParseFromString(m.body) || !frameworkId_.value().empty()) return;
      frameworkId_ = registered.framework_id();
      std::cout << "registered" << std::endl;
      if (workload_ == "reconcile") reconcile();
    } else if (m.name == "mesos.internal.StatusUpdateMessage") {
      mesos::internal::StatusUpdateMessage message;
      if (!message.ParseFromString(m.body)) return;
      const mesos::internal::StatusUpdate& update = message.update();
      if (!update.uuid().empty()) {
        Call call = makeCall(Call::ACKNOWLEDGE);
        *call.mutable_acknowledge()->mutable_slave_id() = update.slave_id();
        *call.mutable_acknowledge()->mutable_task_id() = update.status().task_id();
        call.mutable_acknowledge()->set_uuid(update.uuid());
        send(call);
      }
      if (++updates_ == n_ && workload_ == "reconcile") {
        std::cout << "reconciled " << updates_ << std::endl;
      }
    } else if (m.name == "mesos.internal.ResourceOffersMessage") {
      mesos::internal::ResourceOffersMessage message;
      if (!message.ParseFromString(m.body)) return;
      for (const mesos::Offer& offer : message.offers()) {
        Call call = makeCall(Call::DECLINE);
        *call.mutable_decline()->add_offer_ids() = offer.id();
        call.mutable_decline()->mutable_filters();
        send(call);
      }
    }
  }

  void reconcile() {
    Call call = makeCall(Call::RECONCILE);
    for (long i = 0; i < n_; ++i) {
      auto* task = call.mutable_reconcile()->add_tasks();
      task->mutable_task_id()->set_value("bench-task-" + std::to_string(i));
    }
    send(call);
  }

  Call makeCall(Call::Type type) const {
    Call call;
    call.set_type(type);
    *call.mutable_framework_id() = frameworkId_;
    return call;
  }

  void send(const Call& call) {
    call.SerializeToString(&buffer_);
    auto sent = transport_->send(self_, master_, "mesos.scheduler.Call", buffer_);
    if (sent.isError()) std::cerr << "raw_client: " << sent.error() << std::endl;
  }

  std::unique_ptr<Transport> transport_;
  const UPID master_;
  const std::string workload_;
  const long n_;
  std::string self_;
  std::string buffer_;
  mesos::FrameworkID frameworkId_;
  long updates_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::optional<bench::SubjectFlags> flags = bench::parseSubjectFlags(argc, argv);
  if (!flags) return 2;
  auto pid = UPID::parse("master@" + flags->master, UPID::Resolve::kNumericOnly);
  if (pid.isError()) {
    std::cerr << "raw_client: bad --master: " << pid.error() << std::endl;
    return 2;
  }
  asio::io_context io;
  RawClient client(io, pid.get(), flags->workload, flags->n);
  if (!client.start()) return 1;
  io.run();
  return 0;
}
