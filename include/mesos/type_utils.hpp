#pragma once

/// @file
/// Comparison, printing and hashing of the Mesos identifier messages, as Mesos's
/// `<mesos/type_utils.hpp>` provides them: `offer.id() == other`, `std::map`
/// keys, `LOG(INFO) << taskId`, `std::unordered_set<TaskID>`.
///
/// As in Mesos, `<mesos/mesos.hpp>` and `<mesos/scheduler.hpp>` do not include
/// this header: a framework includes it where it wants these helpers, and may
/// instead define its own (a Mesos framework often defines
/// `operator<<(std::ostream&, const TaskID&)` in namespace `mesos`).
///
/// The `<<` operators are only declared here and defined in the library, so a
/// framework's own definition of one of them may coexist with this header; the
/// library's definitions are weak symbols, so the framework's definition is the
/// one used (linked statically or dynamically) and no duplicate symbol arises.
/// `==`, `!=` and `<` are inline, as in Mesos.

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>

#include <mesos/mesos.hpp>

namespace mesos {

/// Equal when the `value`s are equal.
inline bool operator==(const FrameworkID& left, const FrameworkID& right) {
  return left.value() == right.value();
}
/// Equal when the `value`s are equal.
inline bool operator==(const OfferID& left, const OfferID& right) {
  return left.value() == right.value();
}
/// Equal when the `value`s are equal.
inline bool operator==(const SlaveID& left, const SlaveID& right) {
  return left.value() == right.value();
}
/// Equal when the `value`s are equal.
inline bool operator==(const TaskID& left, const TaskID& right) {
  return left.value() == right.value();
}
/// Equal when the `value`s are equal.
inline bool operator==(const ExecutorID& left, const ExecutorID& right) {
  return left.value() == right.value();
}

/// Not equal when the `value`s differ.
inline bool operator!=(const FrameworkID& left, const FrameworkID& right) {
  return !(left == right);
}
/// Not equal when the `value`s differ.
inline bool operator!=(const OfferID& left, const OfferID& right) { return !(left == right); }
/// Not equal when the `value`s differ.
inline bool operator!=(const SlaveID& left, const SlaveID& right) { return !(left == right); }
/// Not equal when the `value`s differ.
inline bool operator!=(const TaskID& left, const TaskID& right) { return !(left == right); }
/// Not equal when the `value`s differ.
inline bool operator!=(const ExecutorID& left, const ExecutorID& right) {
  return !(left == right);
}

/// Orders by `value`, for use as a `std::map` or `std::set` key.
inline bool operator<(const FrameworkID& left, const FrameworkID& right) {
  return left.value() < right.value();
}
/// Orders by `value`, for use as a `std::map` or `std::set` key.
inline bool operator<(const OfferID& left, const OfferID& right) {
  return left.value() < right.value();
}
/// Orders by `value`, for use as a `std::map` or `std::set` key.
inline bool operator<(const SlaveID& left, const SlaveID& right) {
  return left.value() < right.value();
}
/// Orders by `value`, for use as a `std::map` or `std::set` key.
inline bool operator<(const TaskID& left, const TaskID& right) {
  return left.value() < right.value();
}
/// Orders by `value`, for use as a `std::map` or `std::set` key.
inline bool operator<(const ExecutorID& left, const ExecutorID& right) {
  return left.value() < right.value();
}

/// Prints the `value`.
std::ostream& operator<<(std::ostream& stream, const FrameworkID& frameworkId);
/// Prints the `value`.
std::ostream& operator<<(std::ostream& stream, const OfferID& offerId);
/// Prints the `value`.
std::ostream& operator<<(std::ostream& stream, const SlaveID& slaveId);
/// Prints the `value`.
std::ostream& operator<<(std::ostream& stream, const TaskID& taskId);
/// Prints the `value`.
std::ostream& operator<<(std::ostream& stream, const ExecutorID& executorId);
/// Prints a task state by name, e.g. `TASK_RUNNING`.
std::ostream& operator<<(std::ostream& stream, const TaskState& state);
/// Prints a driver status by name, e.g. `DRIVER_RUNNING` (not in Mesos's header).
std::ostream& operator<<(std::ostream& stream, const Status& status);

}  // namespace mesos

namespace std {

/// Hashes a `FrameworkID` by its `value`.
template <>
struct hash<mesos::FrameworkID> {
  /// The hash of `id.value()`.
  size_t operator()(const mesos::FrameworkID& id) const { return hash<string>()(id.value()); }
};

/// Hashes an `OfferID` by its `value`.
template <>
struct hash<mesos::OfferID> {
  /// The hash of `id.value()`.
  size_t operator()(const mesos::OfferID& id) const { return hash<string>()(id.value()); }
};

/// Hashes a `SlaveID` by its `value`.
template <>
struct hash<mesos::SlaveID> {
  /// The hash of `id.value()`.
  size_t operator()(const mesos::SlaveID& id) const { return hash<string>()(id.value()); }
};

/// Hashes a `TaskID` by its `value`.
template <>
struct hash<mesos::TaskID> {
  /// The hash of `id.value()`.
  size_t operator()(const mesos::TaskID& id) const { return hash<string>()(id.value()); }
};

/// Hashes an `ExecutorID` by its `value`.
template <>
struct hash<mesos::ExecutorID> {
  /// The hash of `id.value()`.
  size_t operator()(const mesos::ExecutorID& id) const { return hash<string>()(id.value()); }
};

}  // namespace std
