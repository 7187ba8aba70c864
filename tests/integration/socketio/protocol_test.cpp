// Engine.IO / Socket.IO on the wire, against the real broker: every error
// answer of the reference server, the upgrade, timeouts and size limits.
#include <gtest/gtest.h>

#include <future>

#include <nlohmann/json.hpp>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;
using hbtest::scaled;

std::string error_body(int code, const std::string& message) {
  return "{\"code\":" + std::to_string(code) + ",\"message\":\"" + message + "\"}";
}

TEST(SocketIoProtocol, PollingErrorAnswersMatchTheReference) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  struct Case {
    std::string method, target;
    int code;
    std::string message;
  };
  const Case cases[] = {
      {"GET", "/socket.io/?EIO=4&transport=smoke-signals", 0, "Transport unknown"},
      {"GET", "/socket.io/?EIO=4&transport=polling&sid=nobody", 1, "Session ID unknown"},
      {"POST", "/socket.io/?EIO=4&transport=polling", 2, "Bad handshake method"},
      {"GET", "/socket.io/?EIO=4&transport=websocket", 3, "Bad request"},
      {"GET", "/socket.io/?EIO=3&transport=polling", 5, "Unsupported protocol version"},
  };
  for (const auto& c : cases) {
    const HttpResult r = http(port, c.method, c.target, "", {{"Origin", "http://localhost:3000"}});
    EXPECT_EQ(r.status, 400) << c.target << " " << r.error;
    EXPECT_EQ(r.header("content-type"), "application/json") << c.target;
    EXPECT_EQ(r.body, error_body(c.code, c.message)) << c.target;
    EXPECT_EQ(r.header("access-control-allow-origin"), "http://localhost:3000") << c.target;
  }
  // After an upgrade to WebSocket, polling on that session is a bad request (code 3).
  const std::string sid = polling_handshake(port);
  WsClient ws(port, "/socket.io/?EIO=4&transport=websocket&sid=" + sid);
  ASSERT_TRUE(ws.open());
  ws.send("2probe");
  ASSERT_TRUE(ws.read_until_prefix("3probe", scaled(5s)));
  ws.send("5");
  EXPECT_TRUE(hbtest::wait_until(
      [&] { return http(port, "GET", polling_url(sid)).body == error_body(3, "Bad request"); }, 5s));
}

TEST(SocketIoProtocol, WebSocketRefusalsAreHttp400WithTheMessage) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::pair<std::string, std::string> cases[] = {
      {"/socket.io/?EIO=4&transport=websocket&sid=nobody", "Session ID unknown"},
      {"/socket.io/?EIO=3&transport=websocket", "Unsupported protocol version"},
      {"/socket.io/?EIO=4&transport=bogus", "Transport unknown"},
      {"/elsewhere", "Bad request"},
  };
  for (const auto& [target, message] : cases) {
    EXPECT_FALSE(WsClient(port, target).open()) << target;
    const std::string answer = raw_upgrade(port, target);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << answer;
    EXPECT_NE(answer.find("Content-Type: text/html\r\n"), std::string::npos) << answer;
    const auto body_at = answer.find("\r\n\r\n");
    EXPECT_EQ(body_at == std::string::npos ? "" : answer.substr(body_at + 4), message) << answer;
  }
}

TEST(SocketIoProtocol, PollingRoundTripAndBase64Binary) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::string sid = polling_handshake(port);
  ASSERT_FALSE(sid.empty());
  const HttpResult ok = http(port, "POST", polling_url(sid), "40");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok");
  EXPECT_EQ(ok.header("content-type"), "text/html");
  const HttpResult connect = http(port, "GET", polling_url(sid));
  EXPECT_EQ(connect.header("content-type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(connect.body.rfind("40{\"sid\":\"", 0), 0u);
  EXPECT_NE(connect.body.find("\x1e" "42[\"status\","), std::string::npos);
  EXPECT_NE(connect.body.find("\x1e" "42[\"history\","), std::string::npos);
  http(port, "POST", polling_url(sid), "451-1[\"echo\",{\"_placeholder\":true,\"num\":0}]\x1e" "bAQID");
  EXPECT_EQ(http(port, "GET", polling_url(sid)).body, "461-1[{\"_placeholder\":true,\"num\":0}]\x1e" "bAQID");
}

TEST(SocketIoProtocol, SecondConcurrentPollIsAnErrorThatClosesTheSession) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::string sid = polling_handshake(port);
  auto first = std::async(std::launch::async, [&] { return http(port, "GET", polling_url(sid)); });
  // The first poll is parked once the server answers nothing for a moment.
  ASSERT_EQ(first.wait_for(300ms), std::future_status::timeout);
  const HttpResult second = http(port, "GET", polling_url(sid));
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(second.body, "");
  ASSERT_EQ(first.wait_for(scaled(5s)), std::future_status::ready);
  EXPECT_EQ(first.get().body, "1");
  EXPECT_EQ(http(port, "GET", polling_url(sid)).body, error_body(1, "Session ID unknown"));
}

TEST(SocketIoProtocol, OverMaxPayloadIs413OnPollingAndClose1009OnWebSocket) {
  BrokerProcess broker(broker_args(transport_option("max_payload_bytes", "1000")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::string sid = polling_handshake(port);
  EXPECT_EQ(http(port, "POST", polling_url(sid), "4" + std::string(1500, 'x')).status, 413);
  EXPECT_EQ(http(port, "POST", polling_url(sid), "40").body, "ok");  // the session lives on

  auto ws = connected_ws(port);
  ASSERT_TRUE(ws);
  ws->send("42[\"echo\",\"" + std::string(1500, 'y') + "\"]");
  EXPECT_TRUE(ws->closed_by_server(scaled(5s)));
  EXPECT_EQ(ws->close_code(), 1009);
}

TEST(SocketIoProtocol, UpgradeFromPollingReleasesThePendingPoll) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::string sid = polling_handshake(port);
  http(port, "POST", polling_url(sid), "40");
  ASSERT_EQ(http(port, "GET", polling_url(sid)).body.rfind("40{", 0), 0u);
  auto pending = std::async(std::launch::async, [&] { return http(port, "GET", polling_url(sid)); });
  WsClient ws(port, "/socket.io/?EIO=4&transport=websocket&sid=" + sid);
  ASSERT_TRUE(ws.open());
  ws.send("2probe");
  ASSERT_TRUE(ws.read_until_prefix("3probe", scaled(5s)));
  ASSERT_EQ(pending.wait_for(scaled(5s)), std::future_status::ready);
  EXPECT_EQ(pending.get().body, "6");
  ws.send("5");
  ws.send("421[\"echo\",\"via websocket\"]");
  EXPECT_EQ(ws.read_until_prefix("431", scaled(5s)).value_or(""), "431[\"via websocket\"]");
}

TEST(SocketIoProtocol, MalformedPacketClosesOnlyThatConnection) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  auto good = connected_ws(port);
  auto bad = connected_ws(port);
  ASSERT_TRUE(good && bad);
  bad->send("4this is not a packet");
  EXPECT_TRUE(bad->closed_by_server(scaled(5s)));
  good->send("427[\"echo\",\"fine\"]");
  EXPECT_EQ(good->read_until_prefix("437", scaled(5s)).value_or(""), "437[\"fine\"]");
}

TEST(SocketIoProtocol, UnknownNamespaceGetsConnectError) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  WsClient ws(port, "/socket.io/?EIO=4&transport=websocket");
  ASSERT_TRUE(ws.read_until_prefix("0{", scaled(5s)));
  ws.send("40/admin,");
  EXPECT_EQ(ws.read_until_prefix("44", scaled(5s)).value_or(""), "44/admin,{\"message\":\"Invalid namespace\"}");
}

TEST(SocketIoProtocol, SilentClientsAreClosedAfterPingTimeoutOthersStay) {
  BrokerProcess broker(broker_args({"--set", "plugins.transport_socketio.config.ping_interval_ms=300", "--set",
                                    "plugins.transport_socketio.config.ping_timeout_ms=600"}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  auto silent = connected_ws(port);
  auto lively = connected_ws(port);
  ASSERT_TRUE(silent && lively);
  // The lively client answers pings (read_until_prefix does) for a while;
  // the silent one is due to be closed after 300 + 600 ms.
  EXPECT_FALSE(lively->read_until_prefix("never", 2500ms));
  EXPECT_TRUE(silent->closed_by_server(scaled(2s)));
  lively->send("421[\"echo\",1]");
  EXPECT_EQ(lively->read_until_prefix("431", scaled(5s)).value_or(""), "431[1]");
  EXPECT_EQ(nlohmann::json::parse(http(port, "GET", "/health").body)["clients"], 1);
}

TEST(SocketIoProtocol, ClientsThatNeverConnectAreClosedAfterConnectTimeout) {
  BrokerProcess broker(broker_args(transport_option("connect_timeout_ms", "300")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  WsClient ws(port, "/socket.io/?EIO=4&transport=websocket");
  ASSERT_TRUE(ws.read_until_prefix("0{", scaled(5s)));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(ws.closed_by_server(scaled(5s)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
}

}  // namespace
}  // namespace sio_it
