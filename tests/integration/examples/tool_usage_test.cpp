// examples/hook-handler (plugin tool_usage) loaded into the real broker.
#include <gtest/gtest.h>

#include "example_broker.hpp"

namespace {

using examples_it::ExampleBroker;
using json = nlohmann::json;
using namespace std::chrono_literals;

// Each hook gets its own tool_use_id: hooks_claude drops byte-identical
// deliveries within a short window as Claude Code's double firing.
json hook(const std::string& session, const std::string& name, const std::string& tool, json extra = json::object()) {
  static int next_id = 0;
  json h = {{"session_id", session}, {"cwd", "/home/dev/src/webshop"}, {"hook_event_name", name},
            {"tool_use_id", "toolu_" + std::to_string(++next_id)}};
  if (!tool.empty()) h["tool_name"] = tool;
  h.update(extra);
  return h;
}

// by_session[session][tool].calls, or -1 when the heartbeat has no such entry.
int calls(const json& data, const std::string& session, const std::string& tool) {
  const json::json_pointer path("/tool_usage/by_session/" + session + "/" + tool + "/calls");
  return data.contains(path) ? data[path].get<int>() : -1;
}

TEST(ToolUsageExample, CountsToolCallsPerToolAndSessionInTheHeartbeat) {
  ExampleBroker broker("hook-handler");
  ASSERT_GT(broker.process().port(), 0) << broker.process().output();
  for (const char* session : {"s-a", "s-b"}) ASSERT_EQ(broker.post_event(hook(session, "SessionStart", "")), 204);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(broker.post_event(hook("s-a", "PreToolUse", "Grep")), 204);
  ASSERT_EQ(broker.post_event(hook("s-a", "PreToolUse", "Bash")), 204);
  ASSERT_EQ(broker.post_event(hook("s-b", "PreToolUse", "Bash")), 204);
  ASSERT_EQ(broker.post_event(hook("s-b", "PostToolUse", "Bash", {{"tool_response", {{"stdout", "ok"}}}})), 204);

  const json data = broker.wait_for_heartbeat([](const json& d) {
    return d.contains("tool_usage") && d["tool_usage"].value("total_calls", 0) == 5;
  });
  ASSERT_FALSE(data.is_null()) << "no heartbeat counted 5 calls:\n" << broker.process().output();
  const json& usage = data["tool_usage"];
  EXPECT_EQ(usage["by_tool"]["Grep"]["calls"], 3);
  EXPECT_EQ(usage["by_tool"]["Bash"]["calls"], 2);
  EXPECT_EQ(usage["total_failures"], 0);
  EXPECT_EQ(calls(data, "s-a", "Grep"), 3);
  EXPECT_EQ(calls(data, "s-a", "Bash"), 1);
  EXPECT_EQ(calls(data, "s-b", "Bash"), 1);
  EXPECT_EQ(calls(data, "s-b", "Grep"), -1);
  // It observes, it does not claim: hooks_claude still normalised the events
  // and the session tracker still saw them.
  EXPECT_EQ(broker.events("claude_event", "pre_tool").size(), 5u);
  ASSERT_TRUE(data.contains("active_sessions")) << data.dump();
  EXPECT_EQ(data["active_sessions"].size(), 2u) << data.dump();

  // SessionEnd forgets the session's counts, the per-tool totals stay.
  ASSERT_EQ(broker.post_event(hook("s-b", "SessionEnd", "", {{"reason", "exit"}})), 204);
  const json after = broker.wait_for_heartbeat(
      [](const json& d) { return d.contains("tool_usage") && !d["tool_usage"]["by_session"].contains("s-b"); });
  ASSERT_FALSE(after.is_null()) << broker.process().output();
  EXPECT_EQ(after["tool_usage"]["by_tool"]["Bash"]["calls"], 2);
  EXPECT_EQ(broker.process().stop(), 0);
}

TEST(ToolUsageExample, PublishesToolFailingOnceWhenAToolFailsRepeatedly) {
  ExampleBroker broker("hook-handler", {"--set", "plugins.tool_usage.config.failure_threshold=2"});
  ASSERT_GT(broker.process().port(), 0) << broker.process().output();
  const auto fail = [&](const std::string& session) {
    EXPECT_EQ(broker.post_event(hook(session, "PreToolUse", "Bash")), 204);
    EXPECT_EQ(broker.post_event(hook(session, "PostToolUseFailure", "Bash", {{"error", "exit status 1"}})), 204);
  };
  fail("s-1");
  // A success breaks the streak: one failure before it and one after are not two in a row.
  ASSERT_EQ(broker.post_event(hook("s-1", "PostToolUse", "Bash", {{"tool_response", {{"stdout", ""}}}})), 204);
  fail("s-1");
  // Failures in another session do not add to s-1's streak.
  fail("s-2");
  ASSERT_TRUE(broker.wait_for_heartbeat([](const json& d) {
    return d.contains("tool_usage") && d["tool_usage"].value("total_failures", 0) == 3;
  }).is_object()) << broker.process().output();
  EXPECT_TRUE(broker.events("claude_event", "tool_failing").empty());

  // Second failure in a row (a PostToolUse whose response says is_error) -> one event.
  ASSERT_EQ(broker.post_event(hook("s-1", "PostToolUse", "Bash",
                                   {{"tool_response", {{"is_error", true}, {"stderr", "boom"}}}})),
            204);
  fail("s-1");  // a third in a row: still only the one event for this streak
  ASSERT_TRUE(hbtest::wait_until([&] { return !broker.events("claude_event", "tool_failing").empty(); }, 10s))
      << broker.process().output();
  ASSERT_TRUE(broker.wait_for_heartbeat([](const json& d) {
    return d.contains("tool_usage") && d["tool_usage"].value("total_failures", 0) == 5;
  }).is_object());
  const auto failing = broker.events("claude_event", "tool_failing");
  ASSERT_EQ(failing.size(), 1u);
  EXPECT_EQ(failing[0]["type"], "tool_usage");
  EXPECT_EQ(failing[0]["session_id"], "s-1");
  EXPECT_EQ(failing[0]["source"], "tool_usage");
  EXPECT_EQ(failing[0]["data"]["tool_name"], "Bash");
  EXPECT_EQ(failing[0]["data"]["consecutive_failures"], 2);
  EXPECT_EQ(failing[0]["data"]["last_error"]["stderr"], "boom");
  EXPECT_TRUE(broker.process().wait_for_log("tool Bash failed 2 times in a row in session s-1", 5s));
  EXPECT_EQ(broker.process().stop(), 0);
}

// The option table's range, checked by the core: a required plugin it refuses is exit 4.
TEST(ToolUsageExample, RefusesAThresholdOutOfRange) {
  ExampleBroker broker("hook-handler", {"--set", "plugins.tool_usage.config.failure_threshold=0",
                                        "--set", "plugins.tool_usage.required=true"});
  EXPECT_EQ(broker.process().wait_exit(10s), 4) << broker.process().output();
  EXPECT_NE(broker.process().output().find("failure_threshold: 0 is below the minimum 1"), std::string::npos) << broker.process().output();
}

}  // namespace
