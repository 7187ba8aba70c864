// What Claude Code's records mean for its sessions: api_request, api_error
// and tool_result events and the cost and token metrics as tracker changes;
// unusable values rejected with a reason, other events ignored; cumulative
// sums turned into increments.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "claude_telemetry.hpp"

namespace hookbroker::otlp {
namespace {

using nlohmann::json;

LogRecord record(const std::string& event, json attributes) {
  LogRecord r;
  r.event_name = event;
  r.attributes = std::move(attributes);
  return r;
}

MetricPoint point(const std::string& name, double value, json attributes,
                  Temporality temporality = Temporality::Delta) {
  MetricPoint p;
  p.name = name;
  p.value = value;
  p.is_sum = true;
  p.monotonic = true;
  p.temporality = temporality;
  p.attributes = std::move(attributes);
  return p;
}

TEST(ClaudeTelemetry, AnApiRequestIsItsSpendInTheSession) {
  const auto t = translate_log(record("claude_code.api_request",
                                      {{"session.id", "s1"},
                                       {"model", "claude-sonnet-4-5"},
                                       {"cost_usd", 0.0123},
                                       {"input_tokens", "1200"},  // intValue as proto3 JSON writes it
                                       {"output_tokens", 350},
                                       {"cache_read_tokens", 8000.0},
                                       {"query_source", "agent:builtin:Explore"}}));
  ASSERT_EQ(t.kind, Translation::Kind::Change) << t.reason;
  EXPECT_EQ(t.change["session_id"], "s1");
  EXPECT_EQ(t.change["origin"], "telemetry");
  const json& u = t.change["usage"];
  EXPECT_EQ(u["source"], "logs");
  EXPECT_EQ(u["model"], "claude-sonnet-4-5");
  EXPECT_EQ(u["agent"], "Explore");
  EXPECT_EQ(u["input_tokens"], 1200u);
  EXPECT_EQ(u["output_tokens"], 350u);
  EXPECT_EQ(u["cache_read_tokens"], 8000u);
  EXPECT_EQ(u["cache_creation_tokens"], 0u);
  EXPECT_DOUBLE_EQ(u["cost_usd"].get<double>(), 0.0123);
  EXPECT_EQ(u["api_requests"], 1);
}

TEST(ClaudeTelemetry, TheAgentIsAgentNameThenASubagentsQuerySourceThenMain) {
  auto agent = [](json attributes) {
    attributes["session.id"] = "s1";
    return translate_log(record("api_request", attributes)).change["usage"]["agent"].get<std::string>();
  };
  EXPECT_EQ(agent({{"agent.name", "reviewer"}, {"query_source", "agent:custom"}}), "reviewer");
  EXPECT_EQ(agent({{"query_source", "agent:builtin:general-purpose"}}), "general-purpose");
  EXPECT_EQ(agent({{"query_source", "repl_main_thread"}}), "main");
  EXPECT_EQ(agent(json::object()), "main");
}

TEST(ClaudeTelemetry, UnusableNumbersRejectTheRecordWithAReason) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"cost_usd", std::numeric_limits<double>::quiet_NaN()}}, "cost_usd"},
      {{{"cost_usd", -0.5}}, "cost_usd"},
      {{{"cost_usd", "Infinity"}}, "cost_usd"},
      {{{"cost_usd", "a lot"}}, "cost_usd"},
      {{{"input_tokens", "-5"}}, "input_tokens"},
      {{{"output_tokens", 1.5}}, "output_tokens"},
      {{{"cache_read_tokens", json::array({1, 2})}}, "cache_read_tokens"},
  };
  for (auto [attributes, field] : cases) {
    attributes["session.id"] = "s1";
    const auto t = translate_log(record("claude_code.api_request", attributes));
    EXPECT_EQ(t.kind, Translation::Kind::Rejected) << attributes;
    EXPECT_NE(t.reason.find(field), std::string::npos) << t.reason;
  }
  const auto no_session = translate_log(record("claude_code.api_request", {{"cost_usd", 1.0}}));
  EXPECT_EQ(no_session.kind, Translation::Kind::Rejected);
  EXPECT_NE(no_session.reason.find("session.id"), std::string::npos);
}

TEST(ClaudeTelemetry, ApiErrorsCountByStatusCode) {
  const auto t = translate_log(record("api_error", {{"session.id", "s1"}, {"status_code", 529}, {"error", "Overloaded"}}));
  ASSERT_EQ(t.kind, Translation::Kind::Change);
  EXPECT_EQ(t.change["usage"]["api_errors"], 1);
  EXPECT_EQ(t.change["usage"]["status_code"], "529");
  const auto none = translate_log(record("api_error", {{"session.id", "s1"}}));
  EXPECT_EQ(none.change["usage"]["status_code"], "unknown");
}

TEST(ClaudeTelemetry, ToolResultsFinishTheirCallByToolUseId) {
  const auto t = translate_log(record("claude_code.tool_result", {{"session.id", "s1"},
                                                                  {"tool_name", "Bash"},
                                                                  {"tool_use_id", "toolu_1"},
                                                                  {"success", "false"},
                                                                  {"error", "exit 1"},
                                                                  {"duration_ms", "15"}}));
  ASSERT_EQ(t.kind, Translation::Kind::Change);
  EXPECT_EQ(t.change["tool"], (json{{"phase", "end"},
                                     {"tool_use_id", "toolu_1"},
                                     {"tool_name", "Bash"},
                                     {"outcome", "failed"},
                                     {"duration_ms", 15.0},
                                     {"error", "exit 1"}}));
  // Without an id it cannot be paired safely: left alone.
  EXPECT_EQ(translate_log(record("tool_result", {{"session.id", "s1"}, {"tool_name", "Bash"}})).kind,
            Translation::Kind::Ignored);
}

TEST(ClaudeTelemetry, OtherEventsAreIgnored) {
  for (const char* name : {"claude_code.user_prompt", "claude_code.tool_decision", "something.else", ""})
    EXPECT_EQ(translate_log(record(name, {{"session.id", "s1"}})).kind, Translation::Kind::Ignored) << name;
}

TEST(ClaudeTelemetry, CostAndTokenMetricsBecomeMetricUsage) {
  CumulativeDeltas deltas;
  const auto cost = translate_metric(point("claude_code.cost.usage", 1.25, {{"session.id", "s1"}, {"model", "m"}}), deltas);
  ASSERT_EQ(cost.kind, Translation::Kind::Change) << cost.reason;
  EXPECT_EQ(cost.change["usage"]["source"], "metrics");
  EXPECT_DOUBLE_EQ(cost.change["usage"]["cost_usd"].get<double>(), 1.25);
  for (const auto& [type, field] : std::vector<std::pair<std::string, std::string>>{
           {"input", "input_tokens"}, {"output", "output_tokens"}, {"cacheRead", "cache_read_tokens"},
           {"cacheCreation", "cache_creation_tokens"}}) {
    const auto t = translate_metric(point("claude_code.token.usage", 42, {{"session.id", "s1"}, {"type", type}}), deltas);
    ASSERT_EQ(t.kind, Translation::Kind::Change) << type;
    EXPECT_EQ(t.change["usage"][field], 42u) << type;
  }
  EXPECT_EQ(translate_metric(point("claude_code.token.usage", 1, {{"session.id", "s1"}, {"type", "other"}}), deltas).kind,
            Translation::Kind::Rejected);
  EXPECT_EQ(translate_metric(point("claude_code.cost.usage", -1, {{"session.id", "s1"}}), deltas).kind,
            Translation::Kind::Rejected);
  EXPECT_EQ(translate_metric(point("claude_code.session.count", 1, {{"session.id", "s1"}}), deltas).kind,
            Translation::Kind::Ignored);
}

TEST(CumulativeDeltas, AddOnlyWhatGrewAndRestartOnADrop) {
  CumulativeDeltas deltas(2);
  const json a = {{"session.id", "a"}};
  EXPECT_DOUBLE_EQ(deltas.delta(point("c", 1.0, a, Temporality::Cumulative)), 1.0);
  EXPECT_DOUBLE_EQ(deltas.delta(point("c", 1.5, a, Temporality::Cumulative)), 0.5);
  EXPECT_DOUBLE_EQ(deltas.delta(point("c", 1.5, a, Temporality::Cumulative)), 0.0);
  EXPECT_DOUBLE_EQ(deltas.delta(point("c", 0.25, a, Temporality::Cumulative)), 0.25) << "the process restarted";
  EXPECT_DOUBLE_EQ(deltas.delta(point("c", 7.0, a, Temporality::Delta)), 7.0);
  // Bounded: a third series forgets the oldest.
  deltas.delta(point("c", 1.0, {{"session.id", "b"}}, Temporality::Cumulative));
  deltas.delta(point("c", 1.0, {{"session.id", "c"}}, Temporality::Cumulative));
  EXPECT_EQ(deltas.size(), 2u);
}

}  // namespace
}  // namespace hookbroker::otlp
