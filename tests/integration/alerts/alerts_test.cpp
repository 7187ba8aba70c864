// alerts through the real broker: a rule fires and resolves exactly once per
// transition as system_event alerts, shows under `alerts`, is logged at
// WARN and POSTed to a webhook; built-ins see a failing contributor and a
// session stuck on a permission prompt; a bad rule stops the broker (exit 2).
#include <gtest/gtest.h>

#include "loopback_receiver.hpp"
#include "plugin_broker.hpp"
#include "socketio_broker.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;
using nlohmann::json;

std::vector<std::string> alerts_with(const json& rules, const std::vector<std::string>& extra = {}) {
  return enable("alerts") + config("alerts", "rules", rules.dump()) + extra;
}

TEST(AlertsBroker, ARuleFiresAndResolvesOncePerTransitionEverywhere) {
  alerts_test::LoopbackReceiver receiver;
  const json rules = {{{"name", "clients_present"}, {"metric", "connected_clients"}, {"op", ">="}, {"value", 1},
                       {"severity", "info"}}};
  PluginBroker broker(alerts_with(rules, config("alerts", "webhooks", json::array({receiver.url("/hook")}).dump())));
  ASSERT_GT(broker.port(), 0) << broker.output();

  auto ws = sio_it::connected_ws(broker.port());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(hbtest::wait_until([&] { return broker.system_events("alert").size() == 1; }, hbtest::scaled(10s)))
      << broker.output();
  const auto fired = broker.system_events("alert")[0];
  EXPECT_EQ(fired["type"], "system");
  EXPECT_EQ(fired["subtype"], "alert");
  EXPECT_EQ(fired["data"]["alert"], "clients_present");
  EXPECT_EQ(fired["data"]["state"], "firing");
  EXPECT_EQ(fired["data"]["severity"], "info");
  EXPECT_EQ(fired["data"]["value"], 1);
  EXPECT_TRUE(broker.process().wait_for_log("alert clients_present firing \\(info\\)", 5s));

  // The next heartbeats show it firing, and no second event comes while it stays so.
  const auto shown = broker.wait_heartbeat(
      [](const json& d) { return d.contains("alerts") && d["alerts"]["firing_count"] == 1; }, hbtest::scaled(10s));
  ASSERT_TRUE(shown);
  EXPECT_EQ((*shown)["data"]["alerts"]["firing"][0]["alert"], "clients_present");
  const std::size_t beats = broker.heartbeats().size();
  ASSERT_TRUE(hbtest::wait_until([&] { return broker.heartbeats().size() >= beats + 3; }, hbtest::scaled(10s)));
  EXPECT_EQ(broker.system_events("alert").size(), 1u) << "no repeats while firing";

  ASSERT_TRUE(receiver.wait_for(1, hbtest::scaled(10s)));
  const auto posted = json::parse(receiver.bodies()[0]);
  EXPECT_EQ(posted["event"], "alert");
  EXPECT_EQ(posted["data"]["state"], "firing");

  ws->send("41");
  ws.reset();
  ASSERT_TRUE(hbtest::wait_until([&] { return broker.system_events("alert").size() == 2; }, hbtest::scaled(10s)));
  EXPECT_EQ(broker.system_events("alert")[1]["data"]["state"], "resolved");
  EXPECT_TRUE(broker.process().wait_for_log("alert clients_present resolved", 5s));
  ASSERT_TRUE(receiver.wait_for(2, hbtest::scaled(10s)));
  EXPECT_EQ(json::parse(receiver.bodies()[1])["data"]["state"], "resolved");
  EXPECT_EQ(broker.process().stop(), 0);
}

TEST(AlertsBroker, AFailingContributorRaisesTheBuiltInAlert) {
  PluginBroker broker(alerts_with(json::array(), {"--plugin-dir", std::string(FIXTURE_PLUGIN_ROOT) + "/contributor_throws"}));
  ASSERT_TRUE(hbtest::wait_until([&] { return !broker.system_events("alert").empty(); }, hbtest::scaled(10s)))
      << broker.output();
  const auto alert = broker.system_events("alert")[0];
  EXPECT_EQ(alert["data"]["alert"], "contributor_errors:fixture_contributor_throws");
  EXPECT_NE(alert["data"]["message"].get<std::string>().find("fixture contributor failure"), std::string::npos);
}

TEST(AlertsBroker, ASessionWaitingForPermissionTooLongRaisesAnAlertForIt) {
  PluginBroker broker(alerts_with(json::array(), config("alerts", "permission_wait_s", "1")));
  ASSERT_GT(broker.port(), 0) << broker.output();
  const json prompt = {{"hook_event_name", "PermissionRequest"}, {"session_id", "perm-1"}, {"tool_name", "Bash"},
                       {"tool_input", {{"command", "rm -rf build"}}}, {"cwd", "/tmp"}};
  const auto posted = broker.post_event(prompt);
  ASSERT_EQ(posted.status, 204) << posted.body;
  ASSERT_TRUE(hbtest::wait_until([&] { return !broker.system_events("alert").empty(); }, hbtest::scaled(15s)))
      << broker.output();
  const auto alert = broker.system_events("alert")[0];
  EXPECT_EQ(alert["data"]["alert"], "permission_wait:perm-1");
  EXPECT_EQ(alert["session_id"], "perm-1");
  EXPECT_GE(alert["data"]["value"].get<double>(), 1.0);
}

TEST(AlertsBroker, ABadRuleStopsTheBrokerWithExit2NamingTheRule) {
  const json rules = {{{"name", "cpu_hot"}, {"metric", "system_metrics.cpu_percent"}, {"op", "=>"}, {"value", 80}}};
  hbtest::BrokerProcess broker({"--port", "0", "--set", "plugins.alerts.enabled=true", "--set",
                                "plugins.alerts.config.rules=" + rules.dump()});
  EXPECT_EQ(broker.wait_exit(hbtest::scaled(10s)), 2) << broker.output();
  EXPECT_NE(broker.output().find("alerts rule #1 (\"cpu_hot\"): \"op\" \"=>\" is not one of"), std::string::npos)
      << broker.output();
}

TEST(AlertsBroker, DescribePluginShowsItsSchema) {
  const auto r = hbtest::run_command({hbtest::broker_binary(), "--describe-plugin", "alerts"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* word : {"rules", "contributor_errors", "no_clients_ticks", "permission_wait_s", "webhooks",
                           "webhook_timeout_s", "webhook_retries", "webhook_backoff_s"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " in\n" << r.out;
}

}  // namespace
