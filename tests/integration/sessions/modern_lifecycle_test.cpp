// Issue 14, acceptance 1, against the real broker: a recorded modern Claude
// Code lifecycle (a background subagent with tool calls, a main turn that
// ends while it runs, a failed Bash call inside it, SubagentStop, a
// rate-limited turn, an MCP elicitation, SessionEnd), posted step by step to
// POST /api/events. After every step GET /api/sessions/{id} and the
// Socket.IO request get_session show the agents, tool calls and activity the
// fixture expects, and agree with each other. The payloads are built after
// Claude Code's hooks reference (see the fixture's "source"), not from the
// broker's own output.
#include <gtest/gtest.h>

#include "hook_fixtures.hpp"
#include "plugin_broker.hpp"
#include "session_expectations.hpp"
#include "socketio_broker.hpp"
#include "socketio_calls.hpp"

namespace {

using nlohmann::json;

json get_session_http(int port, const std::string& id, int& status) {
  const auto r = sio_it::http(port, "GET", "/api/sessions/" + id);
  status = r.status;
  return json::parse(r.body, nullptr, false);
}

TEST(ModernSessions, BackgroundSubagentLifecycleShowsTheRightStateAfterEveryStep) {
  plugins_it::PluginBroker broker({});
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  auto ws = sio_it::connected_ws(port);
  ASSERT_TRUE(ws);

  const json fixture = load_hook_fixture("claude_code_background_lifecycle.json");
  const std::string id = fixture["session_id"];
  std::size_t n = 0;
  for (const auto& step : fixture["steps"]) {
    ++n;
    SCOPED_TRACE("step " + std::to_string(n) + ": " + step["step"].get<std::string>());
    const auto posted = sio_it::http(port, "POST", "/api/events", step["event"].dump());
    ASSERT_EQ(posted.status, 204) << posted.body << posted.error;

    int status = 0;
    const json answer = get_session_http(port, id, status);
    ASSERT_EQ(status, 200) << answer.dump();
    const json& session = answer["session"];
    EXPECT_EQ(session["event_count"], n);
    const auto mismatches = hook_fixtures::session_mismatches(session, step["expect"]);
    EXPECT_TRUE(mismatches.empty()) << hook_fixtures::joined(mismatches) << "\nsession: " << session.dump(2);

    const auto ack = plugins_it::emit_with_ack(*ws, "get_session", json::array({{{"session_id", id}}}));
    ASSERT_TRUE(ack.has_value()) << broker.output();
    EXPECT_EQ((*ack)[0]["session"], session) << "Socket.IO and HTTP tell the same state";
  }
  EXPECT_EQ(broker.process().stop(), 0);
}

TEST(ModernSessions, UnknownAndMalformedIdsAreAnsweredWithJsonErrors) {
  plugins_it::PluginBroker broker({});
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  int code = 0;
  json answer = get_session_http(port, "no-such-session", code);
  EXPECT_EQ(code, 404);
  EXPECT_NE(answer.value("error", "").find("unknown session 'no-such-session'"), std::string::npos) << answer.dump();
  answer = get_session_http(port, std::string(300, 'x'), code);
  EXPECT_EQ(code, 400);
  EXPECT_TRUE(answer.contains("error"));

  auto ws = sio_it::connected_ws(port);
  ASSERT_TRUE(ws);
  auto ack = plugins_it::emit_with_ack(*ws, "get_session", json::array({"no-such-session"}));
  ASSERT_TRUE(ack.has_value());
  EXPECT_NE((*ack)[0].value("error", "").find("unknown session"), std::string::npos);
  ack = plugins_it::emit_with_ack(*ws, "get_session", json::array({{{"id", 3}}}));
  ASSERT_TRUE(ack.has_value());
  EXPECT_NE((*ack)[0].value("error", "").find("get_session needs the session's id"), std::string::npos);

  // The list stays compact: no agents or tool calls.
  const json start = {{"hook_event_name", "PreToolUse"}, {"session_id", "s1"}, {"tool_name", "Read"},
                      {"tool_use_id", "toolu_1"}};
  ASSERT_EQ(sio_it::http(port, "POST", "/api/events", start.dump()).status, 204);
  const auto list = json::parse(sio_it::http(port, "GET", "/api/sessions").body);
  ASSERT_EQ(list["sessions"].size(), 1u);
  EXPECT_FALSE(list["sessions"][0].contains("agents"));
  EXPECT_FALSE(list["sessions"][0].contains("tools"));
  EXPECT_EQ(list["sessions"][0]["activity"], "working");
  int status = 0;
  EXPECT_EQ(get_session_http(port, "s1", status)["session"]["tool_calls"]["in_flight"], 1);
}

}  // namespace
