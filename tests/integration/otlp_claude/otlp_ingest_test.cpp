// Recorded OTLP/JSON bodies, built from the field lists of Claude Code's
// monitoring reference (intValue as strings and as numbers, plain and gzip),
// posted to the real broker: exact token and cost totals per session, model
// and agent in GET /api/sessions/{id} and the heartbeat; logs win over
// metrics for the same session; one usage broadcast per second at most.
#include <gtest/gtest.h>

#include <cmath>

#include "broker_http.hpp"
#include "broker_process.hpp"
#include "json_lines.hpp"
#include "otlp_broker.hpp"
#include "session_broker.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void expect_ok_without_rejections(const hookbroker::http_client::Answer& a, const std::string& what) {
  ASSERT_EQ(a.status, 200) << what << ": " << a.body << a.error;
  const json body = json::parse(a.body, nullptr, false);
  EXPECT_EQ(body, json::object()) << what << ": every record should be taken: " << a.body;
}

void expect_tally(const json& usage, std::uint64_t input, std::uint64_t output, std::uint64_t cache_read,
                  std::uint64_t cache_creation, double cost, std::uint64_t requests, std::uint64_t errors) {
  ASSERT_TRUE(usage.is_object()) << usage;
  EXPECT_EQ(usage.value("input_tokens", 0u), input) << usage;
  EXPECT_EQ(usage.value("output_tokens", 0u), output) << usage;
  EXPECT_EQ(usage.value("cache_read_tokens", 0u), cache_read) << usage;
  EXPECT_EQ(usage.value("cache_creation_tokens", 0u), cache_creation) << usage;
  EXPECT_NEAR(usage.value("cost_usd", -1.0), cost, 1e-9) << usage;
  EXPECT_EQ(usage.value("api_requests", 0u), requests) << usage;
  EXPECT_EQ(usage.value("api_errors", 0u), errors) << usage;
}

class OtlpIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = std::make_unique<hbtest::BrokerProcess>(sessions_it::broker_args(bus_, "", "0.2"));
    port_ = broker_->port();
    ASSERT_GT(port_, 0) << broker_->output();
  }

  hbtest::TempDir dir_;
  const std::string bus_ = dir_.file("bus.jsonl");
  std::unique_ptr<hbtest::BrokerProcess> broker_;
  int port_ = 0;
};

TEST_F(OtlpIngest, RecordedBodiesGiveExactTotalsPerSessionModelAndAgent) {
  expect_ok_without_rejections(otlp_it::post(port_, {"/v1/logs", otlp_it::fixture("logs_string_ints.json")}),
                               "logs, intValue as strings, plain");
  expect_ok_without_rejections(
      otlp_it::post(port_, {"/v1/logs", otlp_it::gzip(otlp_it::fixture("logs_number_ints.json")), "application/json", "gzip"}),
      "logs, intValue as numbers, gzip");
  expect_ok_without_rejections(
      otlp_it::post(port_, {"/v1/metrics", otlp_it::gzip(otlp_it::fixture("metrics_delta.json")), "application/json", "gzip"}),
      "metrics, delta, gzip");
  // The same spend as metrics for a session whose logs arrived: not added again.
  expect_ok_without_rejections(
      otlp_it::post(port_, {"/v1/metrics", replaced(otlp_it::fixture("metrics_delta.json"), "sess-otlp-3", "sess-otlp-1")}),
      "metrics for a session with logs");

  const json one = otlp_it::session(port_, "sess-otlp-1");
  ASSERT_TRUE(one.is_object()) << "telemetry alone creates the session";
  const json& usage = one["usage"];
  expect_tally(usage, 1500, 430, 8000, 400, 0.0144, 2, 1);
  EXPECT_EQ(usage.value("source", ""), "logs");
  expect_tally(usage["by_model"]["claude-sonnet-4-5-20250929"], 1200, 350, 8000, 400, 0.0123, 1, 1);
  expect_tally(usage["by_model"]["claude-haiku-4-5-20251001"], 300, 80, 0, 0, 0.0021, 1, 0);
  expect_tally(usage["by_agent"]["main"], 1200, 350, 8000, 400, 0.0123, 1, 1);
  expect_tally(usage["by_agent"]["Explore"], 300, 80, 0, 0, 0.0021, 1, 0);
  EXPECT_EQ(usage["errors_by_status"], (json{{"529", 1}}));
  EXPECT_EQ(one.value("event_count", 99u), 0u) << "telemetry is not a hook event";
  // The tool result the hooks never reported is a finished call.
  EXPECT_NE(one["tools"].dump().find("toolu_otlp_01"), std::string::npos) << one["tools"];
  EXPECT_EQ(one["tool_calls"].value("finished", 0u), 1u) << one["tool_calls"];

  const json two = otlp_it::session(port_, "sess-otlp-2");
  expect_tally(two["usage"], 1024, 256, 100, 0, 0.75, 2, 0);
  const json three = otlp_it::session(port_, "sess-otlp-3");
  expect_tally(three["usage"], 5000, 700, 20000, 300, 1.25, 0, 0);
  EXPECT_EQ(three["usage"].value("source", ""), "metrics");

  const json beat = sessions_it::wait_for_heartbeat(
      bus_, [](const json& d) { return d.contains("usage") && d["usage"].value("sessions", 0u) == 3; }, 10s);
  ASSERT_TRUE(beat.is_object()) << broker_->output();
  expect_tally(beat["usage"], 7524, 1386, 28100, 700, 2.0144, 4, 1);
  // The one API error was counted in exactly one heartbeat's interval.
  std::uint64_t errors_in_intervals = 0;
  for (const auto& d : sessions_it::heartbeats(bus_))
    if (d.contains("usage")) errors_in_intervals += d["usage"].value("api_errors_last_interval", 0u);
  EXPECT_EQ(errors_in_intervals, 1u);
  EXPECT_TRUE(beat["telemetry"].is_object()) << beat;
  EXPECT_EQ(beat["telemetry"]["requests"].value("logs", 0u), 2u) << beat["telemetry"];
  EXPECT_TRUE(beat["telemetry"]["last_received_at"].is_string()) << beat["telemetry"];
  // A compact usage in the session list (what dashboards show in the table).
  const json listed = sessions_it::session_in(beat, "sess-otlp-2");
  expect_tally(listed["usage"], 1024, 256, 100, 0, 0.75, 2, 0);

  // Clients got each session's usage, the last with the final figures.
  ASSERT_TRUE(hbtest::wait_until(
      [&] {
        for (const auto& e : hbtest::broadcasts(bus_, "claude_event", "usage"))
          if (e.value("session_id", "") == "sess-otlp-3") return true;
        return false;
      },
      10s));
}

/// The value of one sample line of a /metrics page ("name{labels} value"), or -1.
double sample(const std::string& page, const std::string& series) {
  const auto at = page.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + series.size() + 2));
}

TEST(OtlpMetricsPage, CostAndTokenCountersAreExact) {
  hbtest::TempDir dir;
  const std::string bus = dir.file("bus.jsonl");
  hbtest::BrokerProcess broker(
      sessions_it::broker_args(bus, "", "0.2", {"--set", "plugins.metrics_prometheus.enabled=true"}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  expect_ok_without_rejections(otlp_it::post(port, {"/v1/logs", otlp_it::fixture("logs_string_ints.json")}), "logs");
  expect_ok_without_rejections(
      otlp_it::post(port, {"/v1/logs", otlp_it::gzip(otlp_it::fixture("logs_number_ints.json")), "application/json", "gzip"}),
      "logs, gzip");
  expect_ok_without_rejections(otlp_it::post(port, {"/v1/metrics", otlp_it::fixture("metrics_delta.json")}), "metrics");
  // The same spend as metrics for a session whose logs are the source: not counted.
  expect_ok_without_rejections(
      otlp_it::post(port, {"/v1/metrics", replaced(otlp_it::fixture("metrics_delta.json"), "sess-otlp-3", "sess-otlp-1")}),
      "metrics for a session with logs");
  // The page reads the heartbeat: wait for one that saw all four requests.
  ASSERT_TRUE(sessions_it::wait_for_heartbeat(
                  bus, [](const json& d) { return d.contains("telemetry") && d["telemetry"].value("records", 0u) >= 16; },
                  10s)
                  .is_object());
  std::string page;
  ASSERT_TRUE(hbtest::wait_until(
      [&] {
        page = sessions_it::BrokerHttp(port).get("/metrics").body;
        return sample(page, "hookbroker_cost_usd_total") > 2;
      },
      10s))
      << page;
  EXPECT_NEAR(sample(page, "hookbroker_cost_usd_total"), 2.0144, 1e-9) << page;
  EXPECT_EQ(sample(page, R"(hookbroker_tokens_total{type="input",model="claude-sonnet-4-5-20250929"})"), 6200) << page;
  EXPECT_EQ(sample(page, R"(hookbroker_tokens_total{type="cacheRead",model="claude-sonnet-4-5-20250929"})"), 28000)
      << page;
  EXPECT_EQ(sample(page, R"(hookbroker_tokens_total{type="input",model="claude-opus-4-1-20250805"})"), 1024) << page;
  EXPECT_EQ(sample(page, R"(hookbroker_tokens_total{type="output",model="claude-haiku-4-5-20251001"})"), 80) << page;
}

TEST_F(OtlpIngest, UsageBroadcastsComeAtMostOncePerSecondPerSession) {
  // Twenty requests for one session within well under a second.
  for (int i = 0; i < 20; ++i)
    expect_ok_without_rejections(otlp_it::post(port_, {"/v1/logs", otlp_it::fixture("logs_number_ints.json")}), "post");
  std::vector<json> updates;
  ASSERT_TRUE(hbtest::wait_until(
      [&] {
        updates = hbtest::broadcasts(bus_, "claude_event", "usage");
        return !updates.empty() && updates.back()["data"]["usage"].value("api_requests", 0u) == 40u;
      },
      10s))
      << updates.size() << " updates";
  EXPECT_LE(updates.size(), 10u) << "not one per record or request";
  for (std::size_t i = 1; i < updates.size(); ++i) {
    const auto gap = hbtest::parse_iso8601(updates[i]["timestamp"]) - hbtest::parse_iso8601(updates[i - 1]["timestamp"]);
    EXPECT_GE(gap, 900ms) << "updates " << i - 1 << " and " << i;
  }
  expect_tally(updates.back()["data"]["usage"], 20 * 1024, 20 * 256, 20 * 100, 0, 20 * 0.75, 40, 0);
}

TEST_F(OtlpIngest, CumulativeMetricsAddOnlyWhatGrew) {
  auto cumulative = [](double cost) {
    return R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"claude_code.cost.usage","unit":"USD",
      "sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"attributes":[
        {"key":"session.id","value":{"stringValue":"sess-cumulative"}},
        {"key":"model","value":{"stringValue":"claude-sonnet-4-5"}}],
        "startTimeUnixNano":"1764900000000000000","asDouble":)" +
           std::to_string(cost) + "}]}}]}]}]}";
  };
  expect_ok_without_rejections(otlp_it::post(port_, {"/v1/metrics", cumulative(1.0)}), "first total");
  expect_ok_without_rejections(otlp_it::post(port_, {"/v1/metrics", cumulative(1.5)}), "grown total");
  const json s = otlp_it::session(port_, "sess-cumulative");
  ASSERT_TRUE(s.is_object());
  EXPECT_NEAR(s["usage"].value("cost_usd", 0.0), 1.5, 1e-12) << s["usage"];
}

TEST_F(OtlpIngest, TracesAreAnsweredAndCounted) {
  const auto a = otlp_it::post(port_, {"/v1/traces", R"({"resourceSpans":[]})"});
  EXPECT_EQ(a.status, 200) << a.body;
  const json beat = sessions_it::wait_for_heartbeat(
      bus_, [](const json& d) { return d.contains("telemetry") && d["telemetry"]["requests"].value("traces", 0u) == 1; },
      10s);
  EXPECT_TRUE(beat.is_object());
}

}  // namespace
