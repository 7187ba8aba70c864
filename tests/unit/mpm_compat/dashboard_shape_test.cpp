// claude-mpm's shapes of what hookbroker sends: event_history, the heartbeat
// channel, correlation_id and tool_parameters, /health.
#include <gtest/gtest.h>

#include "dashboard_shape.hpp"
#include "hookbroker/event.hpp"

namespace hookbroker::mpm {
namespace {

using nlohmann::json;

TEST(EventHistory, RepeatsTheHistoryPayloadWithClaudeMpmsCounts) {
  const json history = {{"events", {{{"type", "hook"}, {"subtype", "stop"}}, {{"type", "hook"}, {"subtype", "stop"}}}},
                        {"count", 2}};
  const json sent = event_history_payload(history);
  EXPECT_EQ(sent["events"], history["events"]);
  EXPECT_EQ(sent["count"], 2);
  EXPECT_EQ(sent["total_available"], 2);
  EXPECT_EQ(event_history_payload(json::object()), (json{{"events", json::array()}, {"count", 0}, {"total_available", 0}}));
}

TEST(Broadcasts, HeartbeatsMoveToTheHeartbeatEventOthersKeepTheirs) {
  std::string channel = kSystemChannel;
  json beat = {{"type", "system"}, {"event", "heartbeat"}, {"subtype", "heartbeat"}, {"data", {{"total_events", 3}}}};
  const json before = beat;
  shape_broadcast(channel, beat);
  EXPECT_EQ(channel, "heartbeat");
  EXPECT_EQ(beat, before) << "our own dashboard reads the same payload on `heartbeat`";

  std::string alert_channel = kSystemChannel;
  json alert = {{"type", "system"}, {"event", "alert"}, {"subtype", "alert"}};
  shape_broadcast(alert_channel, alert);
  EXPECT_EQ(alert_channel, "system_event");
}

TEST(Broadcasts, NativeToolEventsGainCorrelationIdAndToolParameters) {
  std::string channel = kHookChannel;
  json pre = {{"type", "hook"},
              {"subtype", "pre_tool"},
              {"data",
               {{"hook_event_name", "PreToolUse"},
                {"tool_name", "Read"},
                {"tool_use_id", "toolu_01"},
                {"tool_input", {{"file_path", "/p/a.py"}}}}}};
  shape_broadcast(channel, pre);
  EXPECT_EQ(channel, "claude_event");
  EXPECT_EQ(pre["correlation_id"], "toolu_01");
  EXPECT_EQ(pre["data"]["correlation_id"], "toolu_01") << "its tools store looks the pre event up by data's id";
  EXPECT_EQ(pre["data"]["tool_parameters"], (json{{"file_path", "/p/a.py"}}));

  json stop = {{"type", "hook"}, {"subtype", "stop"}, {"data", {{"hook_event_name", "Stop"}}}};
  const json untouched = stop;
  shape_broadcast(channel, stop);
  EXPECT_EQ(stop, untouched);
}

TEST(Broadcasts, ClaudeMpmsOwnIdsAreKept) {
  std::string channel = kHookChannel;
  json pre = {{"type", "hook"},
              {"correlation_id", "mpm-1"},
              {"data", {{"tool_use_id", "mpm-1"}, {"correlation_id", "mpm-1"}, {"tool_parameters", {{"x", 1}}},
                        {"tool_input", {{"x", 1}, {"y", 2}}}}}};
  shape_broadcast(channel, pre);
  EXPECT_EQ(pre["data"]["tool_parameters"], (json{{"x", 1}}));
}

TEST(Status, AnswersAsClaudeMpmsMonitorKeepingOurFields) {
  json status = {{"status", "ok"}, {"service", "hookbroker"}, {"version", "0.1.0"}, {"uptime_seconds", 42}};
  shape_status(status);
  EXPECT_EQ(status["service"], "claude-mpm-monitor");
  EXPECT_EQ(status["uptime"], 42);
  EXPECT_EQ(status["uptime_seconds"], 42);
  EXPECT_EQ(status["version"], "0.1.0");
  EXPECT_EQ(status["status"], "ok");
}

}  // namespace
}  // namespace hookbroker::mpm
