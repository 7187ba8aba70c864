// The HTTP-side helpers: CORS, engine error bodies, static path safety, the
// port-in-use message, tokens and options.
#include <gtest/gtest.h>

#include <algorithm>

#include "socketio_codec/socketio_codec.hpp"
#include "engine_responses.hpp"
#include "http_date.hpp"
#include "hookbroker/config.hpp"
#include "hookbroker/json_input.hpp"
#include "options.hpp"
#include "port_probe.hpp"
#include "static_files.hpp"

namespace hookbroker::sio {
namespace {

TEST(HttpDate, IsImfFixdateInGmt) {
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110 5.6.7's example
  EXPECT_EQ(http_date(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(http_date(1796428800), "Sat, 05 Dec 2026 00:00:00 GMT");
  const std::string now = http_date_now();
  ASSERT_EQ(now.size(), 29u) << now;
  EXPECT_EQ(now.substr(25), " GMT");
}

TEST(EngineResponses, ErrorBodiesMatchTheReferenceByteForByte) {
  EXPECT_EQ(engine_error_response(EngineError::UnknownTransport).body,
            R"({"code":0,"message":"Transport unknown"})");
  EXPECT_EQ(engine_error_response(EngineError::UnknownSid).body,
            R"({"code":1,"message":"Session ID unknown"})");
  EXPECT_EQ(engine_error_response(EngineError::BadHandshakeMethod).body,
            R"({"code":2,"message":"Bad handshake method"})");
  EXPECT_EQ(engine_error_response(EngineError::BadRequest).body, R"({"code":3,"message":"Bad request"})");
  EXPECT_EQ(engine_error_response(EngineError::UnsupportedProtocolVersion).body,
            R"({"code":5,"message":"Unsupported protocol version"})");
  EXPECT_EQ(engine_error_response(EngineError::BadRequest).status, 400);
  EXPECT_EQ(engine_error_response(EngineError::Forbidden).status, 403);
  EXPECT_EQ(engine_error_response(EngineError::BadRequest).content_type, "application/json");
  EXPECT_EQ(post_ok_response().body, "ok");
  EXPECT_EQ(post_ok_response().content_type, "text/html");
  EXPECT_EQ(poll_response("6").content_type, "text/plain; charset=UTF-8");
}

TEST(StaticFiles, ResolvesInsideTheRootOnly) {
  EXPECT_EQ(StaticFiles::resolve("/d", "/"), "/d/index.html");
  EXPECT_EQ(StaticFiles::resolve("/d", "/app.js"), "/d/app.js");
  EXPECT_EQ(StaticFiles::resolve("/d", "/vendor/socket.io.js"), "/d/vendor/socket.io.js");
  EXPECT_EQ(StaticFiles::resolve("/d", "/sub/"), "/d/sub/index.html");
  EXPECT_EQ(StaticFiles::resolve("/d", "/a%20b.css"), "/d/a b.css");
  EXPECT_EQ(StaticFiles::resolve("/d", "/./x//y"), "/d/x/y");
  EXPECT_EQ(StaticFiles::resolve("/d", "/../etc/passwd"), "");
  EXPECT_EQ(StaticFiles::resolve("/d", "/x/../../etc/passwd"), "");
  EXPECT_EQ(StaticFiles::resolve("/d", "/%2e%2e/etc/passwd"), "");
  EXPECT_EQ(StaticFiles::resolve("/d", "/..%2fetc"), "");
  EXPECT_EQ(StaticFiles::resolve("/d", "/a%00b"), "");
  EXPECT_EQ(StaticFiles::resolve("/d", "/a\\..\\b"), "");
  EXPECT_EQ(StaticFiles::resolve("", "/x"), "");
  EXPECT_EQ(StaticFiles::resolve("/d", "x"), "");
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_STREQ(StaticFiles::content_type("/d/index.html"), "text/html; charset=utf-8");
  EXPECT_STREQ(StaticFiles::content_type("/d/a.js"), "text/javascript; charset=utf-8");
  EXPECT_STREQ(StaticFiles::content_type("/d/a.css"), "text/css; charset=utf-8");
  EXPECT_STREQ(StaticFiles::content_type("/d/a.svg"), "image/svg+xml");
  EXPECT_STREQ(StaticFiles::content_type("/d/a.bin"), "application/octet-stream");
}

/// What the probe's client makes of `raw`, the bytes a port's owner answered.
http_client::Answer health_answer(const std::string& raw) {
  http_client::ResponseReader reader;
  reader.add(raw);
  http_client::Answer answer;
  reader.finish(answer);
  return answer;
}

TEST(PortProbe, NamesARunningHookbroker) {
  const std::string health =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
      R"({"status":"ok","service":"hookbroker","version":"0.1.0","pid":4242})";
  const std::string m = port_owner_message(8765, health_answer(health));
  EXPECT_EQ(m.rfind("port 8765 is in use by hookbroker 0.1.0 (pid 4242)", 0), 0u) << m;
}

TEST(PortProbe, NamesAnotherProgram) {
  EXPECT_EQ(port_owner_message(8765, health_answer("HTTP/1.1 404 Not Found\r\n\r\nnope"))
                .rfind("port 8765 is in use by another program: it answered GET /health with "
                       "\"HTTP/1.1 404 Not Found\"",
                       0),
            0u);
  EXPECT_EQ(port_owner_message(9, health_answer("")).rfind("port 9 is in use by another program: it did not answer", 0), 0u);
}

TEST(Options, ReadsTheConfigAndDerivesTheDashboardDir) {
  const Options defaults = Options::from_json(with_defaults(option_table()), "/usr/share/hookbroker");
  EXPECT_EQ(defaults.path, "/socket.io/");
  EXPECT_EQ(defaults.ping_interval.count(), 25000);
  EXPECT_EQ(defaults.ping_timeout.count(), 20000);
  EXPECT_EQ(defaults.connect_timeout.count(), 45000);
  EXPECT_EQ(defaults.max_payload, 1000000u);
  EXPECT_EQ(defaults.max_body_bytes, 1048576u);
  EXPECT_EQ(defaults.send_queue_bytes, 8388608u);
  EXPECT_EQ(defaults.coalesce_window.count(), 2000);
  EXPECT_EQ(defaults.coalesce_window_min.count(), 500);
  EXPECT_EQ(defaults.history_on_connect, 50u);
  EXPECT_EQ(defaults.dashboard_dir, "/usr/share/hookbroker/dashboard");

  const Options o = Options::from_json(
      with_defaults(option_table(),
                    {{"path", "/io"}, {"ping_interval_ms", 100}, {"dashboard_dir", "/srv/d"}}),
      "/x");
  EXPECT_EQ(o.path, "/io/");
  EXPECT_EQ(o.ping_interval.count(), 100);
  EXPECT_EQ(o.dashboard_dir, "/srv/d");

  // Every option in the table has a default the core can parse.
  for (const auto& row : option_table()) {
    ASSERT_NE(row.default_json, nullptr) << row.name;
    EXPECT_FALSE(nlohmann::json::parse(row.default_json, nullptr, false).is_discarded()) << row.name;
  }
}

TEST(Options, DurationsAndSizesCarryTheirUnitAndOldNamesStillLoad) {
  for (const auto& row : option_table()) {
    const std::string name = row.name;
    if (row.type != HOOKBROKER_CONFIG_INT && row.type != HOOKBROKER_CONFIG_NUMBER) continue;
    const bool count = name == "history_on_connect" || name == "max_connections" || name == "max_sessions" ||
                       name == "max_pending_sessions" || name == "max_auth_failures" ||
                       name == "max_requests_per_connection";
    if (count) continue;
    const bool has_unit = [&] {
      for (const char* suffix : {"_ms", "_s", "_us", "_bytes"}) {
        const std::string u = suffix;
        if (name.size() > u.size() && name.compare(name.size() - u.size(), u.size(), u) == 0) return true;
      }
      return false;
    }();
    EXPECT_TRUE(has_unit) << name;
  }
  const Options o = Options::from_json(
      with_defaults(option_table(), {{"ping_interval", 100}, {"ping_timeout", 200}, {"connect_timeout", 300},
                                     {"upgrade_timeout", 400}, {"max_payload", 5000}}),
      "");
  EXPECT_EQ(o.ping_interval.count(), 100);
  EXPECT_EQ(o.ping_timeout.count(), 200);
  EXPECT_EQ(o.connect_timeout.count(), 300);
  EXPECT_EQ(o.upgrade_timeout.count(), 400);
  EXPECT_EQ(o.max_payload, 5000u);
  EXPECT_THROW(with_defaults(option_table(), {{"ping_interval", 100}, {"ping_interval_ms", 100}}), ConfigError);
}

TEST(Options, ConnectionLimitsDeriveFromTheOpenFileLimit) {
  auto resolved = [](std::uint64_t files, std::size_t connections = 0, std::size_t sessions = 0,
                     std::size_t pending = 0) {
    Options o;
    o.max_connections = connections;
    o.max_sessions = sessions;
    o.max_pending_sessions = pending;
    o.resolve_limits(files);
    return o;
  };
  // An eighth of the limit stays for the broker's other files (at least 32,
  // at most 1024); a quarter of the connections stays for short requests.
  const Options typical = resolved(1024);
  EXPECT_EQ(typical.max_connections, 896u);
  EXPECT_EQ(typical.max_sessions, 672u);
  EXPECT_EQ(typical.max_pending_sessions, 672u);
  const Options large = resolved(65536);
  EXPECT_EQ(large.max_connections, 64512u);
  EXPECT_EQ(large.max_pending_sessions, 1000u);
  const Options tiny = resolved(64);
  EXPECT_EQ(tiny.max_connections, 32u);
  EXPECT_EQ(tiny.max_sessions, 24u);
  EXPECT_GE(resolved(1).max_sessions, 1u);
  // What is set stays as set.
  const Options set = resolved(1024, 50, 10, 5);
  EXPECT_EQ(set.max_connections, 50u);
  EXPECT_EQ(set.max_sessions, 10u);
  EXPECT_EQ(set.max_pending_sessions, 5u);
  const Options from_table = Options::from_json(with_defaults(option_table()), "");
  EXPECT_GT(from_table.max_connections, 0u);
  EXPECT_EQ(from_table.max_auth_failures, 3u);
}

}  // namespace
}  // namespace hookbroker::sio

namespace hookbroker::sio {
namespace {

// Found by the fuzzer: a number beyond a double made the SDK's parser throw
// out_of_range instead of reporting bad input.
TEST(JsonBodies, NumberOverflowIsBadInputNotAnException) {
  const auto input = hookbroker::parse_json_input("1e999");
  EXPECT_FALSE(input.ok);
  EXPECT_NE(input.error.find("number overflow"), std::string::npos) << input.error;
  socketio_codec::Packet p;
  EXPECT_NE(socketio_codec::decode_packet("2[\"x\",1e999]", p), "");
}

}  // namespace
}  // namespace hookbroker::sio
