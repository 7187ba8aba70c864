#include "alert_rule.hpp"

#include <gtest/gtest.h>

#include "hookbroker/config.hpp"

namespace {

using namespace hookbroker::alerts;
using nlohmann::json;

std::string rule_error(const json& rule, std::size_t index = 0) {
  try {
    parse_rule(rule, index);
  } catch (const hookbroker::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(AlertRule, ParsesEveryField) {
  const auto r = parse_rule({{"name", "cpu_hot"}, {"metric", "system_metrics.cpu_percent"}, {"op", ">="},
                             {"value", 80}, {"for_ticks", 2}, {"severity", "critical"}, {"message", "CPU!"}},
                            0);
  EXPECT_EQ(r.name, "cpu_hot");
  EXPECT_EQ(r.path, (std::vector<std::string>{"system_metrics", "cpu_percent"}));
  EXPECT_EQ(r.op, CompareOp::GreaterEqual);
  EXPECT_DOUBLE_EQ(r.threshold, 80);
  EXPECT_EQ(r.for_ticks, 2u);
  EXPECT_EQ(r.severity, Severity::Critical);
  EXPECT_EQ(r.message, "CPU!");
}

TEST(AlertRule, DefaultsNameTicksAndSeverity) {
  const auto r = parse_rule({{"metric", "clients.stale"}, {"op", ">"}, {"value", 0}}, 3);
  EXPECT_EQ(r.name, "clients.stale > 0");
  EXPECT_EQ(r.for_ticks, 1u);
  EXPECT_EQ(r.severity, Severity::Warning);
}

TEST(AlertRule, ErrorsNameTheRuleAndSayWhatIsAllowed) {
  const json base = {{"name", "cpu_hot"}, {"metric", "system_metrics.cpu_percent"}, {"op", ">"}, {"value", 80}};
  auto with = [&](const char* key, json value) {
    json r = base;
    r[key] = std::move(value);
    return r;
  };
  auto without = [&](const char* key) {
    json r = base;
    r.erase(key);
    return r;
  };
  const std::pair<json, const char*> cases[] = {
      {with("op", "=>"), "alerts rule #1 (\"cpu_hot\"): \"op\" \"=>\" is not one of > >= < <= == !="},
      {without("op"), "\"op\" is required"},
      {without("metric"), "\"metric\" is required"},
      {with("metric", "a..b"), "empty path segment"},
      {with("value", "80"), "\"value\" is required and must be a number"},
      {with("for_ticks", 0), "\"for_ticks\" must be a whole number from 1"},
      {with("for_ticks", 1.5), "\"for_ticks\" must be a whole number"},
      {with("severity", "fatal"), "\"severity\" must be \"info\", \"warning\" or \"critical\""},
      {with("threshold", 3), "unknown key \"threshold\""},
      {with("message", 3), "\"message\" must be a string"},
      {json("cpu > 80"), "alerts rule #1: must be an object"},
  };
  for (const auto& [rule, expected] : cases) {
    const std::string error = rule_error(rule);
    EXPECT_NE(error.find(expected), std::string::npos) << "rule " << rule.dump() << " gave: " << error;
  }
  json unnamed = without("name");
  unnamed["op"] = "~";
  EXPECT_EQ(rule_error(unnamed, 4).rfind("alerts rule #5: \"op\"", 0), 0u) << rule_error(unnamed, 4);
}

TEST(MetricValue, ReadsNumbersBooleansAndCountsContainers) {
  const json data = {{"system_metrics", {{"cpu_percent", 12.5}}},
                     {"flag", true},
                     {"plugin_errors", json::array({{{"plugin", "x"}}})},
                     {"active_sessions", json::array({{{"event_count", 7}}})},
                     {"name", "text"},
                     {"nothing", nullptr}};
  auto value = [&](const std::string& path) { return metric_value(data, split_metric_path(path)); };
  EXPECT_DOUBLE_EQ(*value("system_metrics.cpu_percent"), 12.5);
  EXPECT_DOUBLE_EQ(*value("flag"), 1.0);
  EXPECT_DOUBLE_EQ(*value("plugin_errors"), 1.0);
  EXPECT_DOUBLE_EQ(*value("active_sessions.0.event_count"), 7.0);
  EXPECT_FALSE(value("active_sessions.x.event_count"));
  EXPECT_FALSE(value("active_sessions.5.event_count"));
  EXPECT_FALSE(value("name"));
  EXPECT_FALSE(value("nothing"));
  EXPECT_FALSE(value("missing.path"));
  EXPECT_FALSE(value("system_metrics.cpu_percent.deeper"));
}

TEST(Compare, EveryOperator) {
  EXPECT_TRUE(compare(2, CompareOp::Greater, 1));
  EXPECT_FALSE(compare(1, CompareOp::Greater, 1));
  EXPECT_TRUE(compare(1, CompareOp::GreaterEqual, 1));
  EXPECT_TRUE(compare(0, CompareOp::Less, 1));
  EXPECT_TRUE(compare(1, CompareOp::LessEqual, 1));
  EXPECT_TRUE(compare(1, CompareOp::Equal, 1));
  EXPECT_TRUE(compare(1, CompareOp::NotEqual, 2));
}

}  // namespace
