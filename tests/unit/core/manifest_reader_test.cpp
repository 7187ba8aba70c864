// Reading a plugin's manifest from its library file, without opening the
// library: good files, and every way a file can fail to be one.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "plugins/manifest_reader.hpp"

namespace {

using hookbroker::core::ManifestFileRead;
using hookbroker::core::read_manifest_from_file;
using hookbroker::core::read_manifest_from_image;

std::string fixture(const std::string& name) { return std::string(FIXTURE_PLUGIN_ROOT) + "/" + name + "/" + name + ".so"; }

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ManifestFileRead read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0) << path;
  ManifestFileRead read = read_manifest_from_file(fd);
  ::close(fd);
  return read;
}

TEST(ManifestReader, ReadsAGoodPluginFromItsFile) {
  const ManifestFileRead read = read_file(fixture("good"));
  ASSERT_TRUE(read.ok) << read.reason;
  EXPECT_EQ(read.manifest.name, "fixture_good");
  EXPECT_EQ(read.manifest.version, "0.0.1");
  EXPECT_EQ(read.manifest.kinds, HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  ASSERT_EQ(read.manifest.options.size(), 1u);
  EXPECT_STREQ(read.manifest.options[0].name, "threshold");
  EXPECT_EQ(read.manifest.options[0].max, 100);
  EXPECT_EQ(read.text.front(), '{');
  EXPECT_EQ(read_manifest_from_image(bytes_of(fixture("good"))).text, read.text) << "file and memory agree";
}

TEST(ManifestReader, ReadsAShippedPluginsDecimalBoundsExactly) {
  const ManifestFileRead read = read_file(HISTORY_SQLITE_PLUGIN_PATH);
  ASSERT_TRUE(read.ok) << read.reason;
  bool seen = false;
  for (const auto& o : read.manifest.options) {
    if (std::string(o.name) == "retention_check_s") {
      EXPECT_EQ(o.min, 0.05);
      seen = true;
    }
    if (std::string(o.name) == "max_database_bytes") {
      EXPECT_EQ(o.deprecated_scale, 1024.0 * 1024.0);
    }
  }
  EXPECT_TRUE(seen);
}

TEST(ManifestReader, RefusesTruncatedFiles) {
  const std::string whole = bytes_of(fixture("good"));
  ASSERT_GT(whole.size(), 4096u);
  for (std::size_t size : {std::size_t{0}, std::size_t{3}, std::size_t{16}, std::size_t{64}, std::size_t{1000},
                           whole.size() / 2, whole.size() - 1}) {
    const ManifestFileRead read = read_manifest_from_image(whole.substr(0, size));
    EXPECT_FALSE(read.ok) << size << " bytes";
    EXPECT_FALSE(read.reason.empty()) << size << " bytes";
  }
}

TEST(ManifestReader, RefusesGarbageAsNotASharedLibrary) {
  for (const std::string& garbage : {std::string("this is a text file\n"), std::string("\x7f" "ELF", 4),
                                    std::string("\x7f" "ELF\x02\x01\x01", 7) + std::string(200, '\xff')}) {
    const ManifestFileRead read = read_manifest_from_image(garbage);
    EXPECT_FALSE(read.ok);
    EXPECT_EQ(read.reason.rfind("not a shared library (", 0), 0u) << read.reason;
  }
  const ManifestFileRead text = read_file(std::string(FIXTURE_PLUGIN_ROOT) + "/not_a_library/not_a_library.so");
  EXPECT_EQ(text.reason, "not a shared library (not an ELF file); remove it from the plugin directory");
}

TEST(ManifestReader, RefusesALibraryWithoutTheSectionAsBuiltForAnOlderSdk) {
  const ManifestFileRead read = read_file(fixture("no_manifest"));
  EXPECT_FALSE(read.ok);
  EXPECT_NE(read.reason.find("no hookbroker manifest (no .hookbroker.manifest section)"), std::string::npos)
      << read.reason;
  EXPECT_NE(read.reason.find("older than ABI 3.0; rebuild it"), std::string::npos) << read.reason;
}

TEST(ManifestReader, RefusesAnotherAbiMajorNamingThePlugin) {
  const ManifestFileRead read = read_file(fixture("abi_major"));
  EXPECT_FALSE(read.ok);
  EXPECT_EQ(read.reason.rfind("ABI major version mismatch: plugin has 99.0, core has ", 0), 0u) << read.reason;
  EXPECT_EQ(read.manifest.name, "fixture_abi_major");
}

TEST(ManifestReader, RefusesAMalformedManifestText) {
  std::string image = bytes_of(fixture("good"));
  const auto at = image.find("{\"hookbroker_plugin_manifest\"");
  ASSERT_NE(at, std::string::npos);
  image[at] = '[';  // same length, no longer a JSON object
  const ManifestFileRead read = read_manifest_from_image(image);
  EXPECT_FALSE(read.ok);
  EXPECT_EQ(read.reason.rfind("malformed manifest: invalid JSON", 0), 0u) << read.reason;
}

#if defined(__x86_64__)
TEST(ManifestReader, RefusesALibraryForAnotherMachine) {
  std::string image = bytes_of(fixture("good"));
  image[18] = static_cast<char>(183);  // e_machine = EM_AARCH64, little-endian
  image[19] = 0;
  const ManifestFileRead read = read_manifest_from_image(image);
  EXPECT_FALSE(read.ok);
  EXPECT_EQ(read.reason, "built for AArch64, this broker runs on x86-64; rebuild the plugin for this machine");
}
#endif

}  // namespace

namespace {

/// True when this process maps a file whose name starts with `prefix`.
bool maps_library(const std::string& prefix) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.rfind('/');
    if (slash != std::string::npos && line.compare(slash + 1, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

}  // namespace

// libelf is needed only while manifests are read: it is opened for the
// reads and closed after, so an idle broker does not keep it mapped.
TEST(ManifestReader, LibelfIsMappedOnlyWhileManifestsAreRead) {
  ASSERT_FALSE(maps_library("libelf")) << "libelf is linked or was left open";
  {
    const hookbroker::core::ManifestReading reading;
    EXPECT_TRUE(maps_library("libelf"));
    EXPECT_TRUE(read_file(fixture("good")).ok);
    EXPECT_TRUE(read_manifest_from_image(bytes_of(fixture("good"))).ok);
    EXPECT_TRUE(maps_library("libelf"));
  }
  EXPECT_FALSE(maps_library("libelf"));
  EXPECT_TRUE(read_file(fixture("good")).ok);  // a read on its own opens and closes it
  EXPECT_FALSE(maps_library("libelf"));
}
