#pragma once

// A real ZooKeeper server for tests (Debian package `zookeeper`, run with the
// JVM): standalone, on a free loopback port, with a data directory of its own
// that is removed afterwards. It can be stopped and started again on the same
// port and data (sessions survive a short outage, as in production).
//
//   std::string error;
//   auto zk = ZooKeeperServer::start(&error);
//   ASSERT_TRUE(zk) << error;          // fails, never skips, when Java is missing
//   std::string url = "zk://" + zk->connectString() + "/mesos";
//
// ZooKeeperClient is a small synchronous client for the test's own reads and
// writes (creating members by hand, expiring another client's session).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/io_thread.hpp"

namespace mesos {
namespace testing {

class ZooKeeperServer {
 public:
  static std::unique_ptr<ZooKeeperServer> start(std::string* error) {
    const char* javaEnv = std::getenv("MESOS_TEST_JAVA");
    const std::string java = javaEnv != nullptr ? javaEnv : "/usr/bin/java";
    const std::string jar = "/usr/share/java/zookeeper.jar";
    if (::access(java.c_str(), X_OK) != 0 || ::access(jar.c_str(), R_OK) != 0) {
      *error = "no ZooKeeper server here: need " + java + " and " + jar +
               " (Debian packages default-jre-headless and zookeeper; scripts/install-deps.sh"
               " installs them)";
      return nullptr;
    }
    std::unique_ptr<ZooKeeperServer> server(new ZooKeeperServer(java, jar));
    char dir[] = "/tmp/mesos-zk-test-XXXXXX";
    if (::mkdtemp(dir) == nullptr) {
      *error = std::string("mkdtemp: ") + std::strerror(errno);
      return nullptr;
    }
    server->dir_ = dir;
    server->port_ = freePort();
    if (server->port_ == 0) {
      *error = "no free loopback port";
      return nullptr;
    }
    std::ofstream config(server->dir_ + "/zoo.cfg");
    config << "tickTime=250\n"
           << "dataDir=" << server->dir_ << "/data\n"
           << "clientPort=" << server->port_ << "\n"
           << "clientPortAddress=127.0.0.1\n"
           << "admin.enableServer=false\n"
           << "minSessionTimeout=500\n"
           << "maxSessionTimeout=60000\n"
           << "maxClientCnxns=0\n"
           << "4lw.commands.whitelist=ruok\n";
    config.close();
    if (!server->restart(error)) return nullptr;
    return server;
  }

  ~ZooKeeperServer() {
    stop();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // "127.0.0.1:<port>", for a zk:// URL or the C client.
  std::string connectString() const { return "127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }

  // Kills the server (SIGKILL: no goodbye to clients, as a crash).
  void stop() {
    if (child_) {
      child_->signal(SIGKILL);
      child_->wait(scaled(std::chrono::seconds(10)));
      child_.reset();
    }
  }

  // (Re)starts on the same port and data, and waits until it serves.
  bool restart(std::string* error) {
    stop();
    child_ = Child::start(java_,
                          {"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                           "-Dzookeeper.jmx.log4j.disable=true", "-cp", jar_,
                           "org.apache.zookeeper.server.ZooKeeperServerMain", dir_ + "/zoo.cfg"},
                          dir_ + "/server.log", error);
    if (!child_) return false;
    const auto deadline = std::chrono::steady_clock::now() + scaled(std::chrono::seconds(60));
    while (std::chrono::steady_clock::now() < deadline) {
      if (ruok()) return true;
      if (!child_->signal(0)) {
        *error = "the ZooKeeper server exited" + child_->exitNote() + "; see " + dir_ +
                 "/server.log";
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    *error = "the ZooKeeper server did not answer 'ruok' within 60 s; see " + dir_ + "/server.log";
    return false;
  }

 private:
  ZooKeeperServer(std::string java, std::string jar) : java_(std::move(java)), jar_(std::move(jar)) {}


  bool ruok() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port_);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::write(fd, "ruok", 4) == 4) {
      char answer[8] = {};
      timeval timeout{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      ok = ::read(fd, answer, 4) == 4 && std::string(answer, 4) == "imok";
    }
    ::close(fd);
    return ok;
  }

  std::string java_;
  std::string jar_;
  std::string dir_;
  uint16_t port_ = 0;
  std::unique_ptr<Child> child_;
};

// A synchronous ZooKeeper client for a test's own reads and writes.
class ZooKeeperClient {
 public:
  // Connects (optionally resuming session `id`/`password`); null on failure.
  static std::unique_ptr<ZooKeeperClient> connect(
      const std::string& servers,
      const std::optional<std::pair<int64_t, std::string>>& session = std::nullopt) {
    std::unique_ptr<ZooKeeperClient> client(new ZooKeeperClient);
    clientid_t id{};
    if (session) {
      id.client_id = session->first;
      std::memcpy(id.passwd, session->second.data(),
                  std::min(sizeof(id.passwd), session->second.size()));
    }
    client->zh_ = zookeeper_init(servers.c_str(), &ZooKeeperClient::watcher, 10000,
                                 session ? &id : nullptr, client.get(), 0);
    if (client->zh_ == nullptr) return nullptr;
    std::unique_lock<std::mutex> lock(client->mutex_);
    if (!client->changed_.wait_for(lock, scaled(std::chrono::seconds(20)),
                                   [&] { return client->connected_; })) {
      return nullptr;
    }
    return client;
  }
  ~ZooKeeperClient() {
    if (zh_ != nullptr) zookeeper_close(zh_);
  }

  // Forces `session` to expire: a second client takes it over and closes it,
  // so the server ends it (the usual way to expire a ZooKeeper session).
  // Whether the takeover connected.
  static bool expire(const std::string& servers, const std::pair<int64_t, std::string>& session) {
    return connect(servers, session) != nullptr;
  }

  // Creates `path` (and parents) with `data`; returns the created path.
  std::optional<std::string> create(const std::string& path, const std::string& data,
                                    int flags = 0) {
    for (size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      zoo_create(zh_, path.substr(0, slash).c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    }
    char created[1024];
    const int rc = zoo_create(zh_, path.c_str(), data.data(), static_cast<int>(data.size()),
                              &ZOO_OPEN_ACL_UNSAFE, flags, created, sizeof(created));
    if (rc != ZOK) return std::nullopt;
    return std::string(created);
  }
  bool remove(const std::string& path) { return zoo_delete(zh_, path.c_str(), -1) == ZOK; }
  std::vector<std::string> children(const std::string& path) {
    String_vector list{0, nullptr};
    std::vector<std::string> out;
    if (zoo_get_children(zh_, path.c_str(), 0, &list) == ZOK) {
      out.assign(list.data, list.data + list.count);
      deallocate_String_vector(&list);
    }
    return out;
  }
  std::optional<std::string> get(const std::string& path) {
    std::string data(1 << 16, '\0');
    int length = static_cast<int>(data.size());
    if (zoo_get(zh_, path.c_str(), 0, &data[0], &length, nullptr) != ZOK) return std::nullopt;
    data.resize(static_cast<size_t>(std::max(length, 0)));
    return data;
  }

 private:
  ZooKeeperClient() = default;
  static void watcher(zhandle_t*, int type, int state, const char*, void* context) {
    auto* self = static_cast<ZooKeeperClient*>(context);
    if (type != ZOO_SESSION_EVENT) return;
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->connected_ = state == ZOO_CONNECTED_STATE;
    self->changed_.notify_all();
  }

  zhandle_t* zh_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
};

}  // namespace testing
}  // namespace mesos
