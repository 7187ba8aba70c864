// The transport's protocol logic driven in-process: HTTP requests go through
// the real router on a FakeHost's strand, WebSocket connections are fake
// links. No sockets, so timings can be short and every answer is inspected.
#include <gtest/gtest.h>

#include <mutex>
#include <optional>

#include "engine_responses.hpp"
#include "hookbroker/config.hpp"
#include "hookbroker/session_tracker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "socketio_service.hpp"

namespace hookbroker::sio {
namespace {

using namespace std::chrono_literals;
using hookbroker::testing::FakeHost;

// A WebSocket connection as the session logic sees it, recording what is sent.
struct FakeLink : WsLink {
  std::vector<std::string> texts;
  std::vector<std::string> binaries;
  std::vector<std::shared_ptr<const std::string>> shared;  ///< the broadcast buffers received
  std::size_t writes = 0;                  ///< send_shared calls (one write each)
  std::size_t buffered = 0;
  bool closed = false;
  std::string aborted;
  std::string where = "127.0.0.1:50000";

  void send_text(const std::string& text) override { texts.push_back(text); }
  void send_binary(const std::string& bytes) override { binaries.push_back(bytes); }
  void send_shared(const OutboundRun& run) override {
    ++writes;
    for (const auto& text : run.texts) {
      shared.push_back(text);
      texts.push_back(*text);
    }
  }
  std::size_t buffered_bytes() const override { return buffered; }
  void close() override { closed = true; }
  void abort(const std::string& reason) override { aborted = reason; }
  const std::string& remote() const override { return where; }

  bool got(const std::string& text) const {
    return std::find(texts.begin(), texts.end(), text) != texts.end();
  }
  bool got_prefix(const std::string& prefix) const {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.rfind(prefix, 0) == 0; });
  }
};

// A session tracker that remembers calls, for the session API routes.
struct FakeTracker : SessionTracker {
  std::map<std::string, std::string> agents;
  void touch(const SessionActivity&) override {}
  void start(const std::string& id, const std::string& agent) override {
    agents[id] = agent.empty() ? "pm" : agent;
  }
  bool delegate(const std::string& id, const std::string& agent, const std::string&) override {
    if (!agents.count(id)) return false;
    agents[id] = agent;
    return true;
  }
  bool complete_delegation(const std::string&, const std::string&, const std::string&) override {
    return true;
  }
  bool set_activity(const std::string&, const std::string&) override { return true; }
  bool end(const std::string& id) override { return agents.erase(id) == 1; }
  nlohmann::json list(std::size_t) const override {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [id, agent] : agents) out.push_back(find(id));
    return out;
  }
  nlohmann::json find(const std::string& id) const override {
    const auto it = agents.find(id);
    if (it == agents.end()) return nullptr;
    return {{"session_id", id}, {"agent", it->second}, {"status", "active"}};
  }
  std::size_t size() const override { return agents.size(); }
};

struct Pending {
  std::mutex mutex;
  std::optional<HttpResponse> response;
  bool ready() {
    std::lock_guard lock(mutex);
    return response.has_value();
  }
  HttpResponse get() {
    std::lock_guard lock(mutex);
    return *response;
  }
};

class EngineServerTest : public ::testing::Test {
 protected:
  explicit EngineServerTest(const std::string& token = "")
      : host("transport_socketio") {
    host.set_client_token(token);
    options.ping_interval = 10000ms;
    options.ping_timeout = 10000ms;
    options.connect_timeout = 10000ms;
    // Broadcasts leave at once, so each test sees them as soon as it asks;
    // the coalescing tests set a window of their own.
    options.coalesce_window = 0us;
  }

  void SetUp() override { make_service(); }
  void TearDown() override {
    host.on_strand([&] { service->engine().close_all(); });
    host.poll();
    service.reset();
  }

  void make_service() {
    host.clear_routes();  // a test may make the service again
    host.on_strand([&] {
      service = std::make_unique<SocketIoService>(host, options);
      service->router().add_routes();
    });
  }

  HttpRequest request(const std::string& method, const std::string& target, std::string body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest r;
    r.method = method;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.remote = "127.0.0.1:40000";
    return r;
  }

  std::shared_ptr<Pending> start(HttpRequest r) {
    auto pending = std::make_shared<Pending>();
    host.on_strand([&] {
      service->router().handle(r, [pending](HttpResponse response) {
        std::lock_guard lock(pending->mutex);
        pending->response = std::move(response);
      });
    });
    return pending;
  }
  std::shared_ptr<Pending> start(const std::string& method, const std::string& target, std::string body = "",
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    return start(request(method, target, std::move(body), std::move(headers)));
  }

  HttpResponse wait(const std::shared_ptr<Pending>& p, std::chrono::milliseconds timeout = 2000ms) {
    EXPECT_TRUE(host.run_until([&] { return p->ready(); }, timeout)) << "no answer in time";
    return p->ready() ? p->get() : HttpResponse{};
  }

  HttpResponse call(const std::string& method, const std::string& target, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    return wait(start(method, target, std::move(body), std::move(headers)));
  }

  // Polling client helpers.
  std::string handshake() {
    const HttpResponse r = call("GET", "/socket.io/?EIO=4&transport=polling");
    EXPECT_EQ(r.status, 200);
    const auto open = nlohmann::json::parse(r.body.substr(1));
    return open["sid"];
  }
  std::string url(const std::string& sid) { return "/socket.io/?EIO=4&transport=polling&sid=" + sid; }
  HttpResponse post(const std::string& sid, const std::string& payload) {
    return call("POST", url(sid), payload);
  }
  std::string poll(const std::string& sid) { return call("GET", url(sid)).body; }
  /// Publishes one "hook" event per subtype, in order (into the fake ring).
  void publish_hooks(std::initializer_list<const char*> subtypes) {
    for (const char* sub : subtypes) {
      Event e;
      e.type = "hook";
      e.subtype = sub;
      host.publish(e);
    }
  }

  std::string connected_client() {
    const std::string sid = handshake();
    EXPECT_EQ(post(sid, "40").body, "ok");
    EXPECT_EQ(poll(sid).rfind("40{\"sid\":\"", 0), 0u);
    return sid;
  }

  // WebSocket client helpers.
  std::shared_ptr<FakeLink> open_ws(const std::string& sid = "") {
    auto link = std::make_shared<FakeLink>();
    std::string target = "/socket.io/?EIO=4&transport=websocket";
    if (!sid.empty()) target += "&sid=" + sid;
    const HttpRequest r = request("GET", target);
    host.on_strand([&] {
      // As the transport does before the upgrade (plugin.cpp).
      if (sid.empty()) {
        EXPECT_FALSE(service->engine().reserve_session());
      }
      service->engine().handle_ws_open(link, r);
    });
    return link;
  }
  void frame(const std::shared_ptr<FakeLink>& link, const std::string& text, bool binary = false) {
    host.on_strand([&] { service->engine().handle_ws_frame(*link, text, binary); });
  }
  std::shared_ptr<FakeLink> connected_ws() {
    auto link = open_ws();
    frame(link, "40");
    EXPECT_TRUE(link->got_prefix("40{\"sid\":\""));
    return link;
  }
  std::size_t connected() { return service->engine().connected_clients(); }

  FakeHost host;
  Options options = Options::from_json(hookbroker::with_defaults(option_table()), "");
  std::unique_ptr<SocketIoService> service;
};

// ---- Engine.IO over polling -------------------------------------------------------

TEST_F(EngineServerTest, PollingHandshakeMatchesTheReference) {
  const HttpResponse r = call("GET", "/socket.io/?EIO=4&transport=polling");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; charset=UTF-8");
  ASSERT_EQ(r.body.substr(0, 9), "0{\"sid\":\"");
  const auto open = nlohmann::json::parse(r.body.substr(1));
  EXPECT_EQ(open["sid"].get<std::string>().size(), 20u);
  EXPECT_EQ(open["upgrades"], nlohmann::json::array({"websocket"}));
  EXPECT_EQ(open["pingInterval"], 10000);
  EXPECT_EQ(open["pingTimeout"], 10000);
  EXPECT_EQ(open["maxPayload"], 1000000);
  // Key order as the reference writes it.
  EXPECT_LT(r.body.find("\"sid\""), r.body.find("\"upgrades\""));
  EXPECT_LT(r.body.find("\"pingTimeout\""), r.body.find("\"maxPayload\""));
}

TEST_F(EngineServerTest, ConnectOverPollingGetsStatusAndHistory) {
  host.set_status({{"service", "hookbroker"}});
  Event e;
  e.type = "hook";
  e.subtype = "pre_tool";
  host.publish(e);
  const std::string sid = handshake();
  const HttpResponse ok = post(sid, "40");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok");
  EXPECT_EQ(ok.content_type, "text/html");
  const std::string body = poll(sid);
  const auto packets = decode_engine_payload(body).packets;
  ASSERT_EQ(packets.size(), 3u) << body;
  EXPECT_EQ(packets[0].data.rfind("0{\"sid\":\"", 0), 0u);
  EXPECT_EQ(packets[1].data, "2[\"status\",{\"service\":\"hookbroker\"}]");
  const auto history = nlohmann::json::parse(packets[2].data.substr(1));
  EXPECT_EQ(history[0], "history");
  EXPECT_EQ(history[1]["count"], 1);
  EXPECT_EQ(history[1]["events"][0]["subtype"], "pre_tool");
  EXPECT_EQ(connected(), 1u);
}

TEST_F(EngineServerTest, ErrorAnswersMatchTheReference) {
  EXPECT_EQ(call("GET", "/socket.io/?EIO=4&transport=carrier-pigeon").body,
            engine_error_response(EngineError::UnknownTransport).body);
  EXPECT_EQ(call("GET", "/socket.io/?EIO=4").body, engine_error_response(EngineError::UnknownTransport).body);
  EXPECT_EQ(call("GET", url("nope")).body, engine_error_response(EngineError::UnknownSid).body);
  EXPECT_EQ(call("POST", "/socket.io/?EIO=4&transport=polling").body,
            engine_error_response(EngineError::BadHandshakeMethod).body);
  EXPECT_EQ(call("GET", "/socket.io/?EIO=4&transport=websocket").body,
            engine_error_response(EngineError::BadRequest).body);
  EXPECT_EQ(call("GET", "/socket.io/?EIO=3&transport=polling").body,
            engine_error_response(EngineError::UnsupportedProtocolVersion).body);
  EXPECT_EQ(call("GET", "/socket.io/?transport=polling").status, 400);
  const std::string sid = handshake();
  EXPECT_EQ(call("GET", "/socket.io/?EIO=3&transport=polling&sid=" + sid).body,
            engine_error_response(EngineError::BadRequest).body);
  EXPECT_EQ(call("PUT", url(sid)).status, 500);
}

TEST_F(EngineServerTest, SecondConcurrentPollClosesTheSession) {
  const std::string sid = handshake();
  auto first = start("GET", url(sid));
  host.poll();
  EXPECT_FALSE(first->ready());
  const HttpResponse second = call("GET", url(sid));
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(second.body, "");
  EXPECT_EQ(wait(first).body, "1");  // the close packet
  EXPECT_EQ(call("GET", url(sid)).body, engine_error_response(EngineError::UnknownSid).body);
}

TEST_F(EngineServerTest, OversizedPostIs413AndTheSessionLives) {
  options.max_payload = 100;
  make_service();
  const std::string sid = connected_client();
  const HttpResponse r = post(sid, "42[\"echo\",\"" + std::string(200, 'x') + "\"]");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(post(sid, "420[\"echo\",1]").body, "ok");
  EXPECT_EQ(poll(sid), "430[1]");
}

TEST_F(EngineServerTest, BinaryContentTypeOnPollingIsRefused) {
  const std::string sid = handshake();
  EXPECT_EQ(call("POST", url(sid), "x", {{"content-type", "application/octet-stream"}}).status, 400);
  EXPECT_EQ(call("GET", url(sid)).body, engine_error_response(EngineError::UnknownSid).body);
}

TEST_F(EngineServerTest, BatchedPacketsAreAllHandledInOrder) {
  const std::string sid = connected_client();
  EXPECT_EQ(post(sid,
                 "421[\"echo\",\"a\"]\x1e"
                 "422[\"echo\",\"b\"]\x1e"
                 "3")
                .body,
            "ok");
  EXPECT_EQ(poll(sid),
            "431[\"a\"]\x1e"
            "432[\"b\"]");
}

TEST_F(EngineServerTest, EchoAnswersArgumentsByteForByte) {
  const std::string sid = connected_client();
  post(sid, "427[\"echo\",1.50,{\"b\":2,\"a\":1},\"\\u00e9\"]");
  EXPECT_EQ(poll(sid), "437[1.50,{\"b\":2,\"a\":1},\"\\u00e9\"]");
  post(sid, "42[\"echo\",\"no ack\"]");  // without an ack id it is emitted back
  EXPECT_EQ(poll(sid), "42[\"echo\",\"no ack\"]");
}

TEST_F(EngineServerTest, BinaryEchoOverPollingUsesBase64) {
  const std::string sid = connected_client();
  EXPECT_EQ(post(sid,
                 "451-3[\"echo\",{\"_placeholder\":true,\"num\":0}]\x1e"
                 "bAQID")
                .body,
            "ok");
  EXPECT_EQ(poll(sid),
            "461-3[{\"_placeholder\":true,\"num\":0}]\x1e"
            "bAQID");
}

TEST_F(EngineServerTest, ServerClosesSessionsThatNeverConnect) {
  options.connect_timeout = 50ms;
  make_service();
  const std::string sid = handshake();
  auto pending = start("GET", url(sid));
  EXPECT_EQ(wait(pending, 2000ms).body, "1");
  EXPECT_EQ(poll(sid), engine_error_response(EngineError::UnknownSid).body);
}

TEST_F(EngineServerTest, PingTimeoutClosesASilentClient) {
  options.ping_interval = 30ms;
  options.ping_timeout = 30ms;
  make_service();
  const std::string sid = connected_client();
  EXPECT_EQ(wait(start("GET", url(sid))).body, "2");  // the server's ping
  EXPECT_EQ(connected(), 1u);
  // No pong: the client is dropped after pingTimeout.
  EXPECT_TRUE(host.run_until([&] { return connected() == 0; }, 2000ms));
  EXPECT_EQ(poll(sid), engine_error_response(EngineError::UnknownSid).body);
}

TEST_F(EngineServerTest, PongsKeepAClientAlive) {
  // Rounds go on until three timeouts have passed, so only the pongs can have
  // kept the client; a 1 s timeout leaves room for a loaded machine (parallel
  // builds) between reading a ping and posting its pong.
  options.ping_interval = 50ms;
  options.ping_timeout = 1000ms;
  make_service();
  const std::string sid = connected_client();
  const auto until = std::chrono::steady_clock::now() + 3 * options.ping_timeout;
  int rounds = 0;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(wait(start("GET", url(sid))).body, "2") << "round " << rounds;
    ASSERT_EQ(post(sid, "3").body, "ok") << "round " << rounds;
    ++rounds;
  }
  EXPECT_EQ(connected(), 1u);
}

TEST_F(EngineServerTest, ClientPingIsAProtocolError) {
  const std::string sid = connected_client();
  post(sid, "2");
  EXPECT_EQ(connected(), 0u);
}

TEST_F(EngineServerTest, ClosePacketEndsTheSession) {
  const std::string sid = connected_client();
  auto pending = start("GET", url(sid));
  EXPECT_EQ(post(sid, "1").body, "ok");
  EXPECT_EQ(wait(pending).body, "6");
  EXPECT_EQ(connected(), 0u);
}

// ---- Socket.IO ----------------------------------------------------------------------

TEST_F(EngineServerTest, UnknownNamespaceGetsConnectError) {
  const std::string sid = handshake();
  post(sid, "40/nope,");
  EXPECT_EQ(poll(sid), "44/nope,{\"message\":\"Invalid namespace\"}");
  EXPECT_EQ(connected(), 0u);
}

TEST_F(EngineServerTest, MalformedPacketClosesOnlyThatConnection) {
  const std::string good = connected_client();
  const std::string bad = connected_client();
  EXPECT_EQ(post(bad, "4garbage").body, "ok");
  EXPECT_EQ(poll(bad), "1");
  EXPECT_EQ(post(good, "421[\"echo\",\"still here\"]").body, "ok");
  EXPECT_EQ(poll(good), "431[\"still here\"]");
  EXPECT_EQ(connected(), 1u);
}

TEST_F(EngineServerTest, EventBeforeConnectIsAProtocolError) {
  const std::string sid = handshake();
  post(sid, "42[\"echo\"]");
  EXPECT_EQ(poll(sid), "1");
}

TEST_F(EngineServerTest, ClientDisconnectKeepsTheEngineSession) {
  const std::string sid = connected_client();
  post(sid, "41");
  EXPECT_EQ(connected(), 0u);
  post(sid, "40");
  EXPECT_EQ(poll(sid).rfind("40{\"sid\":\"", 0), 0u);
  EXPECT_EQ(connected(), 1u);
}

TEST_F(EngineServerTest, ClaudeEventIsIngestedAndAcked) {
  const std::string sid = connected_client();
  post(sid, "425[\"claude_event\",{\"hook_event_name\":\"Stop\",\"session_id\":\"s1\"}]");
  EXPECT_EQ(poll(sid), "435[{\"status\":\"ok\"}]");
  const auto ingested = host.ingested();
  ASSERT_EQ(ingested.size(), 1u);
  EXPECT_EQ(ingested[0].raw["hook_event_name"], "Stop");
  EXPECT_EQ(ingested[0].context.source, "socketio");

  host.set_ingest_reply([](const nlohmann::json&, const IngestContext&) {
    IngestResult r;
    r.status = IngestResult::Status::Rejected;
    r.error = "not an event";
    return r;
  });
  post(sid, "426[\"claude_event\",{\"x\":1}]");
  EXPECT_EQ(poll(sid), "436[{\"error\":\"not an event\"}]");
  post(sid, "427[\"claude_event\",\"text\"]");
  EXPECT_EQ(nlohmann::json::parse(poll(sid).substr(3))[0]["error"].get<std::string>().find(
                "first argument") != std::string::npos,
            true);
}

TEST_F(EngineServerTest, GetStatusAndHistoryAnswerByAckOrEvent) {
  host.set_status({{"version", "9"}});
  publish_hooks({"a", "b", "c"});
  const std::string sid = connected_client();
  post(sid, "421[\"get_status\"]");
  EXPECT_EQ(poll(sid), "431[{\"version\":\"9\"}]");
  post(sid, "42[\"get_status\"]");
  EXPECT_EQ(poll(sid), "42[\"status\",{\"version\":\"9\"}]");
  post(sid, "422[\"get_history\",{\"limit\":2}]");
  auto acked = nlohmann::json::parse(poll(sid).substr(3));
  EXPECT_EQ(acked[0]["count"], 2);
  EXPECT_EQ(acked[0]["events"][1]["subtype"], "c");
  post(sid, "42[\"get_history\",{\"event_types\":[\"b\"]}]");
  auto emitted = nlohmann::json::parse(poll(sid).substr(2));
  EXPECT_EQ(emitted[0], "history");
  EXPECT_EQ(emitted[1]["count"], 1);
  EXPECT_EQ(emitted[1]["events"][0]["subtype"], "b");
}

TEST_F(EngineServerTest, GetHistoryAnswersBadQueriesWithTheReason) {
  publish_hooks({"a", "b", "c"});
  const std::string sid = connected_client();
  post(sid, "425[\"get_history\",{\"limit\":0}]");
  auto acked = nlohmann::json::parse(poll(sid).substr(3));
  ASSERT_TRUE(acked[0].contains("error")) << acked.dump();
  EXPECT_EQ(acked[0]["error"].get<std::string>().rfind("limit must be a whole number from 1 to 1000, got '0'", 0), 0u);
  post(sid, "426[\"get_history\",{\"limt\":2}]");
  acked = nlohmann::json::parse(poll(sid).substr(3));
  EXPECT_EQ(acked[0]["error"].get<std::string>().rfind("unknown parameter 'limt'", 0), 0u) << acked.dump();
  // Without an ack the error comes as the `history` event.
  post(sid, "42[\"get_history\",\"everything\"]");
  auto emitted = nlohmann::json::parse(poll(sid).substr(2));
  EXPECT_EQ(emitted[0], "history");
  EXPECT_EQ(emitted[1]["error"].get<std::string>().rfind("get_history takes one object", 0), 0u);
  // A good one pages: the cursor of the first page leads to the rest.
  post(sid, "427[\"get_history\",{\"limit\":2}]");
  acked = nlohmann::json::parse(poll(sid).substr(3));
  EXPECT_EQ(acked[0]["source"], "memory");
  ASSERT_TRUE(acked[0]["next_cursor"].is_string()) << acked.dump();
  post(sid, "428[\"get_history\",{\"limit\":2,\"cursor\":" + acked[0]["next_cursor"].dump() + "}]");
  acked = nlohmann::json::parse(poll(sid).substr(3));
  ASSERT_EQ(acked[0]["count"], 1) << acked.dump();
  EXPECT_EQ(acked[0]["events"][0]["subtype"], "a");
  EXPECT_TRUE(acked[0]["next_cursor"].is_null());
}

TEST_F(EngineServerTest, OtherEventsGoToPluginRequests) {
  host.add_client_request("client_heartbeat",
                          [](const ClientInfo& client, const nlohmann::json& args, ClientReply reply) {
                            reply({{{"pong", args[0]}, {"client", client.id.size()}}});
                          });
  const std::string sid = connected_client();
  post(sid, "429[\"client_heartbeat\",7]");
  EXPECT_EQ(wait(start("GET", url(sid))).body, "439[{\"client\":20,\"pong\":7}]");
  post(sid, "4210[\"no_such_thing\"]");
  const std::string answer = poll(sid);
  EXPECT_EQ(answer.rfind("4310[{\"error\":\"unknown request 'no_such_thing'", 0), 0u) << answer;
}

TEST_F(EngineServerTest, PluginRequestsWinOverBuiltInNames) {
  host.add_client_request("get_history", [](const ClientInfo&, const nlohmann::json&, ClientReply reply) {
    reply({{{"source", "plugin"}}});
  });
  const std::string sid = connected_client();
  post(sid, "423[\"get_history\",{\"limit\":2}]");
  EXPECT_EQ(wait(start("GET", url(sid))).body, "433[{\"source\":\"plugin\"}]");
  post(sid, "424[\"get_status\"]");  // not registered: still the built-in
  EXPECT_EQ(poll(sid), "434[{}]");
}

class TokenTest : public EngineServerTest {
 protected:
  TokenTest() : EngineServerTest("s3cret") {}
};

TEST_F(TokenTest, ConnectNeedsTheToken) {
  std::string sid = handshake();
  post(sid, "40");
  // The reason is the core's (tests/unit/core/http_policy_test.cpp); the
  // transport sends it back as a CONNECT_ERROR.
  EXPECT_EQ(poll(sid).rfind("44{\"message\":\"invalid token", 0), 0u);
  post(sid, "40{\"token\":\"wrong\"}");
  EXPECT_EQ(poll(sid).rfind("44{\"message\":\"invalid token", 0), 0u);
  EXPECT_EQ(connected(), 0u);
  post(sid, "40{\"token\":\"s3cret\"}");
  EXPECT_EQ(poll(sid).rfind("40{\"sid\":", 0), 0u);
  EXPECT_EQ(connected(), 1u);
}

TEST_F(TokenTest, RepeatedFailuresCloseTheConnectionAfterMaxAuthFailures) {
  options.max_auth_failures = 3;
  make_service();
  const std::string sid = handshake();
  post(sid, "40{\"token\":\"a\"}");
  post(sid, "40{\"token\":\"b\"}");
  // Below the limit a client may retry on the same connection.
  EXPECT_EQ(decode_engine_payload(poll(sid)).packets.size(), 2u);
  post(sid, "40{\"token\":\"c\"}");
  // The last failure's CONNECT_ERROR still arrives, then the close packet.
  const auto packets = decode_engine_payload(poll(sid)).packets;
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].data.rfind("4{\"message\":\"invalid token", 0), 0u) << packets[0].data;
  EXPECT_EQ(packets[1].type, EnginePacketType::Close);
  EXPECT_EQ(poll(sid), engine_error_response(EngineError::UnknownSid).body);

  auto link = open_ws();
  for (const char* token : {"a", "b", "c"}) {
    EXPECT_FALSE(link->closed);
    frame(link, std::string("40{\"token\":\"") + token + "\"}");
  }
  EXPECT_EQ(std::count_if(link->texts.begin(), link->texts.end(),
                          [](const std::string& t) { return t.rfind("44{", 0) == 0; }),
            3);
  EXPECT_TRUE(link->closed);
}

// ---- session limits --------------------------------------------------------------------

TEST_F(EngineServerTest, HandshakesPastTheSessionLimitsGet503UntilSlotsFree) {
  options.max_pending_sessions = 2;
  options.max_sessions = 3;
  make_service();
  const std::string a = handshake();
  const std::string b = handshake();
  HttpResponse refused = call("GET", "/socket.io/?EIO=4&transport=polling");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.content_type, "application/json");
  EXPECT_NE(refused.body.find("max_pending_sessions"), std::string::npos) << refused.body;
  EXPECT_TRUE(std::count(refused.headers.begin(), refused.headers.end(),
                         std::pair<std::string, std::string>("Retry-After", "5")));
  // A WebSocket handshake asks the same question before it is upgraded.
  host.on_strand([&] { EXPECT_TRUE(service->engine().reserve_session()); });

  // A client that joins no longer waits: its place among the pending frees.
  EXPECT_EQ(post(a, "40").body, "ok");
  poll(a);
  EXPECT_EQ(service->engine().pending_sessions(), 1u);
  handshake();
  refused = call("GET", "/socket.io/?EIO=4&transport=polling");
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("max_sessions"), std::string::npos) << refused.body;

  // A session that ends frees its place among all sessions.
  post(b, "1");
  handshake();
  // Logged once for the spell, not per refusal, though the limits were left
  // and reached again within it (libs/spell_log).
  std::size_t warnings = 0;
  for (const auto& line : host.logs())
    warnings += line.message.find("new handshakes are answered 503") != std::string::npos;
  EXPECT_EQ(warnings, 1u);
}

TEST_F(EngineServerTest, ReapedHandshakesStopCountingAsPending) {
  options.max_pending_sessions = 1;
  options.connect_timeout = 50ms;
  make_service();
  handshake();
  EXPECT_EQ(call("GET", "/socket.io/?EIO=4&transport=polling").status, 503);
  EXPECT_TRUE(host.run_until([&] { return service->engine().pending_sessions() == 0; }, 2000ms));
  handshake();
}

// ---- WebSocket and upgrade ------------------------------------------------------------

TEST_F(EngineServerTest, WebSocketHandshakeAndEcho) {
  auto link = open_ws();
  ASSERT_EQ(link->texts.size(), 1u);
  const auto open = nlohmann::json::parse(link->texts[0].substr(1));
  EXPECT_EQ(open["upgrades"], nlohmann::json::array());
  frame(link, "40");
  frame(link, "421[\"echo\",{\"x\":[1,2]}]");
  EXPECT_TRUE(link->got("431[{\"x\":[1,2]}]"));
  frame(link, "451-2[\"echo\",{\"_placeholder\":true,\"num\":0}]");
  frame(link, std::string("\x00\xff", 2), true);
  EXPECT_TRUE(link->got("461-2[{\"_placeholder\":true,\"num\":0}]"));
  ASSERT_EQ(link->binaries.size(), 1u);
  EXPECT_EQ(link->binaries[0], std::string("\x00\xff", 2));
}

TEST_F(EngineServerTest, WebSocketProtocolErrorsCloseTheConnection) {
  auto link = connected_ws();
  frame(link, "x");
  EXPECT_TRUE(link->closed);
  EXPECT_EQ(connected(), 0u);
  auto stray_binary = connected_ws();
  frame(stray_binary, "abc", true);  // binary without a BINARY_EVENT before it
  EXPECT_TRUE(stray_binary->closed);
}

TEST_F(EngineServerTest, UpgradeFromPollingToWebSocket) {
  const std::string sid = connected_client();
  auto pending = start("GET", url(sid));
  auto link = open_ws(sid);
  EXPECT_TRUE(link->texts.empty());  // no open packet on an upgrade
  frame(link, "2probe");
  EXPECT_TRUE(link->got("3probe"));
  EXPECT_EQ(wait(pending).body, "6");  // the pending poll is released with a noop
  frame(link, "5");
  frame(link, "421[\"echo\",\"over ws\"]");
  EXPECT_TRUE(link->got("431[\"over ws\"]"));
  // Polling is over for this session.
  EXPECT_EQ(call("GET", url(sid)).body, engine_error_response(EngineError::BadRequest).body);
  // A second WebSocket for the same session is turned away.
  auto again = open_ws(sid);
  EXPECT_TRUE(again->closed);
}

TEST_F(EngineServerTest, PacketsQueuedDuringTheUpgradeMoveToTheWebSocket) {
  const std::string sid = connected_client();
  auto link = open_ws(sid);
  frame(link, "2probe");
  host.on_strand([&] { service->engine().broadcast("system_event", "{\"n\":1}"); });
  frame(link, "5");
  EXPECT_TRUE(link->got("42[\"system_event\",{\"n\":1}]"));
}

TEST_F(EngineServerTest, QueuedBinaryMovesToTheWebSocketAsABinaryFrame) {
  const std::string sid = connected_client();
  post(sid, "451-3[\"echo\",{\"_placeholder\":true,\"num\":0}]\x1e" "bAQID");  // answered while not polling
  auto link = open_ws(sid);
  frame(link, "2probe");
  frame(link, "5");
  EXPECT_TRUE(link->got("461-3[{\"_placeholder\":true,\"num\":0}]"));
  ASSERT_EQ(link->binaries.size(), 1u);
  EXPECT_EQ(link->binaries[0], std::string("\x01\x02\x03", 3));
}

TEST_F(EngineServerTest, FailedProbeLeavesPollingWorking) {
  const std::string sid = connected_client();
  auto link = open_ws(sid);
  frame(link, "2wrong");
  EXPECT_TRUE(link->closed);
  EXPECT_EQ(post(sid, "421[\"echo\",1]").body, "ok");
  EXPECT_EQ(poll(sid), "431[1]");
}

// ---- broadcasts and slow clients -----------------------------------------------------

TEST_F(EngineServerTest, BroadcastIsFramedOnceAndShared) {
  auto a = connected_ws();
  auto b = connected_ws();
  const std::string polling = connected_client();
  auto never_connected = open_ws();
  host.on_strand([&] { service->engine().broadcast("claude_event", "{\"type\":\"hook\"}"); });
  ASSERT_EQ(a->shared.size(), 1u);
  ASSERT_EQ(b->shared.size(), 1u);
  EXPECT_EQ(a->shared[0], b->shared[0]);  // the same buffer, not a copy
  EXPECT_EQ(*a->shared[0], "42[\"claude_event\",{\"type\":\"hook\"}]");
  EXPECT_TRUE(never_connected->shared.empty());
  EXPECT_EQ(poll(polling), "42[\"claude_event\",{\"type\":\"hook\"}]");
}

// Broadcasts that follow a flush within the window wait for the next one and
// reach each WebSocket client as one write; the first of a quiet spell leaves
// at once.
TEST_F(EngineServerTest, BroadcastsWithinTheWindowLeaveTogetherInOneWrite) {
  options.coalesce_window = 200ms;  // long enough that the three calls below fall inside it
  options.coalesce_window_min = options.coalesce_window;  // fixed: no adapting to the load
  make_service();
  auto ws = connected_ws();
  const std::string polling = connected_client();
  host.on_strand([&] {
    service->engine().broadcast("claude_event", "{\"n\":1}");
    service->engine().broadcast("claude_event", "{\"n\":2}");
    service->engine().broadcast("system_event", "{\"n\":3}");
  });
  EXPECT_EQ(ws->writes, 1u);  // the first, alone and at once
  EXPECT_EQ(ws->writes, 1u) << ::testing::PrintToString(ws->texts);  // the first, alone and at once
  EXPECT_EQ(host.on_strand([&] { return service->engine().held_broadcasts(); }), 2u);
  ASSERT_TRUE(host.run_until([&] { return ws->writes == 2; }, 2000ms)) << "held broadcasts never left";
  ASSERT_EQ(ws->shared.size(), 3u);
  EXPECT_EQ(*ws->shared[1], "42[\"claude_event\",{\"n\":2}]");
  EXPECT_EQ(*ws->shared[2], "42[\"system_event\",{\"n\":3}]");
  // A polling client gets the same packets in order, as one payload.
  EXPECT_EQ(poll(polling),
            "42[\"claude_event\",{\"n\":1}]\x1e" "42[\"claude_event\",{\"n\":2}]\x1e" "42[\"system_event\",{\"n\":3}]");
}

// A poll that waits is answered by the broadcast itself, in the same strand
// turn: no second turn (which could wake another thread) per delivery.
TEST_F(EngineServerTest, AWaitingPollIsAnsweredInTheBroadcastsOwnStrandTurn) {
  const std::string polling = connected_client();
  const auto waiting = start("GET", url(polling));
  host.poll();
  ASSERT_FALSE(waiting->ready()) << waiting->get().body;
  const bool answered_in_turn = host.on_strand([&] {
    service->engine().broadcast("claude_event", "{\"n\":1}");
    return waiting->ready();
  });
  EXPECT_TRUE(answered_in_turn);
  EXPECT_EQ(wait(waiting).body, "42[\"claude_event\",{\"n\":1}]");
}

// Packets queued while no poll waits all leave with the next poll, in order,
// as one payload in Engine.IO's record-separator framing.
TEST_F(EngineServerTest, APollTakesEveryPacketQueuedSinceTheLastOne) {
  const std::string polling = connected_client();
  host.on_strand([&] { service->engine().broadcast("claude_event", "{\"n\":1}"); });
  host.on_strand([&] { service->engine().broadcast("claude_event", "{\"n\":2}"); });
  host.on_strand([&] { service->engine().broadcast("system_event", "{\"n\":3}"); });
  EXPECT_EQ(poll(polling),
            "42[\"claude_event\",{\"n\":1}]\x1e" "42[\"claude_event\",{\"n\":2}]\x1e" "42[\"system_event\",{\"n\":3}]");
  const auto next = start("GET", url(polling));
  host.poll();
  EXPECT_FALSE(next->ready()) << "the queue was not emptied: " << next->get().body;
}

TEST_F(EngineServerTest, HeldBroadcastsAreSentBeforeTheClientsAreClosed) {
  options.coalesce_window = std::chrono::hours(1);
  options.coalesce_window_min = options.coalesce_window;  // fixed: no adapting to the load
  make_service();
  auto ws = connected_ws();
  host.on_strand([&] {
    service->engine().broadcast("claude_event", "{\"n\":1}");
    service->engine().broadcast("claude_event", "{\"n\":2}");
  });
  EXPECT_EQ(ws->shared.size(), 1u);
  host.on_strand([&] { service->engine().close_all(); });
  ASSERT_EQ(ws->shared.size(), 2u);
  EXPECT_EQ(*ws->shared[1], "42[\"claude_event\",{\"n\":2}]");
}

// A client joining while broadcasts are held finds them in its `history`
// (they are in the core's ring already): it must not get them twice.
TEST_F(EngineServerTest, AClientJoiningWhileBroadcastsAreHeldDoesNotGetThemTwice) {
  options.coalesce_window = std::chrono::hours(1);
  options.coalesce_window_min = options.coalesce_window;  // fixed: no adapting to the load
  make_service();
  auto early = connected_ws();
  host.on_strand([&] {
    service->engine().broadcast("claude_event", "{\"n\":1}");
    service->engine().broadcast("claude_event", "{\"n\":2}");
  });
  ASSERT_EQ(early->shared.size(), 1u);
  auto late = connected_ws();  // flushes what was held, to the early client only
  EXPECT_EQ(early->shared.size(), 2u);
  EXPECT_TRUE(late->shared.empty());
  host.on_strand([&] { service->engine().broadcast("claude_event", "{\"n\":3}"); });
  host.on_strand([&] { service->engine().close_all(); });
  ASSERT_EQ(late->shared.size(), 1u);
  EXPECT_EQ(*late->shared[0], "42[\"claude_event\",{\"n\":3}]");
}

TEST_F(EngineServerTest, WindowZeroSendsEveryBroadcastAtOnce) {
  auto ws = connected_ws();
  host.on_strand([&] {
    for (int i = 0; i < 5; ++i) service->engine().broadcast("claude_event", "{}");
  });
  EXPECT_EQ(ws->writes, 5u);
  EXPECT_EQ(host.on_strand([&] { return service->engine().held_broadcasts(); }), 0u);
}

// The window is an hour, so the run is held however slowly the test runs (a
// short window could close between the calls below, and then each broadcast
// would leave alone and fit); a client joining delivers it, as the timer would.
TEST_F(EngineServerTest, AHeldRunPastTheSendQueueBoundDropsOnlyThatClient) {
  options.coalesce_window = std::chrono::hours(1);
  options.coalesce_window_min = options.coalesce_window;  // fixed: no adapting to the load
  options.send_queue_bytes = 4096;
  make_service();
  auto slow = connected_ws();
  auto fast = connected_ws();
  const std::string big = "{\"big\":\"" + std::string(1500, 'x') + "\"}";
  host.on_strand([&] { service->engine().broadcast("claude_event", "{}"); });  // opens the window
  slow->buffered = 2000;  // stopped reading: the held run of ~3 KB will not fit
  host.on_strand([&] {
    service->engine().broadcast("claude_event", big);
    service->engine().broadcast("claude_event", big);
  });
  ASSERT_EQ(host.on_strand([&] { return service->engine().held_broadcasts(); }), 2u);
  ASSERT_EQ(slow->shared.size(), 1u);
  auto late = connected_ws();  // flushes the held run to the clients already there
  ASSERT_TRUE(host.run_until([&] { return !slow->aborted.empty(); }, 2000ms)) << "the slow client was not dropped";
  EXPECT_EQ(slow->aborted, "send queue full");
  EXPECT_EQ(slow->shared.size(), 1u);
  EXPECT_EQ(fast->shared.size(), 3u);
  EXPECT_TRUE(fast->aborted.empty());
  EXPECT_TRUE(late->shared.empty());
  EXPECT_EQ(connected(), 2u);  // fast and late
  EXPECT_EQ(service->engine().dropped_slow_clients(), 1u);
}

TEST_F(EngineServerTest, SlowWebSocketClientIsDroppedOthersKeepReceiving) {
  options.send_queue_bytes = 4096;
  make_service();
  auto slow = connected_ws();
  auto fast = connected_ws();
  slow->buffered = 4090;  // nearly full: it stopped reading
  host.on_strand(
      [&] { service->engine().broadcast("claude_event", "{\"big\":\"" + std::string(100, 'x') + "\"}"); });
  EXPECT_EQ(slow->aborted, "send queue full");
  EXPECT_EQ(fast->shared.size(), 1u);
  EXPECT_EQ(connected(), 1u);
  EXPECT_TRUE(host.has_log(LogLevel::Warn, "reads too slowly"));
  EXPECT_EQ(service->engine().dropped_slow_clients(), 1u);
  host.on_strand([&] { service->engine().broadcast("claude_event", "{}"); });
  EXPECT_EQ(fast->shared.size(), 2u);
  EXPECT_EQ(slow->shared.size(), 0u);
}

TEST_F(EngineServerTest, SlowPollingClientIsDropped) {
  options.send_queue_bytes = 1024;
  make_service();
  const std::string slow = connected_client();  // never polls again
  auto fast = connected_ws();
  for (int i = 0; i < 20; ++i)
    host.on_strand(
        [&] { service->engine().broadcast("claude_event", "{\"pad\":\"" + std::string(100, 'x') + "\"}"); });
  EXPECT_EQ(fast->shared.size(), 20u);
  EXPECT_EQ(connected(), 1u);
  EXPECT_TRUE(host.has_log(LogLevel::Warn, "send_queue_bytes"));
  EXPECT_EQ(service->engine().dropped_slow_clients(), 1u);
}

// ---- HTTP API --------------------------------------------------------------------------

TEST_F(EngineServerTest, PostEventIngestsExactBytes) {
  const std::string body = "{ \"hook_event_name\": \"Stop\", \"session_id\": \"s\" }";
  const HttpResponse r = call("POST", "/api/events", body,
                              {{"x-hookbroker-event-id", "id-1"},
                               {"x-hookbroker-replayed", "1"},
                               {"x-hookbroker-sent-at", "2026-01-01T00:00:00.000Z"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  const auto ingested = host.ingested();
  ASSERT_EQ(ingested.size(), 1u);
  EXPECT_EQ(ingested[0].context.raw_bytes, body);
  EXPECT_EQ(ingested[0].context.event_id, "id-1");
  EXPECT_TRUE(ingested[0].context.replayed);
  EXPECT_EQ(ingested[0].context.received_at, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(ingested[0].context.source, "http");
}

TEST_F(EngineServerTest, PostEventBadInputAnswers) {
  const HttpResponse malformed = call("POST", "/api/events", "{\"a\":");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(nlohmann::json::parse(malformed.body)["error"].get<std::string>().find("invalid JSON"),
            std::string::npos);
  EXPECT_EQ(call("POST", "/api/events", "").status, 400);
  const HttpResponse deep = call("POST", "/api/events", std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(deep.status, 400);
  const HttpResponse big = call("POST", "/api/events", "{\"x\":\"" + std::string(2 << 20, 'a') + "\"}");
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(nlohmann::json::parse(big.body)["error"].get<std::string>().find("max_body_bytes"),
            std::string::npos);
  host.set_ingest_reply([](const nlohmann::json&, const IngestContext&) {
    IngestResult r;
    r.status = IngestResult::Status::Rejected;
    r.error = "needs a type";
    return r;
  });
  const HttpResponse rejected = call("POST", "/api/events", "[1]");
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(nlohmann::json::parse(rejected.body)["error"], "needs a type");
  EXPECT_EQ(host.ingested().size(), 1u);  // only the valid JSON reached ingest
}

TEST_F(EngineServerTest, HistoryRouteFiltersLikeTheRing) {
  for (const char* sub : {"a", "b", "a"}) {
    Event e;
    e.type = "hook";
    e.subtype = sub;
    e.session_id = std::string("s-") + sub;
    host.publish(e);
  }
  auto h = nlohmann::json::parse(call("GET", "/api/history?type=a").body);
  EXPECT_EQ(h["count"], 2);
  h = nlohmann::json::parse(call("GET", "/api/history?limit=1").body);
  EXPECT_EQ(h["count"], 1);
  EXPECT_EQ(h["events"][0]["subtype"], "a");
  h = nlohmann::json::parse(call("GET", "/api/history?session_id=s-b").body);
  EXPECT_EQ(h["count"], 1);
  EXPECT_EQ(call("GET", "/api/history?limit=-3").status, 400);
  const HttpResponse unknown = call("GET", "/api/history?sesion_id=s-b");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown parameter 'sesion_id'"), std::string::npos) << unknown.body;
}

// ---- heartbeat: what only the transport knows -------------------------------------

nlohmann::json heartbeat_of(FakeHost& host, SocketIoService& service) {
  nlohmann::json out;
  host.on_strand([&] { out = service.heartbeat(); });
  return out;
}

std::uint64_t count_of(const nlohmann::json& heartbeat, const std::string& method, const std::string& route,
                       int code) {
  for (const auto& r : heartbeat["http_requests"])
    if (r["method"] == method && r["route"] == route && r["code"] == code) return r["count"];
  return 0;
}

TEST_F(EngineServerTest, HeartbeatCountsHttpAnswersByRoutePatternNotRawPath) {
  host.add_http_route("GET", "/plugin-page", [](const HttpRequest&, HttpReply reply) {
    reply(HttpResponse::json(200, {{"ok", true}}));
  });
  EXPECT_EQ(call("GET", "/plugin-page").status, 200);
  EXPECT_EQ(call("POST", "/api/events", "{not json").status, 400);
  EXPECT_EQ(call("GET", "/plugin-page").status, 200);
  EXPECT_EQ(call("GET", "/no/such/file-1").status, 404);
  EXPECT_EQ(call("GET", "/no/such/file-2").status, 404);
  EXPECT_EQ(call("BREW", "/coffee").status, 404);
  handshake();

  const auto hb = heartbeat_of(host, *service);
  EXPECT_EQ(count_of(hb, "GET", "/plugin-page", 200), 2u);
  EXPECT_EQ(count_of(hb, "POST", "/api/events", 400), 1u);
  EXPECT_EQ(count_of(hb, "GET", "other", 404), 2u);  // unknown paths collapse
  EXPECT_EQ(count_of(hb, "other", "other", 404), 1u);
  EXPECT_EQ(count_of(hb, "GET", "/socket.io/", 200), 1u);
  for (const auto& r : hb["http_requests"]) {
    const std::string route = r["route"];
    EXPECT_EQ(route.find("file-"), std::string::npos) << "raw path leaked into a label: " << route;
    EXPECT_EQ(route.find("abc"), std::string::npos) << "raw path leaked into a label: " << route;
  }
}

TEST_F(EngineServerTest, HeartbeatCountsAReplyOnceEvenIfAnsweredTwice) {
  host.add_http_route("GET", "/twice", [](const HttpRequest&, HttpReply reply) {
    reply(HttpResponse::json(200, {{"first", true}}));
    reply(HttpResponse::error(500, "second"));
  });
  call("GET", "/twice");  // this harness keeps the last answer; the server sends the first
  const auto hb = heartbeat_of(host, *service);
  EXPECT_EQ(count_of(hb, "GET", "/twice", 200), 1u);
  EXPECT_EQ(count_of(hb, "GET", "/twice", 500), 0u);
}

TEST_F(EngineServerTest, HeartbeatCountsDroppedSlowClientsAndClientsByTransport) {
  options.send_queue_bytes = 4096;
  make_service();
  auto slow = connected_ws();
  auto fast = connected_ws();
  connected_client();  // polling
  open_ws();           // never CONNECTs: not a client yet
  auto hb = heartbeat_of(host, *service);
  EXPECT_EQ(hb["dropped_slow_clients"], 0);
  EXPECT_EQ(hb["clients_by_transport"], (nlohmann::json{{"websocket", 2}, {"polling", 1}}));

  slow->buffered = 4090;
  host.on_strand([&] { service->engine().broadcast("claude_event", "{\"pad\":\"" + std::string(100, 'x') + "\"}"); });
  hb = heartbeat_of(host, *service);
  EXPECT_EQ(hb["dropped_slow_clients"], 1);
  EXPECT_EQ(hb["clients_by_transport"], (nlohmann::json{{"websocket", 1}, {"polling", 1}}));
}

TEST(HttpRequestCounts, MethodsOutsideTheStandardOnesAreOther) {
  EXPECT_EQ(method_label("GET"), "GET");
  EXPECT_EQ(method_label("OPTIONS"), "OPTIONS");
  EXPECT_EQ(method_label("get"), "other");
  EXPECT_EQ(method_label("PROPFIND"), "other");
  HttpRequestCounts counts;
  counts.add("PROPFIND", "other", 404);
  counts.add("MKCOL", "other", 404);
  counts.add("GET", "/health", 200);
  EXPECT_EQ(counts.to_json(), (nlohmann::json::parse(R"([
    {"method": "GET", "route": "/health", "code": 200, "count": 1},
    {"method": "other", "route": "other", "code": 404, "count": 2}])")));
}

}  // namespace
}  // namespace hookbroker::sio
