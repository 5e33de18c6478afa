#pragma once

/// @file
/// The Mesos protobuf types (generated from the project's own copy of the wire
/// schema) and the implemented Mesos API version, as Mesos's `<mesos/mesos.hpp>`
/// offers them. The comparison, printing and hashing helpers for identifiers
/// are in `<mesos/type_utils.hpp>`, as in Mesos.

#include <mesos/mesos.pb.h>                  // IWYU pragma: export
#include <mesos/scheduler/scheduler.pb.h>    // IWYU pragma: export
#include <mesos/version.hpp>                 // IWYU pragma: export

/// The Mesos scheduler API: the protobuf types, `Scheduler`,
/// `SchedulerDriver` and `MesosSchedulerDriver`.
namespace mesos {}
