#include <gtest/gtest.h>

#include <algorithm>

#include "claude_events/event_names.hpp"
#include "claude_events/event_table.hpp"

namespace hookbroker::claude_events {
namespace {

TEST(EventTable, FindsEventsByTheirClaudeCodeName) {
  ASSERT_NE(find_hook_event("PreToolUse"), nullptr);
  EXPECT_TRUE(find_hook_event("PreToolUse")->tool_matcher);
  EXPECT_FALSE(find_hook_event("SessionStart")->tool_matcher);
  EXPECT_EQ(find_hook_event("pre_tool"), nullptr);
  EXPECT_EQ(find_hook_event("NoSuchEvent"), nullptr);
}

TEST(EventTable, WorktreeCreateIsNotInstalledByDefault) {
  const auto names = default_hook_events();
  EXPECT_EQ(names.size(), claude_hook_events().size() - 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), "WorktreeCreate"), 0);
  EXPECT_NE(std::string(find_hook_event("WorktreeCreate")->note), "");
}

TEST(EventTable, EveryEventWithASessionMeaningMapsBackFromItsSubtype) {
  for (const auto& e : claude_hook_events()) {
    if (!e.session_meaning) continue;
    EXPECT_EQ(event_for_subtype(subtype_for_event(e.name)), e.name);
    EXPECT_EQ(event_for_subtype(e.name), e.name);
  }
}

}  // namespace
}  // namespace hookbroker::claude_events
