#include "hookbroker/json_input.hpp"

#include <gtest/gtest.h>

using hookbroker::parse_json_input;

TEST(JsonInput, ParsesAnObject) {
  auto r = parse_json_input(R"({"a": [1, 2, {"b": "c"}]})");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value["a"][2]["b"], "c");
}

TEST(JsonInput, EmptyInputIsNamed) {
  EXPECT_EQ(parse_json_input("  \n").error, "empty body: send one JSON object");
}

TEST(JsonInput, TruncatedJsonSaysWhere) {
  auto r = parse_json_input(R"({"a": 1,)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("invalid JSON: parse error at line 1", 0), 0u) << r.error;
}

TEST(JsonInput, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = parse_json_input(deep);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("nested deeper than 64 levels"), std::string::npos) << r.error;
}

TEST(JsonInput, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"s\": \"" + std::string(1000, '[') + "\\\"\"}";
  EXPECT_TRUE(parse_json_input(text).ok);
}

TEST(JsonInput, InvalidUtf8IsRefused) {
  auto r = parse_json_input("{\"s\": \"\xff\xfe\"}");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("invalid JSON"), std::string::npos) << r.error;
}
