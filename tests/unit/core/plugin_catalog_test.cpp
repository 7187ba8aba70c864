// The catalog decides from manifests read out of the files, and from where the
// files are: it never opens a library, refuses insecure places by name, and
// with the development override lets them through with a warning per place.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "plugins/plugin_catalog.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using hookbroker::core::PluginCandidate;
using hookbroker::core::PluginCatalog;
using hookbroker::core::PluginScanOptions;

std::string fixture(const std::string& name) { return std::string(FIXTURE_PLUGIN_ROOT) + "/" + name + "/" + name + ".so"; }

/// A plugin directory in a fresh temp dir holding a copy of fixture `name`.
struct PluginDir {
  hbtest::TempDir tmp;
  std::string dir;
  std::string file;
  explicit PluginDir(const std::string& name, mode_t dir_mode = 0755, mode_t file_mode = 0755) {
    dir = fs::canonical(tmp.path()).string() + "/plugins";
    fs::create_directory(dir);
    file = dir + "/" + name + ".so";
    fs::copy_file(fixture(name), file);
    EXPECT_EQ(::chmod(file.c_str(), file_mode), 0);
    EXPECT_EQ(::chmod(dir.c_str(), dir_mode), 0);
  }
};

/// Points the fixtures' constructor markers at a fresh directory while alive.
struct MarkerDir {
  hbtest::TempDir tmp;
  MarkerDir() { ::setenv("HOOKBROKER_FIXTURE_MARKER_DIR", tmp.path().c_str(), 1); }
  ~MarkerDir() { ::unsetenv("HOOKBROKER_FIXTURE_MARKER_DIR"); }
  bool opened(const std::string& fixture_name) const { return fs::exists(tmp.file(fixture_name)); }
};

PluginCandidate only(const PluginCatalog& catalog) {
  EXPECT_EQ(catalog.candidates().size(), 1u);
  return catalog.candidates().front();
}

TEST(PluginCatalog, DecidesWithoutOpeningAnyLibrary) {
  MarkerDir markers;
  PluginDir good("good");
  PluginDir off("off_by_default");
  const PluginCatalog catalog = PluginCatalog::scan({good.dir, off.dir}, nlohmann::json::object());
  ASSERT_EQ(catalog.candidates().size(), 2u);
  EXPECT_EQ(catalog.candidates()[0].status, PluginCandidate::Status::Ready);
  EXPECT_EQ(catalog.candidates()[0].name, "fixture_good");
  EXPECT_EQ(catalog.candidates()[0].config, nlohmann::json({{"threshold", 5}})) << "validated from the file's table";
  EXPECT_EQ(catalog.candidates()[1].status, PluginCandidate::Status::Disabled);
  EXPECT_FALSE(markers.opened("good")) << "the catalog opened a library";
  EXPECT_FALSE(markers.opened("off_by_default")) << "the catalog opened a library";
}

TEST(PluginCatalog, RefusesAWorldWritableDirectoryNamingItAndTheFix) {
  PluginDir plugins("good", 0777);
  const PluginCandidate c = only(PluginCatalog::scan({plugins.dir}, nlohmann::json::object()));
  EXPECT_EQ(c.status, PluginCandidate::Status::Refused);
  EXPECT_EQ(c.name, "fixture_good") << "named from its manifest, read but not trusted";
  EXPECT_EQ(c.reason, "insecure location: plugin directory " + plugins.dir +
                          " is writable by group and others (mode 0777), so they can add or replace plugins in it; "
                          "fix: chmod go-w " + plugins.dir +
                          "; or, for development only, allow it with --allow-insecure-plugin-paths");
}

TEST(PluginCatalog, RefusesAFileOthersCanWrite) {
  PluginDir plugins("good", 0755, 0666);
  const PluginCandidate c = only(PluginCatalog::scan({plugins.dir}, nlohmann::json::object()));
  EXPECT_EQ(c.status, PluginCandidate::Status::Refused);
  EXPECT_NE(c.reason.find("plugin file " + plugins.file + " is writable by group and others (mode 0666)"),
            std::string::npos)
      << c.reason;
}

TEST(PluginCatalog, ChecksWhereASymlinkLeads) {
  PluginDir elsewhere("good", 0777);
  hbtest::TempDir tmp;
  const std::string dir = fs::canonical(tmp.path()).string();
  fs::create_symlink(elsewhere.file, dir + "/good.so");
  const PluginCandidate c = only(PluginCatalog::scan({dir}, nlohmann::json::object()));
  EXPECT_EQ(c.status, PluginCandidate::Status::Refused);
  EXPECT_EQ(c.real_path, elsewhere.file);
  EXPECT_NE(c.reason.find("directory of the plugin file " + elsewhere.dir + " is writable by group and others"),
            std::string::npos)
      << c.reason;
}

TEST(PluginCatalog, TheOverrideLoadsFromInsecurePlacesWithOneWarningEach) {
  PluginDir plugins("good", 0777, 0666);
  PluginScanOptions options;
  options.allow_insecure_paths = true;
  const PluginCatalog catalog = PluginCatalog::scan({plugins.dir, plugins.dir}, nlohmann::json::object(), options);
  EXPECT_EQ(catalog.candidates().front().status, PluginCandidate::Status::Ready);
  std::size_t insecure = 0;
  for (const auto& w : catalog.warnings()) insecure += w.rfind("INSECURE plugin location", 0) == 0 ? 1 : 0;
  EXPECT_EQ(insecure, 2u) << "the directory and the file, once each although scanned twice";
  EXPECT_NE(catalog.warnings().front().find("allowed only because allow_insecure_plugin_paths is set"),
            std::string::npos)
      << catalog.warnings().front();
}

TEST(PluginCatalog, RefusesWhatIsNotARegularFileWithoutOpeningIt) {
  hbtest::TempDir tmp;
  const std::string dir = fs::canonical(tmp.path()).string();
  ASSERT_EQ(::mkfifo((dir + "/fifo.so").c_str(), 0600), 0);  // opening it for reading would block
  const PluginCandidate c = only(PluginCatalog::scan({dir}, nlohmann::json::object()));
  EXPECT_EQ(c.reason, dir + "/fifo.so is not a regular file; remove it from the plugin directory");
}

}  // namespace
