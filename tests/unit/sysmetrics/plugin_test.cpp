// The built sysmetrics.so, loaded as the core loads it.
#include <gtest/gtest.h>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"

namespace {

using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;

TEST(SysmetricsPlugin, ManifestIsAContributorOnByDefaultOwningSystemMetrics) {
  LoadedPlugin library(SYSMETRICS_PLUGIN_PATH);
  const auto& m = library.manifest();
  EXPECT_EQ(m.name, "sysmetrics");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  EXPECT_EQ(m.flags & HOOKBROKER_FLAG_DISABLED_BY_DEFAULT, 0u);
  EXPECT_EQ(m.heartbeat_keys, "system_metrics");
  ASSERT_EQ(m.options.size(), 1u);
  EXPECT_STREQ(m.options[0].name, "proc_root");
  EXPECT_STREQ(m.options[0].default_json, "\"/proc\"");
}

TEST(SysmetricsPlugin, ContributesOnlyItsKeyWithEveryMetric) {
  LoadedPlugin library(SYSMETRICS_PLUGIN_PATH);
  FakeHost host("sysmetrics");
  auto plugin = library.create(host, {{"proc_root", "/proc"}});
  auto* contributor = plugin.heartbeat_contributor();
  ASSERT_NE(contributor, nullptr);
  const auto data = host.on_strand([&] { return contributor->contribute(); });
  ASSERT_EQ(data.size(), 1u) << data.dump();
  const auto& m = data.at("system_metrics");
  for (const char* key : {"cpu_percent", "rss_bytes", "open_fds", "threads", "load_1m", "load_5m", "load_15m",
                          "memory_available_bytes", "memory_total_bytes", "memory_available_percent",
                          "host_uptime_seconds", "cpu_count"})
    EXPECT_TRUE(m.contains(key) && m[key].is_number()) << key << " in " << m.dump();
}

}  // namespace
