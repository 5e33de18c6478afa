#pragma once

// A thin owner of one Cyrus SASL client connection (`sasl_conn_t`), answering
// the prompts for user, authentication name and password from a
// `mesos.Credential`. No I/O: the caller carries the bytes.
//
// Threads: any thread, one connection per thread at a time. Every call into
// libsasl2 is serialised by one process-wide mutex (see sasl_client.cpp).
// Lifetime: the destructor disposes of the connection and wipes the copy of the
// secret it handed to SASL.

#include <mesos/mesos.pb.h>

#include <memory>
#include <string>

#include "common/try.hpp"

struct sasl_conn;

namespace mesos {
namespace internal {
namespace auth {

class SaslClient {
 public:
  struct Started {
    std::string mechanism;  // The mechanism SASL chose from the offered list.
    std::string data;       // Initial client data; empty for server-first mechanisms.
  };

  // Initialises the SASL client library once per process (thread-safe; later
  // calls return the first result).
  static Try<Nothing> initialize();

  // A client for `service` (Mesos uses "mesos") talking to `serverFqdn`.
  static Try<std::unique_ptr<SaslClient>> create(const std::string& service,
                                                 const std::string& serverFqdn,
                                                 const Credential& credential);

  ~SaslClient();
  SaslClient(const SaslClient&) = delete;
  SaslClient& operator=(const SaslClient&) = delete;

  // Chooses a mechanism from `mechanisms` (space separated) and starts it.
  Try<Started> start(const std::string& mechanisms);
  // Answers one server challenge; the response may be empty.
  Try<std::string> step(const std::string& challenge);

 private:
  struct Secrets;
  SaslClient();

  sasl_conn* conn_ = nullptr;
  std::unique_ptr<Secrets> secrets_;  // Pointed to by the SASL callbacks.
};

}  // namespace auth
}  // namespace internal
}  // namespace mesos
