#include "client_registry.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hookbroker::client_heartbeats;
using namespace std::chrono_literals;
using hookbroker::ClientInfo;

ClientInfo client(const std::string& id) { return {id, "websocket", "127.0.0.1:5000", "2026-01-01T00:00:00.000Z"}; }

class Registry : public ::testing::Test {
 protected:
  ClientRegistry registry_{RegistryLimits{10s, 100, 10000}};
  ClientRegistry::Clock::time_point t0_ = ClientRegistry::Clock::now();
};

TEST_F(Registry, ListsConnectedClientsWithTheirTransport) {
  registry_.connected(client("a"), t0_);
  registry_.connected(client("b"), t0_ + 1s);
  const auto s = registry_.snapshot(t0_ + 2s);
  EXPECT_EQ(s["count"], 2);
  EXPECT_EQ(s["stale"], 0);
  EXPECT_EQ(s["heartbeating"], 0);
  ASSERT_EQ(s["list"].size(), 2u);
  EXPECT_EQ(s["list"][0]["id"], "b");  // most recently heard from first
  EXPECT_EQ(s["list"][0]["transport"], "websocket");
  EXPECT_EQ(s["list"][0]["connected_at"], "2026-01-01T00:00:00.000Z");
  EXPECT_TRUE(s["list"][0]["name"].is_null());
  EXPECT_TRUE(s["list"][0]["rtt_ms"].is_null());
  registry_.disconnected("b");
  EXPECT_EQ(registry_.snapshot(t0_ + 2s)["count"], 1);
}

TEST_F(Registry, HeartbeatRecordsIdentityAndRttAndAnswersServerTime) {
  registry_.connected(client("a"), t0_);
  HeartbeatRequest request;
  request.client_id = "ui-1";
  request.name = "dashboard";
  request.rtt_ms = 4.0;
  request.echo = "t-123";
  const auto ack = registry_.heartbeat(client("a"), request, t0_ + 3s);
  EXPECT_EQ(ack["status"], "ok");
  EXPECT_EQ(ack["echo"], "t-123");
  EXPECT_EQ(ack["server_time_ms"],
            std::chrono::duration_cast<std::chrono::milliseconds>((t0_ + 3s).time_since_epoch()).count());
  EXPECT_TRUE(ack["server_time"].get<std::string>().back() == 'Z');
  const auto entry = registry_.snapshot(t0_ + 4s)["list"][0];
  EXPECT_EQ(entry["client_id"], "ui-1");
  EXPECT_EQ(entry["name"], "dashboard");
  EXPECT_DOUBLE_EQ(entry["rtt_ms"].get<double>(), 4.0);
  EXPECT_EQ(entry["heartbeats"], 1);
  EXPECT_DOUBLE_EQ(entry["silent_seconds"].get<double>(), 1.0);
}

TEST_F(Registry, SilentClientsGoStaleOnceAndRecoverOnTheirNextHeartbeat) {
  registry_.connected(client("a"), t0_);
  registry_.connected(client("b"), t0_);
  registry_.heartbeat(client("b"), {}, t0_ + 8s);
  std::vector<std::string> lines;
  auto s = registry_.snapshot(t0_ + 11s, &lines);
  EXPECT_EQ(s["stale"], 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("client a silent for 11 s"), std::string::npos) << lines[0];
  lines.clear();
  registry_.snapshot(t0_ + 12s, &lines);
  EXPECT_TRUE(lines.empty()) << "a stale client is reported once, not every tick";
  registry_.heartbeat(client("a"), {}, t0_ + 13s);
  s = registry_.snapshot(t0_ + 13s, &lines);
  EXPECT_EQ(s["stale"], 0);
  EXPECT_TRUE(lines.empty());
}

TEST_F(Registry, AHeartbeatFromAClientWhoseArrivalWasMissedCreatesIt) {
  registry_.heartbeat(client("late"), {}, t0_);
  EXPECT_EQ(registry_.size(), 1u);
}

TEST(RegistryLimits, ListIsCappedButCountsCoverEveryone) {
  ClientRegistry registry(RegistryLimits{10s, 2, 10000});
  const auto t0 = ClientRegistry::Clock::now();
  for (int i = 0; i < 5; ++i) registry.connected(client("c" + std::to_string(i)), t0 + std::chrono::seconds(i));
  const auto s = registry.snapshot(t0 + 5s);
  EXPECT_EQ(s["count"], 5);
  EXPECT_EQ(s["listed"], 2);
  EXPECT_EQ(s["omitted"], 3);
  EXPECT_EQ(s["list"][0]["id"], "c4");
}

TEST(RegistryLimits, BeyondMaxClientsTheLongestSilentIsForgotten) {
  ClientRegistry registry(RegistryLimits{10s, 0, 3});
  const auto t0 = ClientRegistry::Clock::now();
  for (int i = 0; i < 4; ++i) registry.connected(client("c" + std::to_string(i)), t0 + std::chrono::seconds(i));
  EXPECT_EQ(registry.size(), 3u);
  const auto snapshot = registry.snapshot(t0 + 5s);  // keep it alive while iterating its list
  for (const auto& entry : snapshot["list"]) EXPECT_NE(entry["id"], "c0");
}

}  // namespace
