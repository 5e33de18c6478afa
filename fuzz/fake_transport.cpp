// The Transport members of src/process/transport.hpp, without sockets; see
// fake_transport.hpp for why and what is kept of the real semantics.

#include "fake_transport.hpp"

#include <memory>
#include <unordered_map>
#include <utility>

namespace mesos {
namespace internal {
namespace process {

namespace {

struct State : fuzz::FakeTransport {
  TransportOptions options;
  UPID address;  // Of self(): the advertised IP and port.
  bool stopped = false;
  bool readPaused = false;
  std::unordered_map<std::string, std::shared_ptr<const Transport::MessageHandler>> processes;
  std::unordered_map<std::string, Transport::HttpHandler> routes;
  struct Link {
    std::string address;
    UPID upid;
    Transport::ExitedHandler handler;
  };
  std::map<Transport::LinkId, Link> links;
  Transport::LinkId nextLinkId = 1;
  TransportStats stats;
};

// Transport has no room for our state (its one member is the real core), so
// it lives here, keyed by the Transport's address.
std::map<const Transport*, State>& states() {
  static std::map<const Transport*, State> map;
  return map;
}

State& state(const Transport* transport) { return states().at(transport); }

}  // namespace

Transport::Transport(boost::asio::io_context&, TransportOptions options) {
  State& s = states()[this];
  s = State();
  s.address.ip = 0x7f000001;
  if (options.advertiseIp) {
    Try<uint32_t> ip = parseIp(*options.advertiseIp);
    if (ip.isSome()) s.address.ip = ip.get();
  }
  s.address.port = options.advertisePort.value_or(options.bindPort);
  s.options = std::move(options);
}

Transport::~Transport() {
  stop();
  states().erase(this);
}

Try<Nothing> Transport::start() { return Nothing(); }

void Transport::stop() {
  State& s = state(this);
  s.stopped = true;
  s.processes.clear();
  s.routes.clear();
  s.links.clear();
}

UPID Transport::self(const std::string& id) const {
  const State& s = state(this);
  return UPID(id, s.address.ip, s.address.port);
}

uint16_t Transport::boundPort() const { return state(this).address.port; }

void Transport::addProcess(const std::string& id, MessageHandler handler) {
  state(this).processes[id] = std::make_shared<const MessageHandler>(std::move(handler));
}

void Transport::removeProcess(const std::string& id) { state(this).processes.erase(id); }

void Transport::addRoute(const std::string& path, HttpHandler handler) {
  state(this).routes[path] = std::move(handler);
}

Try<Nothing> Transport::send(const UPID& from, const UPID& to, std::string_view name,
                             std::string_view body) {
  State& s = state(this);
  if (s.stopped) return Error("transport stopped");
  if (to.ip == 0 || to.port == 0) return Error("cannot send to '" + to.toString() + "'");
  if (s.failSends) return Error("send queue to " + to.address() + " is full");
  s.sent.push_back(Message{from, to, std::string(name), std::string(body)});
  ++s.stats.messagesSent;
  return Nothing();
}

Try<Nothing> Transport::send(const std::string& from, const UPID& to, std::string_view name,
                             std::string_view body) {
  Try<UPID> sender = UPID::parse(from, UPID::Resolve::kNumericOnly);
  return send(sender.isSome() ? sender.get() : UPID(), to, name, body);
}

Transport::LinkId Transport::link(const UPID& to, ExitedHandler handler) {
  State& s = state(this);
  const LinkId id = s.nextLinkId++;
  s.links.emplace(id, State::Link{to.address(), to, std::move(handler)});
  return id;
}

void Transport::unlink(LinkId id) { state(this).links.erase(id); }

void Transport::setReadPaused(bool paused) { state(this).readPaused = paused; }
bool Transport::readPaused() const { return state(this).readPaused; }
void Transport::finishOutbound() {}
size_t Transport::finishingOutbound() const { return 0; }
TransportStats Transport::stats() const { return state(this).stats; }
size_t Transport::queuedBytes() const { return 0; }
const TransportOptions& Transport::options() const { return state(this).options; }

}  // namespace process
}  // namespace internal
}  // namespace mesos

namespace fuzz {

using mesos::internal::process::State;

FakeTransport& fake(Transport& transport) { return mesos::internal::process::state(&transport); }

bool FakeTransport::deliver(Message message) {
  auto& s = static_cast<mesos::internal::process::State&>(*this);
  if (s.stopped) return false;
  auto process = s.processes.find(message.to.id);
  if (process == s.processes.end()) return false;
  ++s.stats.messagesReceived;
  // A reference, as the real transport holds: the handler may remove its process.
  std::shared_ptr<const Transport::MessageHandler> handler = process->second;
  (*handler)(std::move(message));
  return true;
}

size_t FakeTransport::breakLinks(const std::string& address) {
  auto& s = static_cast<mesos::internal::process::State&>(*this);
  std::vector<mesos::internal::process::State::Link> exited;
  for (auto link = s.links.begin(); link != s.links.end();) {
    if (link->second.address == address) {
      exited.push_back(std::move(link->second));
      link = s.links.erase(link);
    } else {
      ++link;
    }
  }
  size_t ran = 0;
  for (auto& link : exited) {
    if (s.stopped) break;
    link.handler(link.upid);
    ++ran;
  }
  return ran;
}

size_t FakeTransport::processCount() const {
  return static_cast<const mesos::internal::process::State&>(*this).processes.size();
}

size_t FakeTransport::linkCount() const {
  return static_cast<const mesos::internal::process::State&>(*this).links.size();
}

}  // namespace fuzz
