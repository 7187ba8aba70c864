// The built history_sqlite.so on a FakeHost: the sink, the route and the
// client request it registers, and its heartbeat key.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"
#include "history_test_util.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using hookbroker::HttpRequest;
using hookbroker::LogLevel;
using hookbroker::SinkResult;
using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;
using nlohmann::json;
using namespace std::chrono_literals;

hookbroker::HostSettings settings(const std::string& state_dir) {
  auto s = FakeHost::default_settings();
  s.state_dir = state_dir;
  return s;
}

HttpRequest get(const std::string& query) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/history";
  r.query = query;
  return r;
}

class HistoryPlugin : public ::testing::Test {
 protected:
  void start() {
    host_ = std::make_unique<FakeHost>("history_sqlite", settings(dir_.path()));
    host_->start_threads(2);
    // The fixture events are dated 2026-01-17: with the default max_age_s (7 days)
    // the first retention pass deleted them whenever it ran after they
    // arrived (under load), so age-based retention is off here.
    plugin_ = library_.create(*host_, {{"retention_check_s", 3600}, {"max_age_s", 0}});
    host_->on_strand([&] { plugin_->start(); });
  }
  void TearDown() override {
    if (plugin_) host_->on_strand([&] { plugin_->stop(); });
    plugin_.reset();
    if (host_) host_->stop_threads();
  }
  void store(int n, const std::string& session = "s1") {
    std::atomic<int> acked{0};
    for (int i = 0; i < n; ++i)
      host_->on_strand([&] {
        plugin_.event_sink()->consume_event(
            history_test::event(session + "-" + std::to_string(i), "pre_tool", session),
            [&](const SinkResult& r) {
              EXPECT_TRUE(r.ok()) << r.reason;
              ++acked;
            });
      });
    ASSERT_TRUE(hbtest::wait_until([&] { return acked == n; }, 10s));
  }

  LoadedPlugin library_{HISTORY_SQLITE_PLUGIN_PATH};
  hbtest::TempDir dir_;
  std::unique_ptr<FakeHost> host_;
  LoadedPlugin::Instance plugin_;
};

TEST_F(HistoryPlugin, ManifestIsAnOffByDefaultSinkAndContributor) {
  const auto& m = library_.manifest();
  EXPECT_EQ(m.name, "history_sqlite");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_EVENT_SINK | HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  EXPECT_NE(m.flags & HOOKBROKER_FLAG_DISABLED_BY_DEFAULT, 0u);
  EXPECT_EQ(m.heartbeat_keys, "history_sqlite");
  EXPECT_EQ(m.options.size(), 9u);
}

TEST_F(HistoryPlugin, StoresEventsInTheStateDirAndServesThemOverHttp) {
  start();
  store(5);
  const auto response = host_->call_http(get("limit=3"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  const auto page = json::parse(response->body);
  ASSERT_EQ(page["count"], 3);
  EXPECT_EQ(page["events"][2]["event_id"], "s1-4");
  EXPECT_TRUE(std::ifstream(dir_.file("history.sqlite3")).good());
  const auto stats = host_->on_strand([&] { return plugin_.heartbeat_contributor()->contribute(); });
  EXPECT_EQ(stats["history_sqlite"]["stored"], 5);
  EXPECT_EQ(stats["history_sqlite"]["path"], dir_.file("history.sqlite3"));
}

TEST_F(HistoryPlugin, AnswersGetHistoryForSocketIoClients) {
  start();
  store(3, "s1");
  store(2, "s2");
  json answer;
  std::atomic<bool> answered{false};
  ASSERT_TRUE(host_->handle_client_request("get_history", {"sock", "websocket", "", ""},
                                           json::array({{{"session_id", "s2"}}}), [&](json a) {
                                             answer = std::move(a);
                                             answered = true;
                                           }));
  ASSERT_TRUE(hbtest::wait_until([&] { return answered.load(); }, 5s));
  ASSERT_TRUE(answer.is_array());
  EXPECT_EQ(answer[0]["count"], 2);
  EXPECT_EQ(answer[0]["events"][0]["session_id"], "s2");
}

TEST_F(HistoryPlugin, BadQueriesGet400WithTheReason) {
  start();
  auto response = host_->call_http(get("limit=-1"));
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(json::parse(response->body)["error"].get<std::string>().find("limit must be"), std::string::npos);
  response = host_->call_http(get("from=soon"));
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("from 'soon' is neither"), std::string::npos);
}

TEST_F(HistoryPlugin, HeartbeatsAreStoredWithTheirSessionListCounted) {
  start();
  const json heartbeat = {{"type", "system"}, {"event", "heartbeat"}, {"subtype", "heartbeat"},
                          {"timestamp", hookbroker::now_iso8601_utc()},
                          {"data", {{"total_events", 9}, {"active_sessions", json::array({1, 2, 3})}}}};
  host_->on_strand([&] { plugin_->on_heartbeat(heartbeat); });
  json page;
  ASSERT_TRUE(hbtest::wait_until([&] {
    page = json::parse(host_->call_http(get("type=heartbeat"))->body);
    return page["count"] == 1;
  }, 5s));
  EXPECT_EQ(page["events"][0]["data"]["active_sessions_count"], 3);
  EXPECT_FALSE(page["events"][0]["data"].contains("active_sessions"));
  EXPECT_EQ(page["events"][0]["data"]["total_events"], 9);
}

TEST_F(HistoryPlugin, AnUnusablePathFailsStartWithTheOptionToSet) {
  hbtest::write_file(dir_.file("blocker"), "");
  host_ = std::make_unique<FakeHost>("history_sqlite", settings(dir_.file("blocker")));
  auto plugin = library_.create(*host_, json::object());
  try {
    host_->on_strand([&] { plugin->start(); });
    FAIL() << "started on a path below a file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("set plugins.history_sqlite.config.path"), std::string::npos) << e.what();
  }
}

TEST_F(HistoryPlugin, WarnsWhenAnotherPluginServesTheRoute) {
  host_ = std::make_unique<FakeHost>("history_sqlite", settings(dir_.path()));
  host_->add_http_route("GET", "/api/history", [](const HttpRequest&, hookbroker::HttpReply) {});
  plugin_ = library_.create(*host_, json::object());
  host_->on_strand([&] { plugin_->start(); });
  EXPECT_TRUE(host_->has_log(LogLevel::Warn, "another plugin already serves GET /api/history"));
}

}  // namespace
