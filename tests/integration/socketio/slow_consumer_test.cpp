// A client that stops reading is cut off once its send queue passes its
// bound, while a client that keeps reading receives every event.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;
using hbtest::scaled;

TEST(SocketIoSlowConsumer, StalledClientIsDroppedFastClientGetsEverything) {
  // A small queue bound so the test moves little data; the kernel's socket
  // buffers (up to a few MiB on loopback) fill first. Still 16 events of
  // slack for the fast client: with 4 (64 KiB), a reader thread descheduled
  // for a moment on a loaded machine got the fast client dropped too.
  BrokerProcess broker(broker_args(transport_option("send_queue_bytes", "262144")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  auto stalled = connected_ws(port, "", 4096);  // reads nothing from now on
  auto fast = connected_ws(port);
  ASSERT_TRUE(stalled && fast);

  constexpr int kEvents = 400;
  constexpr int kFastClientLag = 4;  // events the fast client may be behind: 64 KiB, well under the bound
  const std::string pad(16 * 1024, 'x');  // 400 x 16 KiB = 6.4 MiB in flight
  std::set<int> received;                 // the reader thread's only
  std::atomic<int> received_count{0};
  std::atomic<bool> reading{true};
  std::thread reader([&] {
    while (reading && static_cast<int>(received.size()) < kEvents) {
      auto m = fast->read(200ms);
      if (!m) continue;
      if (m->data == "2") fast->send("3");
      if (m->data.rfind("42[\"claude_event\"", 0) != 0) continue;
      const auto event = nlohmann::json::parse(m->data.substr(2))[1];
      if (event["subtype"] == "load") received.insert(event["data"]["n"].get<int>());
      received_count = static_cast<int>(received.size());
    }
  });
  struct JoinOnExit {  // a failed ASSERT below must not leave the thread joinable
    std::atomic<bool>& reading;
    std::thread& thread;
    ~JoinOnExit() {
      reading = false;
      if (thread.joinable()) thread.join();
    }
  } join_reader{reading, reader};

  // Posting waits for the fast client to keep up, so a reader thread
  // descheduled on a loaded machine delays the test instead of letting the
  // fast client's queue pass the bound too; the stalled client falls
  // further behind with every event whatever the scheduling.
  for (int n = 0; n < kEvents; ++n) {
    ASSERT_TRUE(hbtest::wait_until([&] { return received_count >= n - kFastClientLag; }, scaled(30s)))
        << "the fast client got " << received_count << " of " << n << " events";
    const nlohmann::json body = {{"type", "test"}, {"subtype", "load"}, {"data", {{"n", n}, {"pad", pad}}}};
    ASSERT_EQ(http(port, "POST", "/api/events", body.dump()).status, 204) << n;
  }
  EXPECT_TRUE(hbtest::wait_until([&] { return received_count == kEvents; }, scaled(30s)))
      << received_count << " of " << kEvents;
  reading = false;
  reader.join();
  EXPECT_EQ(static_cast<int>(received.size()), kEvents);

  EXPECT_TRUE(broker.wait_for_log("reads too slowly", scaled(10s))) << broker.output();
  EXPECT_TRUE(hbtest::wait_until(
      [&] { return nlohmann::json::parse(http(port, "GET", "/health").body)["clients"] == 1; }, scaled(10s)));
  // The broker's memory stays bounded: the stalled client's queue is gone.
  EXPECT_TRUE(stalled->closed_by_server(scaled(20s)));
}

/// Reads from a freshly connected client until the connect-time `history`;
/// nullopt when the server closed the connection or it never came.
std::optional<nlohmann::json> connect_history(WsClient& ws) {
  const auto message = ws.read_until_prefix("42[\"history\"", scaled(20s));
  if (!message) return std::nullopt;
  return nlohmann::json::parse(message->substr(2))[1];
}

/// Whether the client receives the live event with data.n == n (answering pings).
bool receives_live_event(WsClient& ws, int n) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(20s);
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = ws.read(200ms);
    if (!m) {
      if (ws.closed_by_server(0ms)) return false;
      continue;
    }
    if (m->data == "2") ws.send("3");
    if (m->data.rfind("42[\"claude_event\"", 0) != 0) continue;
    if (nlohmann::json::parse(m->data.substr(2))[1]["data"]["n"] == n) return true;
  }
  return false;
}

TEST(SocketIoSlowConsumer, BigEventsInHistoryDoNotLockOutNewClients) {
  // Claude Code posts events of a few hundred KB when it reads big files:
  // 60 of 200 KB made the connect-time history ~12 MB, past the default
  // send queue (8 MiB), and every new client was dropped as it connected.
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  const std::string pad(200 * 1024, 'x');
  for (int n = 0; n < 60; ++n) {
    const nlohmann::json body = {{"type", "test"}, {"subtype", "big"}, {"data", {{"n", n}, {"pad", pad}}}};
    ASSERT_EQ(http(port, "POST", "/api/events", body.dump()).status, 204) << n;
  }

  for (int attempt = 0; attempt < 3; ++attempt) {  // every client, not just a lucky first one
    auto ws = connected_ws(port);
    ASSERT_TRUE(ws) << broker.output();
    const auto history = connect_history(*ws);
    ASSERT_TRUE(history) << "no history on connect: " << broker.output();
    const auto& events = (*history)["events"];
    ASSERT_GE(events.size(), 2u) << "the newest events that fit in history_on_connect_bytes (1 MiB)";
    EXPECT_LE(events.dump().size(), 1u << 20);
    EXPECT_EQ((*history)["count"], events.size());
    std::vector<int> posted;  // every event so far, oldest first
    for (int n = 0; n < 60; ++n) posted.push_back(n);
    for (int n = 100; n < 100 + attempt; ++n) posted.push_back(n);
    ASSERT_LE(events.size(), posted.size());
    for (std::size_t i = 0; i < events.size(); ++i)  // the newest, oldest first, no gap
      EXPECT_EQ(events[i]["data"]["n"], posted[posted.size() - events.size() + i]) << i;

    const nlohmann::json live = {{"type", "test"}, {"subtype", "big"}, {"data", {{"n", 100 + attempt}}}};
    ASSERT_EQ(http(port, "POST", "/api/events", live.dump()).status, 204);
    EXPECT_TRUE(receives_live_event(*ws, 100 + attempt)) << "the client was dropped: " << broker.output();
  }
  EXPECT_FALSE(broker.output().find("reads too slowly") != std::string::npos) << broker.output();
}

TEST(SocketIoSlowConsumer, OneEventBiggerThanTheSendQueueStillReachesClientsThatKeepUp) {
  // send_queue_bytes bounds a backlog; a client with nothing queued takes any
  // one message, so one big event cannot get every client dropped.
  BrokerProcess broker(broker_args(transport_option("send_queue_bytes", "262144")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  auto ws = connected_ws(port);
  ASSERT_TRUE(ws);
  ASSERT_TRUE(connect_history(*ws));
  const nlohmann::json big = {{"type", "test"}, {"subtype", "big"},
                              {"data", {{"n", 7}, {"pad", std::string(600 * 1024, 'x')}}}};
  ASSERT_EQ(http(port, "POST", "/api/events", big.dump()).status, 204);
  EXPECT_TRUE(receives_live_event(*ws, 7)) << broker.output();

  auto late = connected_ws(port);  // its history holds the big event alone: more than half the queue, so not sent
  ASSERT_TRUE(late);
  const auto history = connect_history(*late);
  ASSERT_TRUE(history) << broker.output();
  EXPECT_TRUE((*history)["events"].empty()) << "history_on_connect_bytes is at most half of send_queue_bytes";
  const nlohmann::json small = {{"type", "test"}, {"subtype", "small"}, {"data", {{"n", 8}}}};
  ASSERT_EQ(http(port, "POST", "/api/events", small.dump()).status, 204);
  EXPECT_TRUE(receives_live_event(*ws, 8));
  EXPECT_TRUE(receives_live_event(*late, 8));
}

}  // namespace
}  // namespace sio_it
