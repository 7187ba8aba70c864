#include "alert_engine.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hookbroker::alerts;
using namespace std::chrono_literals;

Observation obs(const std::string& key, bool met, unsigned for_ticks = 1, double value = 1) {
  Observation o;
  o.key = o.rule = key;
  o.met = met;
  o.for_ticks = for_ticks;
  o.value = value;
  o.message = key + " message";
  return o;
}

class Engine : public ::testing::Test {
 protected:
  std::vector<Transition> tick(std::vector<Observation> o) {
    now_ += 1s;
    return engine_.evaluate(std::move(o), now_);
  }
  AlertEngine engine_;
  AlertEngine::Clock::time_point now_ = AlertEngine::Clock::now();
};

TEST_F(Engine, FiresAfterForTicksOnceAndResolvesOnce) {
  EXPECT_TRUE(tick({obs("cpu", true, 2)}).empty());
  auto t = tick({obs("cpu", true, 2, 95)});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].state, Transition::State::Firing);
  const auto data = t[0].to_json();
  EXPECT_EQ(data["state"], "firing");
  EXPECT_EQ(data["alert"], "cpu");
  EXPECT_EQ(data["value"], 95);
  EXPECT_EQ(data["since"], data["at"]);
  EXPECT_TRUE(tick({obs("cpu", true, 2)}).empty()) << "no repeat while it stays firing";
  EXPECT_TRUE(tick({obs("cpu", true, 2)}).empty());
  t = tick({obs("cpu", false, 2, 10)});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].state, Transition::State::Resolved);
  EXPECT_EQ(t[0].to_json()["value"], 10);
  EXPECT_EQ(t[0].to_json()["since"], data["since"]);
  EXPECT_TRUE(tick({obs("cpu", false, 2)}).empty());
}

TEST_F(Engine, AnInterruptedRunStartsCountingAgain) {
  tick({obs("cpu", true, 3)});
  tick({obs("cpu", true, 3)});
  tick({obs("cpu", false, 3)});
  EXPECT_TRUE(tick({obs("cpu", true, 3)}).empty());
  EXPECT_TRUE(tick({obs("cpu", true, 3)}).empty());
  EXPECT_EQ(tick({obs("cpu", true, 3)}).size(), 1u);
}

TEST_F(Engine, AnAlertNoLongerObservedResolves) {
  ASSERT_EQ(tick({obs("permission_wait:s1", true)}).size(), 1u);
  const auto t = tick({});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].state, Transition::State::Resolved);
  EXPECT_EQ(t[0].observation.key, "permission_wait:s1");
}

TEST_F(Engine, SnapshotListsWhatIsFiring) {
  tick({obs("a", true), obs("b", true, 5), obs("c", false)});
  const auto s = engine_.snapshot();
  EXPECT_EQ(s["firing_count"], 1);
  ASSERT_EQ(s["firing"].size(), 1u);
  EXPECT_EQ(s["firing"][0]["alert"], "a");
  EXPECT_EQ(s["firing"][0]["message"], "a message");
  EXPECT_EQ(s["pending"], 1);
  EXPECT_EQ(s["evaluations"], 1);
  EXPECT_TRUE(s["evaluated_at"].is_string());
}

TEST_F(Engine, FiringTransitionsComeBeforeResolvedOnes) {
  tick({obs("old", true)});
  const auto t = tick({obs("old", false), obs("new", true)});
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].observation.key, "new");
  EXPECT_EQ(t[1].observation.key, "old");
}

}  // namespace
