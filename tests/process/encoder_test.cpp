#include "process/encoder.hpp"

#include <gtest/gtest.h>

#include "process/decoder.hpp"
#include "process/route.hpp"

namespace mesos {
namespace internal {
namespace process {
namespace {

const UPID kMaster("master", 0x0a000001, 5050);
const char kFrom[] = "scheduler-1@10.0.0.5:41321";

TEST(EncoderTest, WritesLibprocessBytesExactly) {
  // Written by hand from docs/protocol.md, "The wire": header order, chunked
  // single chunk, lowercase hex length without leading zeros.
  const std::string body(26, 'x');
  const std::string expected =
      "POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\n"
      "User-Agent: libprocess/scheduler-1@10.0.0.5:41321\r\n"
      "Libprocess-From: scheduler-1@10.0.0.5:41321\r\n"
      "Connection: Keep-Alive\r\n"
      "Host: 10.0.0.1:5050\r\n"
      "Transfer-Encoding: chunked\r\n"
      "\r\n"
      "1a\r\n" + body + "\r\n"
      "0\r\n"
      "\r\n";
  EXPECT_EQ(expected,
            encodeMessage(kFrom, kMaster, "mesos.internal.RegisterFrameworkMessage", body));
}

TEST(EncoderTest, OmitsBodyAndTransferEncodingWhenBodyIsEmpty) {
  const std::string expected =
      "POST /crammd5-authenticatee(1)/mesos.internal.AuthenticationCompletedMessage HTTP/1.1\r\n"
      "User-Agent: libprocess/master@10.0.0.1:5050\r\n"
      "Libprocess-From: master@10.0.0.1:5050\r\n"
      "Connection: Keep-Alive\r\n"
      "Host: 10.0.0.5:41321\r\n"
      "\r\n";
  EXPECT_EQ(expected, encodeMessage("master@10.0.0.1:5050",
                                    UPID("crammd5-authenticatee(1)", 0x0a000005, 41321),
                                    "mesos.internal.AuthenticationCompletedMessage", ""));
}

TEST(EncoderTest, EmptyReceiverIdAvoidsDoubleSlash) {
  const std::string bytes = encodeMessage(kFrom, UPID("", 0x7f000001, 80), "name", "b");
  EXPECT_EQ(0u, bytes.find("POST /name HTTP/1.1\r\n"));
}

TEST(EncoderTest, LargeBodyLengthIsHex) {
  const std::string body(0x12345, 'y');
  const std::string bytes = encodeMessage(kFrom, kMaster, "n", body);
  EXPECT_NE(std::string::npos, bytes.find("\r\n\r\n12345\r\n"));
}

TEST(EncoderTest, OutputRoundTripsThroughTheDecoder) {
  std::string stream;
  for (int i = 0; i < 3; ++i) {
    appendMessage(stream, kFrom, kMaster, "mesos.internal.M" + std::to_string(i),
                  std::string(static_cast<size_t>(i), static_cast<char>('a' + i)));
  }
  RequestDecoder decoder;
  std::vector<HttpRequest> requests;
  ASSERT_FALSE(decoder.feed(stream.data(), stream.size(), requests));
  ASSERT_EQ(3u, requests.size());
  for (int i = 0; i < 3; ++i) {
    RoutedRequest routed = routeRequest(requests[i]);
    ASSERT_EQ(RoutedRequest::Kind::kMessage, routed.kind) << routed.reason;
    EXPECT_EQ("master", routed.receiverId);
    EXPECT_EQ("mesos.internal.M" + std::to_string(i), routed.name);
    EXPECT_EQ(kFrom, routed.from.toString());
    EXPECT_EQ(std::string(static_cast<size_t>(i), static_cast<char>('a' + i)), requests[i].body);
  }
}

}  // namespace
}  // namespace process
}  // namespace internal
}  // namespace mesos
