// The broken-plugin matrix: every reason the loader refuses a plugin, plus
// plugins that fail later. In every case the broker names the plugin and the
// reason, and keeps ticking.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "broker_args.hpp"
#include "broker_process.hpp"
#include "json_lines.hpp"

using namespace std::chrono_literals;

namespace {

struct BrokenCase {
  const char* name;
  const char* fixture;
  std::vector<std::string> extra_args;
  const char* expected_log;  // regex naming the plugin and the reason
};

std::ostream& operator<<(std::ostream& os, const BrokenCase& c) { return os << c.name; }

class BrokenPlugin : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenPlugin, IsNamedWithItsReasonAndTheBrokerKeepsTicking) {
  const BrokenCase& c = GetParam();
  hbtest::TempDir out;
  std::vector<std::string> extra = {"--plugin-dir", fixture_dir(c.fixture)};
  extra.insert(extra.end(), c.extra_args.begin(), c.extra_args.end());
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1", extra));

  EXPECT_TRUE(broker.wait_for_log(c.expected_log, 10s)) << "expected /" << c.expected_log << "/ in:\n"
                                                        << broker.output();
  // Still alive and ticking well after the failure.
  const std::size_t before = broker.count_log(kHeartbeatLogLine);
  EXPECT_TRUE(broker.wait_for_log(kHeartbeatLogLine, 10s, before + 3)) << broker.output();
  EXPECT_TRUE(broker.running());
  EXPECT_EQ(broker.stop(), 0) << broker.output();
}

const BrokenCase kCases[] = {
    {"not_a_shared_library", "not_a_library", {}, R"(plugin 'not_a_library' \(.*not_a_library\.so\) refused: not a shared library)"},
    {"library_without_manifest", "no_manifest", {}, R"(plugin 'no_manifest' \(.*\) refused: no hookbroker manifest \(no \.hookbroker\.manifest section\): not a hookbroker plugin, or built with an SDK older than ABI 3\.0)"},
    {"abi_major_mismatch", "abi_major", {}, R"(plugin 'fixture_abi_major' \(.*\) refused: ABI major version mismatch: plugin has 99\.0, core has [0-9]+\.[0-9]+; rebuild the plugin)"},
    {"abi_minor_newer", "abi_minor", {}, R"(plugin 'fixture_abi_minor' \(.*\) refused: ABI minor version newer than the core)"},
    {"build_fingerprint", "fingerprint", {}, R"(plugin 'fixture_fingerprint' \(.*\) refused: incompatible build: plugin built with Boost 1\.81\.0)"},
    {"unresolved_symbol", "missing_symbol", {}, R"(plugin 'fixture_missing_symbol' \(.*\) refused: unresolved symbol: .*hookbroker_fixture_symbol_that_does_not_exist)"},
    {"duplicate_name", "duplicate", {}, R"(plugin 'fixture_dup' \(.*dup_b\.so\) refused: duplicate plugin name 'fixture_dup': already found at .*dup_a\.so)"},
    {"heartbeat_key_claimed_twice", "key_conflict", {}, R"(plugin 'fixture_key_b' \(.*\) refused: heartbeat key 'shared_key' is already claimed by plugin 'fixture_key_a')"},
    {"heartbeat_key_of_the_core", "core_key", {}, R"(plugin 'fixture_core_key' \(.*\) refused: heartbeat key 'uptime_seconds' is already claimed by the core)"},
    {"config_unknown_key", "good", {"--set", "plugins.fixture_good.config.bogus=1"},
     R"(plugin 'fixture_good' \(.*\) refused: invalid config: plugins\.fixture_good\.config: unknown key 'bogus' \(known keys: threshold\))"},
    {"config_wrong_type", "good", {"--set", "plugins.fixture_good.config.threshold=\"high\""},
     R"(plugin 'fixture_good' \(.*\) refused: invalid config: plugins\.fixture_good\.config\.threshold: expected integer, got "high")"},
    {"config_out_of_range", "good", {"--set", "plugins.fixture_good.config.threshold=500"},
     R"(plugin 'fixture_good' \(.*\) refused: invalid config: plugins\.fixture_good\.config\.threshold: 500 is above the maximum 100)"},
    {"create_throws", "create_throws", {}, R"(plugin 'fixture_create_throws' \(.*\) create failed: constructor refused: fixture create_throws)"},
    {"start_throws", "start_throws", {}, R"(plugin 'fixture_start_throws' \(.*\) start failed: cannot start: fixture start_throws)"},
    {"contributor_throws", "contributor_throws", {}, R"(heartbeat contributor 'fixture_contributor_throws' threw: fixture contributor failure)"},
    {"contributor_misses_deadline", "contributor_sleeps", {}, R"(heartbeat contributor 'fixture_contributor_sleeps' missed the 50 ms deadline)"},
};

INSTANTIATE_TEST_SUITE_P(Loader, BrokenPlugin, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Everything the manifest or the catalog refuses is refused from the file: the
// library is never opened, so its constructor (which writes a marker) never runs.
TEST(BrokenPlugin, PluginsRefusedBeforeLoadingNeverRun) {
  hbtest::TempDir out, markers;
  std::vector<std::string> extra;
  for (const char* dir : {"no_manifest", "abi_major", "abi_minor", "fingerprint", "duplicate", "key_conflict", "core_key"})
    extra.insert(extra.end(), {"--plugin-dir", fixture_dir(dir)});
  const std::map<std::string, std::string> env = {{"HOOKBROKER_FIXTURE_MARKER_DIR", markers.path()}};
  std::vector<std::string> list = {hbtest::broker_binary(), "--list-plugins"};
  list.insert(list.end(), extra.begin(), extra.end());
  EXPECT_EQ(hbtest::run_command(list, 10s, env).exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_empty(markers.path())) << "--list-plugins opened a library";

  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1", extra), env);
  ASSERT_TRUE(broker.wait_for_log(kHeartbeatLogLine, 10s, 2)) << broker.output();
  EXPECT_EQ(broker.stop(), 0);
  for (const char* refused : {"no_manifest", "abi_major", "abi_minor", "fingerprint", "dup_b", "key_b", "core_key"})
    EXPECT_FALSE(std::filesystem::exists(markers.file(refused))) << refused << " was opened:\n" << broker.output();
  for (const char* loaded : {"dup_a", "key_a"})
    EXPECT_TRUE(std::filesystem::exists(markers.file(loaded))) << loaded << " was not loaded:\n" << broker.output();
}

TEST(BrokenPlugin, ContributorErrorsAreListedInTheHeartbeat) {
  hbtest::TempDir out;
  const std::string bus = out.file("bus.jsonl");
  hbtest::BrokerProcess broker(broker_args(bus, "0.1", {"--plugin-dir", fixture_dir("contributor_throws"),
                                                        "--plugin-dir", fixture_dir("contributor_sleeps"),
                                                        "--plugin-dir", fixture_dir("good")}));
  ASSERT_TRUE(hbtest::wait_until([&] { return hbtest::broadcasts(bus, "system_event", "heartbeat").size() >= 3; }, 10s));
  const auto beat = hbtest::broadcasts(bus, "system_event", "heartbeat").back();
  const auto& errors = beat["data"]["plugin_errors"];
  auto has_error = [&](const std::string& plugin) {
    for (const auto& e : errors)
      if (e["plugin"] == plugin) return true;
    return false;
  };
  EXPECT_TRUE(has_error("fixture_contributor_throws")) << errors.dump();
  EXPECT_TRUE(has_error("fixture_contributor_sleeps")) << errors.dump();
  EXPECT_FALSE(has_error("fixture_good")) << errors.dump();
  EXPECT_EQ(beat["data"]["fixture_good"]["ok"], true);  // healthy contributors still arrive
  EXPECT_EQ(broker.stop(), 0);
}

TEST(BrokenPlugin, RequiredPluginThatIsRefusedStopsTheBroker) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1",
                                           {"--plugin-dir", fixture_dir("abi_major"), "--set",
                                            "plugins.fixture_abi_major.required=true"}));
  EXPECT_EQ(broker.wait_exit(10s), 4) << broker.output();
  EXPECT_NE(broker.output().find("required plugin 'fixture_abi_major'"), std::string::npos) << broker.output();
  EXPECT_NE(broker.output().find("ABI major version mismatch"), std::string::npos);
}

TEST(BrokenPlugin, RequiredPluginThatFailsToStartStopsTheBroker) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1",
                                           {"--plugin-dir", fixture_dir("start_throws"), "--set",
                                            "plugins.fixture_start_throws.required=true"}));
  EXPECT_EQ(broker.wait_exit(10s), 4) << broker.output();
  EXPECT_NE(broker.output().find("required plugin 'fixture_start_throws'"), std::string::npos) << broker.output();
}

TEST(BrokenPlugin, RequiredPluginThatIsMissingStopsTheBroker) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1", {"--set", "plugins.nonexistent.required=true"}));
  EXPECT_EQ(broker.wait_exit(10s), 4) << broker.output();
  EXPECT_NE(broker.output().find("required plugin 'nonexistent' was not found"), std::string::npos) << broker.output();
}

}  // namespace
