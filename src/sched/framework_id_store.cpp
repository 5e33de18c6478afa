#include "sched/framework_id_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <glog/logging.h>

namespace mesos {
namespace internal {
namespace sched {

namespace {

constexpr size_t kMaxIdLength = 255;
constexpr size_t kMaxFileBytes = 4096;  // A longer file cannot hold a valid id.

std::string errnoText() { return std::strerror(errno); }

std::string directoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Makes a rename or unlink in `dir` durable.
bool syncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string validityError(const std::string& id) {
  if (id.size() > kMaxIdLength) return "longer than 255 characters";
  if (id == "." || id == "..") return "'" + id + "' is not an id";
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f || c == ' ') return "contains a control or space character";
    if (c == '/' || c == '\\') return "contains '/' or '\\'";
  }
  return "";
}

}  // namespace

Try<std::optional<std::string>> readFrameworkIdFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Error("cannot read framework id file '" + path + "': " + errnoText());
  }
  std::string content;
  char buffer[1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = errnoText();
      ::close(fd);
      return Error("cannot read framework id file '" + path + "': " + why);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > kMaxFileBytes) break;
  }
  ::close(fd);
  if (content.size() > kMaxFileBytes) {
    return Error("framework id file '" + path + "' is too large to hold a framework id");
  }
  const size_t begin = content.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return std::optional<std::string>();
  const size_t end = content.find_last_not_of(" \t\r\n");
  const std::string id = content.substr(begin, end - begin + 1);
  const std::string invalid = validityError(id);
  if (!invalid.empty()) {
    return Error("framework id file '" + path + "' does not hold a valid framework id: " +
                 invalid);
  }
  return std::optional<std::string>(id);
}

FrameworkIdStore::FrameworkIdStore(std::string path, std::optional<std::string> stored)
    : path_(std::move(path)), stored_(std::move(stored)) {}

void FrameworkIdStore::warn(const std::string& what) {
  if (warned_) {
    VLOG(1) << what;
    return;
  }
  warned_ = true;
  LOG(WARNING) << what << " (the framework id will not survive a restart of the scheduler; "
               << "further failures are logged at VLOG(1))";
}

void FrameworkIdStore::save(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stored_ == id) return;
  const std::string dir = directoryOf(path_);
  const std::string temp = path_ + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    warn("Cannot write framework id file '" + path_ + "': " + temp + ": " + errnoText());
    return;
  }
  const std::string content = id + "\n";
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool synced = written == content.size() && ::fsync(fd) == 0;
  const std::string syncError = synced ? "" : errnoText();
  ::close(fd);
  if (!synced) {
    ::unlink(temp.c_str());
    warn("Cannot write framework id file '" + path_ + "': " + syncError);
    return;
  }
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    const std::string why = errnoText();
    ::unlink(temp.c_str());
    warn("Cannot replace framework id file '" + path_ + "': " + why);
    return;
  }
  if (!syncDirectory(dir)) {
    warn("Cannot sync directory '" + dir + "' of framework id file: " + errnoText());
  }
  stored_ = id;
  VLOG(1) << "Stored framework id " << id << " in " << path_;
}

void FrameworkIdStore::forget() {
  std::lock_guard<std::mutex> lock(mutex_);
  stored_.reset();
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    warn("Cannot delete framework id file '" + path_ + "': " + errnoText());
    return;
  }
  syncDirectory(directoryOf(path_));
}

}  // namespace sched
}  // namespace internal
}  // namespace mesos
