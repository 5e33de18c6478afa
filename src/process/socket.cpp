#include "process/socket.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <glog/logging.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>

namespace mesos {
namespace internal {
namespace process {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

// One handshake (with its downgrade check and certificate checks) in
// progress. Completion handlers hold it; while `done` has not run, it holds
// the owner of the Socket (through `done`), so `socket` is alive whenever a
// handler finds `finished` false.
struct Socket::Handshake {
  explicit Handshake(const executor_type& executor) : timer(executor), resolver(executor) {}

  void finish(Try<Nothing> result) {
    if (finished) return;
    finished = true;
    timer.cancel();
    resolver.cancel();
    Done callback = std::move(done);
    callback(std::move(result));
  }

  // Closing the socket makes the operation in progress complete, and that
  // completion reports; nothing may report before the socket's operations
  // have completed, as the owner may then go.
  void abandon(Socket* socket) {
    error_code ignored;
    socket->tcp().close(ignored);
    resolver.cancel();
  }

  asio::steady_timer timer;
  tcp::resolver resolver;
  Done done;
  bool finished = false;
  bool timedOut = false;
};

bool Socket::isEof(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

bool Socket::looksLikeTls(const unsigned char* bytes, size_t n) {
  if (n == 0) return false;
  if (bytes[0] == 0x16) return (n < 2 || bytes[1] == 0x03) && (n < 6 || bytes[5] == 0x01);
  if ((bytes[0] & 0x80) != 0) return n < 3 || bytes[2] == 0x01;
  return false;
}

// A handshake's state, with its deadline running: closing the socket when it
// passes makes the operation in progress complete (and report).
std::shared_ptr<Socket::Handshake> Socket::begin(std::chrono::milliseconds timeout, Done done) {
  auto state = std::make_shared<Handshake>(get_executor());
  state->done = std::move(done);
  handshake_ = state;
  state->timer.expires_after(timeout);
  state->timer.async_wait([state, this](const error_code& ec) {
    if (ec || state->finished) return;
    state->timedOut = true;
    state->abandon(this);
  });
  return state;
}

void Socket::clientHandshake(std::shared_ptr<const TlsContext> tls, const std::string& hostname,
                             std::chrono::milliseconds timeout, Done done) {
  handshake(begin(timeout, std::move(done)), std::move(tls), TlsContext::Role::kClient, hostname);
}

void Socket::serverHandshake(std::shared_ptr<const TlsContext> tls,
                             std::chrono::milliseconds timeout, Done done) {
  std::shared_ptr<Handshake> state = begin(timeout, std::move(done));
  if (!tls->options().supportDowngrade) {
    handshake(std::move(state), std::move(tls), TlsContext::Role::kServer, "");
    return;
  }
  // Downgrade: decide from the first bytes, once (docs/tls.md, "Downgrade").
  plain_.async_wait(tcp::socket::wait_read, [state, this, tls](const error_code& ec) {
    if (state->finished) return;
    if (ec) {
      state->finish(Error(state->timedOut ? "nothing received in time" : ec.message()));
      return;
    }
    unsigned char first[6];
    error_code peekError;
    const size_t n = plain_.receive(asio::buffer(first), tcp::socket::message_peek, peekError);
    if (n == 0) {
      state->finish(Error("closed before sending anything"));
      return;
    }
    if (!looksLikeTls(first, n)) {
      VLOG(1) << "Accepted a plaintext connection (downgrade is supported)";
      state->finish(Nothing());
      return;
    }
    // The rest of the handshake runs under the same state and deadline.
    handshake(state, tls, TlsContext::Role::kServer, "");
  });
}

void Socket::handshake(std::shared_ptr<Handshake> state, std::shared_ptr<const TlsContext> tls,
                       TlsContext::Role role, const std::string& hostname) {
  error_code ec;
  const tcp::endpoint remote = plain_.remote_endpoint(ec);
  const std::string peerIp = ec ? std::string() : remote.address().to_string();
  tls_.emplace(std::move(plain_), tls->context(role));
  if (role == TlsContext::Role::kClient) {
    Try<Nothing> prepared = tls->prepareClient(tls_->native_handle(), hostname, peerIp);
    if (prepared.isError()) {
      asio::post(get_executor(), [state, prepared] { state->finish(prepared); });
      return;
    }
  }

  const auto type = role == TlsContext::Role::kClient ? asio::ssl::stream_base::client
                                                      : asio::ssl::stream_base::server;
  tls_->async_handshake(type, [state, this, tls, role, hostname, remote,
                               peerIp](const error_code& error) {
    if (state->finished) return;
    if (error) {
      state->finish(Error(state->timedOut ? std::string("handshake timed out")
                                          : TlsContext::describe(error, tls_->native_handle())));
      return;
    }
    if (!tls->verifies(role) ||
        tls->options().hostnameScheme != TlsOptions::HostnameScheme::kLegacy) {
      state->finish(Nothing());
      return;
    }
    // The legacy scheme checks the reverse-DNS name of the peer's address
    // when it has one, else the name the peer was addressed by (Asio resolves
    // off this thread).
    state->resolver.async_resolve(
        remote, [state, this, tls, role, hostname, peerIp](const error_code& lookup,
                                                          const tcp::resolver::results_type& results) {
          if (state->finished) return;
          if (state->timedOut) {
            state->finish(Error("certificate check timed out"));
            return;
          }
          std::string name = hostname == peerIp ? std::string() : hostname;
          if (!lookup && !results.empty() && results.begin()->host_name() != peerIp) {
            name = results.begin()->host_name();
          }
          state->finish(tls->checkPeer(tls_->native_handle(), role, name, peerIp));
        });
  });
}

void Socket::close() {
  if (auto state = handshake_.lock()) {
    state->timer.cancel();
    state->resolver.cancel();
  }
  error_code ignored;
  tcp().close(ignored);
}

void Socket::reset() {
  close();
  tls_.reset();
  handshake_.reset();
  plain_ = tcp::socket(plain_.get_executor());
}

void setKeepalive(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds idle,
                  std::chrono::milliseconds interval, int probes) {
  if (idle.count() <= 0 || !socket.is_open()) return;
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  // The kernel takes whole seconds here; round up so a sub-second setting
  // still probes rather than failing the call.
  auto wholeSeconds = [](std::chrono::milliseconds d) {
    return static_cast<int>(std::max<int64_t>(1, (d.count() + 999) / 1000));
  };
  const int fd = socket.native_handle();
  const int on = 1;
  const int idleSeconds = wholeSeconds(idle);
  const int intervalSeconds = wholeSeconds(interval);
  const int count = std::max(1, probes);
  // Unacknowledged data fails after as long as an idle connection would.
  const unsigned int userTimeout =
      static_cast<unsigned int>(1000 * (idleSeconds + intervalSeconds * count));
  struct Option {
    int level;
    int name;
    const void* value;
    socklen_t size;
    const char* what;
  };
  const Option options[] = {
      {SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on), "SO_KEEPALIVE"},
      {IPPROTO_TCP, TCP_KEEPIDLE, &idleSeconds, sizeof(idleSeconds), "TCP_KEEPIDLE"},
      {IPPROTO_TCP, TCP_KEEPINTVL, &intervalSeconds, sizeof(intervalSeconds), "TCP_KEEPINTVL"},
      {IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count), "TCP_KEEPCNT"},
      {IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeout, sizeof(userTimeout), "TCP_USER_TIMEOUT"},
  };
  for (const Option& option : options) {
    if (::setsockopt(fd, option.level, option.name, option.value, option.size) != 0) {
      VLOG(1) << "Failed to set " << option.what << " on a connection: " << std::strerror(errno);
    }
  }
}

}  // namespace process
}  // namespace internal
}  // namespace mesos
