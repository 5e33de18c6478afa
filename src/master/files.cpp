// The sandboxes' files, read-only, as a Mesos agent serves them (webui.hpp):
// `/files/read?path=P&offset=N&length=L` answers `{"data": "...", "offset":
// N}` (without `offset`, or with -1, just the file's size as `offset`, which a
// reader uses to start at the end), `/files/download?path=P` the bytes as
// text/plain.
//
// The path comes from the network, and the sandboxes' contents from task
// processes: neither is trusted. A path is served only if
//  * it is absolute and has no `..` component (400 otherwise),
//  * it names a place inside the sandbox of a task the master knows (404
//    otherwise: nothing else is there to serve),
//  * its canonical path (every symlink resolved) is inside that sandbox's
//    canonical path (403 otherwise: a symlink leads out),
//  * it exists (404) and is a regular file (400),
// and the file is opened with O_NOFOLLOW, then checked again through
// /proc/self/fd, so that a symlink swapped in after the check leads nowhere.
// Each refusal is a WARNING line.

#include <fcntl.h>
#include <glog/logging.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "master/files_query.hpp"
#include "master/text_json.hpp"
#include "master/webui.hpp"
#include "process/route.hpp"

namespace mesos {
namespace internal {
namespace master {

using process::HttpRequest;
using process::HttpResponse;

namespace {

// `detail` is for the log only: the answer does not say where a symlink leads.
HttpResponse refuse(const HttpRequest& request, int status, const std::string& why,
                    const std::string& detail = "") {
  LOG(WARNING) << "Refusing " << request.method << " " << request.target.substr(0, 512) << ": "
               << why << detail;
  return HttpResponse(status, "text/plain; charset=utf-8", why + "\n");
}

std::optional<std::string> canonical(const std::string& path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return std::nullopt;
  return std::string(resolved);
}

bool inside(const std::string& path, const std::string& directory) {
  return path.size() > directory.size() && path.compare(0, directory.size(), directory) == 0 &&
         path[directory.size()] == '/';
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Up to `length` bytes at `offset`; false on a read error.
bool readAt(int fd, long long offset, size_t length, std::string* out) {
  out->resize(length);
  size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd, out->data() + done, length - done,
                              static_cast<off_t>(offset + static_cast<long long>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out->resize(done);
  return true;
}

}  // namespace

HttpResponse serveSandboxFile(const HttpRequest& request, bool download,
                              const std::vector<std::string>& sandboxes) {
  bool malformed = false;
  const std::optional<std::string> path = queryParameter(request.target, "path", &malformed);
  const std::optional<std::string> offsetText =
      download ? std::nullopt : queryParameter(request.target, "offset", &malformed);
  const std::optional<std::string> lengthText =
      download ? std::nullopt : queryParameter(request.target, "length", &malformed);
  if (malformed) return refuse(request, 400, "Malformed query string");
  if (!path || path->empty()) return refuse(request, 400, "Expecting 'path' in the query");
  if ((*path)[0] != '/' || path->find('\0') != std::string::npos) {
    return refuse(request, 400, "The path must be absolute");
  }
  for (const auto& part : std::filesystem::path(*path)) {
    if (part == "..") return refuse(request, 400, "The path must not contain '..'");
  }
  std::optional<long long> offset = -1;
  if (offsetText) offset = integer(*offsetText, -1);
  if (!offset) return refuse(request, 400, "'offset' must be an integer, -1 or more");
  std::optional<long long> length = static_cast<long long>(kMaxFileRead);
  if (lengthText) length = integer(*lengthText, 0);
  if (!length) return refuse(request, 400, "'length' must be a non-negative integer");

  // The sandbox of a known task that the path names a place in (lexically:
  // this only picks the sandbox to check against).
  const std::string normal = std::filesystem::path(*path).lexically_normal().string();
  const std::string* sandbox = nullptr;
  for (const std::string& s : sandboxes) {
    const std::string root = std::filesystem::path(s).lexically_normal().string();
    if (normal == root || inside(normal, root)) {
      sandbox = &s;
      break;
    }
  }
  if (sandbox == nullptr) return refuse(request, 404, "Not in the sandbox of a known task");

  const std::optional<std::string> root = canonical(*sandbox);
  if (!root) return refuse(request, 404, "The sandbox is gone");
  const std::optional<std::string> file = canonical(normal);
  if (!file) return refuse(request, 404, "No such file");
  if (*file == *root) return refuse(request, 400, "Cannot read a directory");
  if (!inside(*file, *root)) {
    return refuse(request, 403, "The path leads out of its sandbox", " (to " + *file + ")");
  }

  Fd fd(::open(file->c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    const int error = errno;
    if (error == ENOENT) return refuse(request, 404, "No such file");
    if (error == ELOOP) return refuse(request, 403, "The file became a symlink");
    return refuse(request, 403, std::string("Cannot open the file: ") + std::strerror(error));
  }
  // What was opened is still inside the sandbox (nothing was swapped in
  // between), and a regular file.
  const std::optional<std::string> opened = canonical("/proc/self/fd/" + std::to_string(fd.get()));
  if (!opened || !inside(*opened, *root)) {
    return refuse(request, 403, "The file moved out of its sandbox");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return refuse(request, 404, "No such file");
  if (S_ISDIR(st.st_mode)) return refuse(request, 400, "Cannot read a directory");
  if (!S_ISREG(st.st_mode)) return refuse(request, 400, "Not a regular file");
  const long long size = static_cast<long long>(st.st_size);

  std::string data;
  if (download) {
    if (size > static_cast<long long>(kMaxFileDownload)) {
      return refuse(request, 413,
                    "The file is larger than " + std::to_string(kMaxFileDownload) +
                        " bytes; read it in parts with /files/read");
    }
    if (!readAt(fd.get(), 0, static_cast<size_t>(size), &data)) {
      return refuse(request, 500, std::string("Cannot read the file: ") + std::strerror(errno));
    }
    HttpResponse response(200, "text/plain; charset=utf-8", std::move(data));
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // Without an offset (or -1): the size only.
  if (*offset == -1) *offset = size;
  const size_t want = static_cast<size_t>(std::min<long long>(
      {*length, static_cast<long long>(kMaxFileRead), std::max<long long>(0, size - *offset)}));
  if (want > 0 && !readAt(fd.get(), *offset, want, &data)) {
    return refuse(request, 500, std::string("Cannot read the file: ") + std::strerror(errno));
  }
  TextJson w;
  w.beginObject();
  w.member("data", validUtf8(data));
  w.member("offset", static_cast<double>(*offset));
  w.endObject();
  HttpResponse response(200, "application/json", w.take());
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
