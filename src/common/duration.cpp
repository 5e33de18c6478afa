#include "common/duration.hpp"

#include <cmath>
#include <cstdlib>
#include <utility>

namespace mesos {
namespace internal {

Try<std::chrono::milliseconds> parseDuration(const std::string& text) {
  size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                               text[end] == '.')) {
    ++end;
  }
  if (end == 0) return Error("'" + text + "' is not a duration (e.g. '2secs')");
  double value = 0;
  try {
    value = std::stod(text.substr(0, end));
  } catch (...) {
    return Error("'" + text + "' is not a duration (e.g. '2secs')");
  }
  static const std::pair<const char*, double> kUnits[] = {
      {"ns", 1e-6},   {"us", 1e-3},      {"ms", 1},          {"secs", 1e3},
      {"mins", 60e3}, {"hrs", 3600e3},   {"days", 86400e3},  {"weeks", 604800e3}};
  const std::string unit = text.substr(end);
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) {
      const double ms = value * factor;
      if (!std::isfinite(ms) || ms > 1e15) return Error("duration '" + text + "' is too large");
      return std::chrono::milliseconds(static_cast<int64_t>(std::llround(ms)));
    }
  }
  return Error("'" + text + "' has an unknown unit (use ns, us, ms, secs, mins, hrs, days, weeks)");
}

Try<std::chrono::milliseconds> durationFromEnv(const char* name,
                                               std::chrono::milliseconds fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr) return fallback;
  Try<std::chrono::milliseconds> parsed = parseDuration(value);
  if (parsed.isError()) return Error(std::string(name) + ": " + parsed.error());
  return parsed;
}

}  // namespace internal
}  // namespace mesos
