#include "options/config_schema.hpp"

#include <gtest/gtest.h>

#include "hookbroker/config.hpp"

using hookbroker::ConfigType;
using namespace hookbroker::core;

TEST(ConfigSchema, AcceptsValuesOfTheDeclaredType) {
  auto o = hookbroker::ranged_option("n", ConfigType::Int, "5", "", 0, 10);
  EXPECT_FALSE(check_value(o, 3, "n"));
  EXPECT_FALSE(check_value(o, 3.0, "n"));  // JSON has one number type; 3.0 is whole
}

TEST(ConfigSchema, TellsWholeNumbersFromFractionsAcrossTheDoubleRange) {
  auto o = hookbroker::option("i", ConfigType::Int, "1", "");
  EXPECT_FALSE(check_value(o, -2.0, "i"));
  EXPECT_FALSE(check_value(o, -0.0, "i"));
  EXPECT_FALSE(check_value(o, 4503599627370495.0, "i"));  // 2^52 - 1
  EXPECT_FALSE(check_value(o, 1e300, "i"));               // beyond any integer type, still whole
  EXPECT_TRUE(check_value(o, -2.5, "i"));
  EXPECT_TRUE(check_value(o, 0.5, "i"));
  EXPECT_TRUE(check_value(o, 4503599627370495.5, "i"));  // 2^52 - 0.5: the last fraction a double holds
}

TEST(ConfigSchema, NamesKeyValueAndWhatIsAllowed) {
  auto o = hookbroker::ranged_option("heartbeat.interval", ConfigType::Number, "60", "", 0.05);
  auto error = check_value(o, 0.01, "heartbeat.interval");
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "heartbeat.interval: 0.01 is below the minimum 0.05 (allowed: a number >= 0.05)");
}

TEST(ConfigSchema, RejectsWrongTypes) {
  EXPECT_TRUE(check_value(hookbroker::option("b", ConfigType::Bool, "true", ""), "yes", "b"));
  EXPECT_TRUE(check_value(hookbroker::option("s", ConfigType::String, "\"\"", ""), 5, "s"));
  EXPECT_TRUE(check_value(hookbroker::option("i", ConfigType::Int, "1", ""), 1.5, "i"));
  EXPECT_TRUE(check_value(hookbroker::option("i", ConfigType::Int, "1", ""), true, "i"));
  EXPECT_TRUE(check_value(hookbroker::option("l", ConfigType::StringList, "[]", ""), nlohmann::json::array({1}), "l"));
  EXPECT_TRUE(check_value(hookbroker::option("o", ConfigType::Object, "{}", ""), nlohmann::json::array(), "o"));
}

TEST(ConfigSchema, ChoicesAreEnforced) {
  auto o = hookbroker::choice_option("level", "\"info\"", "", "debug|info");
  EXPECT_FALSE(check_value(o, "debug", "level"));
  auto error = check_value(o, "loud", "level");
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("one of debug|info"), std::string::npos) << *error;
}

TEST(ConfigSchema, TextConversionFollowsTheType) {
  std::string error;
  EXPECT_EQ(*value_from_text(hookbroker::option("n", ConfigType::Number, "1", ""), "0.25", "n", error), 0.25);
  EXPECT_EQ(*value_from_text(hookbroker::option("b", ConfigType::Bool, "true", ""), "off", "b", error), false);
  EXPECT_EQ(*value_from_text(hookbroker::option("plugin_dirs", ConfigType::StringList, "[]", ""), "/a:/b", "l", error),
            nlohmann::json({"/a", "/b"}));
  EXPECT_EQ(*value_from_text(hookbroker::option("cors_origins", ConfigType::StringList, "[]", ""),
                             "http://a:1,http://b:*", "l", error),
            nlohmann::json({"http://a:1", "http://b:*"}));
  EXPECT_FALSE(value_from_text(hookbroker::option("i", ConfigType::Int, "1", ""), "12x", "--port", error));
  EXPECT_NE(error.find("--port: '12x' is not a whole number"), std::string::npos) << error;
}

TEST(ConfigSchema, ObjectValidationFillsDefaultsAndListsUnknownKeys) {
  const hookbroker_config_option options[] = {
      hookbroker::option("path", ConfigType::String, R"("-")", ""),
      hookbroker::ranged_option("limit", ConfigType::Int, "10", "", 1),
  };
  auto ok = validate_config_object(options, 2, {{"limit", 3}}, "plugins.p.config");
  EXPECT_TRUE(ok.errors.empty());
  EXPECT_EQ(ok.value, nlohmann::json({{"path", "-"}, {"limit", 3}}));

  auto bad = validate_config_object(options, 2, {{"limti", 3}, {"limit", 0}}, "plugins.p.config");
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_EQ(bad.errors[0], "plugins.p.config: unknown key 'limti' (known keys: path, limit)");
  EXPECT_NE(bad.errors[1].find("plugins.p.config.limit: 0 is below the minimum 1"), std::string::npos);
}

TEST(ConfigSchema, ADeprecatedNameLoadsWithAWarningNamingTheNewOne) {
  const hookbroker_config_option options[] = {
      hookbroker::renamed(hookbroker::ranged_option("timeout_ms", ConfigType::Int, "100", "", 1), "timeout"),
      hookbroker::renamed(hookbroker::ranged_option("size_bytes", ConfigType::Int, "1024", "", 0), "size_kb", 1024),
  };
  auto out = validate_config_object(options, 2, {{"timeout", 250}, {"size_kb", 2}}, "plugins.p.config");
  EXPECT_TRUE(out.errors.empty()) << out.errors.front();
  EXPECT_TRUE(out.conflicts.empty());
  EXPECT_EQ(out.value, nlohmann::json({{"timeout_ms", 250}, {"size_bytes", 2048}}));
  ASSERT_EQ(out.warnings.size(), 2u);
  EXPECT_EQ(out.warnings[0],
            "plugins.p.config.timeout is deprecated: use plugins.p.config.timeout_ms (the old name still works, for now)");
  EXPECT_NE(out.warnings[1].find("plugins.p.config.size_kb is deprecated: use plugins.p.config.size_bytes"),
            std::string::npos);
  EXPECT_NE(out.warnings[1].find("2 was read as 2048"), std::string::npos) << out.warnings[1];

  // The new name: no warning. Errors name the key the user wrote.
  EXPECT_TRUE(validate_config_object(options, 2, {{"timeout_ms", 5}}, "c").warnings.empty());
  auto bad = validate_config_object(options, 2, {{"timeout", 0}}, "c");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].find("c.timeout: 0 is below the minimum 1"), std::string::npos) << bad.errors[0];
}

TEST(ConfigSchema, BothNamesOfOneOptionAreAConflictNamingBoth) {
  const hookbroker_config_option options[] = {
      hookbroker::renamed(hookbroker::ranged_option("timeout_ms", ConfigType::Int, "100", "", 1), "timeout"),
  };
  auto out = validate_config_object(options, 1, {{"timeout", 1}, {"timeout_ms", 2}}, "plugins.p.config");
  ASSERT_EQ(out.conflicts.size(), 1u);
  EXPECT_EQ(out.conflicts[0],
            "plugins.p.config.timeout and plugins.p.config.timeout_ms are both given, but plugins.p.config.timeout "
            "is the deprecated name of plugins.p.config.timeout_ms: keep only plugins.p.config.timeout_ms");
  EXPECT_THROW(hookbroker::with_defaults({options[0]}, {{"timeout", 1}, {"timeout_ms", 2}}), hookbroker::ConfigError);
  EXPECT_EQ(hookbroker::with_defaults({options[0]}, {{"timeout", 7}}), nlohmann::json({{"timeout_ms", 7}}));
  EXPECT_EQ(hookbroker::with_defaults({options[0]}), nlohmann::json({{"timeout_ms", 100}}));
}

TEST(ConfigSchema, DescribeNoteShowsTheDeprecatedNameAndItsUnit) {
  EXPECT_EQ(deprecated_alias_note(hookbroker::option("a", ConfigType::Int, "1", "")), "");
  EXPECT_EQ(deprecated_alias_note(hookbroker::renamed(hookbroker::option("a_ms", ConfigType::Int, "1", ""), "a")),
            "deprecated name: a (still read, with a warning)");
  EXPECT_EQ(
      deprecated_alias_note(hookbroker::renamed(hookbroker::option("a_bytes", ConfigType::Int, "1", ""), "a_mb", 1048576)),
      "deprecated name: a_mb (still read, with a warning; its value is multiplied by 1048576)");
}
