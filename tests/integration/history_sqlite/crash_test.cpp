// Durability: 10,000 events posted concurrently, the broker killed -9 in the
// middle, restarted on the same database. Every event that was answered 204
// must be there, exactly once; sending all of them again (same event ids, as
// a forwarder does) leaves each stored once.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <set>
#include <signal.h>
#include <thread>

#include "history_args.hpp"
#include "plugin_broker.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;

constexpr int kEvents = 10000;
constexpr int kSenders = 16;

std::string event_id(int i) { return "crash-" + std::to_string(i); }

/// event_id -> number of rows, read straight from the file.
std::map<std::string, int> stored_ids(const std::string& path) {
  std::map<std::string, int> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT event_id FROM events WHERE kind = 'event'", -1, &s, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (s && sqlite3_step(s) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(s, 0);
    ++out[text ? reinterpret_cast<const char*>(text) : "(null)"];
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

using history_it::history_at;

/// Posts events [0, kEvents) from kSenders threads; returns the ids answered 204.
std::set<std::string> post_all(PluginBroker& broker, const std::function<void(int acked)>& progress = {}) {
  std::mutex mutex;
  std::set<std::string> acked;
  std::atomic<int> next{0};
  std::vector<std::thread> senders;
  const int port = broker.port();
  for (int t = 0; t < kSenders; ++t) {
    senders.emplace_back([&] {
      for (int i = next++; i < kEvents; i = next++) {
        const auto body = generic_event("crash", "s-" + std::to_string(i % 50), i).dump();
        const auto r = sio_it::http(port, "POST", "/api/events", body,
                                    {{"Content-Type", "application/json"}, {"X-Hookbroker-Event-Id", event_id(i)}},
                                    std::chrono::seconds(10));
        if (r.status != 204) continue;
        int count;
        {
          std::lock_guard lock(mutex);
          acked.insert(event_id(i));
          count = static_cast<int>(acked.size());
        }
        if (progress) progress(count);
      }
    });
  }
  for (auto& s : senders) s.join();
  return acked;
}

TEST(HistoryCrash, EveryAcknowledgedEventSurvivesKill9ExactlyOnce) {
  hbtest::TempDir dir;
  const std::string db = dir.file("history.sqlite3");
  std::set<std::string> acked;
  {
    PluginBroker broker(history_at(db), "60");
    ASSERT_GT(broker.port(), 0) << broker.output();
    std::atomic<bool> killed{false};
    const pid_t pid = broker.process().pid();
    acked = post_all(broker, [&](int count) {
      if (count >= kEvents / 4 && !killed.exchange(true)) ::kill(pid, SIGKILL);  // mid-stream
    });
    ASSERT_TRUE(killed) << "the broker was never killed: " << acked.size() << " acknowledged";
    EXPECT_EQ(broker.process().wait_exit(hbtest::scaled(5s)), 128 + SIGKILL);
  }
  ASSERT_GE(acked.size(), static_cast<std::size_t>(kEvents / 4));
  ASSERT_LT(acked.size(), static_cast<std::size_t>(kEvents)) << "the kill came too late to test anything";

  // The database as the killed broker left it (SQLite recovers the WAL on open).
  auto on_disk = stored_ids(db);
  std::size_t missing = 0;
  for (const auto& id : acked) missing += on_disk.count(id) == 0;
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged events, " << missing << " are not on disk";
  for (const auto& [id, n] : on_disk) EXPECT_EQ(n, 1) << id;

  // Restart on the same file and send everything again, as senders retry.
  PluginBroker restarted(history_at(db), "60");
  ASSERT_GT(restarted.port(), 0) << restarted.output();
  const auto second = post_all(restarted);
  EXPECT_EQ(second.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(restarted.process().stop(), 0);
  on_disk = stored_ids(db);
  EXPECT_EQ(on_disk.size(), static_cast<std::size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    const auto it = on_disk.find(event_id(i));
    ASSERT_TRUE(it != on_disk.end()) << event_id(i) << " missing";
    ASSERT_EQ(it->second, 1) << event_id(i) << " stored " << it->second << " times";
  }
}

}  // namespace
