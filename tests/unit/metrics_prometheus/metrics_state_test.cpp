#include "metrics_state.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hookbroker::prometheus;
using namespace std::chrono_literals;
using nlohmann::json;

TEST(Histogram, CountsIntoCumulativeBuckets) {
  Histogram h({0.1, 1});
  h.observe(0.05);
  h.observe(0.1);  // bounds are inclusive (le)
  h.observe(0.5);
  h.observe(7);
  EXPECT_EQ(h.cumulative(), (std::vector<std::uint64_t>{2, 3, 4}));
  EXPECT_DOUBLE_EQ(h.sum(), 7.65);
  EXPECT_EQ(h.count(), 4u);
}

TEST(MetricsState, CountsEventsByTypeAndSubtypeWithABoundedNumberOfKinds) {
  MetricsState s;
  s.count_event({{"type", "hook"}, {"subtype", "pre_tool"}});
  s.count_event({{"type", "hook"}, {"subtype", "pre_tool"}});
  s.count_event({{"type", "system"}});
  EXPECT_EQ(s.events_by_kind().at({"hook", "pre_tool"}), 2u);
  EXPECT_EQ(s.events_by_kind().at({"system", ""}), 1u);
  for (int i = 0; i < 500; ++i) s.count_event({{"type", "t"}, {"subtype", std::to_string(i)}});
  EXPECT_LE(s.events_by_kind().size(), MetricsState::kMaxEventKinds + 1);
  EXPECT_GT(s.events_by_kind().at({"_other", "_other"}), 0u);
}

TEST(MetricsState, TimesTheTickFromContributeToHeartbeat) {
  MetricsState s;
  const auto t0 = MetricsState::Clock::now();
  s.heartbeat_seen({{"data", json::object()}}, t0);  // no start seen: not timed
  EXPECT_EQ(s.tick_seconds().count(), 0u);
  s.tick_started(t0);
  s.heartbeat_seen({{"data", {{"plugin_errors", {{{"plugin", "slow"}, {"error", "late"}}}},
                              {"active_sessions", json::array({1, 2})},
                              {"total_events", 5}}}},
                   t0 + 3ms);
  EXPECT_EQ(s.tick_seconds().count(), 1u);
  EXPECT_NEAR(*s.last_tick_seconds(), 0.003, 1e-9);
  EXPECT_EQ(s.heartbeats(), 2u);
  EXPECT_EQ(s.contributor_errors().at("slow"), 1u);
  EXPECT_FALSE(s.last_data().contains("active_sessions"));
  EXPECT_EQ(s.last_data()["total_events"], 5);
}

}  // namespace
