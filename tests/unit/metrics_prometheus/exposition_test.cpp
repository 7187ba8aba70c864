// The page render_metrics writes passes the strict checker and carries the
// right numbers.
#include "exposition.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "prom_text_parser.hpp"

namespace {

using namespace hookbroker::prometheus;
using nlohmann::json;

class Exposition : public ::testing::Test {
 protected:
  prom_test::Exposition render(json sessions = nullptr) {
    hookbroker::Counters c;
    c.uptime_seconds = 12.5;
    c.total_events = 7;
    c.connected_clients = 2;
    const std::string text = render_metrics({state_, c, "0.1.0", std::move(sessions), 3});
    auto parsed = prom_test::parse_exposition(text);
    EXPECT_TRUE(parsed.ok()) << parsed.error << "\n" << text;
    return parsed;
  }
  MetricsState state_;
};

TEST_F(Exposition, CoreCountersAndEventsByType) {
  state_.count_event({{"type", "hook"}, {"subtype", "pre_tool"}});
  state_.count_event({{"type", "hook"}, {"subtype", "pre_tool"}});
  state_.count_event({{"type", "odd \"type\""}, {"subtype", ""}});
  const auto m = render();
  EXPECT_EQ(m.value("hookbroker_build_info", {{"version", "0.1.0"}}), 1);
  EXPECT_EQ(m.value("hookbroker_uptime_seconds"), 12.5);
  EXPECT_EQ(m.value("hookbroker_events_total"), 7);
  EXPECT_EQ(m.value("hookbroker_connected_clients"), 2);
  EXPECT_EQ(m.value("hookbroker_events_by_type_total", {{"type", "hook"}, {"subtype", "pre_tool"}}), 2);
  EXPECT_EQ(m.value("hookbroker_events_by_type_total", {{"type", "odd \"type\""}, {"subtype", ""}}), 1);
  EXPECT_EQ(m.value("hookbroker_metrics_scrapes_total"), 3);
  EXPECT_FALSE(m.families.count("hookbroker_sessions")) << "no tracker, no session metric";
}

TEST_F(Exposition, SessionsByStatusAlwaysListTheThreeStatuses) {
  const auto m = render(json::array({{{"status", "active"}}, {{"status", "active"}}, {{"status", "completed"}}}));
  EXPECT_EQ(m.value("hookbroker_sessions", {{"status", "active"}}), 2);
  EXPECT_EQ(m.value("hookbroker_sessions", {{"status", "delegated"}}), 0);
  EXPECT_EQ(m.value("hookbroker_sessions", {{"status", "completed"}}), 1);
}

TEST_F(Exposition, HeartbeatTimingErrorsAndEveryNumberItCarried) {
  const auto t0 = MetricsState::Clock::now();
  state_.tick_started(t0);
  state_.heartbeat_seen(
      {{"data",
        {{"total_events", 7},
         {"plugin_errors", {{{"plugin", "slow"}, {"error", "late"}}}},
         {"system_metrics", {{"cpu_percent", 3.5}, {"rss_bytes", 1000}}},
         {"clients", {{"stale", 1}, {"list", json::array({{{"rtt_ms", 4}}})}}},
         {"spool_replay", {{"replayed", 4}, {"pending_bytes", 0}}},
         {"transport_x", {{"dropped_slow_clients", 2},
                          {"http_requests", {{{"method", "POST"}, {"route", "/api/events"}, {"code", 204},
                                              {"count", 9}}}}}}}}},
      t0 + std::chrono::microseconds(1500));
  const auto m = render();
  EXPECT_EQ(m.value("hookbroker_heartbeats_total"), 1);
  EXPECT_EQ(m.value("hookbroker_heartbeat_tick_duration_seconds", {{"le", "0.002"}},
                    "hookbroker_heartbeat_tick_duration_seconds_bucket"),
            1);
  EXPECT_EQ(m.value("hookbroker_heartbeat_tick_duration_seconds", {{"le", "0.001"}},
                    "hookbroker_heartbeat_tick_duration_seconds_bucket"),
            0);
  EXPECT_EQ(m.value("hookbroker_heartbeat_contributor_errors_total", {{"plugin", "slow"}}), 1);
  EXPECT_EQ(m.value("hookbroker_heartbeat_value", {{"path", "system_metrics.cpu_percent"}}), 3.5);
  EXPECT_EQ(m.value("hookbroker_heartbeat_value", {{"path", "clients.stale"}}), 1);
  EXPECT_TRUE(std::isnan(m.value("hookbroker_heartbeat_value", {{"path", "clients.list"}}))) << "arrays left out";
  EXPECT_EQ(m.value("hookbroker_spool_replayed_total"), 4);
  EXPECT_EQ(m.value("hookbroker_dropped_slow_clients_total", {{"plugin", "transport_x"}}), 2);
  EXPECT_EQ(m.value("hookbroker_http_requests_total",
                    {{"plugin", "transport_x"}, {"method", "POST"}, {"route", "/api/events"}, {"code", "204"}}),
            9);
}

TEST_F(Exposition, TheHeartbeatValueFamilyIsBounded) {
  json many = json::object();
  for (int i = 0; i < 2000; ++i) many["k" + std::to_string(i)] = i;
  state_.heartbeat_seen({{"data", {{"big", many}}}}, MetricsState::Clock::now());
  const auto m = render();
  EXPECT_EQ(m.families.at("hookbroker_heartbeat_value").samples.size(), kMaxHeartbeatPaths);
}

}  // namespace
