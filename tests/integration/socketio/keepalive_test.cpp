// The HTTP front against the real broker over real sockets: keep-alive,
// pipelining, Connection: close, the idle and request timeouts, the request
// cap, answers framed even when the front refuses a request before its body,
// and a connection that turns into a WebSocket or serves Engine.IO polling
// after plain requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;
using hbtest::scaled;

std::string event_body(const std::string& type, int i) {
  return nlohmann::json{{"type", type}, {"data", {{"i", i}}}}.dump();
}

/// The `i` of the newest event of `type` in a history page, or -1.
int newest_index(const HttpResult& page) {
  const auto j = nlohmann::json::parse(page.body, nullptr, false);
  if (!j.is_object() || !j.contains("events") || j["events"].empty()) return -1;
  return j["events"].back()["data"]["i"].get<int>();
}

TEST(SocketIoKeepAlive, AThousandPostsOnOneConnectionAreAllAnsweredInOrder) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port, scaled(20s));
  ASSERT_TRUE(client.connected());

  // All of it written before anything is read: the front answers one
  // request at a time, in the order they came. Every 100th request asks for
  // the newest event so far, which shows the POSTs before it were handled
  // (and answered: 204 waits for the event to be stored) before it.
  constexpr int kPosts = 1000;
  std::string burst;
  for (int i = 0; i < kPosts; ++i) {
    burst += request_bytes("POST", "/api/events", event_body("kept_alive", i));
    if (i % 100 == 99) burst += request_bytes("GET", "/api/history?type=kept_alive&limit=1");
  }
  ASSERT_TRUE(client.send(burst));
  for (int i = 0; i < kPosts; ++i) {
    const HttpResult posted = client.read_answer();
    ASSERT_EQ(posted.status, 204) << "POST " << i << ": " << posted.error << posted.body;
    EXPECT_EQ(posted.header("connection"), "") << "POST " << i;
    EXPECT_EQ(posted.header("date").size(), 29u) << "POST " << i << ": every answer is dated (RFC 9110 6.6.1)";
    if (i % 100 == 99) {
      const HttpResult page = client.read_answer();
      ASSERT_EQ(page.status, 200) << page.error;
      EXPECT_EQ(newest_index(page), i) << page.body;
    }
  }
  const auto all = nlohmann::json::parse(http(port, "GET", "/api/history?type=kept_alive&limit=1000").body);
  ASSERT_EQ(all["count"], kPosts);
  for (int i = 0; i < kPosts; ++i) ASSERT_EQ(all["events"][i]["data"]["i"], i);
}

TEST(SocketIoKeepAlive, PostsFromParallelConnectionsReachAClientOnceInTheOrderTheBrokerKeptThem) {
  // Without an event sink every POST is handled, answered and handed to the
  // transport on the thread that parsed it (the front writes the 204 given
  // inside on_http); with one (spool_replay, the default) the 204 waits for
  // it. Either way each event reaches the client once, and the live order is
  // the history's: no broadcast overtakes one the transport's strand holds.
  for (const bool with_sink : {false, true}) {
    SCOPED_TRACE(with_sink ? "with spool_replay (a sink)" : "without a sink");
    BrokerProcess broker(broker_args({"--set", std::string("plugins.spool_replay.enabled=") +
                                                   (with_sink ? "true" : "false")}));
    const int port = broker.port();
    ASSERT_GT(port, 0) << broker.output();
    auto listener = connected_ws(port);
    ASSERT_TRUE(listener);

    constexpr int kConnections = 4;
    constexpr int kPostsEach = 100;
    std::vector<std::thread> posters;
    std::atomic<int> answered{0};
    for (int c = 0; c < kConnections; ++c)
      posters.emplace_back([&, c] {
        KeepAliveClient client(port, scaled(20s));
        if (!client.connected()) return;
        // One at a time, each after its answer, as a hook forwarder does.
        for (int i = 0; i < kPostsEach; ++i) {
          if (!client.send(request_bytes("POST", "/api/events", event_body("parallel", c * kPostsEach + i)))) return;
          if (client.read_answer().status != 204) return;
          ++answered;
        }
      });
    for (auto& t : posters) t.join();
    ASSERT_EQ(answered.load(), kConnections * kPostsEach);

    std::vector<int> live;
    while (live.size() < static_cast<std::size_t>(kConnections * kPostsEach)) {
      const auto frame = listener->read_until_prefix("42[\"claude_event\"", scaled(5s));
      ASSERT_TRUE(frame) << "after " << live.size() << " events";
      const auto packet = nlohmann::json::parse(frame->substr(2));
      if (packet[1].value("type", "") == "parallel") live.push_back(packet[1]["data"]["i"].get<int>());
    }
    const auto page = nlohmann::json::parse(http(port, "GET", "/api/history?type=parallel&limit=1000").body);
    std::vector<int> kept;
    for (const auto& e : page["events"]) kept.push_back(e["data"]["i"].get<int>());
    EXPECT_EQ(live, kept) << "the live order is the history's";
    std::vector<int> sorted = live;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < kConnections * kPostsEach; ++i) ASSERT_EQ(sorted[i], i) << "every event once";
    for (int c = 0; c < kConnections; ++c) {
      int last = -1;
      for (int i : live)
        if (i / kPostsEach == c) {
          EXPECT_GT(i, last) << "connection " << c << "'s events in its order";
          last = i;
        }
    }
  }
}

TEST(SocketIoKeepAlive, PipelinedRequestsOfEveryKindAreAnsweredInOrder) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  ASSERT_TRUE(client.connected());
  const std::string chunked_post =
      "POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n8\r\n{\"type\":\r\n8\r\n\"piped\"}\r\n0\r\n\r\n";
  ASSERT_TRUE(client.send(request_bytes("GET", "/health") + request_bytes("GET", "/no/such/route") +
                          chunked_post + request_bytes("HEAD", "/health") +
                          request_bytes("POST", "/api/events", R"({"type":)") +
                          request_bytes("GET", "/api/history?type=piped")));
  const HttpResult health = client.read_answer();
  EXPECT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "ok");
  const HttpResult missing = client.read_answer();
  EXPECT_EQ(missing.status, 404) << missing.error;
  EXPECT_FALSE(error_of(missing).empty()) << missing.body;
  EXPECT_EQ(client.read_answer().status, 204);
  // HEAD: the GET's Content-Length and no body, so the next answer is read
  // from the right place.
  const HttpResult head = client.read_answer(true);
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_GT(std::stoul(head.header("content-length")), 0u);
  EXPECT_TRUE(head.body.empty());
  const HttpResult malformed = client.read_answer();
  EXPECT_EQ(malformed.status, 400) << malformed.error;
  EXPECT_NE(error_of(malformed).find("invalid JSON"), std::string::npos) << malformed.body;
  const HttpResult page = client.read_answer();
  EXPECT_EQ(page.status, 200) << page.error;
  EXPECT_EQ(nlohmann::json::parse(page.body)["count"], 1) << page.body;
  // A bad request is answered and the connection stays (the front's own
  // refusals close it; a route's do not).
  ASSERT_TRUE(client.send(request_bytes("GET", "/health")));
  EXPECT_EQ(client.read_answer().status, 200);
}

TEST(SocketIoKeepAlive, ConnectionCloseAndHttp10AreHonoured) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  {
    KeepAliveClient client(port);
    // A request pipelined after "Connection: close" is not served.
    ASSERT_TRUE(client.send(request_bytes("GET", "/health", "", "Connection: close\r\n") +
                            request_bytes("POST", "/api/events", R"({"type":"after_close"})")));
    const HttpResult r = client.read_answer();
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(client.closed_by_server(scaled(3s)));
  }
  {
    KeepAliveClient client(port);
    ASSERT_TRUE(client.send("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
    const HttpResult r = client.read_answer();
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_TRUE(client.closed_by_server(scaled(3s)));
  }
  {
    // HTTP/1.0 that asks for keep-alive gets it, and is told so.
    KeepAliveClient client(port);
    ASSERT_TRUE(client.send("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"));
    const HttpResult r = client.read_answer();
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.header("connection"), "keep-alive");
    ASSERT_TRUE(client.send("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
    EXPECT_EQ(client.read_answer().status, 200);
    EXPECT_TRUE(client.closed_by_server(scaled(3s)));
  }
  EXPECT_EQ(nlohmann::json::parse(http(port, "GET", "/api/history?type=after_close").body)["count"], 0);
}

TEST(SocketIoKeepAlive, AConnectionTheClientClosesGivesItsPlaceBackWithItsAnswer) {
  // Stock Engine.IO clients in Node open one connection per poll, each with
  // "Connection: close". Such a connection is closed with its answer, not
  // held open until the client's FIN (or a second) as one the server ends
  // itself is: with room for one connection, the next finds it free at once,
  // while the first client still holds its end open.
  BrokerProcess broker(broker_args(transport_option("max_connections", "1")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient first(port);
  ASSERT_TRUE(first.send(request_bytes("GET", "/health", "", "Connection: close\r\n")));
  const HttpResult r = first.read_answer();
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(first.closed_by_server(scaled(3s)));
  const HttpResult next = http(port, "GET", "/health", "", {{"Connection", "close"}});
  EXPECT_EQ(next.status, 200) << next.body << next.error;
}

TEST(SocketIoKeepAlive, AnIdleConnectionClosesAfterTheKeepAliveTimeout) {
  BrokerProcess broker(broker_args(transport_option("keepalive_timeout_ms", "400")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  ASSERT_TRUE(client.send(request_bytes("GET", "/health")));
  ASSERT_EQ(client.read_answer().status, 200);
  // Still open a moment later...
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(client.send(request_bytes("GET", "/health")));
  ASSERT_EQ(client.read_answer().status, 200);
  // ...and closed by the server once idle for the timeout.
  const auto idle_from = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_server(scaled(5s)));
  EXPECT_GE(std::chrono::steady_clock::now() - idle_from, 350ms);
}

TEST(SocketIoKeepAlive, TheLastRequestAConnectionMayMakeIsAnsweredWithConnectionClose) {
  BrokerProcess broker(broker_args(transport_option("max_requests_per_connection", "3")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(client.send(request_bytes("GET", "/health")));
    const HttpResult r = client.read_answer();
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.header("connection"), i == 3 ? "close" : "") << i;
  }
  EXPECT_TRUE(client.closed_by_server(scaled(3s)));
}

TEST(SocketIoKeepAlive, AnOversizedBodyIsRefusedBeforeItIsSentWithAFramedAnswer) {
  BrokerProcess broker(broker_args(transport_option("max_body_bytes", "4096")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  // The client waits for 100 Continue before sending its 100 MB: it gets the
  // 413 instead, whole, with Content-Length, and the connection closes.
  ASSERT_TRUE(client.send("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Content-Length: 100000000\r\nExpect: 100-continue\r\n\r\n"));
  const HttpResult r = client.read_answer();
  ASSERT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(std::stoul(r.header("content-length")), r.body.size());
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_NE(error_of(r).find("larger than this server takes"), std::string::npos) << r.body;
  EXPECT_TRUE(client.closed_by_server(scaled(3s)));
}

TEST(SocketIoKeepAlive, ExpectContinueIsAnsweredBeforeTheBody) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  const std::string body = R"({"type":"continued"})";
  ASSERT_TRUE(client.send("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Content-Length: " + std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client.read_answer().status, 100);
  ASSERT_TRUE(client.send(body));
  EXPECT_EQ(client.read_answer().status, 204);
}

TEST(SocketIoKeepAlive, ARequestThatDoesNotArriveWholeIsAnswered408) {
  BrokerProcess broker(broker_args(transport_option("request_timeout_ms", "300")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  ASSERT_TRUE(client.send("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{\"ty"));
  const HttpResult r = client.read_answer();
  ASSERT_EQ(r.status, 408) << r.error;
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_NE(error_of(r).find("request_timeout_ms"), std::string::npos) << r.body;
  EXPECT_TRUE(client.closed_by_server(scaled(3s)));
  KeepAliveClient head_only(port);
  ASSERT_TRUE(head_only.send("GET /health HTTP/1.1\r\nHost: 127.0"));
  EXPECT_EQ(head_only.read_answer().status, 408);
}

TEST(SocketIoKeepAlive, AnOversizedHeadIsAnswered431) {
  BrokerProcess broker(broker_args(transport_option("max_header_bytes", "2048")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  ASSERT_TRUE(client.send(request_bytes("GET", "/health", "", "X-Filler: " + std::string(3000, 'a') + "\r\n")));
  const HttpResult r = client.read_answer();
  EXPECT_EQ(r.status, 431) << r.error;
  EXPECT_NE(error_of(r).find("larger than 2048 bytes"), std::string::npos) << r.body;
}

TEST(SocketIoKeepAlive, AConnectionBecomesAWebSocketAfterPlainRequests) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  ASSERT_TRUE(client.send(request_bytes("GET", "/health")));
  ASSERT_EQ(client.read_answer().status, 200);
  // The front has read this handshake before it knows it is one; the
  // WebSocket layer must get it anyway.
  ASSERT_TRUE(client.send("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
  const HttpResult upgraded = client.read_answer();
  ASSERT_EQ(upgraded.status, 101) << upgraded.error;
  std::string frame = client.read_some();
  ASSERT_GE(frame.size(), 4u);
  EXPECT_EQ(static_cast<unsigned char>(frame[0]), 0x81);  // FIN, text
  EXPECT_EQ(frame.substr(2, 8), "0{\"sid\":") << frame;
}

TEST(SocketIoKeepAlive, EngineIoPollingRunsOnOneKeptConnection) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  KeepAliveClient client(port);
  ASSERT_TRUE(client.send(request_bytes("GET", "/socket.io/?EIO=4&transport=polling")));
  const HttpResult open = client.read_answer();
  ASSERT_EQ(open.status, 200) << open.error;
  ASSERT_EQ(open.body.rfind("0{", 0), 0u) << open.body;
  const std::string sid = nlohmann::json::parse(open.body.substr(1))["sid"];
  ASSERT_TRUE(client.send("POST " + polling_url(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                          "text/plain;charset=UTF-8\r\nContent-Length: 2\r\n\r\n40"));
  const HttpResult posted = client.read_answer();
  EXPECT_EQ(posted.status, 200) << posted.error;
  EXPECT_EQ(posted.body, "ok");
  ASSERT_TRUE(client.send(request_bytes("GET", polling_url(sid))));
  const HttpResult joined = client.read_answer();
  EXPECT_EQ(joined.status, 200) << joined.error;
  EXPECT_EQ(joined.body.rfind("40{\"sid\"", 0), 0u) << joined.body;
  // A broadcast reaches the held poll on the same connection.
  ASSERT_TRUE(client.send(request_bytes("GET", polling_url(sid))));
  EXPECT_EQ(http(port, "POST", "/api/events", R"({"type":"polled"})").status, 204);
  HttpResult delivered = client.read_answer();
  while (delivered.status == 200 && delivered.body.find("polled") == std::string::npos &&
         delivered.body.find("history") != std::string::npos) {
    ASSERT_TRUE(client.send(request_bytes("GET", polling_url(sid))));
    delivered = client.read_answer();
  }
  EXPECT_EQ(delivered.status, 200) << delivered.error;
  EXPECT_NE(delivered.body.find("polled"), std::string::npos) << delivered.body;
}

}  // namespace
}  // namespace sio_it
