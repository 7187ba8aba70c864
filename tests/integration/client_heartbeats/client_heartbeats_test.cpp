// Two-way heartbeats through the real broker: a Socket.IO client emits
// client_heartbeat, gets the server's time back, and shows up under
// `clients` in the broker's heartbeat, flagged stale once it goes silent.
#include <gtest/gtest.h>

#include "plugin_broker.hpp"
#include "socketio_broker.hpp"
#include "socketio_calls.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;
using nlohmann::json;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(ClientHeartbeatsBroker, AckCarriesServerTimeAndTheClientIsListed) {
  PluginBroker broker({});
  ASSERT_GT(broker.port(), 0) << broker.output();
  auto ws = sio_it::connected_ws(broker.port());
  ASSERT_TRUE(ws);

  const auto before = now_ms();
  const auto ack = emit_with_ack(*ws, "client_heartbeat", json::array({{{"client_id", "it-1"}, {"name", "integration"},
                                                                        {"sent_at", before}}}));
  const auto after = now_ms();
  ASSERT_TRUE(ack) << broker.output();
  ASSERT_TRUE(ack->is_array() && ack->size() == 1) << ack->dump();
  const auto& a = (*ack)[0];
  EXPECT_EQ(a["status"], "ok");
  EXPECT_EQ(a["echo"], before);
  EXPECT_GE(a["server_time_ms"].get<std::int64_t>(), before);
  EXPECT_LE(a["server_time_ms"].get<std::int64_t>(), after);

  // The round trip the client measured goes into its next heartbeat.
  ASSERT_TRUE(emit_with_ack(*ws, "client_heartbeat", json::array({{{"rtt_ms", after - before + 0.5}}})));

  const auto hb = broker.wait_heartbeat(
      [](const json& d) { return d.contains("clients") && d["clients"]["heartbeating"] == 1; }, hbtest::scaled(10s));
  ASSERT_TRUE(hb) << broker.output();
  const auto& clients = (*hb)["data"]["clients"];
  EXPECT_EQ(clients["count"], 1);
  EXPECT_EQ(clients["stale"], 0);
  const auto& entry = clients["list"][0];
  EXPECT_EQ(entry["client_id"], "it-1");
  EXPECT_EQ(entry["name"], "integration");
  EXPECT_EQ(entry["transport"], "websocket");
  EXPECT_EQ(entry["heartbeats"], 2);
  EXPECT_DOUBLE_EQ(entry["rtt_ms"].get<double>(), static_cast<double>(after - before) + 0.5);

  ws->send("41");  // leave the namespace
  ws.reset();
  EXPECT_TRUE(broker.wait_heartbeat([](const json& d) { return d["clients"]["count"] == 0; }, hbtest::scaled(10s)))
      << "a client that left is no longer listed";
}

TEST(ClientHeartbeatsBroker, ASilentClientIsFlaggedStaleAndLogged) {
  PluginBroker broker(config("client_heartbeats", "stale_after_s", "1"));
  ASSERT_GT(broker.port(), 0) << broker.output();
  auto ws = sio_it::connected_ws(broker.port());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(emit_with_ack(*ws, "client_heartbeat", json::array({{{"name", "quiet"}}})));
  const auto hb = broker.wait_heartbeat([](const json& d) { return d["clients"]["stale"] == 1; }, hbtest::scaled(10s));
  ASSERT_TRUE(hb) << broker.output();
  EXPECT_EQ((*hb)["data"]["clients"]["list"][0]["stale"], true);
  EXPECT_TRUE(broker.process().wait_for_log("client .* \\(quiet\\) silent for [0-9]+ s: flagged stale", 5s));
  // It speaks again: no longer stale.
  ASSERT_TRUE(emit_with_ack(*ws, "client_heartbeat", json::array()));
  EXPECT_TRUE(broker.wait_heartbeat([](const json& d) { return d["clients"]["stale"] == 0; }, hbtest::scaled(10s)));
}

TEST(ClientHeartbeatsBroker, ABadPayloadIsAnsweredWithTheReason) {
  PluginBroker broker({});
  ASSERT_GT(broker.port(), 0) << broker.output();
  auto ws = sio_it::connected_ws(broker.port());
  ASSERT_TRUE(ws);
  const auto ack = emit_with_ack(*ws, "client_heartbeat", json::array({{{"name", 42}}}));
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)[0]["error"], "\"name\" must be a string") << ack->dump();
  // And the connection keeps working.
  EXPECT_TRUE(emit_with_ack(*ws, "client_heartbeat", json::array()));
}

TEST(ClientHeartbeatsBroker, DescribePluginShowsItsSchema) {
  const auto r = hbtest::run_command({hbtest::broker_binary(), "--describe-plugin", "client_heartbeats"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* word : {"stale_after_s", "max_listed", "max_clients", "clients"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " in\n" << r.out;
}

}  // namespace
