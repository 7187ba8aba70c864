// Issue 13, finding 4: a plugin in a place others can change must never run,
// and no plugin runs before it is checked. Each test copies a fixture plugin
// whose ELF constructor writes a marker file when the library is opened into
// a hostile place, and runs the real broker and --list-plugins on it.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "broker_args.hpp"
#include "broker_process.hpp"

using namespace std::chrono_literals;

namespace {

namespace fs = std::filesystem;

constexpr uid_t kNobody = 65534;

/// A plugin directory holding a copy of the `good` fixture (plugin
/// fixture_good), with the modes a test asks for, and a directory for its
/// constructor's marker.
struct HostilePlace {
  hbtest::TempDir tmp;
  std::string dir;
  std::string file;
  std::string markers;
  HostilePlace(mode_t dir_mode, mode_t file_mode, const std::string& fixture = "good") {
    const std::string root = fs::canonical(tmp.path()).string();
    dir = root + "/plugins";
    markers = root + "/markers";
    fs::create_directory(dir);
    fs::create_directory(markers);
    file = dir + "/" + fixture + ".so";
    fs::copy_file(fixture_dir(fixture) + "/" + fixture + ".so", file);
    EXPECT_EQ(::chmod(file.c_str(), file_mode), 0);
    EXPECT_EQ(::chmod(dir.c_str(), dir_mode), 0);
  }
  std::map<std::string, std::string> env() const { return {{"HOOKBROKER_FIXTURE_MARKER_DIR", markers}}; }
  bool opened(const std::string& fixture = "good") const { return fs::exists(markers + "/" + fixture); }
};

hbtest::CommandResult list_plugins(const HostilePlace& place, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {hbtest::broker_binary(), "--list-plugins", "--plugin-dir", place.dir};
  args.insert(args.end(), extra.begin(), extra.end());
  return hbtest::run_command(args, 10s, place.env());
}

/// Runs the broker on the place until three heartbeats went out; its output.
std::string run_broker(const HostilePlace& place, std::vector<std::string> extra = {}) {
  hbtest::TempDir out;
  extra.insert(extra.begin(), {"--plugin-dir", place.dir});
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1", extra), place.env());
  EXPECT_TRUE(broker.wait_for_log(kHeartbeatLogLine, 10s, 3)) << broker.output();
  EXPECT_EQ(broker.stop(), 0) << broker.output();
  return broker.output();
}

void expect_refused_unopened(const HostilePlace& place, const std::string& reason) {
  const auto listed = list_plugins(place);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("fixture_good\n  path:   " + place.file + "\n  status: refused: insecure location: " +
                            reason),
            std::string::npos)
      << listed.out;
  EXPECT_FALSE(place.opened()) << "--list-plugins ran the plugin's code";

  const std::string log = run_broker(place);
  EXPECT_NE(log.find("plugin 'fixture_good' (" + place.file + ") refused: insecure location: " + reason),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("plugin 'fixture_good' 0.0.1 loaded"), std::string::npos) << log;
  EXPECT_FALSE(place.opened()) << "the broker ran the plugin's code";
}

TEST(PluginTrust, AWorldWritableDirectoryIsRefusedAndItsPluginNeverRuns) {
  HostilePlace place(0777, 0755);
  expect_refused_unopened(place, "plugin directory " + place.dir +
                                     " is writable by group and others (mode 0777), so they can add or replace "
                                     "plugins in it; fix: chmod go-w " + place.dir);
}

TEST(PluginTrust, AWorldWritablePluginFileIsRefusedAndNeverRuns) {
  HostilePlace place(0755, 0666);
  expect_refused_unopened(place, "plugin file " + place.file +
                                     " is writable by group and others (mode 0666), so they can change the code "
                                     "the broker runs; fix: chmod go-w " + place.file);
}

TEST(PluginTrust, APluginFileOwnedByAnotherUserIsRefusedAndNeverRuns) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file to nobody";
  HostilePlace place(0755, 0644);
  ASSERT_EQ(::chown(place.file.c_str(), kNobody, static_cast<gid_t>(-1)), 0);
  expect_refused_unopened(place, "plugin file " + place.file + " is owned by nobody (uid 65534), not by root, " +
                                     "who runs the broker; fix: chown root " + place.file);
}

TEST(PluginTrust, TheOverrideLoadsFromAnInsecurePlaceWithLoudWarnings) {
  HostilePlace place(0777, 0666);
  const auto listed = list_plugins(place, {"--allow-insecure-plugin-paths"});
  EXPECT_NE(listed.out.find("fixture_good 0.0.1  [heartbeat contributor]\n  path:   " + place.file +
                            "\n  status: loads"),
            std::string::npos)
      << listed.out;
  EXPECT_FALSE(place.opened()) << "--list-plugins never opens a library";

  const std::string log = run_broker(place, {"--allow-insecure-plugin-paths"});
  EXPECT_NE(log.find("plugin 'fixture_good' 0.0.1 loaded"), std::string::npos) << log;
  EXPECT_TRUE(place.opened());
  for (const std::string& path : {place.dir, place.file})
    EXPECT_NE(log.find("INSECURE plugin location, allowed only because allow_insecure_plugin_paths is set: plugin " +
                       std::string(path == place.dir ? "directory " : "file ") + path + " is writable by"),
              std::string::npos)
        << path << " in:\n" << log;
}

TEST(PluginTrust, ADisabledPluginNeverRunsAndAnEnabledOneDoes) {
  HostilePlace place(0755, 0755);
  run_broker(place, {"--set", "plugins.fixture_good.enabled=false"});
  EXPECT_FALSE(place.opened()) << "a disabled plugin's constructor ran";
  run_broker(place);
  EXPECT_TRUE(place.opened()) << "an enabled plugin was not loaded";
}

TEST(PluginTrust, APluginOffByDefaultNeverRunsUnlessEnabled) {
  HostilePlace place(0755, 0755, "off_by_default");
  const auto listed = list_plugins(place, {"--set", "plugins.fixture_off_by_default.enabled=true"});
  EXPECT_NE(listed.out.find("status: loads"), std::string::npos) << listed.out;
  run_broker(place);
  EXPECT_FALSE(place.opened("off_by_default")) << "a plugin off by default ran";
  const std::string log = run_broker(place, {"--set", "plugins.fixture_off_by_default.enabled=true"});
  EXPECT_NE(log.find("plugin 'fixture_off_by_default' 0.0.1 loaded"), std::string::npos) << log;
  EXPECT_TRUE(place.opened("off_by_default"));
}

TEST(PluginTrust, DescribingAPluginDoesNotRunIt) {
  HostilePlace place(0755, 0755);
  const auto r = hbtest::run_command(
      {hbtest::broker_binary(), "--describe-plugin", "fixture_good", "--plugin-dir", place.dir}, 10s, place.env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("threshold  (an integer from 0 to 100, default 5)"), std::string::npos) << r.out;
  EXPECT_FALSE(place.opened());
}

}  // namespace
