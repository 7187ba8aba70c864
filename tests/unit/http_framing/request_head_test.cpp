// The request-head checks: every framing ambiguity RFC 9112 names is refused
// with the right status and a reason; ordinary requests pass with their
// framing read correctly.
#include "http_framing/request_head.hpp"

#include <gtest/gtest.h>

namespace hookbroker::http_framing {
namespace {

/// A POST head with `fields` (each "Name: value") between Host and the end.
std::string head_with(const std::string& fields, const std::string& request_line = "POST /api/events HTTP/1.1") {
  return request_line + "\r\nHost: 127.0.0.1:8765\r\n" + fields + "\r\n";
}

TEST(RequestHead, FindsTheEndOfTheHeadAcrossPieces) {
  const std::string wire = "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
  EXPECT_EQ(find_head_end(wire), wire.size() - 4);
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: x\r\n\r"), std::string_view::npos);
  // Resuming three bytes before the end of what was searched finds a split terminator.
  const std::string first = "GET / HTTP/1.1\r\nHost: x\r\n\r";
  EXPECT_EQ(find_head_end(first + "\nrest", first.size() - 3), first.size() + 1);
}

TEST(RequestHead, OrdinaryRequestsPassWithTheirFraming) {
  HeadCheck get = check_request_head("GET /health HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
  EXPECT_TRUE(get.ok()) << get.error;
  EXPECT_EQ(get.framing, BodyFraming::None);

  HeadCheck post = check_request_head(head_with("Content-Type: application/json\r\nContent-Length: 42\r\n"));
  ASSERT_TRUE(post.ok()) << post.error;
  EXPECT_EQ(post.framing, BodyFraming::ContentLength);
  EXPECT_EQ(post.content_length, 42u);

  HeadCheck chunked = check_request_head(head_with("Transfer-Encoding: chunked\r\n"));
  ASSERT_TRUE(chunked.ok()) << chunked.error;
  EXPECT_EQ(chunked.framing, BodyFraming::Chunked);

  // Tabs and spaces around values, obs-text (UTF-8 bytes) in values, a
  // HTTP/1.0 request with a body.
  EXPECT_TRUE(check_request_head(head_with("X-Note:\t caf\xc3\xa9 \t\r\n")).ok());
  EXPECT_TRUE(check_request_head(head_with("Content-Length: 0\r\n", "POST /x HTTP/1.0")).ok());
}

TEST(RequestHead, TransferEncodingIsCaseInsensitive) {
  for (const char* value : {"Chunked", "CHUNKED", " chunked ", "chunked,", ", chunked"}) {
    const HeadCheck c = check_request_head(head_with(std::string("Transfer-Encoding: ") + value + "\r\n"));
    ASSERT_TRUE(c.ok()) << value << ": " << c.error;
    EXPECT_EQ(c.framing, BodyFraming::Chunked) << value;
  }
  const HeadCheck name_case = check_request_head(head_with("TRANSFER-encoding: chunked\r\n"));
  EXPECT_EQ(name_case.framing, BodyFraming::Chunked);
}

TEST(RequestHead, IdenticalContentLengthsAreOneAndDifferentOnesAreRefused) {
  // RFC 9110 section 8.6: identical values cannot be read two ways.
  for (const char* fields : {"Content-Length: 5\r\nContent-Length: 5\r\n", "Content-Length: 5, 5\r\n",
                             "Content-Length: 5\r\ncontent-length: 005\r\n"}) {
    const HeadCheck c = check_request_head(head_with(fields));
    ASSERT_TRUE(c.ok()) << fields << c.error;
    EXPECT_EQ(c.content_length, 5u);
  }
  for (const char* fields : {"Content-Length: 5\r\nContent-Length: 10\r\n", "Content-Length: 5, 10\r\n"}) {
    const HeadCheck c = check_request_head(head_with(fields));
    EXPECT_EQ(c.status, 400) << fields;
    EXPECT_NE(c.error.find("two different Content-Length values (5 and 10)"), std::string::npos) << c.error;
  }
}

TEST(RequestHead, ContentLengthMustBeDigits) {
  for (const char* value : {"abc", "-1", "+5", "5 5", "0x10", "", "5,", "1e3", "5;"}) {
    const HeadCheck c = check_request_head(head_with(std::string("Content-Length: ") + value + "\r\n"));
    EXPECT_EQ(c.status, 400) << "'" << value << "'";
    EXPECT_NE(c.error.find("is not a number of bytes"), std::string::npos) << c.error;
  }
  EXPECT_EQ(check_request_head(head_with("Content-Length: 99999999999999999999999\r\n")).status, 413);
}

TEST(RequestHead, TransferEncodingWithContentLengthIsRefused) {
  const HeadCheck c = check_request_head(head_with("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"));
  EXPECT_EQ(c.status, 400);
  EXPECT_NE(c.error.find("request smuggling"), std::string::npos) << c.error;
}

TEST(RequestHead, TransferCodingsOtherThanAFinalChunkedAreRefused) {
  EXPECT_EQ(check_request_head(head_with("Transfer-Encoding: gzip\r\n")).status, 400);
  EXPECT_EQ(check_request_head(head_with("Transfer-Encoding: chunked, gzip\r\n")).status, 400);
  EXPECT_EQ(check_request_head(head_with("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")).status, 400);
  EXPECT_EQ(check_request_head(head_with("Transfer-Encoding: \r\n")).status, 400);
  EXPECT_EQ(check_request_head(head_with("Transfer-Encoding: gzip, chunked\r\n")).status, 501);
  EXPECT_EQ(check_request_head(head_with("Transfer-Encoding: chunked\r\n", "POST /x HTTP/1.0")).status, 400);
}

TEST(RequestHead, MalformedHeaderLinesAreRefused) {
  struct Case {
    const char* fields;
    const char* reason;
  };
  for (const Case& c : {
           Case{"Content-Length : 5\r\n", "whitespace between the header name 'Content-Length'"},
           Case{"X-A\t: 1\r\n", "whitespace between the header name"},
           Case{"Bad Name: 1\r\n", "is not a token"},
           Case{"X(y): 1\r\n", "is not a token"},
           Case{"Caf\xc3\xa9: 1\r\n", "is not a token"},
           Case{": 1\r\n", "no name"},
           Case{"NoColon\r\n", "has no colon"},
           Case{"X-A: 1\r\n continued\r\n", "obsolete line folding"},
           Case{"X-A: a\x01" "b\r\n", "control character 0x01"},
           Case{"X-A: a\x7f\r\n", "control character 0x7f"},
           Case{"X-A: a\nX-B: b\r\n", "bare LF"},
           Case{"X-A: a\rb\r\n", "bare CR"},
       }) {
    const HeadCheck check = check_request_head(head_with(c.fields));
    EXPECT_EQ(check.status, 400) << c.fields;
    EXPECT_NE(check.error.find(c.reason), std::string::npos) << c.fields << " -> " << check.error;
  }
  const std::string with_nul = head_with(std::string("X-A: a\0b\r\n", 10));
  const HeadCheck nul = check_request_head(with_nul);
  EXPECT_EQ(nul.status, 400);
  EXPECT_NE(nul.error.find("control character 0x00"), std::string::npos) << nul.error;
}

TEST(RequestHead, HostMustBeThereOnce) {
  EXPECT_EQ(check_request_head("GET / HTTP/1.1\r\nAccept: x\r\n\r\n").status, 400);
  EXPECT_EQ(check_request_head("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status, 400);
  EXPECT_EQ(check_request_head("GET / HTTP/1.1\r\nHost:\r\n\r\n").status, 400);
}

TEST(RequestHead, MalformedRequestLinesAreRefused) {
  for (const char* line : {"GET  / HTTP/1.1", "GET / HTTP/1.1 ", "GET /", "GET / HTTP/1", "GET / http/1.1",
                           "G(T / HTTP/1.1", " GET / HTTP/1.1", "GET /a\x01 HTTP/1.1", "GET /a\tb HTTP/1.1"}) {
    const HeadCheck c = check_request_head(std::string(line) + "\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.status, 400) << line;
    EXPECT_FALSE(c.error.empty());
  }
  EXPECT_EQ(check_request_head("GET / HTTP/2.0\r\nHost: x\r\n\r\n").status, 505);
  EXPECT_EQ(check_request_head("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
}

TEST(RequestHead, AnUnfinishedHeadIsRefused) {
  EXPECT_EQ(check_request_head("GET / HTTP/1.1\r\nHost: x\r\n").status, 400);
  EXPECT_EQ(check_request_head("").status, 400);
}

TEST(RequestHead, ErrorsQuoteTheSendersTextBoundedAndEscaped) {
  const HeadCheck c = check_request_head(head_with("Content-Length: x" + std::string(500, '9') + "\r\n"));
  EXPECT_EQ(c.status, 400);
  EXPECT_LT(c.error.size(), 200u) << c.error;
}

}  // namespace
}  // namespace hookbroker::http_framing
