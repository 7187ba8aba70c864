#include "options/settings_loader.hpp"

#include <gtest/gtest.h>

#include <map>

#include "fake_env.hpp"

using namespace hookbroker::core;

namespace {

using hbtest::FakeEnv;

LoadOutcome load(std::vector<std::string> args, const FakeEnv& env = {}) {
  args.insert(args.begin(), "hookbroker");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return load_settings(static_cast<int>(argv.size()), argv.data(), env.lookup());
}

}  // namespace

TEST(SettingsLoader, DefaultsMatchTheSeed) {
  FakeEnv env{{{"HOME", "/nonexistent-home"}}};
  auto out = load({}, env);
  ASSERT_EQ(out.action, LoadOutcome::Action::Run) << out.message;
  EXPECT_EQ(out.settings.host, "127.0.0.1");
  EXPECT_EQ(out.settings.port, 8765);
  EXPECT_EQ(out.settings.heartbeat_interval, 60);
  EXPECT_EQ(out.settings.contributor_timeout, 0.25);
  EXPECT_EQ(out.settings.threads, 0u);
  EXPECT_EQ(out.settings.history_size, 1000u);
  EXPECT_EQ(out.settings.log_level, "info");
  EXPECT_TRUE(out.settings.builtin_plugin_dir);
  EXPECT_EQ(out.settings.state_dir, "/nonexistent-home/.local/state/hookbroker");
  EXPECT_TRUE(out.warnings.empty());
}

TEST(SettingsLoader, EnvironmentOverridesDefaultsAndFlagsOverrideEnvironment) {
  FakeEnv env{{{"HOOKBROKER_PORT", "9000"}, {"HOOKBROKER_HOST", "127.0.0.2"}}};
  auto out = load({"--port", "9100"}, env);
  ASSERT_EQ(out.action, LoadOutcome::Action::Run) << out.message;
  EXPECT_EQ(out.settings.port, 9100);
  EXPECT_EQ(out.settings.host, "127.0.0.2");
}

TEST(SettingsLoader, PluginDirFlagIsRepeatable) {
  auto out = load({"--plugin-dir", "/a", "--plugin-dir", "/b"});
  EXPECT_EQ(out.settings.plugin_dirs, (std::vector<std::string>{"/a", "/b"}));
  FakeEnv env{{{"HOOKBROKER_PLUGIN_DIRS", "/x:/y"}}};
  EXPECT_EQ(load({}, env).settings.plugin_dirs, (std::vector<std::string>{"/x", "/y"}));
}

TEST(SettingsLoader, InsecurePluginPathsAreRefusedUnlessAllowedByAFlagAloneOrAnyOtherSource) {
  EXPECT_FALSE(load({}).settings.allow_insecure_plugin_paths);
  EXPECT_TRUE(load({"--allow-insecure-plugin-paths"}).settings.allow_insecure_plugin_paths);
  FakeEnv env{{{"HOOKBROKER_ALLOW_INSECURE_PLUGIN_PATHS", "true"}}};
  EXPECT_TRUE(load({}, env).settings.allow_insecure_plugin_paths);
  EXPECT_FALSE(load({"--allow-insecure-plugin-paths=false"}, env).settings.allow_insecure_plugin_paths)
      << "the flag wins over the environment";
  EXPECT_TRUE(load({"--set", "allow_insecure_plugin_paths=true"}).settings.allow_insecure_plugin_paths);
  const auto bad = load({"--allow-insecure-plugin-paths=maybe"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.message.find("--allow-insecure-plugin-paths"), std::string::npos) << bad.message;
}

TEST(SettingsLoader, SetReachesPluginConfigAndCoreKeys) {
  auto out = load({"--set", "plugins.p.config.path=/tmp/x", "--set", "plugins.p.config.n=5", "--set",
                   "plugins.p.enabled=true", "--set", "heartbeat.interval_s=2.5"});
  ASSERT_EQ(out.action, LoadOutcome::Action::Run) << out.message;
  EXPECT_EQ(out.settings.plugins["p"]["config"]["path"], "/tmp/x");
  EXPECT_EQ(out.settings.plugins["p"]["config"]["n"], 5);
  EXPECT_EQ(out.settings.plugins["p"]["enabled"], true);
  EXPECT_EQ(out.settings.heartbeat_interval, 2.5);
}

TEST(SettingsLoader, BadValuesExitWithCodeTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--port", "x"},
                                                                 {"--heartbeat-interval-s", "0"},
                                                                 {"--heartbeat-interval", "0"},
                                                                 {"--set", "nope=1"},
                                                                 {"--set", "plugins.p.enabled=1"},
                                                                 {"--config", "/does/not/exist.json"}}) {
    auto out = load(args);
    EXPECT_EQ(out.action, LoadOutcome::Action::Exit) << args[0];
    EXPECT_EQ(out.exit_code, 2) << args[0];
    EXPECT_FALSE(out.message.empty());
  }
}

TEST(SettingsLoader, RenamedCoreSettingsLoadUnderTheirOldNamesWithOneWarningEach) {
  FakeEnv env{{{"HOOKBROKER_CONTRIBUTOR_TIMEOUT", "0.1"}}};
  auto out = load({"--heartbeat-interval", "5"}, env);
  ASSERT_EQ(out.action, LoadOutcome::Action::Run) << out.message;
  EXPECT_EQ(out.settings.heartbeat_interval, 5);
  EXPECT_EQ(out.settings.contributor_timeout, 0.1);
  ASSERT_EQ(out.warnings.size(), 2u);
  EXPECT_EQ(out.warnings[0],
            "environment variable HOOKBROKER_CONTRIBUTOR_TIMEOUT is deprecated: use environment variable "
            "HOOKBROKER_CONTRIBUTOR_TIMEOUT_S (the old name still works, for now)");
  EXPECT_EQ(out.warnings[1], "--heartbeat-interval is deprecated: use --heartbeat-interval-s (the old name still works, for now)");

  auto set = load({"--set", "heartbeat.interval=2.5"});
  ASSERT_EQ(set.action, LoadOutcome::Action::Run) << set.message;
  EXPECT_EQ(set.settings.heartbeat_interval, 2.5);
  ASSERT_EQ(set.warnings.size(), 1u);
  EXPECT_NE(set.warnings[0].find("--set heartbeat.interval is deprecated: use --set heartbeat.interval_s"),
            std::string::npos);
}

TEST(SettingsLoader, AnOutOfRangeValueUnderAnOldNameIsReportedUnderThatName) {
  auto out = load({"--heartbeat-interval", "0.01"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("--heartbeat-interval: 0.01 is below the minimum 0.05"), std::string::npos) << out.message;
  auto renamed = load({"--heartbeat-interval-s", "0.01"});
  EXPECT_NE(renamed.message.find("heartbeat.interval_s: 0.01 is below the minimum 0.05"), std::string::npos)
      << renamed.message;
}

TEST(SettingsLoader, OldAndNewNameOfOneSettingAreRefusedNamingBoth) {
  auto flags = load({"--heartbeat-interval", "5", "--heartbeat-interval-s", "6"});
  EXPECT_EQ(flags.exit_code, 2);
  EXPECT_NE(flags.message.find("--heartbeat-interval and --heartbeat-interval-s are both given"), std::string::npos)
      << flags.message;
  FakeEnv env{{{"HOOKBROKER_HEARTBEAT_INTERVAL", "5"}}};
  auto mixed = load({"--set", "heartbeat.interval_s=6"}, env);
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.message.find("environment variable HOOKBROKER_HEARTBEAT_INTERVAL and --set heartbeat.interval_s"),
            std::string::npos)
      << mixed.message;
}

TEST(SettingsLoader, HelpAndVersionExitZero) {
  auto help = load({"--help"});
  EXPECT_EQ(help.action, LoadOutcome::Action::Exit);
  EXPECT_EQ(help.exit_code, 0);
  auto version = load({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.message.rfind("hookbroker ", 0), 0u);
}
