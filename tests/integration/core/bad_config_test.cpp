// Bad settings end the broker with exit code 2 and a message naming the key,
// the value and what is allowed; good ones are applied file < env < flags.
#include <gtest/gtest.h>

#include <filesystem>

#include "broker_args.hpp"
#include "broker_process.hpp"

using namespace std::chrono_literals;

namespace {

hbtest::CommandResult run_broker(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), hbtest::broker_binary());
  return hbtest::run_command(args, 10s, std::move(env));
}

void expect_bad_setting(const hbtest::CommandResult& r, const std::string& fragment) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << r.err;
}

TEST(BadConfig, UnknownKeyInConfigFile) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("c.json"), R"({"port": 9000, "heartbeatt": 5})");
  expect_bad_setting(run_broker({"--config", dir.file("c.json")}), "unknown key 'heartbeatt'");
}

TEST(BadConfig, UnknownNestedKeyInConfigFile) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("c.json"), R"({"heartbeat": {"intervall": 5}})");
  expect_bad_setting(run_broker({"--config", dir.file("c.json")}), "unknown key 'heartbeat.intervall'");
}

TEST(BadConfig, WrongTypeInConfigFile) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("c.json"), R"({"port": "eighty"})");
  expect_bad_setting(run_broker({"--config", dir.file("c.json")}), R"(port: expected integer, got "eighty")");
}

TEST(BadConfig, WrongTypeOnTheCommandLine) {
  expect_bad_setting(run_broker({"--port", "eighty"}), "--port: 'eighty' is not a whole number");
}

TEST(BadConfig, IntervalBelowTheMinimum) {
  expect_bad_setting(run_broker({"--heartbeat-interval-s", "0.01"}),
                     "heartbeat.interval_s: 0.01 is below the minimum 0.05");
}

TEST(BadConfig, IntervalBelowTheMinimumFromTheEnvironment) {
  expect_bad_setting(run_broker({}, {{"HOOKBROKER_HEARTBEAT_INTERVAL_S", "0.001"}}), "below the minimum 0.05");
}

TEST(BadConfig, ACoreSettingUnderItsOldAndItsNewNameIsRefused) {
  expect_bad_setting(run_broker({"--heartbeat-interval", "1", "--heartbeat-interval-s", "2"}),
                     "--heartbeat-interval and --heartbeat-interval-s are both given");
  expect_bad_setting(run_broker({"--heartbeat-interval-s", "2"}, {{"HOOKBROKER_HEARTBEAT_INTERVAL", "1"}}),
                     "environment variable HOOKBROKER_HEARTBEAT_INTERVAL and --heartbeat-interval-s are both given");
}

TEST(BadConfig, APluginOptionUnderItsOldAndItsNewNameEndsTheBrokerWithCodeTwo) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1",
                                           {"--set", "plugins.transport_socketio.config.ping_interval=20000", "--set",
                                            "plugins.transport_socketio.config.ping_interval_ms=20000"}));
  EXPECT_EQ(broker.wait_exit(10s), 2) << broker.output();
  EXPECT_NE(broker.output().find("plugins.transport_socketio.config.ping_interval and "
                                 "plugins.transport_socketio.config.ping_interval_ms are both given"),
            std::string::npos)
      << broker.output();
}

TEST(BadConfig, UnparsableEnvironmentVariableIsNamed) {
  expect_bad_setting(run_broker({}, {{"HOOKBROKER_PORT", "abc"}}), "environment variable HOOKBROKER_PORT");
}

TEST(BadConfig, PortOutOfRange) { expect_bad_setting(run_broker({"--port", "70000"}), "above the maximum 65535"); }

TEST(BadConfig, UnknownLogLevel) {
  expect_bad_setting(run_broker({"--log-level", "loud"}), "one of trace|debug|info|warn|error|off");
}

TEST(BadConfig, UnreadableConfigFile) {
  expect_bad_setting(run_broker({"--config", "/nonexistent/hookbroker.json"}),
                     "cannot read config file /nonexistent/hookbroker.json: No such file or directory");
}

TEST(BadConfig, ConfigFileThatIsADirectory) {
  hbtest::TempDir dir;
  expect_bad_setting(run_broker({"--config", dir.path()}), "config file " + dir.path());
}

TEST(BadConfig, ConfigFileWithInvalidJson) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("c.json"), R"({"port": 9000,)");
  expect_bad_setting(run_broker({"--config", dir.file("c.json")}), "invalid JSON");
}

TEST(BadConfig, PluginSectionWithUnknownField) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("c.json"), R"({"plugins": {"transport_jsonl": {"enabeld": true}}})");
  expect_bad_setting(run_broker({"--config", dir.file("c.json")}),
                     "plugins.transport_jsonl: unknown key 'enabeld' (known keys: enabled, required, config)");
}

TEST(BadConfig, UnknownFlag) {
  auto r = run_broker({"--heartbeat", "5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--heartbeat"), std::string::npos) << r.err;
}

TEST(BadConfig, SetWithoutEquals) { expect_bad_setting(run_broker({"--set", "port"}), "expected KEY=VALUE"); }

TEST(BadConfig, PluginThatRejectsItsConfigEndsTheBrokerWithCodeTwo) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1", {"--plugin-dir", fixture_dir("config_error")}));
  EXPECT_EQ(broker.wait_exit(10s), 2) << broker.output();
  EXPECT_NE(broker.output().find("plugins.fixture_config_error.config: rule 2: unknown operator '>>'"),
            std::string::npos)
      << broker.output();
}

// Precedence: file < environment < flags, observed in the startup log line.
TEST(ConfigPrecedence, FileThenEnvironmentThenFlags) {
  hbtest::TempDir dir;
  const std::string file = dir.file("c.json");
  hbtest::write_file(file, R"({"heartbeat": {"interval_s": 7}, "port": 0})");
  {
    hbtest::BrokerProcess broker({"--config", file});
    EXPECT_TRUE(broker.wait_for_log("heartbeat every 7s", 10s)) << broker.output();
    EXPECT_EQ(broker.stop(), 0);
  }
  {
    hbtest::BrokerProcess broker({"--config", file}, {{"HOOKBROKER_HEARTBEAT_INTERVAL_S", "0.5"}});
    EXPECT_TRUE(broker.wait_for_log("heartbeat every 0.5s", 10s)) << broker.output();
    EXPECT_EQ(broker.stop(), 0);
  }
  {
    hbtest::BrokerProcess broker({"--config", file, "--heartbeat-interval-s", "0.25"},
                                 {{"HOOKBROKER_HEARTBEAT_INTERVAL_S", "0.5"}});
    EXPECT_TRUE(broker.wait_for_log("heartbeat every 0.25s", 10s)) << broker.output();
    EXPECT_EQ(broker.stop(), 0);
  }
}

TEST(ConfigPrecedence, DefaultConfigFileIsReadFromXdgConfigHome) {
  hbtest::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/hookbroker");
  hbtest::write_file(dir.path() + "/hookbroker/config.json", R"({"heartbeat": {"interval_s": 3}, "port": 0})");
  hbtest::BrokerProcess broker({}, {{"XDG_CONFIG_HOME", dir.path()}});
  EXPECT_TRUE(broker.wait_for_log("heartbeat every 3s", 10s)) << broker.output();
  EXPECT_EQ(broker.stop(), 0);
}

// Renamed settings keep their old names: config file keys, flags, variables
// and plugin options via --set still load, each with one warning naming the new name.
TEST(DeprecatedNames, OldCoreNamesStillLoadWithAWarning) {
  hbtest::TempDir dir;
  const std::string file = dir.file("c.json");
  hbtest::write_file(file, R"({"heartbeat": {"interval": 7, "contributor_timeout": 0.2}, "port": 0})");
  {
    hbtest::BrokerProcess broker({"--config", file});
    EXPECT_TRUE(broker.wait_for_log("heartbeat every 7s", 10s)) << broker.output();
    EXPECT_TRUE(broker.wait_for_log("heartbeat.interval \\(config file .*\\) is deprecated: use heartbeat.interval_s",
                                    1s))
        << broker.output();
    EXPECT_TRUE(broker.wait_for_log("heartbeat.contributor_timeout \\(config file .*\\) is deprecated: use "
                                    "heartbeat.contributor_timeout_s",
                                    1s))
        << broker.output();
    EXPECT_EQ(broker.stop(), 0);
  }
  {
    hbtest::BrokerProcess broker({"--port", "0"}, {{"HOOKBROKER_HEARTBEAT_INTERVAL", "0.5"}});
    EXPECT_TRUE(broker.wait_for_log("heartbeat every 0.5s", 10s)) << broker.output();
    EXPECT_TRUE(broker.wait_for_log("environment variable HOOKBROKER_HEARTBEAT_INTERVAL is deprecated: use "
                                    "environment variable HOOKBROKER_HEARTBEAT_INTERVAL_S",
                                    1s))
        << broker.output();
    EXPECT_EQ(broker.stop(), 0);
  }
  {
    hbtest::BrokerProcess broker({"--port", "0", "--heartbeat-interval", "0.25"});
    EXPECT_TRUE(broker.wait_for_log("heartbeat every 0.25s", 10s)) << broker.output();
    EXPECT_TRUE(broker.wait_for_log("--heartbeat-interval is deprecated: use --heartbeat-interval-s", 1s))
        << broker.output();
    EXPECT_EQ(broker.stop(), 0);
  }
}

TEST(DeprecatedNames, AnOldPluginOptionNameViaSetRunsAndWarns) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.2",
                                           {"--set", "plugins.transport_socketio.config.ping_interval=20000"}));
  EXPECT_TRUE(broker.wait_for_log("listening on http://", 10s)) << broker.output();
  EXPECT_TRUE(broker.wait_for_log(kHeartbeatLogLine, 10s)) << broker.output();
  EXPECT_TRUE(broker.wait_for_log("plugins.transport_socketio.config.ping_interval is deprecated: use "
                                  "plugins.transport_socketio.config.ping_interval_ms",
                                  1s))
      << broker.output();
  EXPECT_EQ(broker.stop(), 0);
  const std::string output = broker.output();
  std::size_t warnings = 0;
  for (std::size_t at = output.find("ping_interval is deprecated"); at != std::string::npos;
       at = output.find("ping_interval is deprecated", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << output;
}

}  // namespace
