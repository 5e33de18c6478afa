#pragma once

// The state behind a `Transport`. Internal to src/process.
// Runs on: the transport's I/O thread only.

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "process/connections.hpp"
#include "process/transport.hpp"

namespace mesos {
namespace internal {
namespace process {

class TransportCore : public std::enable_shared_from_this<TransportCore> {
 public:
  TransportCore(boost::asio::io_context& io, TransportOptions options);

  Try<Nothing> start();
  void stop();
  bool stopped() const { return stopped_; }

  Try<Nothing> send(const std::string& from, const UPID& to, std::string_view name,
                    std::string_view body);
  Transport::LinkId link(const UPID& to, Transport::ExitedHandler handler);
  void unlink(Transport::LinkId id);
  size_t queuedBytes() const;
  void setReadPaused(bool paused);
  bool readPaused() const { return readPaused_; }
  void finishOutbound();
  size_t finishingOutbound() const;

  // Called by connections.
  boost::asio::io_context& io() { return io_; }
  const TransportOptions& options() const { return options_; }
  // Serves one decoded request: appends its response to `out`. Returns the
  // stream of a streaming response (its head is in `out`), else null.
  std::shared_ptr<ResponseStream> serve(HttpRequest& request, const std::string& peer,
                                        std::string& out);
  void onOutboundBroken(Outbound* connection);
  void onInboundClosed(Inbound* connection);

  UPID self(const std::string& id) const { return UPID(id, advertisedIp_, advertisedPort_); }
  uint16_t boundPort() const { return boundPort_; }

  std::unordered_map<std::string, std::shared_ptr<const Transport::MessageHandler>> processes;
  std::unordered_map<std::string, Transport::HttpHandler> routes;
  TransportStats stats;

 private:
  void startAccept();
  std::shared_ptr<Outbound> outboundFor(const UPID& to);

  boost::asio::io_context& io_;
  const TransportOptions options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  bool started_ = false;
  bool stopped_ = false;
  bool readPaused_ = false;
  uint16_t boundPort_ = 0;
  uint32_t advertisedIp_ = 0;
  uint16_t advertisedPort_ = 0;

  std::unordered_map<uint64_t, std::shared_ptr<Outbound>> outbound_;
  std::unordered_set<std::shared_ptr<Inbound>> inbound_;
  struct Link {
    uint64_t key;
    UPID upid;
    Transport::ExitedHandler handler;
  };
  std::map<Transport::LinkId, Link> links_;
  Transport::LinkId nextLinkId_ = 1;
};

// Key of a peer address in the outbound table.
inline uint64_t peerKey(uint32_t ip, uint16_t port) {
  return (static_cast<uint64_t>(ip) << 16) | port;
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
