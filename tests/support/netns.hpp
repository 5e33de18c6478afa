#pragma once

// A private network namespace for tests that must cut the network: the test
// program enters one at the start of main(), before any thread exists (a
// namespace belongs to the thread that entered it), and then turns its own
// loopback interface on and off. Turning it off makes every packet on
// 127.0.0.1 vanish while the processes and sockets stay up: a silent
// partition, which nothing on the host outside the namespace sees.
//
// Needs CAP_SYS_ADMIN (root, as the README's test command runs) or, failing
// that, unprivileged user namespaces. A failure is reported, never skipped.

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace mesos {
namespace testing {

// Sets the loopback interface up or down; "" on success, else why not.
inline std::string setLoopback(bool up) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("socket: ") + std::strerror(errno);
  struct ifreq request {};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  std::string error;
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
    error = std::string("SIOCGIFFLAGS: ") + std::strerror(errno);
  } else {
    if (up) {
      request.ifr_flags |= IFF_UP;
    } else {
      request.ifr_flags &= ~IFF_UP;
    }
    if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
      error = std::string("SIOCSIFFLAGS: ") + std::strerror(errno);
    }
  }
  ::close(fd);
  return error;
}

// Enters a new network namespace with its loopback up; "" on success. Call
// from main() before any thread starts.
inline std::string enterNetworkNamespace() {
  if (::unshare(CLONE_NEWNET) != 0) {
    const int first = errno;
    // Without the capability: a user namespace that maps us to its root.
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
      return std::string("unshare(CLONE_NEWNET): ") + std::strerror(first) +
             "; with a user namespace: " + std::strerror(errno);
    }
    std::ofstream("/proc/self/setgroups") << "deny";
    std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
    std::ofstream("/proc/self/gid_map") << "0 " << gid << " 1";
  }
  return setLoopback(true);
}

}  // namespace testing
}  // namespace mesos
