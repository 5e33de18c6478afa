#pragma once

// A socket-free stand-in for process::Transport, for the fuzz targets of code
// that talks through one (the CRAM-MD5 authenticatee and authenticator).
//
// fake_transport.cpp defines every member of the Transport declared in
// src/process/transport.hpp, so a target that links it never pulls the real
// transport.o out of libmesos_process.a: the code under test is unchanged, but
// its messages are recorded instead of written to a socket, and inbound
// messages are handed to its handlers by the harness, on the harness's thread.
// Were both definitions ever linked, the link would fail on duplicate symbols
// rather than silently pick one.
//
// Semantics kept from src/process/transport.cpp: handlers are looked up by
// receiver id and held by reference while they run (a handler may remove its
// own process); send() fails once stopped or to an address with IP or port 0;
// a broken link runs each of its handlers once, collected before any runs.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "process/message.hpp"
#include "process/transport.hpp"

namespace fuzz {

using mesos::internal::process::Message;
using mesos::internal::process::Transport;
using mesos::internal::process::UPID;

struct FakeTransport {
  // What the code under test handed to send(), in order.
  std::vector<Message> sent;
  // When set, send() fails as a full queue to the peer would.
  bool failSends = false;

  // Hands `message` to the process `message.to.id`, as an inbound request
  // would; false if no such process (the real transport answers 404).
  bool deliver(Message message);
  // The connection to `address` ("ip:port") broke: runs the handlers of the
  // links to it, which are gone afterwards. Returns how many ran.
  size_t breakLinks(const std::string& address);
  size_t processCount() const;
  size_t linkCount() const;
};

// The fake state behind `transport` (valid while it lives).
FakeTransport& fake(Transport& transport);

}  // namespace fuzz
