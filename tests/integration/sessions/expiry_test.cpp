// Session expiry, completed grace and the session cap, through the real
// broker: the tracker's own timer, not the heartbeat, removes sessions.
#include <gtest/gtest.h>

#include "broker_process.hpp"
#include "fed_broker.hpp"
#include "json_lines.hpp"
#include "session_broker.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json hook(const std::string& event, const std::string& session, int seq) {
  return {{"hook_event_name", event}, {"session_id", session}, {"cwd", "/w"}, {"seq", seq}};
}

TEST(SessionExpiry, TheTrackersOwnTimerExpiresIdleSessionsWithoutAnyHeartbeat) {
  // Heartbeats an hour apart: only the tracker's own timer can expire anything.
  sessions_it::FedBroker fed("3600", {"--set", "plugins.sessions_memory.config.expire_after_s=1"});
  ASSERT_TRUE(fed.connected()) << fed.broker().output();
  auto& broker = fed.broker();
  const std::string& bus = fed.bus();
  const auto sent = std::chrono::steady_clock::now();
  fed.send(hook("UserPromptSubmit", "lonely", 1));
  ASSERT_TRUE(broker.wait_for_log("expired 1 idle session\\(s\\) \\(no activity for expire_after_s=1\\)", 5s))
      << broker.output();
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 1s);
  EXPECT_TRUE(hbtest::broadcasts(bus, "system_event", "heartbeat").empty()) << "no heartbeat was involved";
  EXPECT_EQ(fed.stop(), 0);
}

TEST(SessionExpiry, ExpiryIsMeasuredFromLastActivityNotFromStart) {
  sessions_it::FedBroker fed("0.2", {"--set", "plugins.sessions_memory.config.expire_after_s=1.5"});
  ASSERT_TRUE(fed.connected()) << fed.broker().output();
  auto& broker = fed.broker();
  const std::string& bus = fed.bus();
  const auto started = std::chrono::steady_clock::now();
  fed.send(hook("UserPromptSubmit", "idle", 1));
  fed.send(hook("UserPromptSubmit", "busy", 2));
  // Three heartbeats later (about 0.6 s, well inside expire_after_s), busy acts again.
  std::size_t beats_then = 0;
  const json both = sessions_it::wait_for_heartbeat(
      bus,
      [&](const json& d) {
        if (d["total_events"] != 2) return false;
        return ++beats_then == 3;
      },
      5s);
  ASSERT_TRUE(both.is_object()) << broker.output();
  ASSERT_TRUE(sessions_it::session_in(both, "idle").is_object());
  const auto busy_touched = std::chrono::steady_clock::now();
  fed.send(hook("PreToolUse", "busy", 3));

  const json idle_gone = sessions_it::wait_for_heartbeat(
      bus, [](const json& d) { return d["total_events"] == 3 && !sessions_it::session_in(d, "idle").is_object(); },
      5s);
  ASSERT_TRUE(idle_gone.is_object()) << broker.output();
  EXPECT_GE(std::chrono::steady_clock::now() - started, 1500ms);
  EXPECT_TRUE(sessions_it::session_in(idle_gone, "busy").is_object())
      << "busy was active since: it must outlive idle";

  const json all_gone = sessions_it::wait_for_heartbeat(
      bus, [](const json& d) { return d["total_events"] == 3 && d["active_sessions"].empty(); }, 5s);
  ASSERT_TRUE(all_gone.is_object()) << broker.output();
  EXPECT_GE(std::chrono::steady_clock::now() - busy_touched, 1500ms);
  EXPECT_EQ(fed.stop(), 0);
}

TEST(SessionExpiry, HeartbeatsStopListingAnExpiredSession) {
  hbtest::TempDir dir;
  const std::string bus = dir.file("bus.jsonl"), input = dir.file("in.jsonl");
  hbtest::write_file(input, hook("SessionStart", "short-lived", 1).dump() + "\n");
  hbtest::BrokerProcess broker(sessions_it::broker_args(
      bus, input, "0.2", {"--set", "plugins.sessions_memory.config.expire_after_s=1"}));
  const json listed = sessions_it::wait_for_heartbeat(
      bus, [](const json& d) { return sessions_it::session_in(d, "short-lived").is_object(); }, 5s);
  ASSERT_TRUE(listed.is_object()) << broker.output();
  const json gone = sessions_it::wait_for_heartbeat(
      bus, [](const json& d) { return d["active_sessions"].empty() && d["total_events"] == 1; }, 5s);
  ASSERT_TRUE(gone.is_object()) << broker.output();
  EXPECT_GE(gone["uptime_seconds"].get<double>(), 1.0);
  EXPECT_TRUE(broker.wait_for_log(sessions_it::heartbeat_log_line("0", "1", "0"), 5s));
  EXPECT_EQ(broker.stop(), 0);
}

TEST(SessionExpiry, CompletedSessionStaysForItsGraceThenGoes) {
  sessions_it::FedBroker fed("0.1", {"--set", "plugins.sessions_memory.config.completed_grace_s=1"});
  ASSERT_TRUE(fed.connected()) << fed.broker().output();
  auto& broker = fed.broker();
  const std::string& bus = fed.bus();
  fed.send(hook("SessionStart", "ending", 1));
  fed.send(hook("SessionStart", "staying", 2));
  fed.send(hook("SessionEnd", "ending", 3));
  const auto ended = std::chrono::steady_clock::now();

  const json completed = sessions_it::wait_for_heartbeat(
      bus, [](const json& d) { return d["total_events"] == 3; }, 5s);
  ASSERT_TRUE(completed.is_object()) << broker.output();
  ASSERT_TRUE(sessions_it::session_in(completed, "ending").is_object()) << "listed during its grace";
  EXPECT_EQ(sessions_it::session_in(completed, "ending")["status"], "completed");
  EXPECT_TRUE(sessions_it::session_in(completed, "ending")["end_time"].is_string());

  const json after = sessions_it::wait_for_heartbeat(
      bus,
      [](const json& d) { return d["total_events"] == 3 && !sessions_it::session_in(d, "ending").is_object(); },
      5s);
  ASSERT_TRUE(after.is_object()) << broker.output();
  EXPECT_GE(std::chrono::steady_clock::now() - ended, 1s);
  EXPECT_TRUE(sessions_it::session_in(after, "staying").is_object());
  EXPECT_TRUE(broker.wait_for_log("removed 1 completed session\\(s\\) after completed_grace_s=1", 2s));
  EXPECT_EQ(fed.stop(), 0);
}

TEST(SessionExpiry, AtTheCapTheLeastRecentlyActiveSessionIsEvictedAndLogged) {
  sessions_it::FedBroker fed("0.1", {"--set", "plugins.sessions_memory.config.max_sessions=3"});
  ASSERT_TRUE(fed.connected()) << fed.broker().output();
  auto& broker = fed.broker();
  const std::string& bus = fed.bus();
  int seq = 0;
  for (const char* id : {"s1", "s2", "s3"}) fed.send(hook("UserPromptSubmit", id, ++seq));
  fed.send(hook("PreToolUse", "s1", ++seq));  // s1 active again: s2 is now the oldest
  for (const char* id : {"s4", "s5"}) fed.send(hook("UserPromptSubmit", id, ++seq));

  const json hb = sessions_it::wait_for_heartbeat(
      bus, [&](const json& d) { return d["total_events"] == seq; }, 5s);
  ASSERT_TRUE(hb.is_object()) << broker.output();
  std::vector<std::string> ids;
  for (const auto& s : hb["active_sessions"]) ids.push_back(s["session_id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"s5", "s4", "s1"}));
  EXPECT_EQ(broker.count_log("session s2 evicted: max_sessions \\(3\\) reached"), 1u) << broker.output();
  EXPECT_EQ(broker.count_log("session s3 evicted: max_sessions \\(3\\) reached"), 1u);
  EXPECT_TRUE(broker.wait_for_log(sessions_it::heartbeat_log_line("0", "6", "3"), 5s));
  EXPECT_EQ(fed.stop(), 0);
}

}  // namespace
