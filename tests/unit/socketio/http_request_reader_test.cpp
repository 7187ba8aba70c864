// The HTTP front's request reading, without sockets: pipelined requests,
// bodies in pieces, the early 413, 100-continue, upgrades and refusals.
#include "http_request_reader.hpp"

#include <gtest/gtest.h>

namespace hookbroker::sio {
namespace {

using Step = HttpRequestReader::Step;

TEST(HttpRequestReader, ReadsPipelinedRequestsInOrderWithTheirBodies) {
  HttpRequestReader reader(8000, 1024);
  reader.add(
      "POST /api/events?x=1 HTTP/1.1\r\nHost: a\r\nX-Tag: one\r\nx-tag: two\r\nContent-Length: 5\r\n\r\nhello"
      "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "HEAD /health HTTP/1.0\r\nHost: a\r\n\r\nGET /par");
  ASSERT_EQ(reader.next(), Step::Request);
  HttpRequest first = reader.take_request();
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.path, "/api/events");
  EXPECT_EQ(first.query, "x=1");
  EXPECT_EQ(first.body, "hello");
  EXPECT_EQ(first.header("x-tag"), "one, two");  // one list, as RFC 9110 5.3 reads them
  EXPECT_TRUE(reader.keep_alive());
  ASSERT_EQ(reader.next(), Step::Request);
  EXPECT_EQ(reader.take_request().body, "abc");
  EXPECT_FALSE(reader.keep_alive());
  ASSERT_EQ(reader.next(), Step::Request);
  EXPECT_EQ(reader.take_request().method, "HEAD");
  EXPECT_TRUE(reader.head_method());
  EXPECT_EQ(reader.version(), 10u);
  EXPECT_FALSE(reader.keep_alive());
  EXPECT_EQ(reader.next(), Step::NeedMore);  // the fourth has only begun
  EXPECT_TRUE(reader.has_buffered());
  reader.add("t HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(reader.next(), Step::Request);
  EXPECT_EQ(reader.take_request().path, "/part");
  EXPECT_FALSE(reader.has_buffered());
}

TEST(HttpRequestReader, ABodyTooLargeIsRefusedFromItsHead) {
  HttpRequestReader reader(8000, 1024);
  reader.add("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_EQ(reader.next(), Step::Refuse);
  EXPECT_EQ(reader.refusal().status, 413);
  EXPECT_NE(reader.refusal().reason.find("1025 bytes"), std::string::npos);
}

TEST(HttpRequestReader, AsksForContinueOnceWhenTheBodyIsAwaited) {
  HttpRequestReader reader(8000, 1024);
  reader.add("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n");
  EXPECT_EQ(reader.next(), Step::Continue);
  EXPECT_EQ(reader.next(), Step::NeedMore);
  EXPECT_TRUE(reader.reading_body());
  reader.add("{}");
  ASSERT_EQ(reader.next(), Step::Request);
  EXPECT_EQ(reader.take_request().body, "{}");
}

TEST(HttpRequestReader, AWebSocketHandshakeStopsTheReadingWithEverythingAfterItsHead) {
  HttpRequestReader reader(8000, 1024);
  const std::string handshake =
      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n"
      "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
  reader.add("GET /health HTTP/1.1\r\nHost: a\r\n\r\n" + handshake + "\x81\x00");
  ASSERT_EQ(reader.next(), Step::Request);
  reader.take_request();
  ASSERT_EQ(reader.next(), Step::Upgrade);
  const HttpRequest request = reader.take_request();
  EXPECT_EQ(request.path, "/socket.io/");
  EXPECT_EQ(request.query, "EIO=4&transport=websocket");
  EXPECT_EQ(request.header("sec-websocket-key"), "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(reader.take_buffered(), "\x81\x00");
}

TEST(HttpRequestReader, RefusesWhatTheFramingChecksRefuseAndLargeHeads) {
  {
    HttpRequestReader reader(8000, 1024);
    reader.add("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
    ASSERT_EQ(reader.next(), Step::Refuse);
    EXPECT_EQ(reader.refusal().status, 400);
    EXPECT_NE(reader.refusal().reason.find("two different Content-Length"), std::string::npos);
  }
  {
    HttpRequestReader reader(64, 1024);
    reader.add("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(64, 'a'));
    ASSERT_EQ(reader.next(), Step::Refuse);  // before the head has even ended
    EXPECT_EQ(reader.refusal().status, 431);
  }
  {
    HttpRequestReader reader(8000, 4);
    reader.add("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    ASSERT_EQ(reader.next(), Step::Refuse);
    EXPECT_EQ(reader.refusal().status, 413);
  }
}

TEST(HttpRequestReader, ReadsIntoItsOwnBufferGrowingOnlyWhileReadsFillIt) {
  HttpRequestReader reader(8000, 1 << 20);
  std::size_t room = 0;
  const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n";
  char* into = reader.prepare_read(room);
  EXPECT_EQ(room, 1024u);  // what a handshake or a hook needs
  std::copy(head.begin(), head.end(), into);
  reader.commit_read(head.size());
  EXPECT_EQ(reader.next(), Step::NeedMore);
  std::size_t sent = 0;
  std::vector<std::size_t> rooms;
  while (sent < 5000) {
    into = reader.prepare_read(room);
    rooms.push_back(room);
    const std::size_t n = std::min(room, 5000 - sent);
    std::fill(into, into + n, 'x');
    reader.commit_read(n);
    sent += n;
  }
  EXPECT_EQ(rooms, (std::vector<std::size_t>{1024, 2048, 4096}));  // doubled while full
  ASSERT_EQ(reader.next(), Step::Request);
  EXPECT_EQ(reader.take_request().body, std::string(5000, 'x'));
  EXPECT_FALSE(reader.has_buffered());
}

}  // namespace
}  // namespace hookbroker::sio
