// A recorded Claude Code session replayed into the real broker one event at a
// time (transport_jsonl reading a FIFO); after each event the next heartbeat
// must show the state the fixture expects.
#include <gtest/gtest.h>

#include "broker_process.hpp"
#include "fed_broker.hpp"
#include "hook_fixtures.hpp"
#include "json_lines.hpp"
#include "session_broker.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

TEST(SessionLifecycleJsonl, EachStepShowsInTheNextHeartbeat) {
  const json fixture = load_hook_fixture("claude_code_session_lifecycle.json");
  const std::string id = fixture["session_id"];
  sessions_it::FedBroker fed("0.1");
  ASSERT_TRUE(fed.connected()) << fed.broker().output();
  auto& broker = fed.broker();
  const std::string& bus = fed.bus();

  std::size_t step_number = 0;
  for (const auto& step : fixture["steps"]) {
    ++step_number;
    SCOPED_TRACE("step " + std::to_string(step_number) + ": " + step["step"].get<std::string>());
    fed.send(step["event"]);
    const json hb = sessions_it::wait_for_heartbeat(
        bus, [&](const json& d) { return d.value("total_events", 0u) == step_number; }, 5s);
    ASSERT_TRUE(hb.is_object()) << "no heartbeat counted the event\n" << broker.output();
    const json s = sessions_it::session_in(hb, id);
    ASSERT_TRUE(s.is_object()) << hb.dump();
    const json& expect = step["expect"];
    EXPECT_EQ(s["status"], expect["status"]);
    EXPECT_EQ(s["agent"], expect["agent"]);
    EXPECT_EQ(s["activity"], expect["activity"]);
    EXPECT_EQ(sessions_it::delegations_with(s, "running"), expect["delegations_running"].get<std::size_t>());
    EXPECT_EQ(s["event_count"], step_number);
    EXPECT_EQ(s["cwd"], "/home/dev/src/webshop");
    EXPECT_EQ(hb["sessions_summary"]["total"], 1);
  }

  // Every event went out once as a normalised claude_event.
  const auto events = hbtest::broadcasts(bus, "claude_event");
  ASSERT_EQ(events.size(), fixture["steps"].size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]["type"], "hook");
    EXPECT_EQ(events[i]["source"], "hook");
    EXPECT_EQ(events[i]["session_id"], id);
    EXPECT_EQ(events[i]["data"], fixture["steps"][i]["event"]);
  }
  EXPECT_EQ(events.front()["subtype"], "session_start");
  EXPECT_EQ(events[4]["subtype"], "pre_tool");
  EXPECT_EQ(events[13]["subtype"], "pre_compact");
  EXPECT_EQ(events.back()["subtype"], "session_end");

  EXPECT_TRUE(broker.wait_for_log(sessions_it::heartbeat_log_line("0", "16", "1"), 5s)) << broker.output();
  EXPECT_EQ(fed.stop(), 0) << broker.output();
}

TEST(SessionLifecycleJsonl, EveryInputFormLeavesTheSameState) {
  const json fixture = load_hook_fixture("equivalent_forms.json");
  sessions_it::FedBroker fed("0.1");
  ASSERT_TRUE(fed.connected()) << fed.broker().output();
  auto& broker = fed.broker();
  const std::string& bus = fed.bus();

  std::size_t n = 0;
  for (const auto& form : fixture["forms"]) {
    SCOPED_TRACE(form["form"].get<std::string>());
    // Each form in its own session, so each must do the delegation itself.
    json body = form["body"];
    const std::string id = "form-" + std::to_string(++n);
    json* holder = &body;
    if (body.contains("namespace")) holder = &body["data"];
    if (holder->contains("data") && (*holder)["data"].is_object()) holder = &(*holder)["data"];
    (*holder)["session_id"] = id;
    fed.send(body);
    const json hb = sessions_it::wait_for_heartbeat(
        bus, [&](const json& d) { return d.value("total_events", 0u) == n; }, 5s);
    ASSERT_TRUE(hb.is_object()) << broker.output();
    const json s = sessions_it::session_in(hb, id);
    ASSERT_TRUE(s.is_object()) << hb.dump();
    EXPECT_EQ(s["status"], "delegated");
    EXPECT_EQ(s["agent"], fixture["delegated_to"]);
    const auto events = hbtest::broadcasts(bus, "claude_event");
    ASSERT_EQ(events.size(), n);
    EXPECT_EQ(events.back()["subtype"], fixture["subtype"]);
    EXPECT_EQ(events.back()["session_id"], id);
  }
  EXPECT_EQ(fed.stop(), 0);
}

}  // namespace
