#pragma once

// The captures of a real Mesos master and agent in tests/fixtures/real-mesos
// (tests/fixtures/real-mesos/README.md says which test uses which).

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace mesos {
namespace testing {

// The whole file `name`; a test failure (and "") if it cannot be read.
inline std::string readFixture(const std::string& name) {
  std::ifstream in(std::string(MESOS_FIXTURES_DIR) + "/real-mesos/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace testing
}  // namespace mesos
