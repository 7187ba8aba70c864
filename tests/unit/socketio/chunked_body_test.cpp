// Chunked request bodies, as Node's http.request and streaming clients send them.
#include "chunked_body.hpp"

#include <gtest/gtest.h>

namespace hookbroker::sio {
namespace {

TEST(ChunkedBody, DecodesChunksExtensionsAndTrailers) {
  const std::string wire =
      "4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
  ChunkedBodyDecoder decoder(1024);
  std::string body;
  const std::size_t used = decoder.feed(wire.data(), wire.size(), body);
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(body, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_EQ(wire.substr(used), "NEXT");  // stops at the end of the body
}

TEST(ChunkedBody, AcceptsTheBodyOneByteAtATime) {
  const std::string wire = "3\r\nabc\r\na\r\n0123456789\r\n0\r\n\r\n";
  ChunkedBodyDecoder decoder(1024);
  std::string body;
  for (char c : wire) {
    ASSERT_FALSE(decoder.done());
    EXPECT_EQ(decoder.feed(&c, 1, body), 1u);
  }
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(body, "abc0123456789");
}

TEST(ChunkedBody, RefusesMalformedFraming) {
  for (const std::string& wire :
       std::vector<std::string>{"x\r\n", "3\r\nabcX", "3\nabc", "\r\n", "3\r\nabc\r\n0\r\nbad\rX",
                                "0000000000000001\r\n", "3;" + std::string(9000, 'e')}) {
    ChunkedBodyDecoder decoder(1 << 20);
    std::string body;
    decoder.feed(wire.data(), wire.size(), body);
    EXPECT_TRUE(decoder.failed()) << wire;
    EXPECT_FALSE(decoder.error().empty());
    EXPECT_FALSE(decoder.too_large());
  }
}

TEST(ChunkedBody, RefusesBodiesOverTheLimitBeforeReadingThem) {
  const std::string wire = "10\r\n";  // announces 16 bytes
  ChunkedBodyDecoder decoder(15);
  std::string body;
  decoder.feed(wire.data(), wire.size(), body);
  EXPECT_TRUE(decoder.failed());
  EXPECT_TRUE(decoder.too_large());
  EXPECT_TRUE(body.empty());
}

}  // namespace
}  // namespace hookbroker::sio
