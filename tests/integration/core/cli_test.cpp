// The command line a user meets first: --version, --help, --list-plugins,
// --describe-plugin, subcommands.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "broker_args.hpp"
#include "broker_process.hpp"

using namespace std::chrono_literals;

namespace {

hbtest::CommandResult run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), hbtest::broker_binary());
  return hbtest::run_command(args, 10s);
}

TEST(Cli, VersionPrintsTheVersion) {
  auto r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("hookbroker ", 0), 0u) << r.out;
}

TEST(Cli, HelpListsEveryFlagWithItsEnvironmentVariable) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"--host", "--port", "--heartbeat-interval-s", "--plugin-dir", "--log-level", "--config",
                           "--version", "--list-plugins", "--describe-plugin", "HOOKBROKER_PORT",
                           "HOOKBROKER_HEARTBEAT_INTERVAL_S", "default: 8765", "default: 60"})
    EXPECT_NE(r.out.find(text), std::string::npos) << "missing " << text << " in --help";
}

TEST(Cli, HelpShowsRenamedSettingsUnderTheirDeprecatedNames) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("deprecated names: heartbeat.interval, --heartbeat-interval, HOOKBROKER_HEARTBEAT_INTERVAL"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Deprecated name of --contributor-timeout-s"), std::string::npos) << r.out;
}

TEST(Cli, ListPluginsShowsLoadableDisabledAndRefused) {
  auto r = run_cli({"--list-plugins", "--plugin-dir", fixture_dir("abi_major"), "--plugin-dir", fixture_dir("good")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("transport_jsonl 1.0.0  [transport]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not loaded: disabled by default"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fixture_good 0.0.1  [heartbeat contributor]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refused: ABI major version mismatch"), std::string::npos) << r.out;
}

TEST(Cli, DescribePluginPrintsItsOptionsAndDefaults) {
  auto r = run_cli({"--describe-plugin", "transport_jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("path  (a string, default \"-\")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"transport_jsonl\""), std::string::npos) << r.out;
}

TEST(Cli, DescribePluginShowsADeprecatedOptionName) {
  auto r = run_cli({"--describe-plugin", "transport_socketio"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ping_interval_ms  (an integer from 1 to 3600000, default 25000)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deprecated name: ping_interval (still read, with a warning)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"ping_interval_ms\": 25000"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"ping_interval\":"), std::string::npos) << "the example uses the new names: " << r.out;
}

// Issue 12: every duration or size option names its unit. A numeric option
// whose description speaks of a time or a size must end in _ms, _s, _us or _bytes.
TEST(Cli, EveryShippedDurationOrSizeOptionNamesItsUnit) {
  const std::regex unit_word(R"(\b(seconds?|ms|microseconds|bytes|megabytes)\b)", std::regex::icase);
  const std::regex unit_suffix(R"(_(ms|s|us|bytes)$)");
  std::size_t checked = 0;
  for (const char* plugin : {"transport_socketio", "transport_jsonl", "sessions_memory", "hooks_claude",
                             "client_heartbeats", "sysmetrics", "alerts", "history_sqlite", "metrics_prometheus",
                             "spool_replay", "otlp_claude"}) {
    auto r = run_cli({"--describe-plugin", plugin});
    ASSERT_EQ(r.exit_code, 0) << plugin << ": " << r.err;
    std::istringstream lines(r.out);
    std::string line, name;
    bool numeric = false;
    while (std::getline(lines, line)) {
      if (line.rfind("  ", 0) == 0 && line.rfind("   ", 0) != 0 && line.find("  (") != std::string::npos) {
        name = line.substr(2, line.find("  (") - 2);
        numeric = line.find("(a number") != std::string::npos || line.find("(an integer") != std::string::npos;
      } else if (line.rfind("      ", 0) == 0 && numeric && !name.empty()) {
        if (line.find("deprecated name:") == std::string::npos && std::regex_search(line, unit_word)) {
          EXPECT_TRUE(std::regex_search(name, unit_suffix)) << plugin << "." << name << ": " << line;
          ++checked;
        }
        numeric = false;
      }
    }
  }
  EXPECT_GE(checked, 20u) << "the describe output was not parsed as expected";
}

TEST(Cli, DescribeUnknownPluginFails) {
  auto r = run_cli({"--describe-plugin", "no_such_plugin"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no plugin named 'no_such_plugin'"), std::string::npos) << r.err;
}

TEST(Cli, UnknownSubcommandFails) {
  auto r = run_cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos) << r.err;
}

}  // namespace
