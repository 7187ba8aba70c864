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
