// Strict HTTP framing against the real broker, with exact bytes: every
// request whose framing two parsers could read differently is refused with
// 400 (501 for a transfer coding the broker does not implement), a JSON
// reason and a closed connection, and nothing it carried is ingested;
// framing that is merely unusual (repeated identical Content-Length,
// `Transfer-Encoding: Chunked`) is read correctly.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;

const std::string kBody = R"({"type":"smuggled"})";  // 19 bytes

std::string post_with(const std::string& fields, const std::string& body = kBody) {
  return "POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + fields + "\r\n" +
         body;
}

std::string chunked(const std::string& body) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", body.size());
  return size + body + "\r\n0\r\n\r\n";
}

/// The JSON body of a raw answer ("" when it has none).
std::string error_in(const std::string& answer) {
  const std::size_t start = answer.find("\r\n\r\n");
  if (start == std::string::npos) return "";
  const auto j = nlohmann::json::parse(answer.substr(start + 4), nullptr, false);
  return j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "";
}

int history_count(int port, const std::string& type) {
  const HttpResult r = http(port, "GET", "/api/history?type=" + type);
  const auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("count") ? j["count"].get<int>() : -1;
}

TEST(SocketIoHttpFraming, AmbiguousFramingIsRefusedWithAReasonAndNothingIsIngested) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  struct Case {
    const char* what;
    std::string request;
    const char* reason;
    int status = 400;
  };
  const std::vector<Case> cases = {
      {"two different Content-Lengths", post_with("Content-Length: 19\r\nContent-Length: 5\r\n"),
       "two different Content-Length values (19 and 5)"},
      {"a Content-Length list", post_with("Content-Length: 19, 5\r\n"), "two different Content-Length values"},
      {"a Content-Length that is not digits", post_with("Content-Length: +19\r\n"), "is not a number of bytes"},
      {"whitespace before the colon", post_with("Content-Length : 19\r\n"),
       "whitespace between the header name 'Content-Length' and its colon"},
      {"a header name that is not a token", post_with("X{Note}: 1\r\nContent-Length: 19\r\n"), "is not a token"},
      {"NUL in a header value", post_with(std::string("X-Note: a") + '\0' + "b\r\nContent-Length: 19\r\n"),
       "control character 0x00"},
      {"a control character in a header value", post_with("X-Note: a\x01" "b\r\nContent-Length: 19\r\n"),
       "control character 0x01"},
      {"a bare CR in a header value", post_with("X-Note: a\rb\r\nContent-Length: 19\r\n"), "bare CR"},
      {"a bare LF ending a header", post_with("X-Note: a\nContent-Length: 19\r\n"), "bare LF"},
      {"obsolete line folding", post_with("X-Note: a\r\n b\r\nContent-Length: 19\r\n"), "obsolete line folding"},
      {"Transfer-Encoding with Content-Length",
       post_with("Transfer-Encoding: chunked\r\nContent-Length: 24\r\n", chunked(kBody)), "request smuggling"},
      {"a Transfer-Encoding that does not end in chunked", post_with("Transfer-Encoding: gzip\r\n", kBody),
       "does not end in chunked"},
      {"a second Host", post_with("Host: elsewhere.example\r\nContent-Length: 19\r\n"), "more than one Host"},
      {"a transfer coding the broker lacks", post_with("Transfer-Encoding: gzip, chunked\r\n", chunked(kBody)),
       "is not implemented", 501},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string answer = raw_exchange(port, c.request);
    EXPECT_EQ(answer.rfind("HTTP/1.1 " + std::to_string(c.status), 0), 0u) << answer;
    EXPECT_NE(answer.find("Content-Type: application/json"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_NE(error_in(answer).find(c.reason), std::string::npos) << answer;
  }
  EXPECT_EQ(history_count(port, "smuggled"), 0);
  // The broker serves on.
  EXPECT_EQ(http(port, "POST", "/api/events", R"({"type":"after"})").status, 204);
}

TEST(SocketIoHttpFraming, UnusualButUnambiguousFramingIsReadCorrectly) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  // RFC 9110 section 8.6: identical values cannot be read two ways.
  const std::string same = R"({"type":"same_length"})";
  std::string answer = raw_exchange(port, post_with("Content-Length: 22\r\nContent-Length: 22\r\n", same));
  EXPECT_EQ(answer.rfind("HTTP/1.1 204", 0), 0u) << answer;
  EXPECT_EQ(history_count(port, "same_length"), 1);

  // Transfer codings are case-insensitive: `Chunked` is chunked, not an
  // empty body.
  answer = raw_exchange(port, post_with("Transfer-Encoding: Chunked\r\n", chunked(R"({"type":"chunked_case"})")));
  EXPECT_EQ(answer.rfind("HTTP/1.1 204", 0), 0u) << answer;
  EXPECT_EQ(history_count(port, "chunked_case"), 1);
}

TEST(SocketIoHttpFraming, TheParsersOwnRefusalsAreJsonToo) {
  BrokerProcess broker(broker_args(transport_option("max_body_bytes", "4096")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::string answer = raw_exchange(port, post_with("Content-Length: 99999999\r\n", ""));
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_FALSE(error_in(answer).empty()) << answer;
  const std::string broken = raw_exchange(port, post_with("Transfer-Encoding: chunked\r\n", "5\r\nabc\r\n0\r\n\r\n"));
  EXPECT_EQ(broken.rfind("HTTP/1.1 400", 0), 0u) << broken;
  EXPECT_NE(error_in(broken).find("malformed chunked body"), std::string::npos) << broken;
}

}  // namespace
}  // namespace sio_it
