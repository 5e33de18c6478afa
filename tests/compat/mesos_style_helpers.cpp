// Another file of the framework of mesos_style_test.cpp, one that uses
// <mesos/type_utils.hpp>. Linked with the framework's own `operator<<` for
// TaskID, it shows that the header's declaration and the library's weak
// definition coexist with the framework's: one link, no duplicate symbol, and
// the framework's printer wins everywhere.

#include <sstream>
#include <string>

#include <mesos/type_utils.hpp>

namespace framework {

std::string describe(const mesos::OfferID& offer, const mesos::TaskID& task) {
  std::ostringstream out;
  out << offer << " -> " << task << " (" << mesos::TASK_STAGING << ")";
  return out.str();
}

}  // namespace framework
