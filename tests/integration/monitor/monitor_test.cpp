// `hookbroker monitor` end to end: the real monitor executable against the
// real broker, both as processes, as a user or a script would run them.
#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"
#include "broker_client/broker_call.hpp"
#include "json_lines.hpp"

namespace {

using namespace std::chrono_literals;

const std::string kHeartbeatLine = R"(\d\d:\d\d:\d\d up \d+s  clients \d+  events \d+  sessions \d+)";

std::string monitor_binary() { return std::string(HOOKBROKER_TEST_BIN_DIR) + "/hookbroker-monitor"; }

std::string url_of(int port) { return "http://127.0.0.1:" + std::to_string(port); }

std::vector<std::string> broker_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", "0.2"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// `hookbroker-monitor args...` to completion. The wait is generous: the
/// monitor itself decides when it is done (--once, --timeout).
hbtest::CommandResult run_monitor(std::vector<std::string> args) {
  args.insert(args.begin(), monitor_binary());
  return hbtest::run_command(args, hbtest::scaled(60s));
}

hookbroker::http_client::Answer post(int port, const std::string& path, const std::string& body) {
  hookbroker::broker_client::BrokerEndpoint endpoint;
  endpoint.port = static_cast<std::uint16_t>(port);
  hookbroker::broker_client::BrokerCall call;
  call.path = path;
  call.headers = {{"Content-Type", "application/json"}};
  call.body = body;
  call.timeout_ms = 10000;
  return hookbroker::broker_client::call_broker(endpoint, call);
}

/// A port nothing listens on: one a broker just gave up.
int closed_port() {
  hbtest::BrokerProcess broker(broker_args());
  const int port = broker.port();
  EXPECT_EQ(broker.stop(), 0);
  return port;
}

TEST(Monitor, OncePrintsOneSummaryWithTheSessionsAndExitsZero) {
  hbtest::BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  ASSERT_TRUE(post(port, "/api/sessions/monitor-session-1/start", R"({"agent":"engineer"})").ok());

  const auto r = run_monitor({"--once", "--url", url_of(port)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^" + kHeartbeatLine + "\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  monitor-  engineer    active .* last activity \d+ s ago\n)")))
      << r.out;
  EXPECT_NE(r.err.find("connected to " + url_of(port)), std::string::npos) << r.err;
}

TEST(Monitor, OnceJsonPrintsExactlyOneHeartbeatAsJson) {
  hbtest::BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  const auto r = run_monitor({"--once", "--json", "--url", url_of(port)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line only: " << r.out;
  const auto heartbeat = nlohmann::json::parse(r.out);
  EXPECT_EQ(heartbeat["type"], "system");
  EXPECT_EQ(heartbeat["event"], "heartbeat");
  EXPECT_TRUE(heartbeat["data"]["uptime_seconds"].is_number()) << r.out;
  EXPECT_EQ(heartbeat["data"]["server_info"]["port"], port);
}

TEST(Monitor, OnceReadsTheHeartbeatWhereMpmCompatSendsIt) {
  hbtest::BrokerProcess broker(broker_args({"--set", "plugins.mpm_compat.enabled=true"}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  ASSERT_TRUE(broker.wait_for_log("serving claude-mpm's dashboard", 10s)) << broker.output();

  const auto r = run_monitor({"--once", "--timeout", "20", "--url", url_of(port)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^" + kHeartbeatLine + "\n"))) << r.out;
}

TEST(Monitor, EventsShowsAPostedHookEvent) {
  hbtest::BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  hbtest::BrokerProcess monitor({"--events", "--url", url_of(port)}, {}, monitor_binary());
  ASSERT_TRUE(monitor.wait_for_log("connected to", 20s)) << monitor.output();

  ASSERT_TRUE(post(port, "/api/events",
                   R"({"session_id":"evt-session-42","hook_event_name":"PreToolUse","tool_name":"Bash"})")
                  .ok());
  EXPECT_TRUE(monitor.wait_for_log(R"(\d\d:\d\d:\d\d claude_event hook/pre_tool  session evt-sess  tool Bash\n)", 20s))
      << monitor.output();
  EXPECT_TRUE(monitor.wait_for_log(kHeartbeatLine, 20s)) << monitor.output();
  EXPECT_EQ(monitor.stop(SIGINT), 0) << "Ctrl-C is a normal way to stop watching";
}

TEST(Monitor, OnceAgainstNothingExitsOneAfterTheTimeoutSayingWhy) {
  const int port = closed_port();
  const auto started = std::chrono::steady_clock::now();
  const auto r = run_monitor({"--once", "--timeout", "2", "--url", url_of(port)});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("no heartbeat from " + url_of(port) + " within 2 s (could not connect"), std::string::npos)
      << r.err;
  EXPECT_GE(took, 2s);
  // Attempts at 0, 0.5 and 1.5 s all failed: one outage, one message.
  std::size_t reports = 0;
  for (auto at = r.err.find("cannot reach the broker"); at != std::string::npos;
       at = r.err.find("cannot reach the broker", at + 1))
    ++reports;
  EXPECT_EQ(reports, 1u) << r.err;
}

TEST(Monitor, ReconnectsToABrokerRestartedOnTheSamePort) {
  auto first = std::make_unique<hbtest::BrokerProcess>(broker_args());
  const int port = first->port();
  ASSERT_GT(port, 0) << first->output();
  hbtest::BrokerProcess monitor({"--json", "--url", url_of(port)}, {}, monitor_binary());
  ASSERT_TRUE(monitor.wait_for_log(R"("heartbeat_interval":0\.2)", 20s)) << monitor.output();

  EXPECT_EQ(first->stop(), 0);
  first.reset();
  ASSERT_TRUE(monitor.wait_for_log("lost the connection to " + url_of(port), 20s)) << monitor.output();

  // The second broker is told apart by its heartbeat interval.
  hbtest::BrokerProcess second({"--port", std::to_string(port), "--heartbeat-interval-s", "0.3"});
  ASSERT_EQ(second.port(), port) << second.output();
  EXPECT_TRUE(monitor.wait_for_log("reconnected to " + url_of(port), 30s)) << monitor.output();
  EXPECT_TRUE(monitor.wait_for_log(R"("heartbeat_interval":0\.3)", 20s)) << monitor.output();
  EXPECT_EQ(monitor.count_log("lost the connection"), 1u) << "one message per outage: " << monitor.output();
  EXPECT_EQ(monitor.stop(SIGTERM), 0);
  for (const auto& line : hbtest::read_json_lines(monitor.dir().file("stdout.log")))
    EXPECT_EQ(line["event"], "heartbeat") << "stdout holds heartbeats only";
}

TEST(Monitor, ATokenProtectedBrokerRefusesTheMonitorWithoutTheToken) {
  hbtest::BrokerProcess broker(broker_args({"--token", "secret"}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  const auto refused = run_monitor({"--once", "--url", url_of(port)});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("refused the connection: authentication required"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--token"), std::string::npos) << "says what to do: " << refused.err;

  const auto wrong = run_monitor({"--once", "--url", url_of(port), "--token", "wrong"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("invalid token"), std::string::npos) << wrong.err;

  const auto accepted = run_monitor({"--once", "--url", url_of(port), "--token", "secret"});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_TRUE(std::regex_search(accepted.out, std::regex("^" + kHeartbeatLine))) << accepted.out;
}

TEST(Monitor, BadUsageExitsTwo) {
  EXPECT_EQ(run_monitor({"--no-such-option"}).exit_code, 2);
  const auto bad_url = run_monitor({"--url", "127.0.0.1:8765"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_NE(bad_url.err.find("is not http://HOST[:PORT]"), std::string::npos) << bad_url.err;
}

}  // namespace
