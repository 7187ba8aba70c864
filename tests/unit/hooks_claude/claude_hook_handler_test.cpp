// ClaudeHookHandler on a FakeHost with the real in-memory tracker: what each
// Claude Code event does to its session, and what is broadcast.
#include <gtest/gtest.h>

#include "claude_hook_handler.hpp"
#include "hook_fixtures.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "memory_session_tracker.hpp"
#include "tracker_options.hpp"

namespace hookbroker::claude {
namespace {

using nlohmann::json;
using Verdict = HookOutcome::Verdict;
using hookbroker::testing::FakeHost;

class ClaudeHookHandlerTest : public ::testing::Test {
 protected:
  ClaudeHookHandlerTest()
      : tracker_(std::make_shared<sessions::MemorySessionTracker>(
            host_, sessions::TrackerOptions::from_config(with_defaults(sessions::TrackerOptions::table())).limits)),
        handler_(host_, HandlerOptions::from_config(with_defaults(HandlerOptions::table()))) {
    host_.set_sessions(tracker_.get());
  }

  HookOutcome send(const json& raw, const std::string& raw_bytes = "") {
    IngestContext context;
    context.received_at = "2026-11-25T10:00:00.000Z";
    context.raw_bytes = raw_bytes;
    return handler_.handle(raw, context);
  }

  /// Sends a raw Claude Code event for session s1 with the given fields.
  HookOutcome hook(const std::string& event_name, json fields = json::object()) {
    fields["hook_event_name"] = event_name;
    if (!fields.contains("session_id")) fields["session_id"] = "s1";
    fields["seq"] = ++seq_;  // distinct bytes: no two calls are a repeated delivery
    return send(fields);
  }

  json session(const std::string& id = "s1") { return tracker_->find(id); }

  FakeHost host_{"hooks_claude"};
  std::shared_ptr<sessions::MemorySessionTracker> tracker_;
  ClaudeHookHandler handler_;
  int seq_ = 0;
};

std::size_t count_delegations(const json& session, const std::string& status) {
  std::size_t n = 0;
  for (const auto& d : session["delegations"]) n += d["status"] == status ? 1 : 0;
  return n;
}

/// A lifecycle fixture step's "expect" against the session after it.
void expect_state(const json& s, const json& expect, std::uint64_t events) {
  EXPECT_EQ(s["status"], expect["status"]);
  EXPECT_EQ(s["agent"], expect["agent"]);
  EXPECT_EQ(s["activity"], expect["activity"]);
  EXPECT_EQ(count_delegations(s, "running"), expect["delegations_running"].get<std::size_t>());
  if (expect.contains("delegations_completed")) {
    EXPECT_EQ(count_delegations(s, "completed"), expect["delegations_completed"].get<std::size_t>());
  }
  if (expect.contains("agent_id")) {
    EXPECT_EQ(s["delegations"].back()["agent_id"], expect["agent_id"]);
  }
  EXPECT_EQ(s["event_count"], events);
}

TEST_F(ClaudeHookHandlerTest, RecordedLifecycleGivesTheExpectedStateAfterEveryStep) {
  const json fixture = load_hook_fixture("claude_code_session_lifecycle.json");
  const std::string id = fixture["session_id"];
  std::uint64_t events = 0;
  for (const auto& step : fixture["steps"]) {
    SCOPED_TRACE(step["step"].get<std::string>());
    const HookOutcome out = send(step["event"]);
    ASSERT_EQ(out.verdict, Verdict::Accepted) << out.error;
    ++events;
    const json s = session(id);
    ASSERT_TRUE(s.is_object());
    expect_state(s, step["expect"], events);
    EXPECT_EQ(s["cwd"], "/home/dev/src/webshop");
    EXPECT_EQ(s["permission_mode"], "default");
  }
  ASSERT_EQ(session(id)["delegations"].size(), 1u) << "Task + SubagentStart are one delegation";
  EXPECT_EQ(session(id)["delegations"][0]["agent_type"], "engineer");
}

TEST_F(ClaudeHookHandlerTest, ClaudeMpmsOwnSenderGivesTheStatesClaudeCodesPayloadsGive) {
  const json fixture = load_hook_fixture("claude_mpm_sender_lifecycle.json");
  const std::string id = fixture["session_id"];
  std::uint64_t events = 0;
  for (const auto& step : fixture["steps"]) {
    SCOPED_TRACE(step["step"].get<std::string>());
    const HookOutcome out = send(step["event"]);
    ASSERT_EQ(out.verdict, Verdict::Accepted) << out.error;
    ++events;
    const json& normalized = step["event"]["data"];
    EXPECT_EQ(out.event.subtype, normalized["subtype"]) << "broadcast under claude-mpm's own subtype";
    EXPECT_EQ(out.event.session_id, id);
    for (const auto& [key, value] : normalized["data"].items())
      EXPECT_EQ(out.event.data[key], value) << key << ": claude-mpm's fields stay for its dashboard";
    const json s = session(id);
    ASSERT_TRUE(s.is_object());
    expect_state(s, step["expect"], events);
    EXPECT_EQ(s["cwd"], fixture["cwd"]);
    if (normalized["subtype"] == "pre_tool" || normalized["subtype"] == "post_tool") {
      EXPECT_EQ(out.event.data["tool_use_id"], normalized["data"]["correlation_id"]) << "Claude Code's name for it";
    }
  }
  ASSERT_EQ(session(id)["delegations"].size(), 1u)
      << "Task, claude-mpm's echo of it and the SubagentStart are one delegation";
  EXPECT_EQ(session(id)["delegations"][0]["agent_type"], "engineer");
  EXPECT_EQ(session(id)["delegations"][0]["agent_id"], "a3f9c1e27b4d5e60");
}

TEST_F(ClaudeHookHandlerTest, BroadcastEventIsNormalisedAndCarriesTheOriginalPayload) {
  const json raw = {{"hook_event_name", "PreToolUse"}, {"session_id", "s1"}, {"tool_name", "Bash"},
                    {"tool_input", {{"command", "ls"}}}, {"tool_use_id", "toolu_1"}};
  const HookOutcome out = send(raw);
  ASSERT_EQ(out.verdict, Verdict::Accepted);
  EXPECT_EQ(out.event.to_json(), (json{{"type", "hook"},
                                       {"subtype", "pre_tool"},
                                       {"timestamp", "2026-11-25T10:00:00.000Z"},
                                       {"session_id", "s1"},
                                       {"source", "hook"},
                                       {"data", raw}}));
  EXPECT_EQ(out.event.channel, kHookChannel);
}

TEST_F(ClaudeHookHandlerTest, AnyEventOfAnUnknownSessionCreatesIt) {
  ASSERT_EQ(hook("PostToolUse", {{"session_id", "mid"}, {"tool_name", "Read"}, {"cwd", "/x"}}).verdict,
            Verdict::Accepted);
  const json s = session("mid");
  ASSERT_TRUE(s.is_object());
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["agent"], "pm");
  EXPECT_EQ(s["cwd"], "/x");
}

TEST_F(ClaudeHookHandlerTest, UnknownFutureEventIsAcceptedTouchesTheSessionAndIsLoggedOnce) {
  hook("UserPromptSubmit");
  const auto before = session()["last_activity"];
  for (int i = 0; i < 3; ++i) {
    const HookOutcome out = hook("TeammateIdle", {{"teammate_name", "ada"}});
    ASSERT_EQ(out.verdict, Verdict::Accepted);
    EXPECT_EQ(out.event.subtype, "teammate_idle");
  }
  EXPECT_EQ(session()["event_count"], 4);
  EXPECT_EQ(session()["activity"], "working");
  EXPECT_EQ(session()["status"], "active");
  std::size_t mentions = 0;
  for (const auto& l : host_.logs()) mentions += l.message.find("TeammateIdle") != std::string::npos;
  EXPECT_EQ(mentions, 1u);
}

TEST_F(ClaudeHookHandlerTest, NotificationOnlyMeansPermissionWhenItIsAPermissionPrompt) {
  hook("UserPromptSubmit");
  hook("Notification", {{"message", "Claude is waiting for your input"}, {"notification_type", "idle_prompt"}});
  EXPECT_EQ(session()["activity"], "waiting_for_input");
  hook("UserPromptSubmit");
  hook("Notification", {{"message", "Authentication succeeded"}, {"notification_type", "auth_success"}});
  EXPECT_EQ(session()["activity"], "working");
  hook("Notification", {{"message", "Claude needs your permission to use Bash"},
                        {"notification_type", "permission_prompt"}});
  EXPECT_EQ(session()["activity"], "waiting_for_permission");
  hook("PostToolUse", {{"tool_name", "Bash"}});
  EXPECT_EQ(session()["activity"], "working");
  // Claude Code versions before notification_type: only the message tells.
  hook("Notification", {{"message", "Claude needs your permission to use WebFetch"}});
  EXPECT_EQ(session()["activity"], "waiting_for_permission");
}

TEST_F(ClaudeHookHandlerTest, PermissionRequestStopFailureAndPostCompactRefineActivity) {
  hook("PermissionRequest", {{"tool_name", "Bash"}, {"tool_input", {{"command", "rm -rf build"}}}});
  EXPECT_EQ(session()["activity"], "waiting_for_permission");
  hook("PreCompact", {{"trigger", "manual"}, {"custom_instructions", "keep the API notes"}});
  EXPECT_EQ(session()["activity"], "compacting");
  hook("PostCompact", {{"trigger", "manual"}});
  EXPECT_EQ(session()["activity"], "waiting_for_input");
  hook("UserPromptSubmit");
  hook("StopFailure", {{"error", "rate_limit"}});
  EXPECT_EQ(session()["activity"], "waiting_for_input");
}

TEST_F(ClaudeHookHandlerTest, TaskResultEndsADelegationWhoseSubagentHooksAreNotConfigured) {
  hook("UserPromptSubmit");
  const json task = {{"tool_name", "Agent"}, {"tool_input", {{"subagent_type", "qa"}, {"prompt", "test it"}}}};
  hook("PreToolUse", task);
  EXPECT_EQ(session()["status"], "delegated");
  EXPECT_EQ(session()["agent"], "qa");
  hook("PostToolUse", task);
  EXPECT_EQ(session()["status"], "active");
  EXPECT_EQ(session()["agent"], "pm");
}

TEST_F(ClaudeHookHandlerTest, ParallelSubagentsEachEndWithTheirOwnStop) {
  hook("UserPromptSubmit");
  const json task = {{"tool_name", "Task"}, {"tool_input", {{"subagent_type", "research"}}}};
  hook("PreToolUse", task);
  hook("PreToolUse", task);
  hook("SubagentStart", {{"agent_id", "r1"}, {"agent_type", "research"}});
  hook("SubagentStart", {{"agent_id", "r2"}, {"agent_type", "research"}});
  ASSERT_EQ(session()["delegations"].size(), 2u);
  hook("SubagentStop", {{"agent_id", "r1"}, {"agent_type", "research"}});
  hook("PostToolUse", task);  // r1's Task result: must not end r2
  EXPECT_EQ(session()["status"], "delegated");
  EXPECT_EQ(count_delegations(session(), "running"), 1u);
  hook("SubagentStop", {{"agent_id", "r2"}, {"agent_type", "research"}});
  EXPECT_EQ(session()["status"], "active");
}

TEST_F(ClaudeHookHandlerTest, PromptAfterSessionEndStartsTheSessionAgain) {
  hook("SessionStart", {{"source", "startup"}});
  hook("SessionEnd", {{"reason", "clear"}});
  EXPECT_EQ(session()["status"], "completed");
  hook("Stop");  // late: changes nothing
  EXPECT_EQ(session()["activity"], "ended");
  hook("UserPromptSubmit", {{"prompt", "again"}});
  EXPECT_EQ(session()["status"], "active");
  EXPECT_EQ(session()["activity"], "working");
  hook("SessionStart", {{"source", "compact"}});
  EXPECT_EQ(session()["activity"], "working");
}

TEST_F(ClaudeHookHandlerTest, LegacyPythonFormsDriveSessionsToo) {
  send({{"type", "hook"}, {"event", "user_prompt"},
        {"data", {{"session_id", "py"}, {"prompt_text", "go"}, {"working_directory", "/p"}}}});
  EXPECT_EQ(session("py")["cwd"], "/p");
  send({{"type", "hook.pre_tool"},
        {"data", {{"session_id", "py"}, {"tool_name", "Task"}, {"delegation_details", {{"agent_type", "engineer"}}}}}});
  EXPECT_EQ(session("py")["status"], "delegated");
  EXPECT_EQ(session("py")["agent"], "engineer");
  send({{"type", "hook"}, {"subtype", "subagent_stop"}, {"session_id", "py"}, {"agent_type", "engineer"}});
  EXPECT_EQ(session("py")["status"], "active");
  send({{"type", "hook"}, {"event", "session_end"}, {"data", {{"session_id", "py"}}}});
  EXPECT_EQ(session("py")["status"], "completed");
}

TEST_F(ClaudeHookHandlerTest, IdenticalDeliveryWithinTheWindowIsADuplicateAndCountsOnce) {
  const std::string bytes = R"({"hook_event_name":"Stop","session_id":"s1","stop_hook_active":false})";
  const json raw = json::parse(bytes);
  EXPECT_EQ(send(raw, bytes).verdict, Verdict::Accepted);
  EXPECT_EQ(send(raw, bytes).verdict, Verdict::Duplicate);
  EXPECT_EQ(session()["event_count"], 1);
  // Without raw bytes (e.g. Socket.IO), the canonical dump identifies it.
  const json other = {{"hook_event_name", "Stop"}, {"session_id", "s2"}};
  EXPECT_EQ(send(other).verdict, Verdict::Accepted);
  EXPECT_EQ(send(other).verdict, Verdict::Duplicate);
  // A rejected event is not remembered as seen.
  const json bad = {{"hook_event_name", "Stop"}, {"session_id", 5}};
  EXPECT_EQ(send(bad).verdict, Verdict::Rejected);
  EXPECT_EQ(send(bad).verdict, Verdict::Rejected);
}

TEST_F(ClaudeHookHandlerTest, WithoutATrackerEventsAreStillNormalised) {
  host_.set_sessions(nullptr);
  const HookOutcome out = hook("SessionStart", {{"source", "startup"}});
  ASSERT_EQ(out.verdict, Verdict::Accepted);
  EXPECT_EQ(out.event.subtype, "session_start");
  EXPECT_EQ(tracker_->size(), 0u);
}

TEST_F(ClaudeHookHandlerTest, RejectionsAndForeignEventsLeaveSessionsAlone) {
  EXPECT_EQ(send({{"session_id", "s1"}, {"cwd", "/w"}}).verdict, Verdict::Rejected);
  EXPECT_EQ(send({{"type", "custom"}, {"session_id", "s1"}}).verdict, Verdict::NotMine);
  EXPECT_EQ(tracker_->size(), 0u);
}

}  // namespace
}  // namespace hookbroker::claude
