#include "process/transport.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

#include <optional>

#include <glog/logging.h>

#include "process/encoder.hpp"
#include "process/route.hpp"
#include "process/transport_core.hpp"

namespace mesos {
namespace internal {
namespace process {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::optional<uint32_t> firstInterfaceIpv4() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<uint32_t> loopback;
  std::optional<uint32_t> routable;
  for (ifaddrs* it = list; it != nullptr && !routable; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET) continue;
    if ((it->ifa_flags & IFF_UP) == 0 || (it->ifa_flags & IFF_RUNNING) == 0) continue;
    const uint32_t ip = ntohl(reinterpret_cast<sockaddr_in*>(it->ifa_addr)->sin_addr.s_addr);
    if ((ip >> 16) == 0xa9fe) continue;  // 169.254/16: link-local, not reachable.
    if ((it->ifa_flags & IFF_LOOPBACK) != 0 || (ip >> 24) == 127) {
      if (!loopback) loopback = ip;
    } else {
      routable = ip;
    }
  }
  ::freeifaddrs(list);
  return routable ? routable : loopback;
}

}  // namespace

TransportCore::TransportCore(asio::io_context& io, TransportOptions options)
    : io_(io), options_(std::move(options)), acceptor_(io) {}

Try<Nothing> TransportCore::start() {
  if (started_) return Error("transport already started");
  Try<uint32_t> bindIp = parseIp(options_.bindIp);
  if (bindIp.isError()) return Error("bad bind address: " + bindIp.error());

  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::address_v4(bindIp.get()), options_.bindPort);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error("cannot listen on " + options_.bindIp + ":" +
                 std::to_string(options_.bindPort) + ": " + ec.message());
  }
  boundPort_ = acceptor_.local_endpoint().port();

  // Advertised address (docs/protocol.md, "The wire"): bound address,
  // overridden by the advertise options; an unspecified IP becomes this host's
  // first IPv4 address.
  advertisedIp_ = bindIp.get();
  advertisedPort_ = options_.advertisePort.value_or(boundPort_);
  if (options_.advertiseIp) {
    Try<uint32_t> ip = parseIp(*options_.advertiseIp);
    if (ip.isError()) return Error("bad advertise address: " + ip.error());
    advertisedIp_ = ip.get();
  }
  if (advertisedIp_ == 0) {
    // The first IPv4 address of an interface that is up, preferring one that
    // is not loopback. Read from the kernel, not from DNS: start() never
    // waits for the network (a hung resolver would hang it).
    std::optional<uint32_t> found = firstInterfaceIpv4();
    if (!found) {
      LOG(WARNING) << "Cannot determine this host's IPv4 address; advertising 127.0.0.1. "
                   << "Set LIBPROCESS_IP or LIBPROCESS_ADVERTISE_IP";
      advertisedIp_ = 0x7f000001;
    } else {
      advertisedIp_ = *found;
    }
  }
  started_ = true;
  VLOG(1) << "Transport listening on " << options_.bindIp << ":" << boundPort_
          << ", advertising " << formatIp(advertisedIp_) << ":" << advertisedPort_;
  startAccept();
  return Nothing();
}

void TransportCore::startAccept() {
  acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                     tcp::socket socket) {
    if (self->stopped_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      // Typically EMFILE: log and keep accepting rather than go deaf.
      LOG(WARNING) << "Failed to accept a connection: " << ec.message();
    } else if (self->inbound_.size() >= self->options_.maxInboundConnections) {
      boost::system::error_code ignored;
      LOG(WARNING) << "Refusing connection from " << socket.remote_endpoint(ignored)
                   << ": " << self->inbound_.size() << " inbound connections already open"
                   << " (limit " << self->options_.maxInboundConnections << ")";
      ++self->stats.connectionsRefused;
      socket.close(ignored);
    } else {
      auto connection = std::make_shared<Inbound>(self.get(), std::move(socket));
      self->inbound_.insert(connection);
      self->stats.inboundConnections = self->inbound_.size();
      connection->start();
    }
    self->startAccept();
  });
}

void TransportCore::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& entry : outbound_) entry.second->detach();
  for (auto& connection : inbound_) connection->detach();
  outbound_.clear();
  inbound_.clear();
  links_.clear();
  processes.clear();
  routes.clear();
  stats.inboundConnections = 0;
  stats.outboundConnections = 0;
}

std::shared_ptr<Outbound> TransportCore::outboundFor(const UPID& to) {
  const uint64_t key = peerKey(to.ip, to.port);
  auto it = outbound_.find(key);
  if (it != outbound_.end()) return it->second;
  auto connection = std::make_shared<Outbound>(
      this, key, tcp::endpoint(asio::ip::address_v4(to.ip), to.port));
  outbound_.emplace(key, connection);
  stats.outboundConnections = outbound_.size();
  connection->connect();
  return connection;
}

Try<Nothing> TransportCore::send(const std::string& from, const UPID& to, std::string_view name,
                                 std::string_view body) {
  if (stopped_) return Error("transport stopped");
  if (to.ip == 0 || to.port == 0) return Error("cannot send to '" + to.toString() + "'");
  std::shared_ptr<Outbound> connection = outboundFor(to);
  if (connection->queued() + body.size() > options_.maxQueuedBytesPerPeer) {
    return Error("send queue to " + to.address() + " is full (" +
                 std::to_string(connection->queued()) + " bytes waiting)");
  }
  appendMessage(connection->pending(), from, to, name, body);
  ++stats.messagesSent;
  VLOG(2) << "Sending " << name << " (" << body.size() << " bytes) to " << to;
  connection->flush();
  return Nothing();
}

Transport::LinkId TransportCore::link(const UPID& to, Transport::ExitedHandler handler) {
  const Transport::LinkId id = nextLinkId_++;
  links_.emplace(id, Link{peerKey(to.ip, to.port), to, std::move(handler)});
  if (!stopped_) outboundFor(to);
  return id;
}

void TransportCore::unlink(Transport::LinkId id) { links_.erase(id); }

void TransportCore::setReadPaused(bool paused) {
  if (paused == readPaused_) return;
  readPaused_ = paused;
  if (paused) return;
  // Copied: a connection may close (and leave the set) while resuming.
  std::vector<std::shared_ptr<Inbound>> connections(inbound_.begin(), inbound_.end());
  for (auto& connection : connections) {
    if (stopped_ || readPaused_) return;
    connection->resume();
  }
}

void TransportCore::finishOutbound() {
  for (auto& entry : outbound_) entry.second->finish();
}

size_t TransportCore::finishingOutbound() const {
  size_t total = 0;
  for (const auto& entry : outbound_) total += entry.second->finishing() ? 1 : 0;
  return total;
}

size_t TransportCore::queuedBytes() const {
  size_t total = 0;
  for (const auto& entry : outbound_) total += entry.second->queued();
  return total;
}

void TransportCore::onOutboundBroken(Outbound* connection) {
  const uint64_t key = connection->key();
  auto it = outbound_.find(key);
  if (it != outbound_.end() && it->second.get() == connection) outbound_.erase(it);
  stats.outboundConnections = outbound_.size();

  // Collect first: a handler may link again or unlink others.
  std::vector<Link> exited;
  for (auto link = links_.begin(); link != links_.end();) {
    if (link->second.key == key) {
      exited.push_back(std::move(link->second));
      link = links_.erase(link);
    } else {
      ++link;
    }
  }
  for (Link& link : exited) {
    if (stopped_) return;
    VLOG(1) << "Link to " << link.upid << " exited";
    link.handler(link.upid);
  }
}

void TransportCore::onInboundClosed(Inbound* connection) {
  for (auto it = inbound_.begin(); it != inbound_.end(); ++it) {
    if (it->get() == connection) {
      inbound_.erase(it);
      break;
    }
  }
  stats.inboundConnections = inbound_.size();
}

std::shared_ptr<ResponseStream> TransportCore::serve(HttpRequest& request,
                                                     const std::string& peer, std::string& out) {
  const bool close = !request.keepAlive;
  RoutedRequest routed = routeRequest(request);
  switch (routed.kind) {
    case RoutedRequest::Kind::kReject:
      ++stats.requestsRejected;
      LOG(WARNING) << "Dropping request '" << request.method << " " << request.target
                   << "' from " << peer << ": " << routed.reason;
      appendResponse(out, routed.status, {}, {}, close);
      return nullptr;
    case RoutedRequest::Kind::kHttp: {
      auto route = routes.find(routed.path);
      if (route == routes.end()) {
        const bool libprocessPeer =
            request.libprocessFrom ||
            (request.userAgent && request.userAgent->rfind("libprocess/", 0) == 0);
        if (libprocessPeer) {
          // A libprocess peer, but not a message: the message would be lost unseen.
          LOG(WARNING) << "Dropping request '" << request.method << " " << request.target
                       << "' from " << peer << ": libprocess headers, but a message must be a POST";
        } else {
          VLOG(1) << "No endpoint for '" << request.method << " " << request.target << "' from "
                  << peer;
        }
        ++stats.requestsRejected;
        appendResponse(out, 404, {}, {}, close);
        return nullptr;
      }
      // Copy the handler: it may remove its own route.
      Transport::HttpHandler handler = route->second;
      HttpResponse response = handler(request);
      if (response.status >= 400) ++stats.requestsRejected;
      if (response.stream) {
        appendStreamHead(out, response.status, response.contentType, response.headers);
        return std::move(response.stream);
      }
      appendResponse(out, response.status, response.contentType, response.body, close,
                     response.headers);
      return nullptr;
    }
    case RoutedRequest::Kind::kMessage: {
      auto process = processes.find(routed.receiverId);
      if (process == processes.end()) {
        LOG(WARNING) << "Dropping " << routed.name << " from " << routed.from
                     << ": no process '" << routed.receiverId << "' here";
        ++stats.requestsRejected;
        appendResponse(out, 404, {}, {}, close);
        return nullptr;
      }
      ++stats.messagesReceived;
      VLOG(2) << "Received " << routed.name << " (" << request.body.size() << " bytes) from "
              << routed.from;
      // Answer first: the handler may stop the transport.
      appendResponse(out, 202, {}, {}, close);
      Message message{std::move(routed.from), self(routed.receiverId), std::move(routed.name),
                      std::move(request.body)};
      // Hold a reference, not a copy: the handler may remove its own process,
      // and copying a std::function per message would allocate on the hot path.
      std::shared_ptr<const Transport::MessageHandler> handler = process->second;
      (*handler)(std::move(message));
      return nullptr;
    }
  }
  return nullptr;
}

// ---- Transport facade --------------------------------------------------------

Transport::Transport(asio::io_context& io, TransportOptions options)
    : core_(std::make_shared<TransportCore>(io, std::move(options))) {}

Transport::~Transport() { core_->stop(); }

Try<Nothing> Transport::start() { return core_->start(); }
void Transport::stop() { core_->stop(); }
UPID Transport::self(const std::string& id) const { return core_->self(id); }
uint16_t Transport::boundPort() const { return core_->boundPort(); }

void Transport::addProcess(const std::string& id, MessageHandler handler) {
  core_->processes[id] = std::make_shared<const MessageHandler>(std::move(handler));
}
void Transport::removeProcess(const std::string& id) { core_->processes.erase(id); }
void Transport::addRoute(const std::string& path, HttpHandler handler) {
  core_->routes[path] = std::move(handler);
}

Try<Nothing> Transport::send(const UPID& from, const UPID& to, std::string_view name,
                             std::string_view body) {
  return core_->send(from.toString(), to, name, body);
}
Try<Nothing> Transport::send(const std::string& from, const UPID& to, std::string_view name,
                             std::string_view body) {
  return core_->send(from, to, name, body);
}

Transport::LinkId Transport::link(const UPID& to, ExitedHandler handler) {
  return core_->link(to, std::move(handler));
}
void Transport::unlink(LinkId id) { core_->unlink(id); }
TransportStats Transport::stats() const { return core_->stats; }
void Transport::setReadPaused(bool paused) { core_->setReadPaused(paused); }
bool Transport::readPaused() const { return core_->readPaused(); }
void Transport::finishOutbound() { core_->finishOutbound(); }
size_t Transport::finishingOutbound() const { return core_->finishingOutbound(); }
size_t Transport::queuedBytes() const { return core_->queuedBytes(); }
const TransportOptions& Transport::options() const { return core_->options(); }

}  // namespace process
}  // namespace internal
}  // namespace mesos
