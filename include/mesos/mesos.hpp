#pragma once

/// @file
/// The Mesos protobuf types (generated from the project's own copy of the wire
/// schema) plus the comparison and printing helpers Mesos's `<mesos/mesos.hpp>`
/// offers for identifiers, so that `offer.id() == other` and
/// `LOG(INFO) << taskId` work as framework authors expect.

#include <ostream>

#include <mesos/mesos.pb.h>                  // IWYU pragma: export
#include <mesos/scheduler/scheduler.pb.h>    // IWYU pragma: export

/// The Mesos scheduler API: the protobuf types, `Scheduler`,
/// `SchedulerDriver` and `MesosSchedulerDriver`.
namespace mesos {

/// Defines `==`, `!=`, `<` and `<<` for the identifier message `T` (by `value`);
/// undefined again at the end of this header.
#define MESOS_DEFINE_ID_OPERATORS(T)                                              \
  /** Equal when the `value`s are equal. */                                       \
  inline bool operator==(const T& a, const T& b) { return a.value() == b.value(); } \
  /** Not equal when the `value`s differ. */                                      \
  inline bool operator!=(const T& a, const T& b) { return !(a == b); }            \
  /** Orders by `value`, for use as a map key. */                                 \
  inline bool operator<(const T& a, const T& b) { return a.value() < b.value(); } \
  /** Prints the `value`. */                                                      \
  inline std::ostream& operator<<(std::ostream& os, const T& id) { return os << id.value(); }

MESOS_DEFINE_ID_OPERATORS(FrameworkID)
MESOS_DEFINE_ID_OPERATORS(OfferID)
MESOS_DEFINE_ID_OPERATORS(SlaveID)
MESOS_DEFINE_ID_OPERATORS(TaskID)
MESOS_DEFINE_ID_OPERATORS(ExecutorID)

#undef MESOS_DEFINE_ID_OPERATORS

/// Prints a `TaskState` by name, e.g. `TASK_RUNNING`.
inline std::ostream& operator<<(std::ostream& os, TaskState state) {
  return os << TaskState_Name(state);
}

/// Prints a driver `Status` by name, e.g. `DRIVER_RUNNING`.
inline std::ostream& operator<<(std::ostream& os, Status status) {
  return os << Status_Name(status);
}

}  // namespace mesos
