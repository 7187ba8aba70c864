// claude-mpm's field names and Claude Code's, both ways.
#include <gtest/gtest.h>

#include "claude_events/mpm_fields.hpp"

namespace hookbroker::claude_events {
namespace {

using nlohmann::json;

TEST(AddNativeFields, ToolEventsGetToolUseIdToolInputAndCwd) {
  json pre = {{"tool_name", "Read"},
              {"tool_parameters", {{"file_path", "/p/a.py"}}},
              {"session_id", "s1"},
              {"working_directory", "/p"},
              {"correlation_id", "c-1"}};
  EXPECT_EQ(add_native_fields("PreToolUse", pre, json::object()), "PreToolUse");
  EXPECT_EQ(pre["hook_event_name"], "PreToolUse");
  EXPECT_EQ(pre["tool_use_id"], "c-1");
  EXPECT_EQ(pre["tool_input"], (json{{"file_path", "/p/a.py"}}));
  EXPECT_EQ(pre["cwd"], "/p");
  EXPECT_EQ(pre["correlation_id"], "c-1") << "claude-mpm's own names stay for its dashboard";

  json post = {{"tool_name", "Read"}, {"session_id", "s1"}};
  add_native_fields("PostToolUse", post, {{"correlation_id", "c-2"}, {"cwd", "/q"}});
  EXPECT_EQ(post["tool_use_id"], "c-2") << "the normalized event's own correlation_id";
  EXPECT_EQ(post["cwd"], "/q");
}

TEST(AddNativeFields, ATaskCallNamesItsSubagentAsClaudeMpmNormalizedIt) {
  json pre = {{"tool_name", "Task"},
              {"tool_parameters", {{"subagent_type", "Research"}, {"prompt", "look"}}},
              {"delegation_details",
               {{"agent_type", "research"}, {"original_agent_type", "Research"}, {"prompt", "look"},
                {"description", "Look around"}}}};
  add_native_fields("PreToolUse", pre, json::object());
  EXPECT_EQ(pre["tool_input"]["subagent_type"], "research");
  EXPECT_EQ(pre["tool_input"]["description"], "Look around");
}

TEST(AddNativeFields, NativeFieldsAlreadyThereAreKept) {
  json pre = {{"hook_event_name", "PreToolUse"}, {"tool_use_id", "toolu_1"}, {"tool_input", {{"a", 1}}},
              {"cwd", "/real"}, {"working_directory", "/other"}, {"correlation_id", "c"}, {"tool_parameters", {{"b", 2}}}};
  const json before = pre;
  add_native_fields("PreToolUse", pre, json::object());
  EXPECT_EQ(pre, before);
}

TEST(AddNativeFields, PromptSessionAndAnEmptySessionId) {
  json prompt = {{"prompt_text", "fix it"}, {"session_id", ""}};
  add_native_fields("UserPromptSubmit", prompt, {{"session_id", "s9"}});
  EXPECT_EQ(prompt["prompt"], "fix it");
  EXPECT_EQ(prompt["session_id"], "s9");
  json anonymous = {{"session_id", ""}, {"status", "received"}};
  add_native_fields("", anonymous, json::object());
  EXPECT_FALSE(anonymous.contains("session_id")) << "\"\" is claude-mpm's way of saying none";
  EXPECT_FALSE(anonymous.contains("hook_event_name"));
}

TEST(AddNativeFields, ClaudeMpmsEchoOfATaskCallHasNoSessionMeaning) {
  json echo = {{"agent_type", "engineer"}, {"agent_id", "engineer_s1"}, {"session_id", "s1"},
               {"hook_event_name", "SubagentStart"}};
  EXPECT_EQ(add_native_fields("SubagentStart", echo, json::object()), "");
  json real = {{"agent_type", "engineer"}, {"agent_id", "a3f9c1e27b4d5e60"}, {"session_id", "s1"}};
  EXPECT_EQ(add_native_fields("SubagentStart", real, json::object()), "SubagentStart");
}

TEST(AddMpmToolFields, ToolEventsGainCorrelationIdAndToolParameters) {
  json e = {{"type", "hook"}, {"data", {{"tool_use_id", "t"}, {"tool_input", {{"command", "ls"}}}}}};
  add_mpm_tool_fields(e);
  EXPECT_EQ(e["correlation_id"], "t");
  EXPECT_EQ(e["data"]["correlation_id"], "t");
  EXPECT_EQ(e["data"]["tool_parameters"], (json{{"command", "ls"}}));
  json system = {{"type", "system"}, {"data", {{"tool_use_id", "t"}}}};
  add_mpm_tool_fields(system);
  EXPECT_FALSE(system.contains("correlation_id"));
  json odd = {{"type", 3}, {"data", "x"}};
  add_mpm_tool_fields(odd);  // never throws on a foreign shape
  EXPECT_FALSE(odd.contains("correlation_id"));
}

}  // namespace
}  // namespace hookbroker::claude_events
