// One line per event for --events (TZ=UTC, set by ctest).
#include "event_line.hpp"

#include <gtest/gtest.h>

#include "hookbroker/time.hpp"

namespace hookbroker::monitor {
namespace {

const SystemTime kEventTime = *parse_iso8601("2026-11-25T12:00:13.000Z");

TEST(EventLine, HookEventShowsKindSessionAndTool) {
  const auto event = nlohmann::json::parse(R"({"type":"hook","subtype":"pre_tool","timestamp":"2026-11-25T12:00:02.000Z",
    "session_id":"4f1c2a9e-7b3d","source":"hook","data":{"hook_event_name":"PreToolUse","tool_name":"Bash"}})");
  EXPECT_EQ(format_event_line("claude_event", event, kEventTime),
            "12:00:02 claude_event hook/pre_tool  session 4f1c2a9e  tool Bash\n");
}

TEST(EventLine, DelegationShowsTheSubagentType) {
  const auto event = nlohmann::json::parse(R"({"type":"hook","subtype":"pre_tool","timestamp":"2026-11-25T12:00:02Z",
    "data":{"session_id":"s1","tool_name":"Task","tool_input":{"subagent_type":"engineer"}}})");
  EXPECT_EQ(format_event_line("claude_event", event, kEventTime),
            "12:00:02 claude_event hook/pre_tool  session s1  tool Task  agent engineer\n");
}

TEST(EventLine, SystemNoticeShowsItsMessage) {
  const auto event = nlohmann::json::parse(
      R"({"type":"system","event":"alert","timestamp":"2026-11-25T12:00:05Z","data":{"message":"no events for 10 min"}})");
  EXPECT_EQ(format_event_line("system_event", event, kEventTime), "12:00:05 system_event system/alert  no events for 10 min\n");
}

TEST(EventLine, NonObjectPayloadIsPrintedAsJson) {
  EXPECT_EQ(format_event_line("claude_event", nlohmann::json::array({1, 2}), kEventTime), "12:00:13 claude_event [1,2]\n");
}

}  // namespace
}  // namespace hookbroker::monitor
