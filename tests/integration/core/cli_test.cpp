// The command line a user meets first: --version, --help, --list-plugins,
// --describe-plugin, subcommands.
#include <gtest/gtest.h>

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
  for (const char* text : {"--host", "--port", "--heartbeat-interval", "--plugin-dir", "--log-level", "--config",
                           "--version", "--list-plugins", "--describe-plugin", "HOOKBROKER_PORT",
                           "HOOKBROKER_HEARTBEAT_INTERVAL", "default: 8765", "default: 60"})
    EXPECT_NE(r.out.find(text), std::string::npos) << "missing " << text << " in --help";
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
