#pragma once

// The listening TCP sockets this process holds (what `ss -ltnp` would list for
// it): the inodes of /proc/net/tcp{,6} entries in state LISTEN that are also
// among /proc/self/fd's sockets.

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace mesos {
namespace testing {

inline std::set<std::string> listeningSockets() {
  std::set<std::string> listening;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // The header.
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state == "0A") listening.insert(inode);  // TCP_LISTEN
    }
  }
  std::set<std::string> mine;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(dir)) {
      char target[256];
      const std::string path = std::string("/proc/self/fd/") + entry->d_name;
      const ssize_t n = readlink(path.c_str(), target, sizeof(target) - 1);
      if (n <= 0) continue;
      const std::string link(target, static_cast<size_t>(n));
      if (link.rfind("socket:[", 0) != 0) continue;
      const std::string inode = link.substr(8, link.size() - 9);
      if (listening.count(inode) > 0) mine.insert(inode);
    }
    closedir(dir);
  }
  return mine;
}

}  // namespace testing
}  // namespace mesos
