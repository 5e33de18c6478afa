// The v1 event streams: what the master sends to an HTTP framework. The rest
// of the master sends the same messages to frameworks of both APIs
// (`send()`); for an HTTP framework each becomes the Event it stands for
// (docs/protocol.md, "The v1 scheduler HTTP API"), one RecordIO record per
// chunk, in the stream's negotiated encoding. Also the heartbeats, and the
// end of a stream.

#include <boost/asio/post.hpp>
#include <glog/logging.h>

#include "common/recordio.hpp"
#include "master/master_state.hpp"
#include "master/v1_schema.hpp"

namespace mesos {
namespace internal {
namespace master {

namespace asio = boost::asio;
using process::UPID;
using scheduler::Event;

namespace {

constexpr char kHttpSchedulerPrefix[] = "scheduler-http(";

}  // namespace

bool SimulatedMaster::isHttpScheduler(const UPID& pid) {
  return pid.ip == 0 && pid.port == 0 && pid.id.rfind(kHttpSchedulerPrefix, 0) == 0;
}

void SimulatedMaster::sendEvent(const UPID& to, const google::protobuf::Message& message) {
  auto it = httpStreams_.find(to.toString());
  if (it == httpStreams_.end() || it->second->stream->closed()) {
    VLOG(1) << "Dropping " << message.GetTypeName() << " for " << to << ": stream closed";
    return;
  }
  HttpStream& stream = *it->second;
  const std::string& name = message.GetTypeName();
  Event event;
  if (name == "mesos.internal.FrameworkRegisteredMessage" ||
      name == "mesos.internal.FrameworkReregisteredMessage") {
    // Both carry framework_id (1) and master_info (2).
    internal::FrameworkRegisteredMessage registered;
    registered.ParsePartialFromString(message.SerializePartialAsString());
    event.set_type(Event::SUBSCRIBED);
    *event.mutable_subscribed()->mutable_framework_id() = registered.framework_id();
    event.mutable_subscribed()->set_heartbeat_interval_seconds(
        std::chrono::duration<double>(options_.heartbeatInterval).count());
    *event.mutable_subscribed()->mutable_master_info() = registered.master_info();
    writeEvent(stream, event);
    // A first heartbeat right away, then one per interval.
    Event heartbeat;
    heartbeat.set_type(Event::HEARTBEAT);
    writeEvent(stream, heartbeat);
    armHeartbeat(stream);
    return;
  }
  if (name == "mesos.internal.ResourceOffersMessage") {
    const auto& offers = static_cast<const internal::ResourceOffersMessage&>(message);
    event.set_type(Event::OFFERS);
    *event.mutable_offers()->mutable_offers() = offers.offers();  // No agent pids in v1.
  } else if (name == "mesos.internal.RescindResourceOfferMessage") {
    const auto& rescind = static_cast<const internal::RescindResourceOfferMessage&>(message);
    event.set_type(Event::RESCIND);
    *event.mutable_rescind()->mutable_offer_id() = rescind.offer_id();
  } else if (name == "mesos.internal.StatusUpdateMessage") {
    const auto& forwarded = static_cast<const internal::StatusUpdateMessage&>(message);
    const internal::StatusUpdate& update = forwarded.update();
    event.set_type(Event::UPDATE);
    TaskStatus* status = event.mutable_update()->mutable_status();
    *status = update.status();
    if (update.has_slave_id()) *status->mutable_slave_id() = update.slave_id();
    if (update.has_executor_id()) *status->mutable_executor_id() = update.executor_id();
    status->set_timestamp(update.timestamp());
    // The uuid says "acknowledge me": only for an agent's update (the master's
    // own say `pid` is the empty UPID, answers to reconciliation have none).
    const bool fromAgent = !forwarded.pid().empty() && forwarded.pid() != "@0.0.0.0:0";
    if (!update.uuid().empty() && fromAgent) {
      status->set_uuid(update.uuid());
    } else {
      status->clear_uuid();
    }
  } else if (name == "mesos.internal.ExecutorToFrameworkMessage") {
    const auto& m = static_cast<const internal::ExecutorToFrameworkMessage&>(message);
    event.set_type(Event::MESSAGE);
    *event.mutable_message()->mutable_slave_id() = m.slave_id();
    *event.mutable_message()->mutable_executor_id() = m.executor_id();
    event.mutable_message()->set_data(m.data());
  } else if (name == "mesos.internal.LostSlaveMessage") {
    const auto& lost = static_cast<const internal::LostSlaveMessage&>(message);
    event.set_type(Event::FAILURE);
    *event.mutable_failure()->mutable_slave_id() = lost.slave_id();
  } else if (name == "mesos.internal.ExitedExecutorMessage") {
    const auto& exited = static_cast<const internal::ExitedExecutorMessage&>(message);
    event.set_type(Event::FAILURE);
    *event.mutable_failure()->mutable_slave_id() = exited.slave_id();
    *event.mutable_failure()->mutable_executor_id() = exited.executor_id();
    event.mutable_failure()->set_status(exited.status());
  } else if (name == "mesos.internal.FrameworkErrorMessage") {
    const auto& error = static_cast<const internal::FrameworkErrorMessage&>(message);
    event.set_type(Event::ERROR);
    event.mutable_error()->set_message(error.message());
    writeEvent(stream, event);
    // The stream ends after an ERROR.
    closeHttpStream(to.toString(), true);
    return;
  } else {
    LOG(WARNING) << "No v1 event for " << name << "; not sent to " << to;
    return;
  }
  writeEvent(stream, event);
}

void SimulatedMaster::writeEvent(HttpStream& stream, const Event& event) {
  std::string record;
  appendRecord(record, stream.json ? v1EventJson(event) : event.SerializePartialAsString());
  VLOG(2) << "Event " << Event::Type_Name(event.type()) << " on stream " << stream.id;
  // A peer that stopped reading is dropped by the transport (logged); the
  // stream's close handler then disconnects its framework.
  stream.stream->write(record);
}

void SimulatedMaster::armHeartbeat(HttpStream& stream) {
  if (!stream.heartbeat) stream.heartbeat = std::make_unique<asio::steady_timer>(io_);
  stream.heartbeat->expires_after(options_.heartbeatInterval);
  const std::string key = stream.pid.toString();
  stream.heartbeat->async_wait([this, alive = aliveToken(), key](const boost::system::error_code& ec) {
    if (ec || alive.expired() || stopped_) return;
    auto it = httpStreams_.find(key);
    if (it == httpStreams_.end()) return;
    Event heartbeat;
    heartbeat.set_type(Event::HEARTBEAT);
    writeEvent(*it->second, heartbeat);
    armHeartbeat(*it->second);
  });
}

void SimulatedMaster::closeHttpStream(const std::string& key, bool orderly) {
  auto it = httpStreams_.find(key);
  if (it == httpStreams_.end()) return;
  std::unique_ptr<HttpStream> stream = std::move(it->second);
  httpStreams_.erase(it);
  if (stream->heartbeat) stream->heartbeat->cancel();
  if (orderly) {
    stream->stream->end();
  } else {
    stream->stream->abort();
  }
  VLOG(1) << "Event stream " << stream->id << " closed";
  // Its framework, if it still uses this stream, is disconnected: at once
  // when the peer went (this runs from a handler of its own), later when the
  // master ends the stream, as that happens in the middle of an update of
  // the framework (a failover sends the old stream its ERROR before the
  // framework takes the new one).
  const UPID pid = stream->pid;
  auto disconnect = [this, pid] {
    for (auto& entry : frameworks_) {
      if (entry.second->pid == pid && entry.second->connected) {
        onSchedulerExited(entry.first, pid);
        return;
      }
    }
  };
  if (!orderly) return disconnect();
  asio::post(io_, [this, alive = aliveToken(), disconnect] {
    if (!alive.expired() && !stopped_) disconnect();
  });
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
