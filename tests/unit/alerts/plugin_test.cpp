// The built alerts.so on a FakeHost: heartbeats in, alert events out.
#include <gtest/gtest.h>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"
#include "loopback_receiver.hpp"

namespace {

using hookbroker::LogLevel;
using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;
using nlohmann::json;
using namespace std::chrono_literals;

json heartbeat(double cpu, json extra = json::object()) {
  json data = {{"connected_clients", 1}, {"system_metrics", {{"cpu_percent", cpu}}}, {"plugin_errors", json::array()}};
  data.update(extra);
  return {{"type", "system"}, {"event", "heartbeat"}, {"data", data}};
}

json config(json rules, json webhooks = json::array()) {
  return {{"rules", std::move(rules)},   {"contributor_errors", true}, {"no_clients_ticks", 0},
          {"permission_wait_s", 0},       {"webhooks", std::move(webhooks)},
          {"webhook_timeout_s", 2},       {"webhook_retries", 1},        {"webhook_backoff_s", 0.05}};
}

const json kCpuRule = {{{"name", "cpu_hot"}, {"metric", "system_metrics.cpu_percent"}, {"op", ">"}, {"value", 80},
                        {"for_ticks", 2}, {"severity", "critical"}}};

class AlertsPlugin : public ::testing::Test {
 protected:
  LoadedPlugin library_{ALERTS_PLUGIN_PATH};
  FakeHost host_{"alerts"};
};

TEST_F(AlertsPlugin, ManifestIsOffByDefaultAndOwnsAlerts) {
  const auto& m = library_.manifest();
  EXPECT_EQ(m.name, "alerts");
  EXPECT_NE(m.flags & HOOKBROKER_FLAG_DISABLED_BY_DEFAULT, 0u);
  EXPECT_EQ(m.heartbeat_keys, "alerts");
  EXPECT_EQ(m.options.size(), 8u);
}

TEST_F(AlertsPlugin, PublishesOneEventPerTransitionAndShowsFiringInTheHeartbeat) {
  auto plugin = library_.create(host_, config(kCpuRule));
  host_.on_strand([&] { plugin->start(); });
  auto beat = [&](double cpu) { host_.on_strand([&] { plugin->on_heartbeat(heartbeat(cpu)); }); };

  beat(95);
  EXPECT_TRUE(host_.published().empty()) << "for_ticks 2: not yet";
  beat(96);
  ASSERT_EQ(host_.published().size(), 1u);
  beat(97);
  beat(98);
  ASSERT_EQ(host_.published().size(), 1u) << "no repeats while firing";

  const auto fired = host_.published()[0].to_json();
  EXPECT_EQ(fired["type"], "system");
  EXPECT_EQ(fired["event"], "alert");
  EXPECT_EQ(fired["subtype"], "alert");
  EXPECT_EQ(fired["data"]["alert"], "cpu_hot");
  EXPECT_EQ(fired["data"]["state"], "firing");
  EXPECT_EQ(fired["data"]["severity"], "critical");
  EXPECT_EQ(fired["data"]["value"], 96);
  EXPECT_EQ(host_.published()[0].channel, hookbroker::kSystemChannel);
  EXPECT_TRUE(host_.has_log(LogLevel::Warn, "alert cpu_hot firing (critical): system_metrics.cpu_percent is 96"));

  const auto shown = host_.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_EQ(shown["alerts"]["firing_count"], 1);
  EXPECT_EQ(shown["alerts"]["firing"][0]["alert"], "cpu_hot");
  EXPECT_EQ(shown["alerts"]["rules"], 1);

  beat(20);
  ASSERT_EQ(host_.published().size(), 2u);
  EXPECT_EQ(host_.published()[1].to_json()["data"]["state"], "resolved");
  EXPECT_TRUE(host_.has_log(LogLevel::Warn, "alert cpu_hot resolved"));
  EXPECT_EQ(host_.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); })["alerts"]["firing_count"],
            0);
}

TEST_F(AlertsPlugin, ContributorErrorsFireForTheFailingPlugin) {
  auto plugin = library_.create(host_, config(json::array()));
  host_.on_strand([&] {
    plugin->on_heartbeat(heartbeat(1, {{"plugin_errors", {{{"plugin", "slowpoke"}, {"error", "missed the deadline"}}}}}));
  });
  ASSERT_EQ(host_.published().size(), 1u);
  EXPECT_EQ(host_.published()[0].to_json()["data"]["alert"], "contributor_errors:slowpoke");
  host_.on_strand([&] { plugin->on_heartbeat(heartbeat(1)); });
  ASSERT_EQ(host_.published().size(), 2u);
  EXPECT_EQ(host_.published()[1].to_json()["data"]["state"], "resolved");
}

TEST_F(AlertsPlugin, TransitionsArePostedToWebhooks) {
  alerts_test::LoopbackReceiver receiver;
  auto plugin = library_.create(host_, config(kCpuRule, {receiver.url("/alerts")}));
  host_.start_threads(1);
  host_.on_strand([&] {
    plugin->on_heartbeat(heartbeat(99));
    plugin->on_heartbeat(heartbeat(99));
  });
  ASSERT_TRUE(receiver.wait_for(1, 5s));
  const auto body = json::parse(receiver.bodies()[0]);
  EXPECT_EQ(body["event"], "alert");
  EXPECT_EQ(body["data"]["alert"], "cpu_hot");
  EXPECT_TRUE(FakeHost::wait_until([&] {
    return host_.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); })["alerts"]["webhooks"]["sent"] == 1;
  }));
  host_.on_strand([&] { plugin->stop(); });
}

TEST_F(AlertsPlugin, ABadRuleIsAConfigErrorNamingIt) {
  json rules = kCpuRule;
  rules[0]["op"] = "=>";
  try {
    library_.create(host_, config(rules));
    FAIL() << "a rule with op => was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("alerts rule #1 (\"cpu_hot\"): \"op\" \"=>\" is not one of"), std::string::npos)
        << e.what();
  }
}

}  // namespace
