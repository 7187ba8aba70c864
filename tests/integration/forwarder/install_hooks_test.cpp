// hookbroker-install-hooks on real settings files: empty, missing, with the
// user's own hooks, already installed, invalid JSON, and the uninstall round
// trip back to the original bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "broker_process.hpp"
#include "hook_runner.hpp"
#include "temp_dir.hpp"

namespace {

using nlohmann::ordered_json;

struct Installer {
  hbtest::TempDir dir;
  std::string settings = dir.file("claude/settings.json");

  hbtest::CommandResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {forwarder_it::bin("hookbroker-install-hooks"), "--settings", settings});
    return hbtest::run_command(args, std::chrono::seconds(30), {{"HOOKBROKER_PORT", "8765"}});
  }
  ordered_json json() const { return ordered_json::parse(hbtest::read_file(settings)); }
  std::vector<std::string> backups() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir.file("claude")))
      if (e.path().filename().string().find(".hookbroker-backup-") != std::string::npos) out.push_back(e.path());
    return out;
  }
  int hookbroker_entries(const std::string& event) const {
    int n = 0;
    const auto j = json();
    if (!j.contains("hooks") || !j["hooks"].contains(event)) return 0;
    for (const auto& group : j["hooks"][event])
      for (const auto& hook : group["hooks"])
        if ((hook.value("command", "").find("hookbroker-hook") != std::string::npos) ||
            (hook.contains("headers") && hook["headers"].contains("X-Hookbroker-Installed-By")))
          ++n;
    return n;
  }
};

const std::string kUserSettings = R"JSON({
    "model": "opus",
    "permissions": {"allow": ["Bash(ls:*)"]},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/guard.sh", "timeout": 5}]}
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]
    },
    "env": {"FOO": "bär"}
}
)JSON";

TEST(InstallHooks, MissingFileIsCreatedWithOneEntryPerEvent) {
  Installer t;
  const auto r = t.run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Installed hookbroker (command mode) for 31 hook event(s)"), std::string::npos) << r.out;
  const auto j = t.json();
  EXPECT_EQ(j["hooks"].size(), 31u);
  EXPECT_FALSE(j["hooks"].contains("WorktreeCreate"));  // it would replace git's worktree creation
  EXPECT_FALSE(j["hooks"].contains("MessageDisplay"));  // opt-in: it fires for every few lines Claude writes
  for (const char* current : {"UserPromptExpansion", "PostToolBatch", "DirectoryAdded", "PostModelSwitch",
                              "PermissionDenied", "StopFailure"})
    EXPECT_TRUE(j["hooks"].contains(current)) << current;
  for (const auto& [event, groups] : j["hooks"].items()) EXPECT_EQ(t.hookbroker_entries(event), 1) << event;
  const auto& pre = j["hooks"]["PreToolUse"][0];
  EXPECT_EQ(pre["matcher"], "*");
  EXPECT_EQ(pre["hooks"][0]["type"], "command");
  EXPECT_EQ(pre["hooks"][0]["command"], forwarder_it::bin("hookbroker-hook"));
  EXPECT_FALSE(j["hooks"]["Stop"][0].contains("matcher"));
  EXPECT_TRUE(t.backups().empty());  // nothing to back up
}

TEST(InstallHooks, MessageDisplayIsInstalledOnlyWhenAskedFor) {
  Installer t;
  auto r = t.run({"--with-message-display"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(t.json()["hooks"].size(), 32u);
  EXPECT_EQ(t.hookbroker_entries("MessageDisplay"), 1);
  EXPECT_FALSE(t.json()["hooks"]["MessageDisplay"][0].contains("matcher"));
  // A later install without the flag takes it out again, and nothing else.
  r = t.run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(t.hookbroker_entries("MessageDisplay"), 0);
  EXPECT_EQ(t.hookbroker_entries("PostToolBatch"), 1);
  // --list-events says why it is left out.
  r = t.run({"--list-events"});
  EXPECT_NE(r.out.find("MessageDisplay  (not by default: "), std::string::npos) << r.out;
}

TEST(InstallHooks, EmptyFileIsTreatedAsNoSettings) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  hbtest::write_file(t.settings, "");
  const auto r = t.run({"--events", "PreToolUse,Stop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(t.hookbroker_entries("PreToolUse"), 1);
  EXPECT_EQ(t.hookbroker_entries("Stop"), 1);
  EXPECT_EQ(t.backups().size(), 1u);
}

TEST(InstallHooks, UserHooksAndOtherSettingsAreKeptAsTheyWere) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  hbtest::write_file(t.settings, kUserSettings);
  const auto r = t.run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto before = ordered_json::parse(kUserSettings);
  const auto after = t.json();
  EXPECT_EQ(after["model"], before["model"]);
  EXPECT_EQ(after["permissions"], before["permissions"]);
  EXPECT_EQ(after["env"]["FOO"], "bär");
  EXPECT_EQ(after["hooks"]["PreToolUse"][0], before["hooks"]["PreToolUse"][0]);  // theirs first, untouched
  EXPECT_EQ(after["hooks"]["Stop"][0], before["hooks"]["Stop"][0]);
  EXPECT_EQ(t.hookbroker_entries("PreToolUse"), 1);
  // Key order and the file's 4-space indentation survive.
  std::vector<std::string> keys;
  for (const auto& [k, v] : after.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"model", "permissions", "hooks", "env"}));
  EXPECT_EQ(hbtest::read_file(t.settings).substr(0, 19), "{\n    \"model\": \"opu");
  ASSERT_EQ(t.backups().size(), 1u);
  EXPECT_EQ(hbtest::read_file(t.backups()[0]), kUserSettings);
}

TEST(InstallHooks, RunningTwiceChangesNothing) {
  Installer t;
  ASSERT_EQ(t.run({}).exit_code, 0);
  const std::string first = hbtest::read_file(t.settings);
  const auto r = t.run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already installed; nothing changed"), std::string::npos) << r.out;
  EXPECT_EQ(hbtest::read_file(t.settings), first);
  EXPECT_TRUE(t.backups().empty());
}

TEST(InstallHooks, DuplicateEntriesAreCollapsedToOne) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  // The failure mode of the old system: the same forwarder listed twice.
  hbtest::write_file(t.settings, R"({"hooks": {"PreToolUse": [
      {"matcher": "*", "hooks": [{"type": "command", "command": "/old/bin/hookbroker-hook"}]},
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh"},
                                    {"type": "command", "command": "'/x y/hookbroker-hook' --emit-continue"}]}]}})");
  const auto r = t.run({"--events", "PreToolUse"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("duplicate"), std::string::npos) << r.out;
  EXPECT_EQ(t.hookbroker_entries("PreToolUse"), 1);
  const auto j = t.json();
  // The user's guard.sh stays in its group.
  EXPECT_EQ(j["hooks"]["PreToolUse"][0]["matcher"], "Bash");
  EXPECT_EQ(j["hooks"]["PreToolUse"][0]["hooks"].size(), 1u);
  EXPECT_EQ(j["hooks"]["PreToolUse"][0]["hooks"][0]["command"], "guard.sh");
}

TEST(InstallHooks, InvalidJsonIsRefusedWithAClearMessageAndLeftUntouched) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  const std::string broken = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n}\n";
  hbtest::write_file(t.settings, broken);
  const auto r = t.run({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not valid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5"), std::string::npos) << r.err;  // where it broke
  EXPECT_NE(r.err.find("Nothing was changed"), std::string::npos);
  EXPECT_EQ(hbtest::read_file(t.settings), broken);
  EXPECT_TRUE(t.backups().empty());
}

TEST(InstallHooks, AHooksSectionOfTheWrongShapeIsRefused) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  const std::string odd = R"({"hooks": {"PreToolUse": {"command": "x"}}})";
  hbtest::write_file(t.settings, odd);
  const auto r = t.run({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("hooks.PreToolUse is not a list"), std::string::npos) << r.err;
  EXPECT_EQ(hbtest::read_file(t.settings), odd);
}

TEST(InstallHooks, UninstallRoundTripRestoresTheOriginalBytes) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  hbtest::write_file(t.settings, kUserSettings);
  ASSERT_EQ(t.run({}).exit_code, 0);
  ASSERT_EQ(t.run({"--mode", "http"}).exit_code, 0);  // switching modes replaces, never adds
  EXPECT_EQ(t.hookbroker_entries("PreToolUse"), 1);
  const auto r = t.run({"--uninstall"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(hbtest::read_file(t.settings), kUserSettings);
  // Uninstalling again finds nothing of ours.
  const auto again = t.run({"--uninstall"});
  EXPECT_NE(again.out.find("no hookbroker hooks to remove"), std::string::npos) << again.out;
}

TEST(InstallHooks, UninstallKeepsChangesTheUserMadeMeanwhile) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  hbtest::write_file(t.settings, kUserSettings);
  ASSERT_EQ(t.run({}).exit_code, 0);
  auto j = t.json();
  j["model"] = "sonnet";
  hbtest::write_file(t.settings, j.dump(2));
  ASSERT_EQ(t.run({"--uninstall"}).exit_code, 0);
  auto expected = ordered_json::parse(kUserSettings);
  expected["model"] = "sonnet";
  EXPECT_EQ(t.json(), expected);
}

TEST(InstallHooks, TelemetryWritesTheEnvBlockOnceAndUninstallRestoresTheFile) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  hbtest::write_file(t.settings, kUserSettings);
  const auto r = t.run({"--telemetry"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto env = t.json()["env"];
  EXPECT_EQ(env["FOO"], "bär") << "the user's own variables stay";
  EXPECT_EQ(env["CLAUDE_CODE_ENABLE_TELEMETRY"], "1");
  EXPECT_EQ(env["OTEL_LOGS_EXPORTER"], "otlp");
  EXPECT_EQ(env["OTEL_METRICS_EXPORTER"], "otlp");
  EXPECT_EQ(env["OTEL_EXPORTER_OTLP_PROTOCOL"], "http/json");
  EXPECT_EQ(env["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://127.0.0.1:8765");
  // Idempotent: a second run changes nothing, and says so.
  const std::string once = hbtest::read_file(t.settings);
  const auto again = t.run({"--telemetry"});
  EXPECT_NE(again.out.find("nothing changed"), std::string::npos) << again.out;
  EXPECT_EQ(hbtest::read_file(t.settings), once);
  // --uninstall takes the hooks and the env block: the file is as it was.
  ASSERT_EQ(t.run({"--uninstall"}).exit_code, 0);
  EXPECT_EQ(hbtest::read_file(t.settings), kUserSettings);
}

TEST(InstallHooks, TelemetryKeepsAnEndpointTheUserChose) {
  Installer t;
  std::filesystem::create_directories(t.dir.file("claude"));
  hbtest::write_file(t.settings, R"({"env": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}})");
  const auto r = t.run({"--telemetry"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(t.json()["env"]["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://collector:4318");
  EXPECT_NE(r.out.find("OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318: kept"), std::string::npos) << r.out;
  ASSERT_EQ(t.run({"--uninstall"}).exit_code, 0);
  EXPECT_EQ(t.json(), ordered_json::parse(R"({"env": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}})"));
}

TEST(InstallHooks, HttpModeWritesHttpHooksPointingAtTheBroker) {
  Installer t;
  const auto r = hbtest::run_command({forwarder_it::bin("hookbroker-install-hooks"), "--settings", t.settings, "--mode",
                                      "http", "--events", "PostToolUse"},
                                     std::chrono::seconds(30), {{"HOOKBROKER_PORT", "9123"}, {"HOOKBROKER_TOKEN", "t0k"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto hook = t.json()["hooks"]["PostToolUse"][0]["hooks"][0];
  EXPECT_EQ(hook["type"], "http");
  EXPECT_EQ(hook["url"], "http://127.0.0.1:9123/api/events");
  EXPECT_EQ(hook["headers"]["Authorization"], "Bearer $HOOKBROKER_TOKEN");  // never the secret itself
  EXPECT_EQ(hook["allowedEnvVars"], ordered_json::array({"HOOKBROKER_TOKEN"}));
  EXPECT_EQ(hbtest::read_file(t.settings).find("t0k"), std::string::npos);
  EXPECT_NE(r.out.find("HOOKBROKER_TOKEN"), std::string::npos);
}

TEST(InstallHooks, DryRunShowsTheResultAndWritesNothing) {
  Installer t;
  const auto r = t.run({"--dry-run", "--events", "Stop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("would become"), std::string::npos);
  EXPECT_NE(r.out.find("hookbroker-hook"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(t.settings));
}

TEST(InstallHooks, UnknownEventsAreRefusedWithTheKnownList) {
  Installer t;
  const auto r = t.run({"--events", "PreToolUse,PreToolUze"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown hook event 'PreToolUze'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SessionStart"), std::string::npos);
}

}  // namespace
