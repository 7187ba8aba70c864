#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

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

TEST(EventTable, WorktreeCreateAndMessageDisplayAreNotInstalledByDefault) {
  const auto names = default_hook_events();
  EXPECT_EQ(names.size(), claude_hook_events().size() - 2);
  for (const char* left_out : {"WorktreeCreate", "MessageDisplay"}) {
    EXPECT_EQ(std::count(names.begin(), names.end(), left_out), 0) << left_out;
    EXPECT_NE(std::string(find_hook_event(left_out)->note), "") << left_out;
  }
}

// The events of the hooks reference (code.claude.com/docs/en/hooks, "Hook
// lifecycle" table), each installed by default but the two above.
TEST(EventTable, HasEveryEventOfTheCurrentHooksReference) {
  for (const char* name :
       {"SessionStart", "Setup", "UserPromptSubmit", "UserPromptExpansion", "PreToolUse", "PermissionRequest",
        "PermissionDenied", "PostToolUse", "PostToolUseFailure", "PostToolBatch", "Notification", "MessageDisplay",
        "SubagentStart", "SubagentStop", "TaskCreated", "TaskCompleted", "Stop", "StopFailure", "TeammateIdle",
        "InstructionsLoaded", "ConfigChange", "CwdChanged", "DirectoryAdded", "FileChanged", "WorktreeCreate",
        "WorktreeRemove", "PreCompact", "PostCompact", "PreModelSwitch", "PostModelSwitch", "Elicitation",
        "ElicitationResult", "SessionEnd"})
    EXPECT_NE(find_hook_event(name), nullptr) << name;
  EXPECT_EQ(claude_hook_events().size(), 33u);
}

TEST(EventTable, EveryEventWithASessionMeaningMapsBackFromItsSubtype) {
  for (const auto& e : claude_hook_events()) {
    if (!e.session_meaning) continue;
    EXPECT_EQ(event_for_subtype(subtype_for_event(e.name)), e.name);
    EXPECT_EQ(event_for_subtype(e.name), e.name);
  }
}

// docs/hooks.md promises one table with every event and its effect.
TEST(EventTable, DocsHooksTableHasARowForEveryEvent) {
  std::ifstream in(std::string(HOOKBROKER_SOURCE_DIR) + "/docs/hooks.md");
  ASSERT_TRUE(in) << "docs/hooks.md not found";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto begin = doc.find("| Claude Code event |");
  ASSERT_NE(begin, std::string::npos);
  const std::string table = doc.substr(begin, doc.find("\n\n", begin) - begin);
  for (const auto& e : claude_hook_events())
    EXPECT_NE(table.find("`" + std::string(e.name) + "`"), std::string::npos) << e.name << " has no row";
}

}  // namespace
}  // namespace hookbroker::claude_events
