#include <gtest/gtest.h>

#include "claude_events/event_names.hpp"

namespace hookbroker::claude_events {
namespace {

TEST(EventNames, KnownEventsKeepThePythonSystemsSubtypes) {
  EXPECT_EQ(subtype_for_event("UserPromptSubmit"), "user_prompt");
  EXPECT_EQ(subtype_for_event("PreToolUse"), "pre_tool");
  EXPECT_EQ(subtype_for_event("PostToolUse"), "post_tool");
  EXPECT_EQ(subtype_for_event("SubagentStart"), "subagent_start");
  EXPECT_EQ(subtype_for_event("SubagentStop"), "subagent_stop");
  EXPECT_EQ(subtype_for_event("Stop"), "stop");
  EXPECT_EQ(subtype_for_event("Notification"), "notification");
  EXPECT_EQ(subtype_for_event("SessionStart"), "session_start");
  EXPECT_EQ(subtype_for_event("SessionEnd"), "session_end");
}

TEST(EventNames, OtherEventsAreSnakeCased) {
  EXPECT_EQ(subtype_for_event("PreCompact"), "pre_compact");
  EXPECT_EQ(subtype_for_event("PostToolUseFailure"), "post_tool_use_failure");
  EXPECT_EQ(subtype_for_event("PermissionRequest"), "permission_request");
  EXPECT_EQ(subtype_for_event("MCPServerReady"), "mcp_server_ready");
  EXPECT_EQ(subtype_for_event("Tool2Done"), "tool2_done");
  EXPECT_EQ(subtype_for_event("already_snake"), "already_snake");
}

TEST(EventNames, LegacySubtypesMapBackToEvents) {
  EXPECT_EQ(event_for_subtype("pre_tool"), "PreToolUse");
  EXPECT_EQ(event_for_subtype("user_prompt"), "UserPromptSubmit");
  EXPECT_EQ(event_for_subtype("session_end"), "SessionEnd");
  EXPECT_EQ(event_for_subtype("pre_compact"), "PreCompact");
  EXPECT_EQ(event_for_subtype("Stop"), "Stop");
  EXPECT_EQ(event_for_subtype("teammate_idle"), "");
}

TEST(EventNames, ValidNamesAreShortWords) {
  EXPECT_TRUE(is_valid_event_name("PreToolUse"));
  EXPECT_TRUE(is_valid_event_name("pre_tool"));
  EXPECT_FALSE(is_valid_event_name(""));
  EXPECT_FALSE(is_valid_event_name("Pre Tool"));
  EXPECT_FALSE(is_valid_event_name(std::string(65, 'a')));
}

}  // namespace
}  // namespace hookbroker::claude_events
