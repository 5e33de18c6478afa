#include "master/resources.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace mesos {
namespace internal {
namespace master {

namespace {

// Scalars are compared with Mesos's fixed-point tolerance (three decimals).
constexpr double kEpsilon = 0.0005;

using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

Ranges normalize(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges out;
  for (const auto& r : ranges) {
    if (!out.empty() && r.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

bool rangesContain(const Ranges& outer, const Ranges& inner) {
  for (const auto& r : inner) {
    bool covered = false;
    for (const auto& o : outer) covered |= o.first <= r.first && r.second <= o.second;
    if (!covered) return false;
  }
  return true;
}

Ranges subtract(const Ranges& from, const Ranges& remove) {
  Ranges out = from;
  for (const auto& r : remove) {
    Ranges next;
    for (const auto& o : out) {
      if (r.second < o.first || r.first > o.second) {
        next.push_back(o);
        continue;
      }
      if (o.first < r.first) next.emplace_back(o.first, r.first - 1);
      if (r.second < o.second) next.emplace_back(r.second + 1, o.second);
    }
    out = next;
  }
  return out;
}

}  // namespace

Try<SimpleResources> SimpleResources::from(
    const google::protobuf::RepeatedPtrField<Resource>& resources) {
  SimpleResources out;
  for (const Resource& r : resources) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    // The pre-refinement `role` field is deprecated but still on the wire.
    const bool reservedRole = r.has_role() && r.role() != "*";
#pragma GCC diagnostic pop
    if (reservedRole || r.reservations_size() > 0 || r.has_reservation()) {
      return Error("reserved resources are not supported by the simulated master");
    }
    if (r.name() == "ports") {
      if (r.type() != Value::RANGES) return Error("'ports' must be RANGES");
      for (const Value::Range& range : r.ranges().range()) {
        if (range.begin() > range.end()) return Error("invalid port range");
        out.ports.emplace_back(range.begin(), range.end());
      }
      continue;
    }
    if (r.type() != Value::SCALAR) return Error("resource '" + r.name() + "' must be SCALAR");
    const double value = r.scalar().value();
    if (!(value >= 0)) return Error("resource '" + r.name() + "' is negative or not a number");
    if (r.name() == "cpus") {
      out.cpus += value;
    } else if (r.name() == "mem") {
      out.mem += value;
    } else if (r.name() == "disk") {
      out.disk += value;
    } else {
      return Error("unknown resource '" + r.name() + "'");
    }
  }
  out.ports = normalize(out.ports);
  return out;
}

Try<SimpleResources> SimpleResources::parse(const std::string& text) {
  SimpleResources out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.find_first_not_of(" \t") == std::string::npos) {
      if (end == text.size()) break;
      continue;
    }
    const size_t colon = item.find(':');
    if (colon == std::string::npos) return Error("resource '" + item + "' has no ':'");
    std::string name = item.substr(0, colon);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    const std::string value = item.substr(colon + 1);
    if (name == "ports") {
      const size_t open = value.find('['), close = value.find(']');
      if (open == std::string::npos || close == std::string::npos || close < open) {
        return Error("'ports' must look like [31000-32000]");
      }
      std::stringstream ranges(value.substr(open + 1, close - open - 1));
      std::string range;
      while (std::getline(ranges, range, ',')) {
        unsigned long long begin = 0, finish = 0;
        if (std::sscanf(range.c_str(), " %llu - %llu", &begin, &finish) != 2 || begin > finish) {
          return Error("bad port range '" + range + "'");
        }
        out.ports.emplace_back(begin, finish);
      }
      continue;
    }
    char* rest = nullptr;
    const double amount = std::strtod(value.c_str(), &rest);
    if (rest == value.c_str() || !(amount >= 0) || amount > 1e12) {
      return Error("bad amount '" + value + "' for '" + name + "'");
    }
    if (name == "cpus") out.cpus += amount;
    else if (name == "mem") out.mem += amount;
    else if (name == "disk") out.disk += amount;
    else return Error("unknown resource '" + name + "' (cpus, mem, disk, ports)");
    if (end == text.size()) break;
  }
  out.ports = normalize(out.ports);
  return out;
}

bool SimpleResources::empty() const {
  return cpus < kEpsilon && mem < kEpsilon && disk < kEpsilon && ports.empty();
}

bool SimpleResources::contains(const SimpleResources& o) const {
  return cpus + kEpsilon >= o.cpus && mem + kEpsilon >= o.mem && disk + kEpsilon >= o.disk &&
         rangesContain(ports, o.ports);
}

// Mesos keeps scalars in fixed point with three decimals; rounding after every
// step keeps sums exact (no 2.7e-17 cpus left after freeing everything).
static double fixedPoint(double value) { return std::round(value * 1000) / 1000; }

SimpleResources& SimpleResources::operator+=(const SimpleResources& o) {
  cpus = fixedPoint(cpus + o.cpus);
  mem = fixedPoint(mem + o.mem);
  disk = fixedPoint(disk + o.disk);
  Ranges all = ports;
  all.insert(all.end(), o.ports.begin(), o.ports.end());
  ports = normalize(all);
  return *this;
}

SimpleResources& SimpleResources::operator-=(const SimpleResources& o) {
  cpus = std::max(0.0, fixedPoint(cpus - o.cpus));
  mem = std::max(0.0, fixedPoint(mem - o.mem));
  disk = std::max(0.0, fixedPoint(disk - o.disk));
  ports = subtract(ports, o.ports);
  return *this;
}

std::vector<Resource> SimpleResources::toProtobuf() const {
  std::vector<Resource> out;
  auto scalar = [&out](const char* name, double value) {
    if (value < kEpsilon) return;
    Resource r;
    r.set_name(name);
    r.set_type(Value::SCALAR);
    r.mutable_scalar()->set_value(value);
    out.push_back(r);
  };
  scalar("cpus", cpus);
  scalar("mem", mem);
  scalar("disk", disk);
  if (!ports.empty()) {
    Resource r;
    r.set_name("ports");
    r.set_type(Value::RANGES);
    for (const auto& p : ports) {
      Value::Range* range = r.mutable_ranges()->add_range();
      range->set_begin(p.first);
      range->set_end(p.second);
    }
    out.push_back(r);
  }
  return out;
}

std::string SimpleResources::toString() const {
  std::ostringstream os;
  os << "cpus:" << cpus << "; mem:" << mem << "; disk:" << disk;
  if (!ports.empty()) {
    os << "; ports:[";
    for (size_t i = 0; i < ports.size(); ++i) {
      os << (i ? ", " : "") << ports[i].first << "-" << ports[i].second;
    }
    os << "]";
  }
  return os.str();
}

}  // namespace master
}  // namespace internal
}  // namespace mesos
