// The broker's HTTP policy, as a client sees it (docs/protocol.md, "HTTP
// policy"). The route walk asks the broker which routes it serves
// (GET /api/routes), so a route added anywhere is covered without an edit here.
#include <gtest/gtest.h>

#include <set>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "plugin_broker.hpp"

namespace {

using plugins_it::enable;
using plugins_it::operator+;
using plugins_it::PluginBroker;
using sio_it::HttpResult;
using Headers = std::vector<std::pair<std::string, std::string>>;
namespace asio = boost::asio;

const std::string kToken = "s3cret-token";
const Headers kAuth = {{"Authorization", "Bearer " + kToken}};

std::vector<std::string> secured(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--token", kToken, "--plugin-dir", std::string(EXAMPLES_OUT) + "/hook-handler",
                                   "--allowed-host", "dash.example.test"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

Headers with(Headers a, const Headers& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// A concrete path for a route pattern: "{name}" segments become "x", a
/// final "/*" its prefix.
std::string concrete(std::string pattern) {
  for (std::size_t open; (open = pattern.find('{')) != std::string::npos;)
    pattern.replace(open, pattern.find('}', open) - open + 1, "x");
  if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0) pattern.pop_back();
  return pattern;
}

/// The head of the answer to a WebSocket upgrade with `headers` (Host
/// included): "HTTP/1.1 101 ..." when accepted.
std::string upgrade_head(int port, const Headers& headers) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return "";
  std::string request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nConnection: Upgrade\r\n"
                        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  asio::write(socket, asio::buffer(request + "\r\n"), ec);
  std::string answer;
  asio::read_until(socket, asio::dynamic_buffer(answer), "\r\n\r\n", ec);
  return answer;
}

int upgrade_status(int port, const Headers& headers) {
  const std::string head = upgrade_head(port, headers);
  return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0;
}

std::string host_of(int port) { return "127.0.0.1:" + std::to_string(port); }

class RouteWalk : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(RouteWalk, EveryRouteWantsTheTokenUnlessPublic) {
  PluginBroker broker(secured(GetParam()));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  ASSERT_TRUE(broker.wait_heartbeat([](const nlohmann::json&) { return true; }, std::chrono::seconds(10)));

  const HttpResult listing = broker.get("/api/routes", kAuth);
  ASSERT_EQ(listing.status, 200) << listing.body;
  const auto routes = nlohmann::json::parse(listing.body)["routes"];
  EXPECT_GE(routes.size(), 14u) << routes;
  std::set<std::string> owners, publics;
  for (const auto& route : routes) {
    const std::string method = route["method"], pattern = route["path"], path = concrete(pattern);
    const bool is_public = route["public"];
    owners.insert(route["plugin"].get<std::string>());
    if (is_public) publics.insert(method + " " + pattern);
    const std::string body = method == "GET" ? "" : "{}";
    SCOPED_TRACE(method + " " + pattern + " (" + route["plugin"].get<std::string>() + ")");

    const HttpResult anonymous = sio_it::http(port, method, path, body);
    if (is_public)
      EXPECT_NE(anonymous.status, 401) << anonymous.body;
    else
      EXPECT_EQ(anonymous.status, 401) << anonymous.body;
    const HttpResult wrong = sio_it::http(port, method, path, body, {{"Authorization", "Bearer nope"}});
    if (!is_public) {
      EXPECT_EQ(wrong.status, 401) << wrong.body;
    }

    const HttpResult authorised = sio_it::http(port, method, path, body, kAuth);
    EXPECT_GT(authorised.status, 0) << authorised.error;
    EXPECT_LT(authorised.status, 500) << authorised.body;
    for (int refused : {401, 403, 415}) EXPECT_NE(authorised.status, refused) << authorised.body;
  }
  // What the walk must have covered: the core's, the transport's, the session
  // tracker's and the out-of-tree example's routes.
  for (const char* owner : {"core", "transport_socketio", "sessions_memory", "tool_usage", "spool_replay"})
    EXPECT_EQ(owners.count(owner), 1u) << owner;
  // The public routes, as docs/protocol.md lists them.
  EXPECT_EQ(publics, (std::set<std::string>{"GET /health", "GET /socket.io/socket.io.js", "GET /socket.io/*",
                                            "POST /socket.io/*", "PUT /socket.io/*", "PATCH /socket.io/*",
                                            "DELETE /socket.io/*", "GET /*"}));
  // The example plugin's own route, as the issue found it: no token, no answer.
  EXPECT_EQ(broker.get("/api/tool-stats").status, 401);
  EXPECT_EQ(broker.get("/api/tool-stats", kAuth).status, 200);
}

INSTANTIATE_TEST_SUITE_P(
    Plugins, RouteWalk,
    ::testing::Values(std::vector<std::string>{},
                      enable("history_sqlite") + enable("metrics_prometheus") + enable("alerts")),
    [](const auto& info) { return info.index == 0 ? std::string("Defaults") : std::string("OptionalPluginsToo"); });

TEST(HostAllowList, ForeignHostsAreRefusedEverywhere) {
  PluginBroker broker(secured());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const Headers evil = {{"Host", "evil.example.com"}};
  for (const char* target : {"/health", "/api/history", "/socket.io/?EIO=4&transport=polling", "/"}) {
    const HttpResult r = sio_it::http(port, "GET", target, "", with(evil, kAuth));
    EXPECT_EQ(r.status, 403) << target << ": " << r.body;
    EXPECT_NE(r.body.find("allowed_hosts"), std::string::npos) << r.body;
  }
  EXPECT_EQ(sio_it::http(port, "POST", "/api/events", R"({"type":"x"})", with(evil, kAuth)).status, 403);
  EXPECT_EQ(upgrade_status(port, {{"Host", "evil.example.com:" + std::to_string(port)}}), 403);

  const std::string p = std::to_string(port);
  for (const std::string& host : {"localhost:" + p, "127.0.0.1:" + p, "[::1]:" + p, "dash.example.test:" + p}) {
    EXPECT_EQ(sio_it::http(port, "GET", "/api/history", "", with({{"Host", host}}, kAuth)).status, 200) << host;
    EXPECT_EQ(sio_it::http(port, "GET", "/socket.io/?EIO=4&transport=polling", "", {{"Host", host}}).status, 200)
        << host;
    EXPECT_EQ(upgrade_status(port, {{"Host", host}}), 101) << host;
  }
  // Nothing the refused requests carried was taken in.
  const auto history = nlohmann::json::parse(broker.get("/api/history", kAuth).body);
  EXPECT_EQ(history["count"], 0) << history;
}

TEST(OriginCheck, ForeignOriginsAreRefusedOwnAndNoneServed) {
  PluginBroker broker(secured());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const Headers host = {{"Host", host_of(port)}};
  const Headers evil = {{"Origin", "https://evil.example.com"}};
  EXPECT_EQ(upgrade_status(port, with(host, evil)), 403);
  EXPECT_EQ(sio_it::http(port, "GET", "/socket.io/?EIO=4&transport=polling", "", evil).status, 403);
  const HttpResult post = sio_it::http(port, "POST", "/api/events", R"({"type":"evil"})", with(evil, kAuth));
  EXPECT_EQ(post.status, 403);
  EXPECT_NE(post.body.find("cors_origins"), std::string::npos) << post.body;
  // A cross-site form cannot post without a preflight: JSON only.
  EXPECT_EQ(sio_it::http(port, "POST", "/api/events", R"({"type":"form"})",
                         with({{"Content-Type", "text/plain"}}, kAuth))
                .status,
            415);

  // The dashboard's own origin, and clients that send none.
  const Headers own = {{"Origin", "http://" + host_of(port)}};
  EXPECT_EQ(upgrade_status(port, with(host, own)), 101);
  EXPECT_EQ(upgrade_status(port, host), 101);
  const HttpResult polled = sio_it::http(port, "GET", "/socket.io/?EIO=4&transport=polling", "", own);
  EXPECT_EQ(polled.status, 200);
  EXPECT_EQ(polled.header("access-control-allow-origin"), "http://" + host_of(port));
  EXPECT_EQ(sio_it::http(port, "POST", "/api/events", R"({"type":"own"})", with(own, kAuth)).status, 204);
  EXPECT_EQ(sio_it::http(port, "POST", "/api/events", R"({"type":"none"})", kAuth).status, 204);
  const auto history = nlohmann::json::parse(broker.get("/api/history", kAuth).body);
  EXPECT_EQ(history["count"], 2) << history;
}

// Issue 13, finding 1: text that is not UTF-8 used to reach shared state and
// make every later heartbeat, /api/sessions and /api/history answer 500.
TEST(EdgeValidation, TextThatIsNotUtf8NeverReachesSharedState) {
  PluginBroker broker(secured());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const HttpResult path = sio_it::http(port, "POST", "/api/sessions/%ff/start", "", kAuth);
  EXPECT_EQ(path.status, 400) << path.body;
  const std::string event = R"({"type":"x"})";
  for (const Headers& bad : {Headers{{"X-Hookbroker-Event-Id", "\xff\xfe"}},
                             Headers{{"X-Hookbroker-Replayed", "1"}, {"X-Hookbroker-Sent-At", "\xff"}},
                             Headers{{"X-Hookbroker-Replayed", "1"}, {"X-Hookbroker-Sent-At", "<script>alert(1)</script>"}}}) {
    const HttpResult r = sio_it::http(port, "POST", "/api/events", event, with(bad, kAuth));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_FALSE(nlohmann::json::parse(r.body, nullptr, false).is_discarded()) << r.body;
  }
  const std::string long_id(300, 's');
  EXPECT_EQ(sio_it::http(port, "POST", "/api/sessions/" + long_id + "/start", "", kAuth).status, 400);
  EXPECT_EQ(sio_it::http(port, "GET", "/api/history?session_id=%ff", "", kAuth).status, 400);

  // Nothing got in, and everything still answers.
  const auto sessions = nlohmann::json::parse(broker.get("/api/sessions", kAuth).body);
  EXPECT_EQ(sessions["count"], 0) << sessions;
  const auto history = nlohmann::json::parse(broker.get("/api/history", kAuth).body);
  EXPECT_EQ(history["count"], 0) << history;
  EXPECT_EQ(sio_it::http(port, "POST", "/api/sessions/s-%C3%A9/start", "", kAuth).status, 200);
  const std::size_t before = broker.heartbeats().size();
  ASSERT_TRUE(broker.wait_heartbeat([](const nlohmann::json& d) { return d["active_sessions"].size() == 1; },
                                    std::chrono::seconds(10)))
      << broker.output();
  EXPECT_GT(broker.heartbeats().size(), before);
  EXPECT_EQ(broker.output().find("heartbeat failed"), std::string::npos) << broker.output();
}

}  // namespace
