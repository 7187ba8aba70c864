// The manifest format: the SDK writes it at compile time (manifest_writer.hpp)
// and reads it back (read_plugin_manifest in manifest.hpp); what one writes the
// other reads exactly, and a text that is not a manifest is refused with a
// message naming the key at fault.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "hookbroker/plugin.hpp"

namespace {

using hookbroker::ConfigType;
using hookbroker::read_plugin_manifest;

constexpr hookbroker::PluginInfo kTrickyInfo = [] {
  hookbroker::PluginInfo info;
  info.name = "tricky";
  info.version = "1.2.3";
  info.description = "quotes \" backslash \\ tab \t newline \n control \x01 and UTF-8 \xc3\xa9\xe2\x80\x94";
  info.enabled_by_default = false;
  info.heartbeat_keys = "a, b";
  info.options = {
      hookbroker::ranged_option("fraction_s", ConfigType::Number, "0.25", "decimal bounds", 0.05, 2.5),
      hookbroker::ranged_option("negative", ConfigType::Number, "-1", "negative bounds", -3.5, -0.001),
      hookbroker::ranged_option("huge", ConfigType::Number, "0", "beyond 2^53", -1e300, 1.5e300),
      hookbroker::ranged_option("count", ConfigType::Int, "5", "whole bounds", 1, 9007199254740991.0),
      hookbroker::choice_option("mode", R"("a")", "a choice", "a|b"),
      hookbroker::renamed(hookbroker::ranged_option("size_bytes", ConfigType::Int, "1024", "renamed", 0),
                          "size_megabytes", 1024.0 * 1024.0),
      hookbroker::option("no_default", ConfigType::Object, nullptr, "no default"),
  };
  return info;
}();
constexpr uint32_t kTrickyKinds = HOOKBROKER_KIND_EVENT_SINK | HOOKBROKER_KIND_HOOK_HANDLER;
constexpr std::size_t kTrickySize = hookbroker::detail::manifest_text_size(kTrickyInfo, kTrickyKinds);
// Written by the compiler, as HOOKBROKER_PLUGIN writes a plugin's manifest.
constexpr auto kTrickyText = hookbroker::detail::manifest_text<kTrickySize>(kTrickyInfo, kTrickyKinds);

std::string minimal(const std::string& extra = "", const std::string& options = "[]") {
  return R"({"hookbroker_plugin_manifest":1,"abi":[)" + std::to_string(HOOKBROKER_ABI_MAJOR) + "," +
         std::to_string(HOOKBROKER_ABI_MINOR) +
         R"(],"name":"p","version":"1","kinds":8,"flags":0,"build":{"compiler":"gcc 12","cxx11_abi":1,)"
         R"("boost":107400,"json":31102},"options":)" +
         options + extra + "}";
}

TEST(PluginManifest, WhatTheCompilerWritesReadsBackExactly) {
  static_assert(kTrickySize > 100, "the manifest is computed at compile time");
  const auto read = read_plugin_manifest(kTrickyText.text);
  ASSERT_TRUE(read.ok) << read.error << "\n" << kTrickyText.text;
  const auto& m = read.manifest;
  EXPECT_EQ(m.abi_major, HOOKBROKER_ABI_MAJOR);
  EXPECT_EQ(m.abi_minor, HOOKBROKER_ABI_MINOR);
  EXPECT_EQ(m.name, "tricky");
  EXPECT_EQ(m.version, "1.2.3");
  EXPECT_EQ(m.description, kTrickyInfo.description);
  EXPECT_EQ(m.kinds, kTrickyKinds);
  EXPECT_FALSE(m.enabled_by_default());
  EXPECT_EQ(m.heartbeat_keys, "a, b");
  EXPECT_EQ(m.build_compiler, HOOKBROKER_BUILD_COMPILER);
  EXPECT_EQ(m.build_boost_version, static_cast<uint32_t>(HOOKBROKER_BUILD_BOOST_VERSION));
  EXPECT_EQ(m.build_json_version, static_cast<uint32_t>(HOOKBROKER_BUILD_JSON_VERSION));
  ASSERT_EQ(m.options.size(), kTrickyInfo.options.size());
  for (std::size_t i = 0; i < m.options.size(); ++i) {
    const auto& got = m.options[i];
    const auto& want = kTrickyInfo.options[i];
    SCOPED_TRACE(want.name);
    EXPECT_STREQ(got.name, want.name);
    EXPECT_EQ(got.type, want.type);
    EXPECT_EQ(got.default_json == nullptr, want.default_json == nullptr);
    if (want.default_json) {
      EXPECT_STREQ(got.default_json, want.default_json);
    }
    EXPECT_STREQ(got.description, want.description);
    EXPECT_EQ(got.has_min, want.has_min);
    EXPECT_EQ(got.has_max, want.has_max);
    if (want.has_min) {
      EXPECT_EQ(got.min, want.min);  // bit-exact, not near
    }
    if (want.has_max) {
      EXPECT_EQ(got.max, want.max);
    }
    EXPECT_EQ(got.allowed == nullptr, want.allowed == nullptr);
    EXPECT_EQ(got.deprecated_name == nullptr, want.deprecated_name == nullptr);
    if (want.deprecated_scale != 0 && want.deprecated_scale != 1) {
      EXPECT_EQ(got.deprecated_scale, want.deprecated_scale);
    }
  }
  EXPECT_STREQ(m.options[4].allowed, "a|b");
  EXPECT_STREQ(m.options[5].deprecated_name, "size_megabytes");
}

TEST(PluginManifest, CopiesKeepTheirOptionTextsAlive) {
  hookbroker::PluginManifest copy;
  {
    const auto read = read_plugin_manifest(kTrickyText.text);
    ASSERT_TRUE(read.ok);
    copy = read.manifest;
  }
  EXPECT_STREQ(copy.options[0].name, "fraction_s");
  EXPECT_STREQ(copy.options[6].description, "no default");
}

TEST(PluginManifest, NumbersMayBeMantissaAndExponent) {
  const auto read = read_plugin_manifest(minimal(
      "", R"([{"name":"x","type":3,"min":[3602879701896397,-56],"max":[-7,1],"deprecated_scale":1048576}])"));
  ASSERT_TRUE(read.ok) << read.error;
  EXPECT_EQ(read.manifest.options[0].min, 0.05);
  EXPECT_EQ(read.manifest.options[0].max, -14.0);
  EXPECT_EQ(read.manifest.options[0].deprecated_scale, 1048576.0);
  EXPECT_STREQ(read.manifest.options[0].description, "") << "a missing description reads as empty";
  EXPECT_EQ(read.manifest.options[0].default_json, nullptr) << "a missing default stays missing";
}

TEST(PluginManifest, ATextThatIsNotAManifestIsRefusedWithTheReason) {
  const std::string major = std::to_string(HOOKBROKER_ABI_MAJOR);
  const struct {
    std::string text;
    const char* error;
  } cases[] = {
      {"", "the manifest is empty"},
      {"{", "invalid JSON"},
      {"[1,2]", "not a hookbroker plugin manifest"},
      {R"({"name":"x"})", "not a hookbroker plugin manifest"},
      {R"({"hookbroker_plugin_manifest":2})", "unknown manifest format 2"},
      {R"({"hookbroker_plugin_manifest":1,"abi":"3.0"})", "'abi' must be [major, minor]"},
      {R"({"hookbroker_plugin_manifest":1,"abi":[99,1],"name":"old"})",
       "ABI major version mismatch: plugin has 99.1, core has"},
      {R"({"hookbroker_plugin_manifest":1,"abi":[)" + major + R"(,0]})", "'name' is missing"},
      {R"({"hookbroker_plugin_manifest":1,"abi":[)" + major + R"(,0],"name":"p","version":"1","kinds":-1})",
       "'kinds' must be a whole number from 0 to 4294967295"},
      {R"({"hookbroker_plugin_manifest":1,"abi":[)" + major + R"(,0],"name":"p","version":"1","kinds":1,"flags":0})",
       "'build' must be an object"},
      {minimal("", R"({"name":"x"})"), "'options' must be an array"},
      {minimal("", R"([{"type":1}])"), "options[0].'name' is missing"},
      {minimal("", R"([{"name":"","type":1}])"), "options[0].'name' is empty"},
      {minimal("", R"([{"name":"x","type":9}])"), "options[0].'type' must be a whole number from 1 to 7"},
      {minimal("", R"([{"name":"x","type":2,"min":"1"}])"), "options[0].'min' must be a finite number"},
      {minimal("", R"([{"name":"x","type":2,"max":[1,99999]}])"), "options[0].'max' must be a finite number"},
      {minimal("", R"([{"name":"x","type":2,"default":5}])"), "options[0].'default' must be a string"},
      {minimal("", "[7]"), "options[0] must be an object"},
      {"{\"hookbroker_plugin_manifest\":1,\"name\":\"\xff\"}", "invalid JSON"},
      {std::string(100, '[') + std::string(100, ']'), "nested deeper than 8"},
  };
  for (const auto& c : cases) {
    const auto read = read_plugin_manifest(c.text);
    EXPECT_FALSE(read.ok) << c.text;
    EXPECT_NE(read.error.find(c.error), std::string::npos) << c.text << "\n  error: " << read.error;
  }
}

TEST(PluginManifest, AnOtherMajorStillGivesItsNameForTheMessage) {
  const auto read = read_plugin_manifest(R"({"hookbroker_plugin_manifest":1,"abi":[2,0],"name":"old_plugin"})");
  EXPECT_FALSE(read.ok);
  EXPECT_EQ(read.manifest.name, "old_plugin");
  EXPECT_EQ(read.manifest.abi_major, 2);
}

TEST(PluginManifest, TooManyOptionsAreRefused) {
  std::string options = "[";
  for (std::size_t i = 0; i <= hookbroker::manifest_keys::kMaxOptions; ++i)
    options += std::string(i ? "," : "") + R"({"name":"o)" + std::to_string(i) + R"(","type":1})";
  const auto read = read_plugin_manifest(minimal("", options + "]"));
  EXPECT_FALSE(read.ok);
  EXPECT_NE(read.error.find("at most 128 options"), std::string::npos) << read.error;
}

TEST(PluginManifest, OptionListTakesBracedRowsTablesAndArrays) {
  constexpr auto table = hookbroker::config_table(hookbroker::option("a", ConfigType::Bool, "true", ""),
                                                  hookbroker::option("b", ConfigType::Int, "1", ""));
  constexpr hookbroker::OptionList from_table = table;
  static_assert(from_table.size() == 2);
  static constexpr hookbroker_config_option array[] = {hookbroker::option("c", ConfigType::String, "\"\"", "")};
  constexpr hookbroker::OptionList from_array = array;
  static_assert(from_array.size() == 1);
  EXPECT_STREQ(from_table[1].name, "b");
  EXPECT_EQ(hookbroker::with_defaults(from_table), nlohmann::json({{"a", true}, {"b", 1}}));
}

}  // namespace
