// hookbroker-doctor on a real setup: broker, settings files, spool.
#include <gtest/gtest.h>

#include "forwarder_world.hpp"
#include "temp_dir.hpp"

namespace {

using forwarder_it::bin;
using forwarder_it::ForwarderWorld;

hbtest::CommandResult doctor(const ForwarderWorld& world, std::vector<std::string> args) {
  args.insert(args.begin(), bin("hookbroker-doctor"));
  return hbtest::run_command(args, std::chrono::seconds(30), world.hook_env());
}

void install(const ForwarderWorld& world, const std::string& settings) {
  const auto r = hbtest::run_command({bin("hookbroker-install-hooks"), "--settings", settings},
                                     std::chrono::seconds(30), world.hook_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(Doctor, AllGoodWhenTheBrokerAnswersAndEveryEventIsForwardedOnce) {
  ForwarderWorld world;
  world.start_broker();
  hbtest::TempDir claude;
  install(world, claude.file("settings.json"));
  const auto r = doctor(world, {"--settings", claude.file("settings.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("[ok  ] broker: hookbroker"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("every hook event is forwarded exactly once"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("spool: " + world.spool_dir() + ": empty"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("All checks passed"), std::string::npos);
}

TEST(Doctor, ReportsABrokerDownHooksInstalledTwiceAndWaitingEvents) {
  ForwarderWorld world;
  hbtest::TempDir claude;
  install(world, claude.file("user.json"));
  install(world, claude.file("project.json"));  // the same hooks again, in a second file
  world.run_hook(forwarder_it::hook_payload("s", "s", 1));  // no broker: spooled
  const auto r = doctor(world, {"--settings", claude.file("user.json"), "--settings", claude.file("project.json"),
                                "--timeout-ms", "500"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("[FAIL] broker: not reachable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fire twice"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PreToolUse (2x)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 event ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("replayed when the broker starts"), std::string::npos) << r.out;

  const auto json = doctor(world, {"--settings", claude.file("user.json"), "--json", "--timeout-ms", "500"});
  const auto report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["ok"], false);
  EXPECT_FALSE(report["findings"].empty());
}

TEST(Doctor, InvalidSettingsAreAFailureNamingTheFile) {
  ForwarderWorld world;
  hbtest::TempDir claude;
  hbtest::write_file(claude.file("settings.json"), "{oops");
  const auto r = doctor(world, {"--settings", claude.file("settings.json"), "--timeout-ms", "200"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(claude.file("settings.json") + " is not valid JSON"), std::string::npos) << r.out;
}

TEST(Doctor, AnUnwritableSpoolOrHookLogIsAFailureWithWhatToDo) {
  ForwarderWorld world;
  world.start_broker();
  hbtest::TempDir claude, files;
  install(world, claude.file("settings.json"));
  hbtest::write_file(files.file("a-file"), "");
  auto env = world.hook_env();
  env["HOOKBROKER_SPOOL_DIR"] = files.file("a-file") + "/spool";
  env["HOOKBROKER_HOOK_LOG"] = files.file("a-file") + "/hook.log";
  const auto r = hbtest::run_command({bin("hookbroker-doctor"), "--settings", claude.file("settings.json")},
                                     std::chrono::seconds(30), env);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("[FAIL] spool: the hook forwarder cannot write its spool " + files.file("a-file") + "/spool"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[FAIL] hook log: the hook forwarder cannot write its log"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("set HOOKBROKER_HOOK_LOG to a writable file"), std::string::npos) << r.out;
}

}  // namespace
