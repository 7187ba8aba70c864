// The human summary of a heartbeat (TZ=UTC, set by ctest).
#include "heartbeat_summary.hpp"

#include <gtest/gtest.h>

#include "hookbroker/time.hpp"

namespace hookbroker::monitor {
namespace {

const SystemTime kNow = *parse_iso8601("2026-11-25T12:00:13.000Z");

nlohmann::json heartbeat(nlohmann::json data) {
  return {{"type", "system"}, {"event", "heartbeat"}, {"subtype", "heartbeat"},
          {"timestamp", "2026-11-25T12:00:01.500Z"}, {"data", std::move(data)}};
}

nlohmann::json session(const std::string& id, const std::string& agent, const std::string& status,
                       const std::string& activity, nlohmann::json delegations = nlohmann::json::array()) {
  return {{"session_id", id},        {"agent", agent}, {"status", status}, {"activity", activity},
          {"start_time", "2026-11-25T11:00:00.000Z"}, {"last_activity", "2026-11-25T12:00:01.000Z"},
          {"delegations", std::move(delegations)}};
}

TEST(HeartbeatSummary, FirstLineHasTimeUptimeClientsEventsAndSessions) {
  const auto text = format_heartbeat(
      heartbeat({{"uptime_seconds", 3720}, {"connected_clients", 3}, {"total_events", 1234},
                 {"active_sessions", {session("4f1c2a9e-7b3d", "pm", "active", "working"),
                                      session("9b0d77e1-0000", "pm", "active", "waiting_for_input")}},
                 {"plugin_errors", nlohmann::json::array()}}),
      kNow);
  EXPECT_EQ(text.substr(0, text.find('\n')), "12:00:01 up 1h02m  clients 3  events 1234  sessions 2");
}

TEST(HeartbeatSummary, OneIndentedLinePerSessionWithStateSubagentsAndAge) {
  const nlohmann::json delegations = {
      {{"agent_type", "engineer"}, {"status", "completed"}},
      {{"agent_type", "qa"}, {"status", "completed"}},
      {{"agent_type", "qa"}, {"status", "completed"}},
      {{"agent_type", "researcher"}, {"status", "running"}},
  };
  const auto text = format_heartbeat(
      heartbeat({{"uptime_seconds", 5}, {"connected_clients", 1}, {"total_events", 9},
                 {"active_sessions", {session("4f1c2a9e-7b3d", "researcher", "delegated", "working", delegations),
                                      session("s2", "pm", "completed", "ended")}}}),
      kNow);
  EXPECT_EQ(text,
            "12:00:01 up 5s  clients 1  events 9  sessions 2\n"
            "  4f1c2a9e  researcher  delegated  working            subagents engineer, qa x2, researcher (running)"
            "  last activity 12 s ago\n"
            "  s2        pm          completed  ended              last activity 12 s ago\n");
}

TEST(HeartbeatSummary, NoSessionsIsJustTheTotalsLine) {
  EXPECT_EQ(format_heartbeat(heartbeat({{"uptime_seconds", 59}, {"connected_clients", 0}, {"total_events", 0},
                                        {"active_sessions", nlohmann::json::array()},
                                        {"plugin_errors", nlohmann::json::array()}}),
                             kNow),
            "12:00:01 up 59s  clients 0  events 0  sessions 0\n");
}

TEST(HeartbeatSummary, WithoutASessionTrackerTheSessionsCountIsLeftOut) {
  EXPECT_EQ(format_heartbeat(heartbeat({{"uptime_seconds", 1}, {"connected_clients", 2}, {"total_events", 3}}), kNow),
            "12:00:01 up 1s  clients 2  events 3\n");
}

TEST(HeartbeatSummary, CountsSessionsTheHeartbeatDidNotList) {
  const auto text = format_heartbeat(
      heartbeat({{"uptime_seconds", 1}, {"connected_clients", 0}, {"total_events", 0},
                 {"active_sessions", {session("a", "pm", "active", "working")}},
                 {"sessions_summary", {{"total", 704}, {"listed", 1}, {"omitted", 703}}}}),
      kNow);
  EXPECT_NE(text.find("  sessions 704\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  ... 703 more session(s) not listed in the heartbeat\n"), std::string::npos) << text;
}

TEST(HeartbeatSummary, PluginErrorsGetALineEach) {
  const auto text = format_heartbeat(
      heartbeat({{"uptime_seconds", 1},
                 {"plugin_errors",
                  {{{"plugin", "sysmetrics"}, {"error", "missed the 250 ms deadline; skipped this tick"}},
                   {{"plugin", "custom"}, {"error", "returned undeclared key 'x'"}}}}}),
      kNow);
  EXPECT_NE(text.find("  plugin error: sysmetrics: missed the 250 ms deadline; skipped this tick\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  plugin error: custom: returned undeclared key 'x'\n"), std::string::npos) << text;
}

TEST(HeartbeatSummary, OddFieldsAreSkippedNotFatal) {
  const nlohmann::json odd = {{"type", "system"}, {"event", "heartbeat"}, {"timestamp", 17},
                              {"data", {{"uptime_seconds", "long"}, {"connected_clients", 2.0},
                                        {"active_sessions", {42, {{"session_id", 7}}}}}}};
  const auto text = format_heartbeat(odd, kNow);
  EXPECT_EQ(text.substr(0, text.find('\n')), "12:00:13  clients 2  sessions 2");
  EXPECT_NE(text.find("  ?         ?           ?          -"), std::string::npos) << text;
  EXPECT_NO_THROW(format_heartbeat(nlohmann::json::array(), kNow));
  EXPECT_NO_THROW(format_heartbeat(heartbeat("not an object"), kNow));
}

TEST(HeartbeatSummary, TheClusterKeyListsRedisAndEveryNode) {
  const nlohmann::json cluster = {
      {"node_id", "n1"},
      {"redis", {{"state", "unreachable"}, {"latency_ms", 0.42}, {"pending", 12}, {"dropped", 0},
                 {"error", "Connection refused"}}},
      {"nodes",
       {{{"node_id", "n1"}, {"state", "up"}, {"host", "127.0.0.1"}, {"port", 8765}, {"clients", 2}, {"events", 40},
         {"last_seen", "2026-11-25T12:00:12.000Z"}},
        {{"node_id", "n2"}, {"state", "lost"}}}}};
  const auto text = format_heartbeat(heartbeat({{"total_events", 1}, {"cluster", cluster}}), kNow);
  EXPECT_NE(text.find("  cluster: node n1, redis unreachable 0.4 ms, 12 waiting (Connection refused)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    node n1 (this)         up    127.0.0.1:8765  clients 2  events 40  seen 1 s ago\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    node n2                lost\n"), std::string::npos) << text;
}

TEST(IsHeartbeat, OnlySystemHeartbeats) {
  EXPECT_TRUE(is_heartbeat(heartbeat(nlohmann::json::object())));
  EXPECT_FALSE(is_heartbeat({{"type", "system"}, {"event", "alert"}}));
  EXPECT_FALSE(is_heartbeat({{"type", "hook"}, {"event", "heartbeat"}}));
  EXPECT_FALSE(is_heartbeat("heartbeat"));
}

}  // namespace
}  // namespace hookbroker::monitor
