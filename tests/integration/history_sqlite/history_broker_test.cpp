// history_sqlite in the real broker: GET /api/history and get_history answer
// from the database, across restarts; heartbeats are kept for plots.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "history_args.hpp"
#include "plugin_broker.hpp"
#include "socketio_broker.hpp"
#include "socketio_calls.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;
using nlohmann::json;

using history_it::history_at;

json get_json(PluginBroker& broker, const std::string& target) {
  const auto r = broker.get(target);
  EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  return json::parse(r.body, nullptr, false);
}

TEST(HistoryBroker, ServesStoredEventsWithFiltersAndPagingAcrossARestart) {
  hbtest::TempDir dir;
  const std::string db = dir.file("history.sqlite3");
  {
    PluginBroker broker(history_at(db));
    ASSERT_GT(broker.port(), 0) << broker.output();
    for (int i = 0; i < 12; ++i)
      ASSERT_EQ(broker.post_event(generic_event(i % 3 ? "odd" : "third", i < 6 ? "sa" : "sb", i)).status, 204);
    EXPECT_EQ(broker.process().stop(), 0);
  }
  PluginBroker broker(history_at(db));
  ASSERT_GT(broker.port(), 0) << broker.output();

  const auto page = get_json(broker, "/api/history?limit=5");
  EXPECT_EQ(page["source"], "history_sqlite") << "the plugin's route, not the in-memory one";
  ASSERT_EQ(page["count"], 5) << "events of the first run are still there";
  EXPECT_EQ(page["events"][4]["data"]["n"], 11);
  EXPECT_EQ(page["events"][0]["data"]["n"], 7);

  std::vector<int> seen;
  std::string cursor;
  for (int guard = 0; guard < 10; ++guard) {
    const auto p = get_json(broker, "/api/history?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (auto it = p["events"].rbegin(); it != p["events"].rend(); ++it) seen.push_back((*it)["data"]["n"]);
    if (p["next_cursor"].is_null()) break;
    cursor = p["next_cursor"];
  }
  EXPECT_EQ(seen, (std::vector<int>{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));

  const auto third_in_sb = get_json(broker, "/api/history?type=third&session_id=sb");
  ASSERT_EQ(third_in_sb["count"], 2);  // n = 6 and 9
  EXPECT_EQ(third_in_sb["events"][0]["data"]["n"], 6);
}

TEST(HistoryBroker, KeepsHeartbeatsForPlots) {
  hbtest::TempDir dir;
  PluginBroker broker(history_at(dir.file("h.sqlite3")));
  ASSERT_GT(broker.port(), 0) << broker.output();
  json page;
  ASSERT_TRUE(hbtest::wait_until(
      [&] {
        page = get_json(broker, "/api/history?type=heartbeat&limit=3");
        return page["count"] == 3;
      },
      hbtest::scaled(10s)));
  const auto& hb = page["events"][2];
  EXPECT_EQ(hb["subtype"], "heartbeat");
  EXPECT_TRUE(hb["data"].contains("system_metrics"));
  EXPECT_TRUE(hb["data"].contains("active_sessions_count"));
  EXPECT_FALSE(hb["data"].contains("active_sessions"));
  // The heartbeat reports the plugin's own numbers.
  EXPECT_TRUE(broker.wait_heartbeat([](const json& d) { return d.contains("history_sqlite") && d["history_sqlite"]["stored"] > 0; },
                                    hbtest::scaled(10s)));
}

// transport_socketio hands get_history to the plugin that registered it
// before answering from the core's ring.
TEST(HistoryBroker, SocketIoGetHistoryAnswersFromTheDatabase) {
  hbtest::TempDir dir;
  PluginBroker broker(history_at(dir.file("h.sqlite3")));
  ASSERT_GT(broker.port(), 0) << broker.output();
  for (int i = 0; i < 4; ++i) ASSERT_EQ(broker.post_event(generic_event("sio", "s1", i)).status, 204);
  auto ws = sio_it::connected_ws(broker.port());
  ASSERT_TRUE(ws);
  const auto ack = emit_with_ack(*ws, "get_history", json::array({{{"limit", 2}, {"event_types", {"sio"}}}}));
  ASSERT_TRUE(ack) << broker.output();
  ASSERT_TRUE(ack->is_array() && !ack->empty()) << ack->dump();
  const auto& page = (*ack)[0];
  EXPECT_EQ(page["source"], "history_sqlite") << page.dump();
  ASSERT_EQ(page["count"], 2);
  EXPECT_EQ(page["events"][1]["data"]["n"], 3);
  EXPECT_TRUE(page["next_cursor"].is_string());
}

TEST(HistoryBroker, BadQueriesAre400WithTheReasonAndTheBrokerGoesOn) {
  hbtest::TempDir dir;
  PluginBroker broker(history_at(dir.file("h.sqlite3")));
  ASSERT_GT(broker.port(), 0) << broker.output();
  for (const char* q : {"limit=0", "limit=abc", "cursor=x", "from=tomorrow"}) {
    const auto r = broker.get(std::string("/api/history?") + q);
    EXPECT_EQ(r.status, 400) << q;
    const auto body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << r.body;
  }
  EXPECT_EQ(broker.post_event(generic_event("after")).status, 204);
  EXPECT_EQ(get_json(broker, "/api/history")["count"], 1);
}

TEST(HistoryBroker, AnUnwritablePathIsReportedAndTheBrokerRunsWithoutIt) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("file"), "");
  PluginBroker broker(history_at(dir.file("file/h.sqlite3")));
  ASSERT_GT(broker.port(), 0) << broker.output();
  EXPECT_TRUE(broker.process().wait_for_log("history_sqlite.*set plugins.history_sqlite.config.path", 5s))
      << broker.output();
  EXPECT_EQ(broker.post_event(generic_event("still")).status, 204);
}

TEST(HistoryBroker, DescribePluginShowsItsSchema) {
  const auto r = hbtest::run_command({hbtest::broker_binary(), "--describe-plugin", "history_sqlite"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* word : {"path", "synchronous", "max_age_s", "max_rows", "max_database_bytes", "store_heartbeats"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " in\n" << r.out;
}

// Issue 13, finding 5: the history holds prompts and code. Under the usual
// umask 022 the broker still makes its directory 0700 and the database, its
// -wal and -shm files 0600.
TEST(HistoryBroker, TheDatabaseIsTheUsersAloneWhateverTheUmask) {
  hbtest::TempDir dir;
  const std::string state = dir.path() + "/state/hookbroker";
  const std::string db = state + "/history.sqlite3";
  const mode_t previous = ::umask(022);  // the broker inherits it
  PluginBroker broker(history_at(db));
  ::umask(previous);
  ASSERT_GT(broker.port(), 0) << broker.output();
  ASSERT_EQ(broker.post_event(generic_event("private", "s-1")).status, 204);
  auto mode = [](const std::string& path) -> int {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
  };
  EXPECT_EQ(mode(state), 0700);
  EXPECT_EQ(mode(db), 0600);
  // WAL mode: both exist while the broker has the database open.
  for (const char* suffix : {"-wal", "-shm"}) EXPECT_EQ(mode(db + suffix), 0600) << suffix;
}

}  // namespace
