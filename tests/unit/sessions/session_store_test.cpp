// SessionStore: the tracker's rules, with time moved by hand.
#include <gtest/gtest.h>

#include "hookbroker/time.hpp"
#include "session_store.hpp"
#include "text_limits.hpp"

namespace hookbroker::sessions {
namespace {

using std::chrono::seconds;

class SessionStoreTest : public ::testing::Test {
 protected:
  SessionStoreTest() : store_(limits()) {}

  static StoreLimits limits() {
    StoreLimits l;
    l.expire_after = seconds(100);
    l.completed_grace = seconds(10);
    l.stale_after = seconds(1000);  // beyond expiry: only the stale tests shorten it
    l.max_sessions = 1000;
    l.session.max_agents = 4;
    l.session.max_tool_calls = 5;
    l.session.message_chars = 20;
    l.session.prompt_chars = 10;
    return l;
  }

  void advance(std::chrono::milliseconds d) {
    now_.steady += d;
    now_.system += d;
  }

  void touch(const std::string& id, const std::string& cwd = "", const std::string& mode = "") {
    store_.touch({id, "", cwd, mode, ""}, now_);
  }

  nlohmann::json get(const std::string& id) { return store_.find(id); }

  /// Applies a change to session s1 (SessionTracker::apply's vocabulary).
  bool apply(nlohmann::json change, SessionStore* store = nullptr) {
    if (!change.contains("session_id")) change["session_id"] = "s1";
    return (store ? *store : store_).apply(change, now_).applied;
  }

  // Whole milliseconds, as timestamps on the wire carry them.
  Now now_{std::chrono::steady_clock::now(),
           std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())};
  SessionStore store_;
};

TEST_F(SessionStoreTest, FirstActivityCreatesAnActivePmSessionWithAllFields) {
  touch("s1", "/repo", "default");
  const auto s = get("s1");
  ASSERT_TRUE(s.is_object());
  EXPECT_EQ(s["session_id"], "s1");
  EXPECT_EQ(s["agent"], "pm");
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["activity"], "working");
  EXPECT_EQ(s["cwd"], "/repo");
  EXPECT_EQ(s["permission_mode"], "default");
  EXPECT_EQ(s["event_count"], 1);
  EXPECT_EQ(s["start_time"], iso8601_utc(now_.system));
  EXPECT_EQ(s["last_activity"], iso8601_utc(now_.system));
  EXPECT_EQ(s["delegations"], nlohmann::json::array());
  EXPECT_FALSE(s.contains("end_time"));
}

TEST_F(SessionStoreTest, LaterActivityCountsAndKeepsFieldsThatWereNotSent) {
  touch("s1", "/repo", "default");
  advance(seconds(5));
  touch("s1", "", "plan");
  const auto s = get("s1");
  EXPECT_EQ(s["event_count"], 2);
  EXPECT_EQ(s["cwd"], "/repo");
  EXPECT_EQ(s["permission_mode"], "plan");
  EXPECT_EQ(s["last_activity"], iso8601_utc(now_.system));
  EXPECT_NE(s["start_time"], s["last_activity"]);
}

TEST_F(SessionStoreTest, UnknownSessionIsRefusedByEveryOperationButStartAndTouch) {
  EXPECT_FALSE(store_.delegate("nope", "engineer", "", now_));
  EXPECT_FALSE(store_.complete_delegation("nope", "", "engineer", now_));
  EXPECT_FALSE(store_.set_activity("nope", "working", now_));
  EXPECT_FALSE(store_.end("nope", now_));
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_TRUE(get("nope").is_null());
  store_.start("new", "", now_);
  EXPECT_EQ(get("new")["agent"], "pm");
  store_.start("research", "researcher", now_);
  EXPECT_EQ(get("research")["agent"], "researcher");
}

TEST_F(SessionStoreTest, TaskAnnouncementAndSubagentStartAreOneDelegation) {
  touch("s1");
  ASSERT_TRUE(store_.delegate("s1", "engineer", "", now_));  // PreToolUse Task
  auto s = get("s1");
  EXPECT_EQ(s["status"], "delegated");
  EXPECT_EQ(s["agent"], "engineer");
  ASSERT_EQ(s["delegations"].size(), 1u);
  EXPECT_EQ(s["delegations"][0]["agent_id"], "");
  EXPECT_EQ(s["delegations"][0]["status"], "running");
  EXPECT_TRUE(s["delegations"][0]["end_time"].is_null());

  ASSERT_TRUE(store_.delegate("s1", "engineer", "agent-7", now_));  // SubagentStart
  s = get("s1");
  ASSERT_EQ(s["delegations"].size(), 1u);
  EXPECT_EQ(s["delegations"][0]["agent_id"], "agent-7");

  ASSERT_TRUE(store_.delegate("s1", "engineer", "agent-7", now_));  // repeated start
  EXPECT_EQ(get("s1")["delegations"].size(), 1u);

  advance(seconds(3));
  ASSERT_TRUE(store_.complete_delegation("s1", "agent-7", "engineer", now_));
  s = get("s1");
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["agent"], "pm");
  EXPECT_EQ(s["delegations"][0]["status"], "completed");
  EXPECT_EQ(s["delegations"][0]["end_time"], iso8601_utc(now_.system));
}

TEST_F(SessionStoreTest, StaysDelegatedUntilTheLastParallelSubagentStops) {
  touch("s1");
  store_.delegate("s1", "engineer", "a1", now_);
  store_.delegate("s1", "qa", "a2", now_);
  EXPECT_EQ(get("s1")["agent"], "qa");
  store_.complete_delegation("s1", "a2", "qa", now_);
  EXPECT_EQ(get("s1")["status"], "delegated");
  EXPECT_EQ(get("s1")["agent"], "engineer");
  store_.complete_delegation("s1", "a1", "engineer", now_);
  EXPECT_EQ(get("s1")["status"], "active");
  EXPECT_EQ(get("s1")["agent"], "pm");
}

TEST_F(SessionStoreTest, StopOfAnUnknownSubagentLeavesOtherRunningOnesAlone) {
  touch("s1");
  store_.delegate("s1", "engineer", "a1", now_);
  EXPECT_TRUE(store_.complete_delegation("s1", "zz", "qa", now_));
  const auto s = get("s1");
  EXPECT_EQ(s["status"], "delegated");
  EXPECT_EQ(s["delegations"][0]["status"], "running");
}

TEST_F(SessionStoreTest, StopWithUnseenStartCompletesTheAnnouncedDelegationOfItsType) {
  touch("s1");
  store_.delegate("s1", "research", "", now_);  // Task seen, SubagentStart missed
  store_.complete_delegation("s1", "a9", "research", now_);
  const auto s = get("s1");
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["delegations"][0]["agent_id"], "a9");
}

TEST_F(SessionStoreTest, CompletingByTypePrefersTheDelegationNoSubagentClaimed) {
  touch("s1");
  store_.delegate("s1", "engineer", "a1", now_);
  store_.delegate("s1", "engineer", "", now_);
  store_.complete_delegation("s1", "", "engineer", now_);
  const auto d = get("s1")["delegations"];
  EXPECT_EQ(d[0]["status"], "running");
  EXPECT_EQ(d[1]["status"], "completed");
}

TEST_F(SessionStoreTest, DelegationListIsBoundedDroppingOldestCompletedFirst) {
  touch("s1");
  for (int i = 0; i < 3; ++i) {
    store_.delegate("s1", "t", "done" + std::to_string(i), now_);
    store_.complete_delegation("s1", "done" + std::to_string(i), "t", now_);
  }
  store_.delegate("s1", "t", "live1", now_);
  store_.delegate("s1", "t", "live2", now_);  // 5 > max 4: done0 goes
  const auto d = get("s1")["delegations"];
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0]["agent_id"], "done1");
  EXPECT_EQ(d[3]["agent_id"], "live2");
}

TEST_F(SessionStoreTest, EndCompletesSessionAndItsRunningDelegations) {
  touch("s1");
  store_.delegate("s1", "engineer", "a1", now_);
  const auto ended_at = now_.system;
  ASSERT_TRUE(store_.end("s1", now_));
  auto s = get("s1");
  EXPECT_EQ(s["status"], "completed");
  EXPECT_EQ(s["activity"], "ended");
  EXPECT_EQ(s["agent"], "pm");
  EXPECT_EQ(s["end_time"], iso8601_utc(ended_at));
  EXPECT_EQ(s["delegations"][0]["status"], "completed");

  advance(seconds(1));
  store_.end("s1", now_);
  store_.set_activity("s1", "waiting_for_input", now_);  // a late Stop
  s = get("s1");
  EXPECT_EQ(s["end_time"], iso8601_utc(ended_at));
  EXPECT_EQ(s["activity"], "ended");
}

TEST_F(SessionStoreTest, StartingACompletedSessionBeginsAFreshRun) {
  touch("s1");
  store_.delegate("s1", "engineer", "a1", now_);
  store_.end("s1", now_);
  advance(seconds(2));
  store_.start("s1", "", now_);
  const auto s = get("s1");
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["activity"], "working");
  EXPECT_EQ(s["start_time"], iso8601_utc(now_.system));
  EXPECT_EQ(s["delegations"], nlohmann::json::array());
  EXPECT_FALSE(s.contains("end_time"));
}

TEST_F(SessionStoreTest, ListsNewestActivityFirstWithLimit) {
  touch("a");
  advance(seconds(1));
  touch("b");
  advance(seconds(1));
  touch("c");
  advance(seconds(1));
  touch("a");
  const auto all = store_.list(0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["session_id"], "a");
  EXPECT_EQ(all[1]["session_id"], "c");
  EXPECT_EQ(all[2]["session_id"], "b");
  const auto two = store_.list(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1]["session_id"], "c");
}

TEST_F(SessionStoreTest, ExpiryIsMeasuredFromLastActivityNotFromStart) {
  touch("old");
  touch("busy");
  advance(seconds(90));
  touch("busy");
  ASSERT_TRUE(store_.next_deadline().has_value());
  EXPECT_EQ(*store_.next_deadline(), now_.steady - seconds(90) + seconds(100));
  advance(seconds(10));  // old: idle 100 s; busy: idle 10 s
  const auto removed = store_.sweep(now_);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].session_id, "old");
  EXPECT_EQ(removed[0].reason, Removal::Reason::Expired);
  EXPECT_FALSE(get("busy").is_null());
  EXPECT_EQ(*store_.next_deadline(), now_.steady - seconds(10) + seconds(100));
}

TEST_F(SessionStoreTest, CompletedSessionsStayForTheirGraceOnly) {
  touch("done");
  touch("live");
  store_.end("done", now_);
  EXPECT_EQ(*store_.next_deadline(), now_.steady + seconds(10));
  advance(std::chrono::milliseconds(9999));
  EXPECT_TRUE(store_.sweep(now_).empty());
  advance(std::chrono::milliseconds(1));
  const auto removed = store_.sweep(now_);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].session_id, "done");
  EXPECT_EQ(removed[0].reason, Removal::Reason::GraceOver);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(SessionStoreTest, AtTheCapTheLeastRecentlyActiveIsEvicted) {
  StoreLimits l = limits();
  l.max_sessions = 3;
  SessionStore store(l);
  for (const char* id : {"a", "b", "c"}) {
    store.touch({id, "", "", "", ""}, now_);
    advance(seconds(1));
  }
  store.touch({"a", "", "", "", ""}, now_);  // a is now the most recent
  advance(seconds(1));
  const auto evicted = store.touch({"d", "", "", "", ""}, now_);
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(evicted[0].session_id, "b");
  EXPECT_EQ(evicted[0].reason, Removal::Reason::Evicted);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_TRUE(store.find("b").is_null());
}

TEST_F(SessionStoreTest, ANewSessionWithAnOldTimestampIsNotItsOwnEvictionVictim) {
  StoreLimits l = limits();
  l.max_sessions = 1;
  SessionStore store(l);
  store.touch({"now", "", "", "", ""}, now_);
  const auto evicted = store.touch({"replayed", iso8601_utc(now_.system - seconds(50)), "", "", ""}, now_);
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(evicted[0].session_id, "now");
  EXPECT_FALSE(store.find("replayed").is_null());
}

TEST_F(SessionStoreTest, EventTimestampsAreUsedButNeverInTheFutureOrBackwards) {
  const auto earlier = now_.system - seconds(30);
  store_.touch({"s1", iso8601_utc(earlier), "", "", ""}, now_);
  EXPECT_EQ(get("s1")["last_activity"], iso8601_utc(earlier));
  EXPECT_EQ(get("s1")["start_time"], iso8601_utc(earlier));
  // Idle for 30 s already: expires 70 s from now.
  EXPECT_EQ(*store_.next_deadline(), now_.steady + seconds(70));

  store_.touch({"s1", iso8601_utc(earlier - seconds(10)), "", "", ""}, now_);
  EXPECT_EQ(get("s1")["last_activity"], iso8601_utc(earlier));

  store_.touch({"s1", iso8601_utc(now_.system + seconds(3600)), "", "", ""}, now_);
  EXPECT_EQ(get("s1")["last_activity"], iso8601_utc(now_.system));

  store_.touch({"s2", "not a time", "", "", ""}, now_);
  EXPECT_EQ(get("s2")["last_activity"], iso8601_utc(now_.system));
}

TEST_F(SessionStoreTest, SummaryCountsEveryStatusAndActivity) {
  touch("a");
  touch("b");
  touch("c");
  store_.delegate("b", "engineer", "", now_);
  store_.set_activity("a", "waiting_for_input", now_);
  store_.end("c", now_);
  const auto sum = store_.summary();
  EXPECT_EQ(sum.total, 3u);
  EXPECT_EQ(sum.active, 1u);
  EXPECT_EQ(sum.delegated, 1u);
  EXPECT_EQ(sum.completed, 1u);
  EXPECT_EQ(sum.by_activity, (nlohmann::json{{"waiting_for_input", 1}, {"working", 1}, {"ended", 1}}));
}

// The summary is counted again only after a change: each kind of change
// (new session, update, end, expiry) must show in the next one.
TEST_F(SessionStoreTest, SummaryFollowsEveryChangeDespiteBeingCached) {
  touch("a");
  EXPECT_EQ(store_.summary().total, 1u);
  EXPECT_EQ(store_.summary().by_activity, (nlohmann::json{{"working", 1}}));
  touch("b");
  EXPECT_EQ(store_.summary().total, 2u);
  store_.set_activity("a", "waiting_for_input", now_);
  EXPECT_EQ(store_.summary().by_activity, (nlohmann::json{{"waiting_for_input", 1}, {"working", 1}}));
  store_.end("b", now_);
  EXPECT_EQ(store_.summary().completed, 1u);
  advance(seconds(11));  // b's grace is over
  ASSERT_EQ(store_.sweep(now_).size(), 1u);
  const auto after_sweep = store_.summary();
  EXPECT_EQ(after_sweep.total, 1u);
  EXPECT_EQ(after_sweep.completed, 0u);
  advance(seconds(100));  // a expires
  ASSERT_EQ(store_.sweep(now_).size(), 1u);
  EXPECT_EQ(store_.summary().total, 0u);
  EXPECT_EQ(store_.summary().by_activity, nlohmann::json::object());
}

// The heartbeat lists sessions from a per-session cache of their JSON: every
// kind of change must show in the next listing, and an unchanged session is
// listed as it was built.
TEST_F(SessionStoreTest, ListingsShowEveryChangeDespiteTheCachedSessionJson) {
  touch("a", "/one");
  touch("b");
  const auto first = store_.list(0);
  EXPECT_EQ(store_.list(0), first);  // cached: the same again
  const auto b_before = get("b");

  advance(seconds(1));
  touch("a", "/two", "plan");
  EXPECT_EQ(get("a")["cwd"], "/two");
  EXPECT_EQ(get("a")["permission_mode"], "plan");
  EXPECT_EQ(get("a")["event_count"], 2);
  EXPECT_EQ(store_.list(1)[0]["last_activity"], iso8601_utc(now_.system));

  store_.delegate("a", "engineer", "", now_);
  EXPECT_EQ(store_.list(1)[0]["status"], "delegated");
  EXPECT_EQ(store_.list(1)[0]["delegations"].size(), 1u);
  store_.set_activity("a", "waiting_for_permission", now_);
  EXPECT_EQ(get("a")["activity"], "waiting_for_permission");
  store_.end("a", now_);
  EXPECT_EQ(get("a")["status"], "completed");
  EXPECT_TRUE(get("a").contains("end_time"));
  store_.start("a", "pm", now_);
  EXPECT_EQ(get("a")["status"], "active");
  EXPECT_FALSE(get("a").contains("end_time"));

  EXPECT_EQ(get("b"), b_before);  // untouched, listed as before
}

TEST_F(SessionStoreTest, ChangesWithoutAUsableSessionIdAreRefusedAndLeaveNoTrace) {
  EXPECT_FALSE(store_.apply(nlohmann::json::array(), now_).applied);
  EXPECT_FALSE(store_.apply({{"activity", "working"}}, now_).applied);
  EXPECT_FALSE(store_.apply({{"session_id", 5}}, now_).applied);
  EXPECT_FALSE(store_.apply({{"session_id", ""}}, now_).applied);
  EXPECT_FALSE(store_.apply({{"session_id", std::string(kMaxSessionIdLength + 1, 'x')}}, now_).applied);
  EXPECT_EQ(store_.size(), 0u);
  // Parts of the wrong type are ignored; the rest is applied.
  ASSERT_TRUE(apply({{"activity", 7}, {"tool", "no"}, {"facts", {{"model", "claude-opus-5"}}}}));
  EXPECT_EQ(get("s1")["model"], "claude-opus-5");
  EXPECT_EQ(get("s1")["event_count"], 1);
}

TEST_F(SessionStoreTest, ListIsCompactAndFindAddsAgentsToolsAndTexts) {
  apply({{"activity", "working"}, {"prompt", "go"}, {"tool", {{"phase", "start"}, {"tool_use_id", "t1"}, {"tool_name", "Read"}}}});
  const auto listed = store_.list(0)[0];
  EXPECT_FALSE(listed.contains("agents"));
  EXPECT_FALSE(listed.contains("tools"));
  EXPECT_FALSE(listed.contains("last_prompt"));
  EXPECT_FALSE(listed.contains("tool_calls"));
  const auto detail = get("s1");
  for (const auto& [key, value] : listed.items()) EXPECT_EQ(detail[key], value) << key;
  EXPECT_EQ(detail["tool_calls"], (nlohmann::json{{"in_flight", 1}, {"finished", 0}, {"failed", 0}}));
  EXPECT_EQ(detail["prompt_count"], 1);
  EXPECT_EQ(detail["agents"].size(), 1u);
  EXPECT_EQ(detail["agents"][0]["main"], true);
  EXPECT_EQ(detail["tools"]["in_flight"][0]["tool_use_id"], "t1");
  EXPECT_EQ(detail["last_prompt"], "go");
}

TEST_F(SessionStoreTest, ASessionShownWorkingWithNoEventForStaleAfterIsMarkedStale) {
  StoreLimits l = limits();
  l.stale_after = seconds(30);
  SessionStore store(l);
  apply({{"session_id", "busy"}, {"activity", "working"}}, &store);
  apply({{"session_id", "idle"}, {"activity", "waiting_for_input"}}, &store);
  ASSERT_TRUE(store.next_deadline().has_value());
  EXPECT_EQ(*store.next_deadline(), now_.steady + seconds(30));
  advance(seconds(29));
  EXPECT_EQ(store.mark_stale(now_), 0u);
  advance(seconds(1));
  EXPECT_EQ(store.mark_stale(now_), 1u);
  EXPECT_EQ(store.find("busy")["stale"], true);
  EXPECT_EQ(store.find("busy")["activity"], "working");
  EXPECT_EQ(store.find("busy")["last_activity"], iso8601_utc(now_.system - seconds(30))) << "marking is not activity";
  EXPECT_EQ(store.find("idle")["stale"], false) << "a session waiting for the user is not stale";
  EXPECT_EQ(store.summary().stale, 1u);
  EXPECT_EQ(store.mark_stale(now_), 0u) << "marked once";
  // Any event shows it is alive.
  apply({{"session_id", "busy"}, {"tool", {{"phase", "start"}, {"tool_name", "Read"}}}}, &store);
  EXPECT_EQ(store.find("busy")["stale"], false);
  EXPECT_EQ(store.summary().stale, 0u);
  EXPECT_EQ(*store.next_deadline(), now_.steady + seconds(30));
}

TEST_F(SessionStoreTest, ToolCallsStayWithinMaxToolCallsAndAreAllCounted) {
  for (int i = 0; i < 7; ++i) {  // max_tool_calls is 5
    const std::string id = "t" + std::to_string(i);
    apply({{"tool", {{"phase", "start"}, {"tool_use_id", id}, {"tool_name", "Bash"}}}});
    advance(std::chrono::milliseconds(10));
    apply({{"tool", {{"phase", "end"}, {"tool_use_id", id}, {"tool_name", "Bash"}, {"outcome", i % 2 ? "failed" : "ok"},
                     {"error", "Exit code 1\nmore"}}}});
  }
  auto tools = get("s1")["tools"];
  ASSERT_EQ(tools["recent"].size(), 5u);
  EXPECT_EQ(tools["recent"][0]["tool_use_id"], "t6");
  EXPECT_EQ(tools["recent"][0]["duration_ms"], 10) << "measured between start and end";
  EXPECT_EQ(tools["recent"][1]["error"], "Exit code 1") << "first line only";
  EXPECT_EQ(tools["dropped"], 2);
  EXPECT_EQ(tools["by_tool"]["Bash"]["calls"], 7);
  EXPECT_EQ(tools["by_tool"]["Bash"]["failed"], 3);
  EXPECT_EQ(get("s1")["tool_calls"], (nlohmann::json{{"in_flight", 0}, {"finished", 7}, {"failed", 3}}));

  for (int i = 0; i < 7; ++i)  // results that never come
    apply({{"tool", {{"phase", "start"}, {"tool_use_id", "open" + std::to_string(i)}, {"tool_name", "Read"}}}});
  tools = get("s1")["tools"];
  EXPECT_EQ(tools["in_flight"].size(), 5u);
  EXPECT_EQ(tools["in_flight"][0]["tool_use_id"], "open2");
  EXPECT_EQ(tools["recent"][0]["outcome"], "interrupted");
  EXPECT_EQ(tools["recent"][0]["inferred"], true);
}

TEST_F(SessionStoreTest, CallsWithoutToolUseIdArePairedByToolNameWithinTheirAgent) {
  apply({{"tool", {{"phase", "start"}, {"tool_name", "Read"}}}});
  apply({{"agent_id", "a1"}, {"tool", {{"phase", "start"}, {"tool_name", "Read"}}}});
  advance(seconds(2));
  apply({{"tool", {{"phase", "end"}, {"tool_name", "Read"}}}});
  const auto tools = get("s1")["tools"];
  ASSERT_EQ(tools["in_flight"].size(), 1u);
  EXPECT_EQ(tools["in_flight"][0]["agent_id"], "a1");
  EXPECT_TRUE(tools["recent"][0]["agent_id"].is_null());
  EXPECT_TRUE(tools["recent"][0]["tool_use_id"].is_null());
  EXPECT_EQ(tools["recent"][0]["duration_ms"], 2000);
}

TEST_F(SessionStoreTest, KeptTextsAreCutToTheirLimitsOnACharacterBoundary) {
  apply({{"message", "Schöne Grüße aus Köln, München und Zürich"}, {"prompt", "ääääääääääää"}});
  const auto s = get("s1");
  EXPECT_EQ(s["last_assistant_message"], "Schöne Grüße aus Kö\u2026");  // 20 characters
  EXPECT_EQ(s["last_prompt"], "äääääääää\u2026");  // 10 characters
  EXPECT_EQ(truncate_chars("short", 20), "short");
  EXPECT_EQ(truncate_chars("abc", 0), "");
  EXPECT_EQ(first_line("Exit code 1\r\nstack", 100), "Exit code 1");
}

TEST_F(SessionStoreTest, AgentsStayWithinMaxAgentsAndTheirCallsKeepTheirIds) {
  for (int i = 0; i < 5; ++i) {  // max_agents is 4
    const std::string id = "agent" + std::to_string(i);
    apply({{"agent_id", id}, {"agent_type", "Explore"}, {"subagent", "started"}});
    apply({{"agent_id", id}, {"tool", {{"phase", "end"}, {"tool_use_id", "t" + std::to_string(i)}, {"tool_name", "Grep"}}}});
    apply({{"agent_id", id}, {"agent_type", "Explore"}, {"subagent", "stopped"}});
  }
  const auto s = get("s1");
  ASSERT_EQ(s["agents"].size(), 5u);  // main + 4
  EXPECT_EQ(s["agents"][1]["agent_id"], "agent1");
  EXPECT_EQ(s["tools"]["recent"][4]["agent_id"], "agent0") << "a dropped agent's call still names it";
}

TEST_F(SessionStoreTest, ASubagentThatOutlivesTheMainTurnRunsInTheBackground) {
  apply({{"activity", "working"}});
  apply({{"agent_id", "a1"}, {"agent_type", "Explore"}, {"subagent", "started"}});
  EXPECT_EQ(get("s1")["background_running"], 0);
  apply({{"activity", "waiting_for_input"}, {"turn_ended", true}});
  auto s = get("s1");
  EXPECT_EQ(s["background_running"], 1);
  EXPECT_EQ(s["activity"], "waiting_for_input");
  EXPECT_EQ(s["status"], "delegated");
  apply({{"agent_id", "a1"}, {"activity", "working"}, {"tool", {{"phase", "start"}, {"tool_name", "Grep"}}}});
  EXPECT_EQ(get("s1")["activity"], "waiting_for_input") << "the subagent's work is not the main thread's";
  EXPECT_EQ(store_.summary().background_running, 1u);
  apply({{"agent_id", "a1"}, {"subagent", "stopped"}, {"turn_ended", true}});
  s = get("s1");
  EXPECT_EQ(s["background_running"], 0);
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["tools"]["recent"][0]["outcome"], "interrupted");
}

TEST_F(SessionStoreTest, LifecycleEndClosesEverythingAndALaterStartBeginsAFreshRun) {
  apply({{"lifecycle", "start"}, {"facts", {{"model", "m1"}}}});
  apply({{"agent_id", "a1"}, {"subagent", "started"}, {"agent_type", "Plan"}});
  apply({{"tool", {{"phase", "start"}, {"tool_use_id", "t"}, {"tool_name", "Bash"}}}});
  apply({{"lifecycle", "end"}, {"facts", {{"end_reason", "clear"}}}});
  auto s = get("s1");
  EXPECT_EQ(s["status"], "completed");
  EXPECT_EQ(s["end_reason"], "clear");
  EXPECT_EQ(s["agents"][1]["status"], "completed");
  EXPECT_EQ(s["tools"]["recent"][0]["outcome"], "interrupted");
  apply({{"activity", "working"}});  // late: counted only
  EXPECT_EQ(get("s1")["activity"], "ended");
  advance(seconds(1));
  apply({{"lifecycle", "start"}, {"facts", {{"start_source", "resume"}}}, {"activity", "waiting_for_input"}});
  s = get("s1");
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["activity"], "waiting_for_input");
  EXPECT_EQ(s["agents"].size(), 1u);
  EXPECT_TRUE(s["tools"]["recent"].empty());
  EXPECT_TRUE(s["end_reason"].is_null());
  EXPECT_EQ(s["model"], "m1") << "the session's facts outlive a run";
  EXPECT_EQ(s["start_time"], iso8601_utc(now_.system));
}

TEST_F(SessionStoreTest, HugeNamesAndPathsAreCutSoASessionStaysSmall) {
  const std::string huge(1 << 20, 'x');  // a hostile sender's 1 MiB "name"
  touch("s1", "/" + huge, huge);
  apply({{"agent_id", huge}, {"subagent", "started"}, {"agent_type", huge}, {"activity", huge}});
  apply({{"facts", {{"model", huge}, {"title", huge}, {"start_source", huge}, {"end_reason", huge}}}});
  apply({{"error", {{"type", huge}, {"details", huge}}}});
  for (int i = 0; i < 5; ++i) {
    const std::string id = std::to_string(i) + huge;
    apply({{"agent_id", huge}, {"tool", {{"phase", "start"}, {"tool_use_id", id}, {"tool_name", huge + "t"}}}});
    apply({{"agent_id", huge}, {"tool", {{"phase", "end"}, {"tool_use_id", id}, {"tool_name", huge + "t"},
                                           {"outcome", "failed"}, {"error", huge}}}});
  }
  const auto s = get("s1");
  EXPECT_LT(s.dump().size(), 32u * 1024) << "every kept name is cut to " << kNameChars << " characters";
  EXPECT_EQ(s["tools"]["recent"].size(), 5u) << "cut ids still pair each call's start with its end";
  EXPECT_EQ(s["tools"]["in_flight"].size(), 0u);
  EXPECT_EQ(s["agents"].size(), 2u);
  EXPECT_EQ(s["cwd"].get<std::string>().substr(0, 2), "/x");
}

TEST_F(SessionStoreTest, ANodeStateMarksAKnownSessionOnlyAndCountsNothing) {
  apply({{"lifecycle", "start"}, {"node", "n3"}});
  const auto before = get("s1");
  advance(seconds(5));
  EXPECT_TRUE(apply({{"node_state", "lost"}}));
  auto s = get("s1");
  EXPECT_EQ(s["node_state"], "lost");
  EXPECT_EQ(s["event_count"], before["event_count"]) << "a mark is not an event";
  EXPECT_EQ(s["last_activity"], before["last_activity"]) << "nor activity";
  EXPECT_FALSE(apply({{"session_id", "unknown"}, {"node_state", "lost"}}));
  EXPECT_TRUE(get("unknown").is_null()) << "nothing is created";
  apply({{"activity", "working"}, {"node", "n3"}});  // its node sends again
  EXPECT_FALSE(get("s1").contains("node_state"));
  apply({{"node_state", "lost"}});
  apply({{"node_state", "up"}});
  EXPECT_FALSE(get("s1").contains("node_state"));
}


// The heartbeat's listing as text (SDK 3.3): the same text as list() gives,
// shared while nothing changes (the core checks a text once), new after any
// change, a stale mark or a sweep.
TEST_F(SessionStoreTest, TheListingAsTextIsListAndIsBuiltAgainOnlyAfterAChange) {
  touch("s1", "/repo");
  advance(seconds(1));
  touch("s2");
  advance(seconds(1));
  touch("s3");
  const auto [text, count] = store_.list_text(2);
  ASSERT_TRUE(text);
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(nlohmann::json::parse(*text), store_.list(2));
  EXPECT_EQ(store_.list_text(2).first, text) << "unchanged: the same shared text";
  EXPECT_NE(store_.list_text(3).first, text) << "another limit";
  EXPECT_EQ(store_.list_text(0).second, 3u);

  const auto before = store_.list_text(2).first;
  advance(seconds(1));
  apply({{"session_id", "s2"}, {"activity", "waiting_for_permission"}});
  const auto after = store_.list_text(2).first;
  EXPECT_NE(after, before);
  EXPECT_EQ(nlohmann::json::parse(*after), store_.list(2));
  EXPECT_EQ(nlohmann::json::parse(*after)[0]["session_id"], "s2") << "newest first";

  advance(seconds(101));  // past expire_after: the sweep removes every session
  store_.sweep(now_);
  EXPECT_EQ(*store_.list_text(2).first, "[]");
  EXPECT_EQ(store_.list_text(2).second, 0u);
}

}  // namespace
}  // namespace hookbroker::sessions
