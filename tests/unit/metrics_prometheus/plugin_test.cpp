// The built metrics_prometheus.so on a FakeHost.
#include <gtest/gtest.h>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"
#include "prom_text_parser.hpp"

namespace {

using hookbroker::HttpRequest;
using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;
using nlohmann::json;

HttpRequest get(const std::string& path) {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  return r;
}

TEST(MetricsPrometheusPlugin, ManifestIsAnOffByDefaultSink) {
  LoadedPlugin library(METRICS_PROMETHEUS_PLUGIN_PATH);
  const auto& m = library.manifest();
  EXPECT_EQ(m.name, "metrics_prometheus");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_EVENT_SINK | HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  EXPECT_NE(m.flags & HOOKBROKER_FLAG_DISABLED_BY_DEFAULT, 0u);
  EXPECT_EQ(m.heartbeat_keys, "metrics_prometheus");
}

TEST(MetricsPrometheusPlugin, ServesWhatItCountedAsValidPrometheusText) {
  LoadedPlugin library(METRICS_PROMETHEUS_PLUGIN_PATH);
  FakeHost host("metrics_prometheus");
  hookbroker::Counters counters;
  counters.total_events = 1;
  host.set_counters(counters);
  auto plugin = library.create(host, {{"path", "/metrics"}});
  host.on_strand([&] { plugin->start(); });
  bool acked = false;
  host.on_strand([&] {
    plugin.event_sink()->consume(
        std::make_shared<const json>(json{{"type", "hook"}, {"subtype", "stop"}}), [&] { acked = true; });
  });
  EXPECT_TRUE(acked) << "a counting sink acknowledges at once";
  const auto own = host.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_TRUE(own.contains("metrics_prometheus"));
  host.on_strand([&] { plugin->on_heartbeat({{"data", {{"total_events", 1}}}}); });

  const auto response = host.call_http(get("/metrics"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain; version=0.0.4; charset=utf-8");
  const auto m = prom_test::parse_exposition(response->body);
  ASSERT_TRUE(m.ok()) << m.error << "\n" << response->body;
  EXPECT_EQ(m.value("hookbroker_events_by_type_total", {{"type", "hook"}, {"subtype", "stop"}}), 1);
  EXPECT_EQ(m.value("hookbroker_heartbeat_tick_duration_seconds", {}, "hookbroker_heartbeat_tick_duration_seconds_count"),
            1);
  EXPECT_EQ(m.value("hookbroker_metrics_scrapes_total"), 1);
  const auto next = host.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_TRUE(next["metrics_prometheus"]["previous_tick_ms"].is_number());
}

TEST(MetricsPrometheusPlugin, APathWithoutSlashIsAConfigError) {
  LoadedPlugin library(METRICS_PROMETHEUS_PLUGIN_PATH);
  FakeHost host("metrics_prometheus");
  EXPECT_THROW(library.create(host, {{"path", "metrics"}}), std::runtime_error);
}

}  // namespace
