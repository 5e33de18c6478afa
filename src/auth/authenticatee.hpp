#pragma once

// The client side of framework authentication (docs/protocol.md,
// "Authentication"): one object per attempt, so that a mechanism other than
// CRAM-MD5 can be plugged in by name (`DriverConfig::authenticatee`, Mesos's
// `--authenticatee`).
//
// Runs on: the thread running the transport's io_context, for every method and
// for `Done`. Lifetime: destroying an authenticatee cancels its attempt (its
// libprocess process disappears at once) and `Done` never runs afterwards. The
// transport must outlive it.

#include <mesos/mesos.pb.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/try.hpp"
#include "process/transport.hpp"
#include "process/upid.hpp"

namespace mesos {
namespace internal {
namespace auth {

// How an attempt ended. As in Mesos's authenticatee contract, a refusal is
// final (the credentials are wrong: retrying cannot help), while a failure is
// transient (lost messages, protocol or SASL errors) and worth retrying.
enum class Outcome {
  kAuthenticated,
  kRefused,
  kFailed,
};

const char* outcomeName(Outcome outcome);

class Authenticatee {
 public:
  // `reason` says why an attempt failed or was refused; empty on success. It
  // never contains the secret.
  using Done = std::function<void(Outcome outcome, const std::string& reason)>;

  virtual ~Authenticatee() = default;

  // Starts the attempt: proves to the master at `master` that `client` (the
  // scheduler's own UPID, the identity the master records) holds `credential`.
  // Called at most once. `done` runs at most once; never from inside this call.
  virtual void authenticate(const process::UPID& master, const process::UPID& client,
                            const Credential& credential, Done done) = 0;

  // The libprocess UPID of this attempt's process (for logs and tests).
  virtual process::UPID self() const = 0;
};

// Makes one authenticatee per attempt, on the given transport and the
// io_context that runs it.
using AuthenticateeFactory = std::function<std::unique_ptr<Authenticatee>(
    boost::asio::io_context& io, process::Transport& transport)>;

// The factory for mechanism `name`: `crammd5` (the default, as in Mesos). Any
// other name is an error that lists the known ones.
Try<AuthenticateeFactory> authenticateeFactory(const std::string& name);

}  // namespace auth
}  // namespace internal
}  // namespace mesos
