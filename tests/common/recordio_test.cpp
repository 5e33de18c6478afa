// RecordIO framing of the v1 HTTP API's event stream (src/common/recordio.hpp).

#include "common/recordio.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mesos {
namespace internal {
namespace {

TEST(RecordIO, WriterFramesLengthNewlineBytes) {
  std::string out;
  appendRecord(out, "{\"type\":\"HEARTBEAT\"}");
  appendRecord(out, std::string("\x08\x08", 2));
  EXPECT_EQ(std::string("20\n{\"type\":\"HEARTBEAT\"}2\n\x08\x08"), out);
}

TEST(RecordIO, ReadsRecordsSplitAnywhere) {
  std::string stream;
  const std::vector<std::string> records = {"a", std::string(1000, 'x'), "hello\nworld", "7"};
  for (const auto& r : records) appendRecord(stream, r);
  // Every split point, one byte at a time and in two halves.
  for (size_t split = 0; split <= stream.size(); ++split) {
    RecordReader reader(4096);
    std::vector<std::string> out;
    ASSERT_TRUE(reader.feed(std::string_view(stream).substr(0, split), out));
    ASSERT_TRUE(reader.feed(std::string_view(stream).substr(split), out));
    EXPECT_EQ(records, out) << "split at " << split;
    EXPECT_FALSE(reader.midRecord());
  }
  RecordReader reader(4096);
  std::vector<std::string> out;
  for (char c : stream) ASSERT_TRUE(reader.feed(std::string_view(&c, 1), out));
  EXPECT_EQ(records, out);
}

TEST(RecordIO, TruncatedRecordIsMidRecord) {
  RecordReader reader(100);
  std::vector<std::string> out;
  ASSERT_TRUE(reader.feed("5\nabc", out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(reader.midRecord());
  RecordReader lengthOnly(100);
  ASSERT_TRUE(lengthOnly.feed("12", out));
  EXPECT_TRUE(lengthOnly.midRecord());
}

TEST(RecordIO, LengthThatIsNotANumberFails) {
  for (const char* bad : {"x\nabc", "1a\n", "-1\n", " 1\n", "\n", "1\r\nx"}) {
    RecordReader reader(100);
    std::vector<std::string> out;
    EXPECT_FALSE(reader.feed(bad, out)) << bad;
    EXPECT_TRUE(reader.failed());
    EXPECT_FALSE(reader.error().empty());
    EXPECT_FALSE(reader.feed("1\na", out)) << "a failed reader refuses more input";
  }
}

TEST(RecordIO, LengthOverTheLimitFailsBeforeItsBytesArrive) {
  RecordReader reader(1000);
  std::vector<std::string> out;
  ASSERT_TRUE(reader.feed("1000\n", out));
  RecordReader over(1000);
  EXPECT_FALSE(over.feed("1001", out));  // Known from the digits alone.
  EXPECT_NE(std::string::npos, over.error().find("exceeds the limit"));
  RecordReader huge(1000);
  EXPECT_FALSE(huge.feed("99999999999999999999999999", out));
  RecordReader zeros(1000);
  EXPECT_FALSE(zeros.feed(std::string(64, '0'), out));
}

}  // namespace
}  // namespace internal
}  // namespace mesos
