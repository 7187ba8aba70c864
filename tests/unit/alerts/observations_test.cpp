#include "observations.hpp"

#include <gtest/gtest.h>

#include "hookbroker/time.hpp"

namespace {

using namespace hookbroker::alerts;
using namespace std::chrono_literals;
using nlohmann::json;

TEST(Observations, RulesReportValueAndWhetherTheyHold) {
  const std::vector<AlertRule> rules = {
      parse_rule({{"name", "hot"}, {"metric", "system_metrics.cpu_percent"}, {"op", ">"}, {"value", 80}}, 0),
      parse_rule({{"name", "gone"}, {"metric", "not.there"}, {"op", "<"}, {"value", 1}}, 1)};
  const auto obs = observe_rules(rules, {{"system_metrics", {{"cpu_percent", 93.5}}}});
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_TRUE(obs[0].met);
  EXPECT_EQ(obs[0].value, 93.5);
  EXPECT_EQ(obs[0].message, "system_metrics.cpu_percent is 93.5 (rule: system_metrics.cpu_percent > 80)");
  EXPECT_EQ(obs[0].details["threshold"], 80);
  EXPECT_FALSE(obs[1].met) << "a missing metric never fires";
  EXPECT_TRUE(obs[1].value.is_null());
  EXPECT_NE(obs[1].message.find("is not in the heartbeat"), std::string::npos);
}

TEST(Observations, OneContributorErrorAlertPerPlugin) {
  const json data = {{"plugin_errors", {{{"plugin", "slow"}, {"error", "missed the 250 ms deadline"}},
                                        {{"plugin", "slow"}, {"error", "again"}},
                                        {{"plugin", "bad"}, {"error", "threw: x"}}}}};
  const auto obs = observe_contributor_errors(data);
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0].key, "contributor_errors:slow");
  EXPECT_EQ(obs[0].message, "heartbeat contributor 'slow' failed: missed the 250 ms deadline");
  EXPECT_EQ(obs[1].details["plugin"], "bad");
  EXPECT_TRUE(observe_contributor_errors({{"plugin_errors", json::array()}}).empty());
}

TEST(Observations, NoClients) {
  EXPECT_TRUE(observe_no_clients({{"connected_clients", 0}}, 3).met);
  EXPECT_FALSE(observe_no_clients({{"connected_clients", 2}}, 3).met);
  EXPECT_FALSE(observe_no_clients(json::object(), 3).met);
  EXPECT_EQ(observe_no_clients({{"connected_clients", 0}}, 3).for_ticks, 3u);
}

TEST(Observations, SessionsWaitingForPermissionBeyondTheLimit) {
  const auto now = std::chrono::system_clock::now();
  auto session = [&](const char* id, const char* activity, std::chrono::seconds ago) {
    return json{{"session_id", id},
                {"agent", "pm"},
                {"activity", activity},
                {"last_activity", hookbroker::iso8601_utc(now - ago)}};
  };
  const json sessions = {session("long", "waiting_for_permission", 400s),
                         session("short", "waiting_for_permission", 100s),
                         session("busy", "working", 900s)};
  const auto obs = observe_permission_waits(sessions, 300, now);
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0].key, "permission_wait:long");
  EXPECT_EQ(obs[0].session_id, "long");
  EXPECT_GE(obs[0].value.get<double>(), 399.0);
  EXPECT_NE(obs[0].message.find("session long (pm) has waited"), std::string::npos) << obs[0].message;
}

}  // namespace
