// GET /metrics from the real broker: valid Prometheus text carrying events
// by type, sessions by status, heartbeat timing and contributor errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "plugin_broker.hpp"
#include "prom_text_parser.hpp"
#include "socketio_broker.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;
using nlohmann::json;

json hook(const char* event, const char* session) {
  return {{"hook_event_name", event}, {"session_id", session}, {"cwd", "/tmp"}, {"prompt", "hi"}};
}

TEST(MetricsBroker, ThePageIsValidAndCarriesTheBrokersNumbers) {
  PluginBroker broker(enable("metrics_prometheus") +
                      std::vector<std::string>{"--plugin-dir", std::string(FIXTURE_PLUGIN_ROOT) + "/contributor_throws"});
  ASSERT_GT(broker.port(), 0) << broker.output();
  ASSERT_EQ(broker.post_event(hook("UserPromptSubmit", "m-a")).status, 204);
  ASSERT_EQ(broker.post_event(hook("UserPromptSubmit", "m-b")).status, 204);
  ASSERT_EQ(broker.post_event(hook("SessionEnd", "m-b")).status, 204);
  ASSERT_EQ(broker.post_event(generic_event("custom")).status, 204);
  auto ws = sio_it::connected_ws(broker.port());
  ASSERT_TRUE(ws);
  // Two heartbeats after the events: timing and errors recorded.
  const std::size_t beats = broker.heartbeats().size();
  ASSERT_TRUE(hbtest::wait_until([&] { return broker.heartbeats().size() >= beats + 2; }, hbtest::scaled(10s)));

  const auto r = broker.get("/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto m = prom_test::parse_exposition(r.body);
  ASSERT_TRUE(m.ok()) << m.error << "\n" << r.body;

  EXPECT_EQ(m.value("hookbroker_events_total"), 4);
  EXPECT_EQ(m.value("hookbroker_events_by_type_total", {{"type", "hook"}, {"subtype", "user_prompt"}}), 2);
  EXPECT_EQ(m.value("hookbroker_events_by_type_total", {{"type", "hook"}, {"subtype", "session_end"}}), 1);
  EXPECT_EQ(m.value("hookbroker_events_by_type_total", {{"type", "test"}, {"subtype", "custom"}}), 1);
  EXPECT_EQ(m.value("hookbroker_sessions", {{"status", "active"}}), 1);
  EXPECT_EQ(m.value("hookbroker_sessions", {{"status", "completed"}}), 1);
  EXPECT_EQ(m.value("hookbroker_connected_clients"), 1);
  EXPECT_GE(m.value("hookbroker_heartbeat_tick_duration_seconds", {}, "hookbroker_heartbeat_tick_duration_seconds_count"), 2);
  EXPECT_GE(m.value("hookbroker_heartbeat_contributor_errors_total", {{"plugin", "fixture_contributor_throws"}}), 2);
  EXPECT_GT(m.value("hookbroker_heartbeat_value", {{"path", "system_metrics.rss_bytes"}}), 0);
  EXPECT_EQ(m.value("hookbroker_metrics_scrapes_total"), 1);

  // When Prometheus's own checker is installed, it agrees.
  if (std::system("command -v promtool >/dev/null 2>&1") == 0) {
    hbtest::TempDir dir;
    hbtest::write_file(dir.file("metrics.txt"), r.body);
    const auto check = hbtest::run_command({"/bin/sh", "-c", "promtool check metrics < " + dir.file("metrics.txt")});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }
}

TEST(MetricsBroker, WithATokenTheScrapeNeedsIt) {
  PluginBroker broker(enable("metrics_prometheus") + std::vector<std::string>{"--token", "s3cret"});
  ASSERT_GT(broker.port(), 0) << broker.output();
  EXPECT_EQ(broker.get("/metrics").status, 401);
  EXPECT_EQ(broker.get("/metrics", {{"Authorization", "Bearer s3cret"}}).status, 200);
}

TEST(MetricsBroker, DescribePluginShowsItsSchema) {
  const auto r = hbtest::run_command({hbtest::broker_binary(), "--describe-plugin", "metrics_prometheus"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("/metrics"), std::string::npos) << r.out;
}

}  // namespace
