// JSON as the master writes it on the v1 HTTP API (src/master/json_writer.hpp).

#include "master/json_writer.hpp"

#include <gtest/gtest.h>
#include <mesos/mesos.pb.h>
#include <mesos/scheduler/scheduler.pb.h>

namespace mesos {
namespace internal {
namespace master {
namespace {

TEST(MesosJson, SixtyFourBitIntegersAreNumbersAndKeysFollowDeclarationOrder) {
  Value::Range range;
  range.set_begin(31000);
  range.set_end(18446744073709551615ull);
  EXPECT_EQ(R"({"begin":31000,"end":18446744073709551615})", mesosJson(range));

  TimeInfo time;
  time.set_nanoseconds(-1733364000123456789ll);
  EXPECT_EQ(R"({"nanoseconds":-1733364000123456789})", mesosJson(time));
}

TEST(MesosJson, EnumsBytesStringsAndRepeatedFields) {
  scheduler::Event event;
  event.set_type(scheduler::Event::MESSAGE);
  event.mutable_message()->mutable_slave_id()->set_value("a\"b\\c\n");
  event.mutable_message()->mutable_executor_id()->set_value("e");
  event.mutable_message()->set_data(std::string("\x00\xff hi", 5));
  EXPECT_EQ(
      R"({"type":"MESSAGE","message":{"slave_id":{"value":"a\"b\\c\n"},"executor_id":{"value":"e"},"data":"AP8gaGk="}})",
      mesosJson(event));

  Resource resource;
  resource.set_name("cpus");
  resource.set_type(Value::SCALAR);
  resource.mutable_scalar()->set_value(0.5);
  Offer offer;
  *offer.add_resources() = resource;
  *offer.add_resources() = resource;
  const std::string json = mesosJson(offer);
  EXPECT_NE(std::string::npos,
            json.find(R"("resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},)"))
      << json;
}

}  // namespace
}  // namespace master
}  // namespace internal
}  // namespace mesos
