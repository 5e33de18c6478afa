#pragma once

// The framework id kept in a file across restarts of the scheduler
// (`DriverConfig::frameworkIdFile`, docs/protocol.md "Framework id store").
//
// Reading happens once, in `start()` (driver_options.cpp); writing on the
// callback thread before `registered()` runs; forgetting on the I/O thread
// when the master removed the framework and the driver registers afresh.
//
// Thread: `save` and `forget` from any thread (one mutex orders them).

#include <mutex>
#include <optional>
#include <string>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace sched {

// The id stored at `path`: none when the file does not exist or holds only
// whitespace; an error when it cannot be read or does not hold a valid id
// (one token of at most 255 characters, no control characters, `/` or `\`,
// not `.` or `..`).
Try<std::optional<std::string>> readFrameworkIdFile(const std::string& path);

class FrameworkIdStore {
 public:
  // `stored` is what the file holds now (nothing is rewritten for it).
  FrameworkIdStore(std::string path, std::optional<std::string> stored);

  // Replaces the file's content with `id` atomically: a temporary file in the
  // same directory, fsync, rename over the file, fsync of the directory. A
  // failure is one WARNING (the first time) and leaves the old file.
  void save(const std::string& id);
  // Deletes the file (the framework was removed).
  void forget();

  const std::string& path() const { return path_; }

 private:
  void warn(const std::string& what);

  const std::string path_;
  std::mutex mutex_;
  std::optional<std::string> stored_;
  bool warned_ = false;
};

}  // namespace sched
}  // namespace internal
}  // namespace mesos
