#include "http_client/http_message.hpp"

#include <gtest/gtest.h>

namespace hookbroker::http_client {
namespace {

TEST(HttpMessage, RequestHead) {
  Request r;
  r.method = "POST";
  r.host = "::1";
  r.port = 8765;
  r.target = "/api/events";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{}";
  EXPECT_EQ(format_request_head(r),
            "POST /api/events HTTP/1.1\r\nHost: [::1]:8765\r\nConnection: close\r\nContent-Length: 2\r\n"
            "Content-Type: application/json\r\n\r\n");
  r.method = "GET";
  r.body = {};
  r.headers.clear();
  EXPECT_EQ(format_request_head(r), "GET /api/events HTTP/1.1\r\nHost: [::1]:8765\r\nConnection: close\r\n\r\n");
}

Answer read_all(ResponseReader& reader, const std::string& bytes, bool& complete) {
  complete = reader.add(bytes);
  Answer a;
  reader.finish(a);
  return a;
}

TEST(HttpMessage, AnswerCompleteAtContentLength) {
  ResponseReader reader;
  EXPECT_FALSE(reader.add("HTTP/1.1 200 OK\r\nconTent-length: 5\r\n\r\nab"));
  EXPECT_TRUE(reader.add("cde"));
  Answer a;
  reader.finish(a);
  EXPECT_EQ(a.outcome, Answer::Outcome::Answered);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(a.body, "abcde");
  EXPECT_TRUE(a.ok());
}

TEST(HttpMessage, NoContentNeedsNoBody) {
  ResponseReader reader;
  bool complete = false;
  const Answer a = read_all(reader, "HTTP/1.1 204 No Content\r\n\r\n", complete);
  EXPECT_TRUE(complete);
  EXPECT_EQ(a.status, 204);
}

TEST(HttpMessage, WithoutLengthTheAnswerEndsWhenTheServerCloses) {
  ResponseReader reader;
  bool complete = true;
  const Answer a = read_all(reader, "HTTP/1.0 503 Busy\r\n\r\nlater", complete);
  EXPECT_FALSE(complete);
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.body, "later");
  EXPECT_FALSE(a.ok());
}

TEST(HttpMessage, HeadersAreKeptWithLowerCaseNames) {
  ResponseReader reader;
  bool complete = false;
  const Answer a = read_all(reader, "HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nX-A: 1\r\nContent-Length: 0\r\n\r\n",
                            complete);
  EXPECT_TRUE(complete);
  EXPECT_EQ(a.header("content-type"), "text/plain");
  EXPECT_EQ(a.header("x-a"), "1");
  EXPECT_EQ(a.header("x-b"), "");
}

TEST(HttpMessage, AChunkedBodyEndsAtItsLastChunkAndLosesItsFraming) {
  ResponseReader reader;
  EXPECT_FALSE(reader.add("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
  EXPECT_FALSE(reader.add("6;x=y\r\n world\r\n"));
  EXPECT_TRUE(reader.add("0\r\n\r\n"));
  Answer a;
  reader.finish(a);
  EXPECT_EQ(a.body, "hello world");
}

TEST(HttpMessage, TheAnswerToHeadHasNoBody) {
  ResponseReader reader(ResponseReader::kDefaultMaxBytes, /*head_request=*/true);
  EXPECT_TRUE(reader.add("HTTP/1.1 200 OK\r\nContent-Length: 22\r\n\r\n"));
}

TEST(HttpMessage, StopsAtTheCap) {
  ResponseReader reader(16);
  EXPECT_TRUE(reader.add("HTTP/1.1 200 OK\r\n\r\n0123456789"));
}

TEST(HttpMessage, WhatIsNotAnAnswerIsSaid) {
  for (const auto& [bytes, expected] : {std::pair<std::string, std::string>{"", "without answering"},
                                        {"SSH-2.0-OpenSSH_9.2\r\n", "not HTTP"},
                                        {"HTTP/1.1 abc\r\n\r\n", "no status code"}}) {
    ResponseReader reader;
    bool complete = false;
    const Answer a = read_all(reader, bytes, complete);
    EXPECT_EQ(a.outcome, Answer::Outcome::NoAnswer) << bytes;
    EXPECT_NE(a.error.find(expected), std::string::npos) << a.error;
  }
}

}  // namespace
}  // namespace hookbroker::http_client
