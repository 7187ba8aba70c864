// Bad input on POST /api/events, each case through the real broker: a 400 or
// 413 with {"error": ...} saying what was wrong, no session touched, the
// broker still serving, and no valid event lost — also under 1,000
// concurrent posts.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "broker_http.hpp"
#include "broker_process.hpp"
#include "hook_fixtures.hpp"
#include "session_broker.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Big enough for the 100,000-deep body (200 KB) to reach the JSON parser.
constexpr std::size_t kBodyLimit = 256 * 1024;

struct BadCase {
  std::string name;
  std::string body;
  int status;
  std::string error_contains;
};

std::vector<BadCase> bad_cases() {
  std::vector<BadCase> cases;
  const json fixture = load_hook_fixture("bad_inputs.json");
  for (const auto& c : fixture["cases"])
    cases.push_back({c["name"], c["body_text"], c["status"], c["error_contains"]});
  cases.push_back({"invalid UTF-8",
                   std::string(R"({"session_id":"bad","hook_event_name":"UserPromptSubmit","prompt":")") +
                       "\xc3\x28\xff" + "\"}",
                   400, "invalid JSON"});
  cases.push_back({"100,000 levels deep", std::string(100000, '[') + std::string(100000, ']'), 400,
                   "nested deeper than"});
  cases.push_back({"over the body limit",
                   R"({"session_id":"bad","hook_event_name":"UserPromptSubmit","prompt":")" +
                       std::string(kBodyLimit, 'x') + "\"}",
                   413, "over the limit"});
  return cases;
}

std::vector<std::string> limit_args() {
  return {"--set", "plugins.transport_socketio.config.max_body_bytes=" + std::to_string(kBodyLimit)};
}

TEST(SessionsBadInput, EachIsRefusedClearlyAndTheBrokerKeepsServing) {
  hbtest::TempDir dir;
  const std::string bus = dir.file("bus.jsonl");
  hbtest::BrokerProcess broker(sessions_it::broker_args(bus, "", "0.1", limit_args()));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  sessions_it::BrokerHttp http(port);

  std::size_t valid = 0;
  for (const auto& c : bad_cases()) {
    SCOPED_TRACE(c.name);
    const auto answer = http.post("/api/events", c.body);
    EXPECT_EQ(answer.status, c.status) << answer.body << answer.error;
    const std::string error = sessions_it::error_of(answer);
    EXPECT_FALSE(error.empty()) << "body is not {\"error\": ...}: " << answer.body;
    EXPECT_NE(error.find(c.error_contains), std::string::npos) << error;

    // Still serving, and a valid event right after is taken.
    const json good = {{"session_id", "good"}, {"hook_event_name", "PostToolUse"}, {"n", ++valid}};
    EXPECT_EQ(http.post("/api/events", good.dump()).status, 204);
  }
  const json sessions = http.sessions();
  ASSERT_EQ(sessions.size(), 1u) << "no bad input may create or touch a session: " << sessions.dump();
  EXPECT_EQ(sessions[0]["session_id"], "good");
  EXPECT_EQ(sessions[0]["event_count"], valid);
  const json hb = sessions_it::wait_for_heartbeat(
      bus, [&](const json& d) { return d.value("total_events", 0u) == valid; }, 5s);
  EXPECT_TRUE(hb.is_object()) << broker.output();
  EXPECT_EQ(broker.stop(), 0);
}

TEST(SessionsBadInput, AThousandConcurrentPostsLoseNoValidEvent) {
  hbtest::TempDir dir;
  const std::string bus = dir.file("bus.jsonl");
  hbtest::BrokerProcess broker(sessions_it::broker_args(bus, "", "0.2", limit_args()));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  constexpr int kPosts = 1000, kSessions = 7;  // every session gets valid events
  const auto cases = bad_cases();
  std::atomic<int> go{0}, ready{0}, accepted{0}, refused{0}, unexpected{0};
  std::mutex unexpected_mutex;
  std::vector<std::string> unexpected_answers;
  std::vector<std::thread> posters;
  int expected_valid = 0;
  for (int i = 0; i < kPosts; ++i) {
    // Every tenth post is malformed, cycling through the bad cases.
    const bool bad = i % 10 == 9;
    if (!bad) ++expected_valid;
    const BadCase* bad_case = bad ? &cases[(i / 10) % cases.size()] : nullptr;
    posters.emplace_back([&, i, bad_case] {
      sessions_it::BrokerHttp http(port, 30000);
      const std::string body =
          bad_case ? bad_case->body
                   : json{{"session_id", "load-" + std::to_string(i % kSessions)},
                          {"hook_event_name", "PostToolUse"}, {"tool_name", "Read"}, {"n", i}}
                         .dump();
      ++ready;
      while (go.load() == 0) std::this_thread::yield();
      const auto answer = http.post("/api/events", body);
      if (!bad_case && answer.status == 204) ++accepted;
      else if (bad_case && answer.status == bad_case->status) ++refused;
      else {
        ++unexpected;
        std::lock_guard lock(unexpected_mutex);
        unexpected_answers.push_back((bad_case ? bad_case->name : std::string("valid")) + ": " +
                                     std::to_string(answer.status) + " " + answer.body + answer.error);
      }
    });
  }
  while (ready.load() < kPosts) std::this_thread::yield();
  go = 1;
  for (auto& t : posters) t.join();

  EXPECT_EQ(accepted.load(), expected_valid);
  EXPECT_EQ(refused.load(), kPosts - expected_valid);
  EXPECT_EQ(unexpected.load(), 0) << (unexpected_answers.empty() ? "" : unexpected_answers.front());
  const json hb = sessions_it::wait_for_heartbeat(
      bus, [&](const json& d) { return d.value("total_events", 0) == expected_valid; }, 10s);
  ASSERT_TRUE(hb.is_object()) << broker.output();
  ASSERT_EQ(hb["active_sessions"].size(), static_cast<std::size_t>(kSessions));
  int counted = 0;
  for (const auto& s : hb["active_sessions"]) counted += s["event_count"].get<int>();
  EXPECT_EQ(counted, expected_valid);
  sessions_it::BrokerHttp http(port);
  EXPECT_EQ(http.get("/health").status, 200) << "still serving";
  EXPECT_EQ(broker.stop(), 0);
}

}  // namespace
