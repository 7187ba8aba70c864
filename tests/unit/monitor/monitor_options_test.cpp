// Where the monitor connects: --url and --token over the tools' usual
// resolution, and the command line itself.
#include "monitor_options.hpp"

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

namespace hookbroker::monitor {
namespace {

broker_client::BrokerEndpoint configured(const std::string& token = "") {
  broker_client::BrokerEndpoint e;  // the defaults: 127.0.0.1:8765
  e.token = token;
  return e;
}

TEST(MonitorTarget, DefaultsToTheConfiguredBroker) {
  MonitorTarget t;
  ASSERT_EQ(resolve_target(MonitorOptions{}, configured("from-env"), t), "");
  EXPECT_EQ(t.base_url, "http://127.0.0.1:8765");
  EXPECT_EQ(t.ws_uri, "ws://127.0.0.1:8765/socket.io/?EIO=4&transport=websocket");
  EXPECT_EQ(t.token, "from-env");
}

TEST(MonitorTarget, UrlAndTokenOptionsWin) {
  MonitorOptions o;
  o.url = "http://localhost:9000/";
  o.token = "secret";
  MonitorTarget t;
  ASSERT_EQ(resolve_target(o, configured("from-env"), t), "");
  EXPECT_EQ(t.base_url, "http://127.0.0.1:9000");
  EXPECT_EQ(t.ws_uri, "ws://127.0.0.1:9000/socket.io/?EIO=4&transport=websocket");
  EXPECT_EQ(t.token, "secret");
}

TEST(MonitorTarget, IPv6PrefixAndCustomSocketIoPath) {
  MonitorOptions o;
  o.url = "http://[::1]:8765/broker";
  o.socketio_path = "live";
  MonitorTarget t;
  ASSERT_EQ(resolve_target(o, configured(), t), "");
  EXPECT_EQ(t.ws_uri, "ws://[::1]:8765/broker/live/?EIO=4&transport=websocket");
}

TEST(MonitorTarget, ABadUrlIsAnErrorWithAnExample) {
  MonitorOptions o;
  o.url = "ws://127.0.0.1:8765";
  MonitorTarget t;
  const std::string error = resolve_target(o, configured(), t);
  EXPECT_NE(error.find("--url ws://127.0.0.1:8765 is not http://HOST[:PORT]"), std::string::npos) << error;
  EXPECT_NE(error.find("http://127.0.0.1:8765"), std::string::npos) << error;
}

TEST(MonitorOptions, ParsesTheCommandLine) {
  CLI::App app;
  MonitorOptions o;
  add_monitor_options(app, o);
  app.parse("--json --events --once --timeout 2", false);
  EXPECT_TRUE(o.json);
  EXPECT_TRUE(o.events);
  EXPECT_TRUE(o.once);
  EXPECT_DOUBLE_EQ(o.timeout_seconds, 2.0);
}

TEST(MonitorOptions, OnceWaitsSeventySecondsByDefaultAndRefusesANonPositiveTimeout) {
  CLI::App app;
  MonitorOptions o;
  add_monitor_options(app, o);
  EXPECT_DOUBLE_EQ(o.timeout_seconds, 70.0);
  EXPECT_THROW(app.parse("--timeout 0", false), CLI::ValidationError);
}

}  // namespace
}  // namespace hookbroker::monitor
