// ClaudeHookHandler on a FakeHost with the real in-memory tracker: what each
// Claude Code event does to its session, and what is broadcast.
#include <gtest/gtest.h>

#include "claude_hook_handler.hpp"
#include "hook_fixtures.hpp"
#include "session_expectations.hpp"
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
        handler_(std::make_unique<ClaudeHookHandler>(host_, HandlerOptions::from_config(with_defaults(HandlerOptions::table())))) {
    host_.set_sessions(tracker_.get());
  }

  void use_options(const json& config) {
    handler_ = std::make_unique<ClaudeHookHandler>(host_, HandlerOptions::from_config(with_defaults(HandlerOptions::table(), config)));
  }

  HookOutcome send(const json& raw, const std::string& raw_bytes = "") {
    IngestContext context;
    context.received_at = "2026-11-25T10:00:00.000Z";
    context.raw_bytes = raw_bytes;
    return handler_->handle(raw, context);
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
  std::unique_ptr<ClaudeHookHandler> handler_;
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

// Issue 14, acceptance 1: a modern session (background subagent, a turn
// that ends while it runs, a failed call inside it, a rate limit, an MCP
// elicitation), from payloads built after the hooks reference, not from our
// own output. After every step the session tells the truth.
TEST_F(ClaudeHookHandlerTest, BackgroundSubagentLifecycleGivesTheRightAgentsToolsAndActivityAfterEveryStep) {
  const json fixture = load_hook_fixture("claude_code_background_lifecycle.json");
  const std::string id = fixture["session_id"];
  std::uint64_t events = 0;
  for (const auto& step : fixture["steps"]) {
    SCOPED_TRACE(step["step"].get<std::string>());
    const HookOutcome out = send(step["event"]);
    ASSERT_EQ(out.verdict, Verdict::Accepted) << out.error;
    const json s = session(id);
    EXPECT_EQ(s["event_count"], ++events);
    const auto mismatches = hook_fixtures::session_mismatches(s, step["expect"]);
    EXPECT_TRUE(mismatches.empty()) << hook_fixtures::joined(mismatches) << "\nsession: " << s.dump(2);
  }
}

TEST_F(ClaudeHookHandlerTest, ASubagentIsBoundToItsLaunchWhateverOrderItsHooksArriveIn) {
  hook("UserPromptSubmit");
  const json call = {{"tool_name", "Agent"}, {"tool_input", {{"subagent_type", "Explore"}}}};
  json first = call, second = call;
  first["tool_use_id"] = "toolu_A";
  second["tool_use_id"] = "toolu_B";
  hook("PreToolUse", first);
  hook("PreToolUse", second);
  // B's subagent starts first: taken for the oldest launch (A) until B's answer says otherwise.
  hook("SubagentStart", {{"agent_id", "agent-b"}, {"agent_type", "Explore"}});
  json answer_b = second;
  answer_b["tool_response"] = {{"status", "async_launched"}, {"agentId", "agent-b"}};
  hook("PostToolUse", answer_b);
  // A's answer comes before its SubagentStart.
  json answer_a = first;
  answer_a["tool_response"] = {{"status", "async_launched"}, {"agentId", "agent-a"}};
  hook("PostToolUse", answer_a);
  hook("SubagentStart", {{"agent_id", "agent-a"}, {"agent_type", "Explore"}});

  const json agents = session()["agents"];
  ASSERT_EQ(agents.size(), 3u) << agents.dump(2);  // main + two, no stray launch
  std::map<std::string, std::string> call_of;
  for (const auto& a : agents)
    if (!a["main"].get<bool>()) call_of[a["agent_id"].get<std::string>()] = a["tool_use_id"].get<std::string>();
  EXPECT_EQ(call_of, (std::map<std::string, std::string>{{"agent-a", "toolu_A"}, {"agent-b", "toolu_B"}}));
  EXPECT_EQ(session()["background_running"], 2);
}

TEST_F(ClaudeHookHandlerTest, ANestedSubagentPointsAtTheSubagentThatLaunchedIt) {
  hook("PreToolUse", {{"tool_name", "Agent"}, {"tool_use_id", "toolu_outer"}, {"tool_input", {{"subagent_type", "Plan"}}}});
  hook("SubagentStart", {{"agent_id", "outer"}, {"agent_type", "Plan"}});
  hook("PreToolUse", {{"tool_name", "Agent"}, {"tool_use_id", "toolu_inner"}, {"agent_id", "outer"},
                      {"agent_type", "Plan"}, {"tool_input", {{"subagent_type", "Explore"}}}});
  hook("SubagentStart", {{"agent_id", "inner"}, {"agent_type", "Explore"}});
  const json agents = session()["agents"];
  ASSERT_EQ(agents.size(), 3u);
  EXPECT_TRUE(agents[1]["parent_agent_id"].is_null());
  EXPECT_EQ(agents[2]["agent_id"], "inner");
  EXPECT_EQ(agents[2]["parent_agent_id"], "outer");
  EXPECT_EQ(agents[2]["tool_use_id"], "toolu_inner");
}

TEST_F(ClaudeHookHandlerTest, APermissionPromptInsideASubagentIsThatSubagentsWaitNotTheMainThreads) {
  hook("UserPromptSubmit");
  hook("SubagentStart", {{"agent_id", "bg"}, {"agent_type", "general-purpose"}});
  hook("Stop", {{"last_assistant_message", "Working on it in the background."}});
  ASSERT_EQ(session()["activity"], "waiting_for_input");
  const json sub = {{"agent_id", "bg"}, {"agent_type", "general-purpose"}, {"tool_name", "Bash"}};
  json pre = sub;
  pre["tool_use_id"] = "toolu_rm";
  hook("PreToolUse", pre);
  hook("PermissionRequest", sub);  // carries no tool_use_id
  EXPECT_EQ(session()["activity"], "waiting_for_permission");
  EXPECT_EQ(session()["tools"]["in_flight"][0]["awaiting_permission"], true);
  // Notification names no agent: it is the subagent's prompt, still.
  hook("Notification", {{"message", "Claude needs your permission to use Bash"}, {"notification_type", "permission_prompt"}});
  EXPECT_EQ(session()["agents"][0]["activity"], "waiting_for_input");
  json post = pre;
  post["duration_ms"] = 20;
  hook("PostToolUse", post);
  EXPECT_EQ(session()["activity"], "waiting_for_input") << "the user was asked and answered; the main thread still waits";
}

TEST_F(ClaudeHookHandlerTest, CallsLeftOpenByATurnEndAsInterruptedOrDeniedAndALateResultStillCounts) {
  hook("UserPromptSubmit");
  hook("PreToolUse", {{"tool_name", "Bash"}, {"tool_use_id", "toolu_esc"}});
  hook("PreToolUse", {{"tool_name", "Write"}, {"tool_use_id", "toolu_perm"}});
  hook("PermissionRequest", {{"tool_name", "Write"}});
  hook("PreToolUse", {{"tool_name", "Read"}, {"tool_use_id", "toolu_late"}});
  hook("Stop");
  json recent = session()["tools"]["recent"];
  ASSERT_EQ(recent.size(), 3u);
  std::map<std::string, std::string> outcome;
  for (const auto& c : recent) outcome[c["tool_use_id"]] = c["outcome"];
  EXPECT_EQ(outcome, (std::map<std::string, std::string>{
                         {"toolu_esc", "interrupted"}, {"toolu_perm", "denied"}, {"toolu_late", "interrupted"}}));
  // Hooks are separate processes: Read's result may come after the Stop.
  hook("PostToolUse", {{"tool_name", "Read"}, {"tool_use_id", "toolu_late"}, {"duration_ms", 3}});
  recent = session()["tools"]["recent"];
  ASSERT_EQ(recent.size(), 3u);
  for (const auto& c : recent)
    if (c["tool_use_id"] == "toolu_late") {
      EXPECT_EQ(c["outcome"], "ok");
      EXPECT_FALSE(c.contains("inferred"));
      EXPECT_EQ(c["duration_ms"], 3);
    }
  EXPECT_EQ(session()["tools"]["by_tool"]["Read"], (json{{"calls", 1}, {"failed", 0}, {"denied", 0}, {"interrupted", 0}, {"total_ms", 3.0}}));
}

TEST_F(ClaudeHookHandlerTest, PermissionDeniedBatchesAndInterruptsAreRecorded) {
  hook("PreToolUse", {{"tool_name", "Bash"}, {"tool_use_id", "t1"}});
  hook("PermissionDenied", {{"tool_name", "Bash"}, {"tool_use_id", "t1"}, {"reason", "[Irreversible Local Destruction]"}});
  hook("PreToolUse", {{"tool_name", "Bash"}, {"tool_use_id", "t2"}});
  hook("PostToolUseFailure", {{"tool_name", "Bash"}, {"tool_use_id", "t2"}, {"error", "aborted"}, {"is_interrupt", true}});
  hook("PostToolBatch", {{"tool_calls", json::array({{{"tool_name", "Bash"}, {"tool_use_id", "t2"}}})}});
  const json tools = session()["tools"];
  EXPECT_EQ(tools["recent"][1]["outcome"], "denied");
  EXPECT_EQ(tools["recent"][1]["error"], "[Irreversible Local Destruction]");
  EXPECT_EQ(tools["recent"][0]["outcome"], "interrupted");
  EXPECT_EQ(tools["batches"], 1);
  EXPECT_EQ(tools["by_tool"]["Bash"]["denied"], 1);
  EXPECT_EQ(tools["by_tool"]["Bash"]["interrupted"], 1);
}

TEST_F(ClaudeHookHandlerTest, SessionFactsComeFromTheirEvents) {
  hook("SessionStart", {{"source", "resume"}, {"model", "claude-opus-5"}, {"agent_type", "reviewer"}});
  hook("UserPromptSubmit", {{"prompt", "Review the diff"}, {"session_title", "review"}});
  hook("PostModelSwitch", {{"from_model", "claude-opus-5"}, {"to_model", "claude-sonnet-5"}, {"source", "command"}});
  hook("SessionEnd", {{"reason", "logout"}});
  const json s = session();
  EXPECT_EQ(s["model"], "claude-sonnet-5");
  EXPECT_EQ(s["title"], "review");
  EXPECT_EQ(s["start_source"], "resume");
  EXPECT_EQ(s["end_reason"], "logout");
  EXPECT_EQ(s["prompt_count"], 1);
  EXPECT_EQ(s["last_prompt"], "Review the diff");
  EXPECT_EQ(s["agents"][0]["agent_type"], "reviewer");  // claude --agent reviewer
  EXPECT_EQ(s["agents"][0]["status"], "completed");
}

TEST_F(ClaudeHookHandlerTest, InternalAgentsStopsAndLateEventsDoNotInventSubagents) {
  hook("UserPromptSubmit");
  // Claude Code's own agents (prompt suggestions, /btw) stop with an empty agent_type.
  hook("SubagentStop", {{"agent_id", "internal-1"}, {"agent_type", ""}, {"last_assistant_message", "suggestion"}});
  EXPECT_EQ(session()["agents"].size(), 1u);
  hook("SessionEnd", {{"reason", "other"}});
  hook("PostToolUse", {{"tool_name", "Read"}, {"agent_id", "ghost"}, {"agent_type", "Explore"}});
  EXPECT_EQ(session()["agents"].size(), 1u);
  EXPECT_EQ(session()["activity"], "ended");
}

TEST_F(ClaudeHookHandlerTest, RedactPromptsDropsPromptTextFromTheBroadcastAndTheSession) {
  use_options({{"redact_prompts", true}});
  HookOutcome out = hook("UserPromptSubmit", {{"prompt", "my secret plan"}});
  ASSERT_EQ(out.verdict, Verdict::Accepted);
  EXPECT_EQ(out.event.data["prompt"], "[redacted]");
  EXPECT_EQ(session()["prompt_count"], 1);
  EXPECT_TRUE(session()["last_prompt"].is_null());
  out = hook("PreToolUse", {{"tool_name", "Agent"}, {"tool_use_id", "t"},
                            {"tool_input", {{"subagent_type", "Explore"}, {"prompt", "secret task"}, {"description", "d"}}}});
  EXPECT_EQ(out.event.data["tool_input"]["prompt"], "[redacted]");
  EXPECT_EQ(out.event.data["tool_input"]["description"], "d");
  out = hook("UserPromptExpansion", {{"prompt", "/deploy prod"}, {"command_name", "deploy"}, {"command_args", "prod"}});
  EXPECT_EQ(out.event.data["prompt"], "[redacted]");
  EXPECT_EQ(out.event.data["command_args"], "[redacted]");
  EXPECT_EQ(out.event.data["command_name"], "deploy");
  out = hook("Stop", {{"session_crons", json::array({{{"id", "c"}, {"prompt", "nightly secret"}}})}});
  EXPECT_EQ(out.event.data["session_crons"][0]["prompt"], "[redacted]");
  EXPECT_EQ(session().dump().find("secret"), std::string::npos) << session().dump();
}

/// A tracker that does not take changes: apply() keeps its default, false.
class TrackerWithoutApply final : public SessionTracker {
 public:
  explicit TrackerWithoutApply(SessionTracker& t) : t_(t) {}
  void touch(const SessionActivity& a) override { t_.touch(a); }
  void start(const std::string& id, const std::string& agent) override { t_.start(id, agent); }
  bool delegate(const std::string& id, const std::string& type, const std::string& agent_id) override {
    return t_.delegate(id, type, agent_id);
  }
  bool complete_delegation(const std::string& id, const std::string& agent_id, const std::string& type) override {
    return t_.complete_delegation(id, agent_id, type);
  }
  bool set_activity(const std::string& id, const std::string& a) override { return t_.set_activity(id, a); }
  bool end(const std::string& id) override { return t_.end(id); }
  json list(std::size_t limit) const override { return t_.list(limit); }
  json find(const std::string& id) const override { return t_.find(id); }
  std::size_t size() const override { return t_.size(); }

 private:
  SessionTracker& t_;
};

TEST_F(ClaudeHookHandlerTest, ATrackerWithoutApplyStillGetsTheRecordedLifecycleThroughTheOlderCalls) {
  TrackerWithoutApply old(*tracker_);
  host_.set_sessions(&old);
  const json fixture = load_hook_fixture("claude_code_session_lifecycle.json");
  const std::string id = fixture["session_id"];
  for (const auto& step : fixture["steps"]) {
    SCOPED_TRACE(step["step"].get<std::string>());
    ASSERT_EQ(send(step["event"]).verdict, Verdict::Accepted);
    const json s = session(id);
    EXPECT_EQ(s["status"], step["expect"]["status"]);
    EXPECT_EQ(s["agent"], step["expect"]["agent"]);
    EXPECT_EQ(s["activity"], step["expect"]["activity"]);
  }
  EXPECT_TRUE(session(id)["tools"]["recent"].empty()) << "the older calls carry no tool calls";
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

TEST_F(ClaudeHookHandlerTest, AnEventFromAnotherClusterNodeNamesItsNodeOnTheSession) {
  // What HostApi::ingest_from_node hands over: the origin's broadcast JSON.
  const json remote = {{"type", "hook"},          {"subtype", "pre_tool"}, {"timestamp", "2026-11-25T09:00:00.000Z"},
                       {"session_id", "far"},     {"source", "hook"},      {"node", "laptop-2"},
                       {"data", {{"hook_event_name", "PreToolUse"}, {"session_id", "far"}, {"tool_name", "Bash"},
                                 {"tool_use_id", "t1"}}}};
  ASSERT_EQ(send(remote).verdict, Verdict::Accepted);
  EXPECT_EQ(session("far")["node"], "laptop-2");
  ASSERT_EQ(hook("PreToolUse", {{"session_id", "near"}, {"tool_name", "Read"}}).verdict, Verdict::Accepted);
  EXPECT_FALSE(session("near").contains("node")) << "this broker's own session";
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
  // The turn ended on an API error: the session says so, and which (issue 14).
  hook("StopFailure", {{"error", "rate_limit"}, {"error_details", "429 Too Many Requests"}});
  EXPECT_EQ(session()["activity"], "error");
  EXPECT_EQ(session()["last_error"]["type"], "rate_limit");
  EXPECT_EQ(session()["last_error"]["details"], "429 Too Many Requests");
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
