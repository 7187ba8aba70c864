// The HTTP API on the transport's port, against the real broker: event
// ingest with every bad-input answer, health, CORS, token, static files and
// the port-in-use exit.
#include <gtest/gtest.h>

#include <fstream>

#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;
using hbtest::scaled;

TEST(SocketIoHttpApi, PostedEventsAreAcceptedAndBroadcast) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  auto ws = connected_ws(port);
  ASSERT_TRUE(ws);
  const HttpResult r = http(port, "POST", "/api/events", R"({"type":"test","subtype":"posted","data":{"n":1}})",
                            {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  const auto frame = ws->read_until_prefix("42[\"claude_event\"", scaled(5s));
  ASSERT_TRUE(frame);
  const auto event = nlohmann::json::parse(frame->substr(2))[1];
  EXPECT_EQ(event["subtype"], "posted");
  EXPECT_EQ(event["data"]["n"], 1);
}

TEST(SocketIoHttpApi, ChunkedBodiesAreRead) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  std::string request =
      "POST /api/events HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n";
  for (const std::string piece : {"{\"type\":\"chu", "nky\",\"a\"", ":1}"}) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    request += size + piece + "\r\n";
  }
  request += "0\r\n\r\n";
  const std::string answer = raw_exchange(port, request);
  EXPECT_EQ(answer.rfind("HTTP/1.1 204", 0), 0u) << answer;
  const auto history = nlohmann::json::parse(http(port, "GET", "/api/history?type=chunky").body);
  EXPECT_EQ(history["count"], 1);

  // Broken chunk framing is a 400, not a silently empty body.
  const std::string broken = raw_exchange(
      port, "POST /api/events HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(broken.rfind("HTTP/1.1 400 Bad Request", 0), 0u) << broken;
}

TEST(SocketIoHttpApi, BadInputGetsClearErrors) {
  BrokerProcess broker(broker_args(transport_option("max_body_bytes", "4096")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const HttpResult malformed = http(port, "POST", "/api/events", R"({"type": "x",)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.header("content-type"), "application/json");
  EXPECT_NE(error_of(malformed).find("invalid JSON"), std::string::npos) << malformed.body;

  EXPECT_EQ(http(port, "POST", "/api/events", "").status, 400);
  EXPECT_FALSE(error_of(http(port, "POST", "/api/events", "")).empty());

  const HttpResult big = http(port, "POST", "/api/events", "{\"pad\":\"" + std::string(6000, 'x') + "\"}");
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(error_of(big).find("4096"), std::string::npos) << big.body;

  // Far over the limit the parser refuses the body before reading it.
  const HttpResult huge = http(port, "POST", "/api/events", std::string(100000, ' '));
  EXPECT_TRUE(huge.status == 413 || huge.status == 0) << huge.status;

  const HttpResult get = http(port, "GET", "/api/events");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("allow"), "POST");
  EXPECT_FALSE(error_of(get).empty());

  const HttpResult nowhere = http(port, "GET", "/no/such/thing");
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_FALSE(error_of(nowhere).empty());

  // The broker still serves after all of that.
  EXPECT_EQ(http(port, "POST", "/api/events", R"({"type":"fine"})").status, 204);
}

TEST(SocketIoHttpApi, HealthIdentifiesTheBroker) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  auto ws = connected_ws(port);
  http(port, "POST", "/api/events", R"({"type":"x"})");
  const HttpResult r = http(port, "GET", "/health");
  EXPECT_EQ(r.status, 200);
  const auto h = nlohmann::json::parse(r.body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["service"], "hookbroker");
  EXPECT_EQ(h["port"], port);
  EXPECT_EQ(h["pid"], broker.pid());
  EXPECT_EQ(h["clients"], 1);
  EXPECT_EQ(h["events"], 1);
  EXPECT_TRUE(h["version"].is_string());
  EXPECT_TRUE(h["uptime_seconds"].is_number());
  EXPECT_TRUE(h["sessions"].is_number());
}

TEST(SocketIoHttpApi, CorsPreflightForLocalOriginsOnly) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const HttpResult ok = http(port, "OPTIONS", "/api/events", "",
                             {{"Origin", "http://127.0.0.1:5173"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.header("access-control-allow-origin"), "http://127.0.0.1:5173");
  EXPECT_EQ(ok.header("access-control-allow-methods"), "GET,HEAD,PUT,PATCH,POST,DELETE");
  const HttpResult other = http(port, "OPTIONS", "/api/events", "", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(other.header("access-control-allow-origin"), "");
}

TEST(SocketIoHttpApi, TokenGuardsEventsAndConnections) {
  BrokerProcess broker(broker_args({"--token", "s3cret"}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const HttpResult denied = http(port, "POST", "/api/events", R"({"type":"x"})");
  EXPECT_EQ(denied.status, 401);
  EXPECT_NE(error_of(denied).find("Bearer"), std::string::npos);
  EXPECT_EQ(http(port, "POST", "/api/events", R"({"type":"x"})", {{"Authorization", "Bearer nope"}}).status, 401);
  EXPECT_EQ(http(port, "POST", "/api/events", R"({"type":"x"})", {{"Authorization", "Bearer s3cret"}}).status, 204);

  WsClient anonymous(port, "/socket.io/?EIO=4&transport=websocket");
  ASSERT_TRUE(anonymous.read_until_prefix("0{", scaled(5s)));
  anonymous.send("40");
  EXPECT_TRUE(anonymous.read_until_prefix("44{\"message\":", scaled(5s)));
  EXPECT_TRUE(connected_ws(port, R"({"token":"s3cret"})"));
}

TEST(SocketIoHttpApi, ServesTheDashboardDirectorySafely) {
  hbtest::TempDir dir;
  const std::string dash = dir.path() + "/dash";
  std::filesystem::create_directories(dash + "/vendor");
  std::ofstream(dash + "/index.html") << "<html>dashboard</html>";
  std::ofstream(dash + "/app.css") << "body{}";
  std::ofstream(dash + "/vendor/socket.io.js") << "/* client */";
  std::ofstream(dir.path() + "/secret.txt") << "secret";
  BrokerProcess broker(broker_args(transport_option("dashboard_dir", dash)));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  const HttpResult index = http(port, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>dashboard</html>");
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(http(port, "GET", "/app.css").header("content-type"), "text/css; charset=utf-8");
  const HttpResult head = http(port, "HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(std::string("<html>dashboard</html>").size()));
  EXPECT_EQ(head.body, "");
  const HttpResult client = http(port, "GET", "/socket.io/socket.io.js");
  EXPECT_EQ(client.status, 200);
  EXPECT_EQ(client.body, "/* client */");
  for (const char* escape : {"/../secret.txt", "/%2e%2e/secret.txt", "/vendor/../../secret.txt", "/missing.js"}) {
    const HttpResult r = http(port, "GET", escape);
    EXPECT_EQ(r.status, 404) << escape;
    EXPECT_EQ(r.body.find("secret\""), std::string::npos) << escape;
  }
}

TEST(SocketIoHttpApi, PortTakenByHookbrokerExitsWith3AndNamesIt) {
  BrokerProcess first(broker_args());
  const int port = first.port();
  ASSERT_GT(port, 0) << first.output();
  BrokerProcess second({"--port", std::to_string(port), "--heartbeat-interval-s", "60"});
  EXPECT_EQ(second.wait_exit(scaled(10s)), 3) << second.output();
  EXPECT_NE(second.output().find("port " + std::to_string(port) + " is in use by hookbroker "),
            std::string::npos)
      << second.output();
  EXPECT_NE(second.output().find("(pid " + std::to_string(first.pid()) + ")"), std::string::npos);
  EXPECT_EQ(http(port, "GET", "/health").status, 200);  // the first one is unharmed
}

TEST(SocketIoHttpApi, PortTakenByAnotherProgramExitsWith3) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor squatter(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const int port = squatter.local_endpoint().port();  // listens, never answers
  BrokerProcess broker({"--port", std::to_string(port), "--heartbeat-interval-s", "60"});
  EXPECT_EQ(broker.wait_exit(scaled(15s)), 3) << broker.output();
  EXPECT_NE(broker.output().find("port " + std::to_string(port) + " is in use by another program"),
            std::string::npos)
      << broker.output();
}

}  // namespace
}  // namespace sio_it
