// The SUBSCRIBE response decoder of the v1 HTTP API (src/sched/codec/event_stream.hpp):
// a head, then RecordIO records across arbitrary chunk and read boundaries, or
// a non-200 answer with its body; and every malformed input refused.

#include "sched/codec/event_stream.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/recordio.hpp"

namespace mesos {
namespace internal {
namespace sched {
namespace {

std::string chunk(const std::string& bytes) {
  std::ostringstream size;
  size << std::hex << bytes.size();
  return size.str() + "\r\n" + bytes + "\r\n";
}

const std::string kHead =
    "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
    "Mesos-Stream-Id: 0123-abcd\r\nTransfer-Encoding: chunked\r\n\r\n";

// Three records, the middle one split over two chunks and the last two sharing one.
std::string stream(const std::vector<std::string>& records) {
  std::string framed;
  for (const auto& r : records) appendRecord(framed, r);
  const size_t third = framed.size() / 3;
  return kHead + chunk(framed.substr(0, third)) + chunk(framed.substr(third, third)) +
         chunk(framed.substr(2 * third));
}

TEST(EventStreamDecoder, RecordsAcrossAnyReadBoundary) {
  const std::vector<std::string> records = {"first", std::string(300, 'x'), "third\n"};
  const std::string bytes = stream(records) + "0\r\n\r\n";
  for (size_t split = 0; split <= bytes.size(); ++split) {
    EventStreamDecoder decoder(1024, 1024);
    std::vector<std::string> out;
    ASSERT_TRUE(decoder.feed(std::string_view(bytes).substr(0, split), out)) << decoder.error();
    ASSERT_TRUE(decoder.feed(std::string_view(bytes).substr(split), out)) << decoder.error();
    EXPECT_EQ(records, out) << "split at " << split;
    ASSERT_TRUE(decoder.head().has_value());
    EXPECT_EQ(200, decoder.head()->status);
    EXPECT_EQ("0123-abcd", decoder.head()->streamId);
    EXPECT_TRUE(decoder.done());
  }
  EventStreamDecoder decoder(1024, 1024);
  std::vector<std::string> out;
  for (char c : bytes) ASSERT_TRUE(decoder.feed(std::string_view(&c, 1), out)) << decoder.error();
  EXPECT_EQ(records, out);
}

// A record's last bytes are handed over as soon as they arrive, not held back
// until more of the stream comes (a heartbeat may be 15 s away).
TEST(EventStreamDecoder, RecordCompletesWithItsLastByte) {
  EventStreamDecoder decoder(1024, 1024);
  std::vector<std::string> out;
  ASSERT_TRUE(decoder.feed(kHead + "4\r\n2\n", out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(decoder.feed("ab", out));
  ASSERT_EQ(std::vector<std::string>{"ab"}, out);
  ASSERT_TRUE(decoder.feed("\r\n", out));
}

TEST(EventStreamDecoder, NonOkAnswerHasItsBody) {
  EventStreamDecoder decoder(1024, 1024);
  std::vector<std::string> out;
  ASSERT_TRUE(decoder.feed("HTTP/1.1 307 Temporary Redirect\r\nLocation: //m2:5050/master/api/v1/"
                           "scheduler\r\nContent-Length: 0\r\n\r\n",
                           out));
  ASSERT_TRUE(decoder.done());
  EXPECT_EQ(307, decoder.head()->status);
  EXPECT_EQ("//m2:5050/master/api/v1/scheduler", decoder.head()->location);

  EventStreamDecoder refused(1024, 1024);
  ASSERT_TRUE(refused.feed("HTTP/1.1 401 Unauthorized\r\nContent-Length: 17\r\n\r\n401 Unauth", out));
  EXPECT_FALSE(refused.done());
  ASSERT_TRUE(refused.feed("orized.", out));
  ASSERT_TRUE(refused.done());
  EXPECT_EQ("401 Unauthorized.", refused.body());
}

TEST(EventStreamDecoder, MalformedInputIsRefused) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"garbage", "SSH-2.0-OpenSSH\r\n\r\n"},
      {"not chunked", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"},
      {"bad chunk size", kHead + "zz\r\nabc\r\n"},
      {"length not a number", kHead + chunk("1x\nabc")},
      {"record over the limit", kHead + chunk("99999\n")},
      {"answer body over the limit",
       "HTTP/1.1 400 Bad Request\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'a')},
      {"oversized head", "HTTP/1.1 200 OK\r\nX: " + std::string(10000, 'h') + "\r\n\r\n"},
      {"bytes after the end", kHead + "0\r\n\r\nextra"},
  };
  for (const Case& c : cases) {
    EventStreamDecoder decoder(1024, 1024);
    std::vector<std::string> out;
    EXPECT_FALSE(decoder.feed(c.bytes, out)) << c.name;
    EXPECT_FALSE(decoder.error().empty()) << c.name;
    EXPECT_FALSE(decoder.feed("more", out)) << c.name << ": input after an error";
  }
}

TEST(EventStreamDecoder, TruncatedRecordIsMidRecord) {
  EventStreamDecoder decoder(1024, 1024);
  std::vector<std::string> out;
  ASSERT_TRUE(decoder.feed(kHead + chunk("10\nabc"), out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(decoder.midRecord());
  EXPECT_FALSE(decoder.done());
}

}  // namespace
}  // namespace sched
}  // namespace internal
}  // namespace mesos
