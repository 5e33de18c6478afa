#pragma once

// The simulated cluster's resource model: scalar cpus/mem/disk and port ranges,
// unreserved (role "*"). Enough to validate launches against offers the way a
// Mesos master does for ordinary command tasks; reservations, volumes and
// revocable resources are not simulated (see the master's README section).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/repeated_field.h>
#include <mesos/mesos.pb.h>

#include "common/try.hpp"

namespace mesos {
namespace internal {
namespace master {

struct SimpleResources {
  double cpus = 0;
  double mem = 0;
  double disk = 0;
  std::vector<std::pair<uint64_t, uint64_t>> ports;  // Disjoint, sorted, inclusive.

  // Converts Mesos resources; unknown names, wrong types, negative values and
  // reserved resources are errors saying which.
  static Try<SimpleResources> from(const google::protobuf::RepeatedPtrField<Resource>& resources);

  // Parses Mesos's resource string syntax, e.g.
  // `cpus:4;mem:8192;disk:16384;ports:[31000-32000, 33000-33100]`.
  static Try<SimpleResources> parse(const std::string& text);

  bool empty() const;
  bool contains(const SimpleResources& other) const;
  SimpleResources& operator+=(const SimpleResources& other);
  SimpleResources& operator-=(const SimpleResources& other);
  // As Mesos resources (role "*"), omitting zero amounts.
  std::vector<Resource> toProtobuf() const;
  std::string toString() const;
};

}  // namespace master
}  // namespace internal
}  // namespace mesos
