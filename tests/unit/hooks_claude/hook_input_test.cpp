// Which inputs are Claude Code hook events, and what each form yields.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "hook_fixtures.hpp"
#include "hook_input.hpp"

namespace hookbroker::claude {
namespace {

using nlohmann::json;
using Kind = HookInput::Kind;

TEST(HookInput, EveryAcceptedFormYieldsTheSameEvent) {
  const json fixture = load_hook_fixture("equivalent_forms.json");
  for (const auto& form : fixture["forms"]) {
    SCOPED_TRACE(form["form"].get<std::string>());
    const HookInput in = read_hook_input(form["body"]);
    ASSERT_EQ(in.kind, Kind::Hook) << in.error;
    EXPECT_EQ(in.event_name, "PreToolUse");
    EXPECT_EQ(in.subtype, fixture["subtype"]);
    EXPECT_EQ(in.session_id, fixture["session_id"]);
    EXPECT_EQ(in.payload.value("tool_name", ""), "Task");
    EXPECT_FALSE(in.payload.contains("type"));
    EXPECT_FALSE(in.payload.contains("subtype"));
  }
}

TEST(HookInput, RawFormKeepsTheWholePayload) {
  const json raw = {{"hook_event_name", "Stop"}, {"session_id", "s1"}, {"stop_hook_active", false}};
  const HookInput in = read_hook_input(raw);
  ASSERT_EQ(in.kind, Kind::Hook);
  EXPECT_EQ(in.payload, raw);
  EXPECT_FALSE(in.legacy);
}

TEST(HookInput, UnknownFutureEventsAreHooksWithASnakeCaseSubtype) {
  const HookInput in = read_hook_input({{"hook_event_name", "TeammateIdle"}, {"session_id", "s1"}});
  ASSERT_EQ(in.kind, Kind::Hook);
  EXPECT_EQ(in.event_name, "TeammateIdle");
  EXPECT_EQ(in.subtype, "teammate_idle");
}

TEST(HookInput, LegacyCamelCaseNameIsAnEventName) {
  const HookInput in = read_hook_input({{"type", "hook"}, {"event", "PreCompact"}, {"data", {{"session_id", "s1"}}}});
  ASSERT_EQ(in.kind, Kind::Hook);
  EXPECT_EQ(in.event_name, "PreCompact");
  EXPECT_EQ(in.subtype, "pre_compact");
}

TEST(HookInput, LegacyFormWithoutSessionIsStillAHook) {
  const HookInput in = read_hook_input({{"type", "hook.notification"}, {"data", {{"message", "hi"}}}});
  ASSERT_EQ(in.kind, Kind::Hook);
  EXPECT_EQ(in.session_id, "");
  EXPECT_EQ(in.event_name, "Notification");
}

TEST(HookInput, EveryKindClaudeMpmsSenderPostsIsAHookWithClaudeCodesNames) {
  const json fixture = load_hook_fixture("claude_mpm_sender_lifecycle.json");
  const std::map<std::string, std::string> event_for = {
      {"session_start", "SessionStart"}, {"user_prompt", "UserPromptSubmit"}, {"pre_tool", "PreToolUse"},
      {"post_tool", "PostToolUse"},      {"subagent_start", "SubagentStart"}, {"subagent_stop", "SubagentStop"},
      {"stop", "Stop"},                  {"todo_updated", ""},                 {"hook_execution", ""}};
  std::set<std::string> kinds;
  for (const auto& step : fixture["steps"]) {
    SCOPED_TRACE(step["step"].get<std::string>());
    const json& body = step["event"];
    ASSERT_EQ(body["namespace"], "");
    const std::string subtype = body["data"]["subtype"];
    kinds.insert(subtype);
    const HookInput in = read_hook_input(body);
    ASSERT_EQ(in.kind, Kind::Hook) << in.error;
    EXPECT_TRUE(in.legacy);
    EXPECT_EQ(in.subtype, subtype);
    EXPECT_EQ(in.session_id, fixture["session_id"]);
    if (body["data"]["data"].contains("working_directory")) {
      EXPECT_EQ(in.payload["cwd"], fixture["cwd"]) << "Claude Code's name for working_directory";
    }
    const bool echo = body["data"]["data"].value("agent_id", "") == "engineer_" + fixture["session_id"].get<std::string>();
    EXPECT_EQ(in.event_name, echo ? "" : event_for.at(subtype));
    if (!in.event_name.empty()) {
      EXPECT_EQ(in.payload["hook_event_name"], in.event_name);
    }
  }
  EXPECT_EQ(kinds.size(), 9u) << "all nine kinds claude-mpm sends";
}

TEST(HookInput, TheEnvelopeIsReadWhateverItsNamespace) {
  const json data = {{"type", "hook"}, {"subtype", "stop"}, {"data", {{"session_id", "s1"}}}};
  for (const char* ns : {"", "hook", "/hook", "claude"}) {
    const HookInput in = read_hook_input({{"namespace", ns}, {"event", "claude_event"}, {"data", data}});
    EXPECT_EQ(in.kind, Kind::Hook) << ns << ": " << in.error;
    EXPECT_EQ(in.event_name, "Stop");
  }
  const HookInput empty = read_hook_input({{"namespace", ""}, {"event", "claude_event"}, {"data", json::object()}});
  EXPECT_EQ(empty.kind, Kind::Rejected);
  EXPECT_NE(empty.error.find("hook_event_name"), std::string::npos);
}

TEST(HookInput, OtherFormsAreNotMine) {
  for (const json& raw : {json::array(), json("Stop"), json(42), json::object(),
                          json{{"type", "system"}, {"event", "ping"}},
                          json{{"type", "custom"}, {"session_id", "s1"}},
                          json{{"namespace", "other"}, {"data", json::object()}}})
    EXPECT_EQ(read_hook_input(raw).kind, Kind::NotMine) << raw.dump();
}

struct BadCase {
  json raw;
  std::string error_part;
};

TEST(HookInput, MalformedHooksAreRejectedSayingWhatIsWrong) {
  const std::vector<BadCase> cases = {
      {{{"session_id", 42}, {"hook_event_name", "Stop"}}, "\"session_id\" must be a string"},
      {{{"session_id", "s1"}, {"cwd", "/w"}}, "missing \"hook_event_name\""},
      {{{"hook_event_name", "Stop"}}, "missing \"session_id\""},
      {{{"hook_event_name", "Stop"}, {"session_id", ""}}, "\"session_id\" is empty"},
      {{{"hook_event_name", "Stop"}, {"session_id", std::string(300, 'x')}}, "longer than 256"},
      {{{"hook_event_name", 7}, {"session_id", "s1"}}, "\"hook_event_name\" must name"},
      {{{"hook_event_name", "Stop; rm -rf"}, {"session_id", "s1"}}, "\"hook_event_name\" must name"},
      {{{"type", "hook"}, {"data", {{"session_id", "s1"}}}}, "needs \"subtype\" or \"event\""},
      {{{"type", "hook"}, {"event", "pre_tool"}, {"data", "text"}}, "\"data\" of a hook event must be an object"},
      {{{"type", "hook.pre tool"}}, "is not a hook name"},
      {{{"type", "hook"}, {"event", "stop"}, {"data", {{"session_id", json::array()}}}},
       "\"session_id\" must be a string"},
      {{{"namespace", "hook"}, {"event", "claude_event"}, {"data", {{"session_id", "s1"}}}},
       "missing \"hook_event_name\" in the envelope"},
      {{{"namespace", "hook"}, {"event", "claude_event"}, {"data", "x"}}, "needs \"data\": an object"},
      {{{"namespace", "hook"}, {"event", "other"}, {"data", json::object()}}, "\"event\": \"claude_event\""},
  };
  for (const auto& c : cases) {
    const HookInput in = read_hook_input(c.raw);
    EXPECT_EQ(in.kind, Kind::Rejected) << c.raw.dump();
    EXPECT_NE(in.error.find(c.error_part), std::string::npos) << in.error << " / " << c.raw.dump();
  }
}

}  // namespace
}  // namespace hookbroker::claude
