// A session's spend from telemetry (SessionTracker::apply's `usage`, origin
// "telemetry"): per model and agent, logs win over metrics whatever the
// order, bounded breakdowns; telemetry never evicts and goes first.
#include <gtest/gtest.h>

#include "session_store.hpp"
#include "session_usage.hpp"

namespace hookbroker::sessions {
namespace {

using nlohmann::json;

json logs(double cost, std::uint64_t input, const std::string& model = "m", const std::string& agent = "main") {
  return {{"source", "logs"}, {"model", model}, {"agent", agent}, {"cost_usd", cost}, {"input_tokens", input},
          {"api_requests", 1}};
}

TEST(SessionUsage, LogsAreShownOnceAnyArrivedWhateverTheOrder) {
  for (const bool metrics_first : {true, false}) {
    SessionUsage u;
    const json metrics = {{"source", "metrics"}, {"cost_usd", 5.0}, {"input_tokens", 500}};
    if (metrics_first) u.apply(metrics);
    u.apply(logs(0.5, 100));
    if (!metrics_first) u.apply(metrics);
    const json shown = u.compact_json();
    EXPECT_EQ(shown["source"], "logs");
    EXPECT_DOUBLE_EQ(shown["cost_usd"].get<double>(), 0.5);
    EXPECT_EQ(shown["input_tokens"], 100u);
  }
  SessionUsage metrics_only;
  metrics_only.apply({{"source", "metrics"}, {"cost_usd", 5.0}});
  EXPECT_EQ(metrics_only.compact_json()["source"], "metrics");
  EXPECT_DOUBLE_EQ(metrics_only.compact_json()["cost_usd"].get<double>(), 5.0);
}

TEST(SessionUsage, SplitsByModelAgentAndStatusWithinBounds) {
  SessionUsage u;
  u.apply(logs(1.0, 10, "opus", "main"));
  u.apply(logs(2.0, 20, "haiku", "Explore"));
  u.apply({{"source", "logs"}, {"model", "opus"}, {"api_errors", 1}, {"status_code", "529"}});
  const json d = u.detail_json();
  EXPECT_EQ(d["by_model"]["opus"]["input_tokens"], 10u);
  EXPECT_EQ(d["by_model"]["opus"]["api_errors"], 1u);
  EXPECT_EQ(d["by_agent"]["Explore"]["input_tokens"], 20u);
  EXPECT_EQ(d["errors_by_status"], (json{{"529", 1}}));
  EXPECT_EQ(d["api_requests"], 2u);

  SessionUsage many;
  for (int i = 0; i < 100; ++i) many.apply(logs(1.0, 1, "model-" + std::to_string(i)));
  const json by_model = many.detail_json()["by_model"];
  EXPECT_EQ(by_model.size(), UsageBreakdown::kMaxKeys);
  EXPECT_EQ(by_model["other"]["input_tokens"], 100u - (UsageBreakdown::kMaxKeys - 1));
  EXPECT_EQ(many.compact_json()["input_tokens"], 100u) << "the total stays exact";
}

TEST(SessionUsage, NumbersThatAreNotSpendAreSkipped) {
  SessionUsage u;
  u.apply({{"source", "logs"}, {"cost_usd", -3.0}, {"input_tokens", -7}, {"output_tokens", "12"}});
  EXPECT_DOUBLE_EQ(u.compact_json()["cost_usd"].get<double>(), 0.0);
  EXPECT_EQ(u.compact_json()["input_tokens"], 0u);
  EXPECT_EQ(u.compact_json()["output_tokens"], 0u);
  EXPECT_FALSE(u.apply("not an object"));
}

class TelemetryStore : public ::testing::Test {
 protected:
  static StoreLimits limits() {
    StoreLimits l;
    l.expire_after = std::chrono::seconds(100);
    l.completed_grace = std::chrono::seconds(10);
    l.stale_after = std::chrono::seconds(1000);
    l.max_sessions = 3;
    l.session.max_agents = 4;
    l.session.max_tool_calls = 5;
    return l;
  }
  bool telemetry(const std::string& id, json usage) {
    return store_.apply({{"session_id", id}, {"origin", "telemetry"}, {"usage", std::move(usage)}}, now_).applied;
  }
  void hook(const std::string& id) {
    now_.steady += std::chrono::milliseconds(10);
    now_.system += std::chrono::milliseconds(10);
    store_.apply({{"session_id", id}, {"lifecycle", "start"}}, now_);
  }
  Now now_ = Now::current();
  SessionStore store_{limits()};
};

TEST_F(TelemetryStore, TelemetryIsNotAnEventAndCreatesOnlyIntoRoom) {
  hook("h1");
  EXPECT_TRUE(telemetry("t1", logs(1.0, 10)));
  EXPECT_TRUE(telemetry("h1", logs(2.0, 20)));
  EXPECT_EQ(store_.find("h1")["event_count"], 1u);
  EXPECT_EQ(store_.find("t1")["event_count"], 0u);
  EXPECT_TRUE(telemetry("t2", logs(1.0, 10)));
  EXPECT_FALSE(telemetry("t3", logs(1.0, 10))) << "full: telemetry never evicts";
  EXPECT_TRUE(store_.find("t3").is_null());
  const StoreSummary sum = store_.summary();
  EXPECT_EQ(sum.telemetry_only, 2u);
  EXPECT_EQ(sum.sessions_with_usage, 3u);
  EXPECT_DOUBLE_EQ(sum.usage.cost_usd, 4.0);
  EXPECT_EQ(sum.api_errors_seen, 0u);
  // API errors as the sender writes them (a JSON integer) are counted for the heartbeat.
  EXPECT_TRUE(telemetry("h1", {{"source", "logs"}, {"api_errors", 1}, {"status_code", "529"}}));
  EXPECT_TRUE(telemetry("t1", {{"source", "logs"}, {"api_errors", 2}}));
  EXPECT_EQ(store_.summary().api_errors_seen, 3u);
}

TEST_F(TelemetryStore, AHookSessionNeedingRoomPushesOutTelemetryOnlySessionsFirst) {
  hook("h1");
  hook("h2");
  telemetry("t1", logs(1.0, 10));  // the newest, yet the one to go
  hook("h3");
  EXPECT_TRUE(store_.find("t1").is_null());
  for (const char* id : {"h1", "h2", "h3"}) EXPECT_TRUE(store_.find(id).is_object()) << id;
}

TEST_F(TelemetryStore, AHookEventMakesATelemetrySessionAnOrdinaryOne) {
  telemetry("s", logs(1.0, 10));
  EXPECT_EQ(store_.summary().telemetry_only, 1u);
  hook("s");
  EXPECT_EQ(store_.summary().telemetry_only, 0u);
  EXPECT_EQ(store_.find("s")["event_count"], 1u);
  EXPECT_DOUBLE_EQ(store_.find("s")["usage"]["cost_usd"].get<double>(), 1.0) << "its spend stays";
}

}  // namespace
}  // namespace hookbroker::sessions
