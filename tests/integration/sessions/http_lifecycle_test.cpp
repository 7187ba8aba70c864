// Sessions over the broker's HTTP API: the recorded lifecycle through
// POST /api/events, the direct session API, repeated deliveries, and the
// heartbeat's counts against what was really connected and posted.
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "broker_http.hpp"
#include "broker_process.hpp"
#include "hook_fixtures.hpp"
#include "json_lines.hpp"
#include "session_broker.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json find_session(const json& list, const std::string& id) {
  for (const auto& s : list)
    if (s["session_id"] == id) return s;
  return nullptr;
}

class SessionsHttp : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    broker_ = std::make_unique<hbtest::BrokerProcess>(sessions_it::broker_args(bus_, "", "0.1", std::move(extra)));
    const int port = broker_->port();
    ASSERT_GT(port, 0) << broker_->output();
    http_ = std::make_unique<sessions_it::BrokerHttp>(port);
    port_ = port;
  }

  /// The first heartbeat that counted `events` events.
  json heartbeat_at(std::size_t events) {
    return sessions_it::wait_for_heartbeat(
        bus_, [&](const json& d) { return d.value("total_events", 0u) == events; }, 5s);
  }

  /// Posts every step of a lifecycle fixture; after each, GET /api/sessions
  /// and the next heartbeat must both show the step's "expect".
  void replay_lifecycle(const json& fixture) {
    const std::string id = fixture["session_id"];
    std::size_t n = 0;
    for (const auto& step : fixture["steps"]) {
      ++n;
      SCOPED_TRACE("step " + std::to_string(n) + ": " + step["step"].get<std::string>());
      const auto answer = http_->post("/api/events", step["event"].dump());
      ASSERT_EQ(answer.status, 204) << answer.body << answer.error;

      const json& expect = step["expect"];
      const json from_api = find_session(http_->sessions(), id);
      const json hb = heartbeat_at(n);
      ASSERT_TRUE(hb.is_object()) << broker_->output();
      const json from_heartbeat = sessions_it::session_in(hb, id);
      for (const json& s : {from_api, from_heartbeat}) {
        ASSERT_TRUE(s.is_object());
        EXPECT_EQ(s["status"], expect["status"]);
        EXPECT_EQ(s["agent"], expect["agent"]);
        EXPECT_EQ(s["activity"], expect["activity"]);
        EXPECT_EQ(sessions_it::delegations_with(s, "running"), expect["delegations_running"].get<std::size_t>());
        if (expect.contains("delegations_completed")) {
          EXPECT_EQ(sessions_it::delegations_with(s, "completed"),
                    expect["delegations_completed"].get<std::size_t>());
        }
        EXPECT_EQ(s["event_count"], n);
      }
      EXPECT_EQ(from_api, from_heartbeat) << "the API and the heartbeat tell the same state";
    }
  }

  hbtest::TempDir dir_;
  const std::string bus_ = dir_.file("bus.jsonl");
  std::unique_ptr<hbtest::BrokerProcess> broker_;
  std::unique_ptr<sessions_it::BrokerHttp> http_;
  int port_ = -1;
};

TEST_F(SessionsHttp, RecordedLifecycleShowsInGetSessionsAndTheNextHeartbeatAfterEachStep) {
  start();
  const json fixture = load_hook_fixture("claude_code_session_lifecycle.json");
  replay_lifecycle(fixture);
  if (HasFatalFailure()) return;
  const auto events = hbtest::broadcasts(bus_, "claude_event");
  ASSERT_EQ(events.size(), fixture["steps"].size());
  EXPECT_EQ(events[5]["subtype"], "subagent_start");
  EXPECT_EQ(events[5]["source"], "hook");
  EXPECT_EQ(events[5]["data"], fixture["steps"][5]["event"]);
  EXPECT_EQ(broker_->stop(), 0);
}

// claude-mpm users point its hooks at hookbroker and change nothing: every
// body its own sender posts ({"namespace": "", "event": "claude_event", ...},
// all nine kinds) is accepted, and the session and its delegation come out as
// Claude Code's own payloads make them (claude_code_session_lifecycle.json).
TEST_F(SessionsHttp, ClaudeMpmsHookSenderIsAcceptedAndTrackedAsClaudeCodesPayloads) {
  start();
  const json fixture = load_hook_fixture("claude_mpm_sender_lifecycle.json");
  const std::string id = fixture["session_id"];
  replay_lifecycle(fixture);
  if (HasFatalFailure()) return;
  const json s = find_session(http_->sessions(), id);
  EXPECT_EQ(s["cwd"], fixture["cwd"]) << "its working_directory";
  ASSERT_EQ(s["delegations"].size(), 1u) << s.dump();
  EXPECT_EQ(s["delegations"][0]["agent_type"], "engineer");
  EXPECT_EQ(s["delegations"][0]["agent_id"], "a3f9c1e27b4d5e60");

  const auto events = hbtest::broadcasts(bus_, "claude_event");
  ASSERT_EQ(events.size(), fixture["steps"].size());
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& sent = fixture["steps"][i]["event"]["data"];
    EXPECT_EQ(events[i]["subtype"], sent["subtype"]);
    EXPECT_EQ(events[i]["session_id"], id);
    kinds.insert(sent["subtype"].get<std::string>());
  }
  EXPECT_EQ(kinds.size(), 9u);
  EXPECT_EQ(broker_->stop(), 0);
}

TEST_F(SessionsHttp, HeartbeatCountsAgreeWithWhatWasConnectedAndPosted) {
  start();
  constexpr int kClients = 3, kSessions = 4, kEvents = 14;
  std::vector<std::unique_ptr<sessions_it::PollingSocketClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<sessions_it::PollingSocketClient>(port_));
    ASSERT_TRUE(clients.back()->connect()) << broker_->output();
  }
  std::map<std::string, int> per_session;
  for (int i = 0; i < kEvents; ++i) {
    const std::string id = "count-" + std::to_string(i % kSessions);
    ++per_session[id];
    const json event = {{"hook_event_name", i < kSessions ? "SessionStart" : "PostToolUse"},
                        {"session_id", id}, {"tool_name", "Read"}, {"n", i}};
    ASSERT_EQ(http_->post("/api/events", event.dump()).status, 204);
  }

  const json hb = sessions_it::wait_for_heartbeat(
      bus_,
      [&](const json& d) { return d["total_events"] == kEvents && d["connected_clients"] == kClients; }, 5s);
  ASSERT_TRUE(hb.is_object()) << broker_->output();
  ASSERT_EQ(hb["active_sessions"].size(), static_cast<std::size_t>(kSessions));
  for (const auto& [id, count] : per_session) EXPECT_EQ(sessions_it::session_in(hb, id)["event_count"], count) << id;
  EXPECT_EQ(hb["sessions_summary"]["total"], kSessions);
  EXPECT_TRUE(broker_->wait_for_log(sessions_it::heartbeat_log_line("3", "14", "4"), 5s)) << broker_->output();

  clients.pop_back();  // closes: the count follows
  EXPECT_TRUE(sessions_it::wait_for_heartbeat(bus_, [](const json& d) { return d["connected_clients"] == 2; }, 5s)
                  .is_object());
  EXPECT_EQ(broker_->stop(), 0);
}

TEST_F(SessionsHttp, DirectSessionApiStartsDelegatesAndEnds) {
  start();
  auto answer = http_->post("/api/sessions/job-42/start", R"({"agent":"researcher"})");
  ASSERT_EQ(answer.status, 200) << answer.body << answer.error;
  EXPECT_EQ(json::parse(answer.body)["session"]["agent"], "researcher");
  EXPECT_EQ(json::parse(answer.body)["session"]["status"], "active");

  answer = http_->post("/api/sessions/job-42/delegate", R"({"agent":"engineer"})");
  ASSERT_EQ(answer.status, 200) << answer.body << answer.error;
  const json delegated = find_session(http_->sessions(), "job-42");
  EXPECT_EQ(delegated["status"], "delegated");
  EXPECT_EQ(delegated["agent"], "engineer");
  EXPECT_EQ(delegated["delegations"][0]["agent_type"], "engineer");
  const json hb = sessions_it::wait_for_heartbeat(
      bus_, [](const json& d) { return sessions_it::session_in(d, "job-42").value("status", "") == "delegated"; },
      5s);
  ASSERT_TRUE(hb.is_object()) << broker_->output();

  answer = http_->post("/api/sessions/job-42/end", "");
  ASSERT_EQ(answer.status, 200) << answer.body << answer.error;
  EXPECT_EQ(find_session(http_->sessions(), "job-42")["status"], "completed");

  for (const char* op : {"delegate", "end"}) {
    answer = http_->post(std::string("/api/sessions/nobody/") + op, R"({"agent":"engineer"})");
    EXPECT_EQ(answer.status, 404) << op;
    EXPECT_NE(sessions_it::error_of(answer).find("unknown session 'nobody'"), std::string::npos) << answer.body;
  }
  EXPECT_TRUE(find_session(http_->sessions(), "nobody").is_null());
  EXPECT_EQ(broker_->stop(), 0);
}

TEST_F(SessionsHttp, IdenticalDeliveryWithinTheWindowIsAnswered204ButCountedAndBroadcastOnce) {
  start();
  const std::string body =
      R"({"session_id":"dup","hook_event_name":"PostToolUse","tool_name":"Bash","tool_use_id":"toolu_9"})";
  for (const std::string& delivery : {body, body, json::parse(body).dump(2)}) {
    // The last one is the same JSON in other bytes: a different delivery.
    const auto answer = http_->post("/api/events", delivery);
    EXPECT_EQ(answer.status, 204) << answer.body << answer.error << "\n" << broker_->output();
  }
  const json hb = heartbeat_at(2);
  ASSERT_TRUE(hb.is_object()) << broker_->output();
  EXPECT_EQ(sessions_it::session_in(hb, "dup")["event_count"], 2) << hb.dump() << "\n" << broker_->output();
  EXPECT_EQ(hbtest::broadcasts(bus_, "claude_event").size(), 2u) << hbtest::read_file(bus_);
  EXPECT_EQ(broker_->stop(), 0);
}

}  // namespace
