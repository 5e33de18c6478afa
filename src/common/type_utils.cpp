// Definitions of the printing operators declared in <mesos/type_utils.hpp>.
// Weak, so that a framework's own definition of one of them (common in
// frameworks written for Mesos, whose <mesos/scheduler.hpp> does not declare
// them) replaces it instead of clashing at link time.
#include <mesos/type_utils.hpp>

#define MESOS_WEAK __attribute__((weak))

namespace mesos {

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const FrameworkID& frameworkId) {
  return stream << frameworkId.value();
}

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const OfferID& offerId) {
  return stream << offerId.value();
}

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const SlaveID& slaveId) {
  return stream << slaveId.value();
}

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const TaskID& taskId) {
  return stream << taskId.value();
}

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const ExecutorID& executorId) {
  return stream << executorId.value();
}

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const TaskState& state) {
  return stream << TaskState_Name(state);
}

MESOS_WEAK std::ostream& operator<<(std::ostream& stream, const Status& status) {
  return stream << Status_Name(status);
}

}  // namespace mesos
