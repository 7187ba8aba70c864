// AnyValue and attribute reading in every encoding a conforming OTLP/JSON
// exporter sends (proto3 JSON: 64-bit integers as strings or numbers,
// doubles as numbers or "NaN"; lowerCamelCase or original field names).
#include <gtest/gtest.h>

#include <cmath>

#include "otlp_values.hpp"

namespace {

using hookbroker::otlp::add_attributes;
using hookbroker::otlp::Limits;
using hookbroker::otlp::read_any_value;
using hookbroker::otlp::read_double;
using hookbroker::otlp::read_int64;
using hookbroker::otlp::ValueError;
using nlohmann::json;

json any(const json& value, ValueError* error = nullptr) {
  ValueError local;
  ValueError& e = error ? *error : local;
  return read_any_value(value, Limits{}, e);
}

TEST(OtlpValues, IntegersAsStringsOrNumbers) {
  EXPECT_EQ(read_int64(json("1500")), 1500);
  EXPECT_EQ(read_int64(json(1500)), 1500);
  EXPECT_EQ(read_int64(json("-7")), -7);
  EXPECT_EQ(read_int64(json(1e3)), 1000);
  EXPECT_EQ(read_int64(json("9223372036854775807")), INT64_MAX);
  EXPECT_FALSE(read_int64(json("9223372036854775808")));
  EXPECT_FALSE(read_int64(json(18446744073709551615ull)));
  EXPECT_FALSE(read_int64(json("1.5")));
  EXPECT_FALSE(read_int64(json(1.5)));
  EXPECT_FALSE(read_int64(json("")));
  EXPECT_FALSE(read_int64(json("12a")));
  EXPECT_FALSE(read_int64(json(true)));
}

TEST(OtlpValues, DoublesIncludingTheirTextForms) {
  EXPECT_EQ(read_double(json(0.25)), 0.25);
  EXPECT_EQ(read_double(json(3)), 3.0);
  EXPECT_EQ(read_double(json("0.125")), 0.125);
  EXPECT_TRUE(std::isnan(*read_double(json("NaN"))));
  EXPECT_TRUE(std::isinf(*read_double(json("-Infinity"))));
  EXPECT_FALSE(read_double(json("cheap")));
  EXPECT_FALSE(read_double(json("1e999")));
  EXPECT_FALSE(read_double(json::object()));
}

TEST(OtlpValues, EveryAnyValueForm) {
  EXPECT_EQ(any({{"stringValue", "claude-sonnet-4-5"}}), "claude-sonnet-4-5");
  EXPECT_EQ(any({{"string_value", "snake"}}), "snake");
  EXPECT_EQ(any({{"boolValue", true}}), true);
  EXPECT_EQ(any({{"intValue", "42"}}), 42);
  EXPECT_EQ(any({{"intValue", 42}}), 42);
  EXPECT_EQ(any({{"doubleValue", 0.5}}), 0.5);
  EXPECT_EQ(any({{"doubleValue", "NaN"}}), "NaN");
  EXPECT_EQ(any({{"bytesValue", "AAE="}}), "AAE=");
  EXPECT_EQ(any({{"arrayValue", {{"values", {{{"intValue", "1"}}, {{"stringValue", "a"}}}}}}}), json::array({1, "a"}));
  EXPECT_EQ(any({{"kvlistValue", {{"values", {{{"key", "k"}, {"value", {{"boolValue", false}}}}}}}}}),
            json({{"k", false}}));
  EXPECT_EQ(any({{"arrayValue", json::object()}}), json::array());
  EXPECT_TRUE(any(json::object()).is_null()) << "an empty AnyValue is no value";
}

TEST(OtlpValues, WrongTypesAreNamed) {
  ValueError e;
  any({{"intValue", "forty"}}, &e);
  EXPECT_NE(e.message.find("intValue"), std::string::npos) << e.message;
  e = {};
  any(json("plain"), &e);
  EXPECT_NE(e.message.find("AnyValue"), std::string::npos) << e.message;
  e = {};
  any({{"kvlistValue", {{"values", {{{"value", {{"intValue", 1}}}}}}}}}, &e);
  EXPECT_NE(e.message.find("key"), std::string::npos) << e.message;
}

TEST(OtlpValues, LimitsHoldAgainstHugeOrDeepValues) {
  Limits limits;
  limits.max_array_values = 3;
  limits.max_depth = 2;
  limits.max_string_bytes = 8;
  ValueError e;
  read_any_value({{"arrayValue", {{"values", json::array({{{"intValue", 1}}, {{"intValue", 1}}, {{"intValue", 1}},
                                                           {{"intValue", 1}}})}}}},
                 limits, e);
  EXPECT_TRUE(e) << "4 values, at most 3";
  e = {};
  json nested = {{"intValue", 1}};
  for (int i = 0; i < 3; ++i) nested = {{"arrayValue", {{"values", json::array({nested})}}}};
  read_any_value(nested, limits, e);
  EXPECT_TRUE(e) << "3 levels, at most 2";
  e = {};
  read_any_value({{"stringValue", "123456789"}}, limits, e);
  EXPECT_TRUE(e);
}

TEST(OtlpValues, AttributesMergeLaterKeysWin) {
  json out = {{"service.name", "old"}};
  ValueError e;
  const json attributes = json::array({{{"key", "service.name"}, {"value", {{"stringValue", "claude-code"}}}},
                                       {{"key", "session.id"}, {"value", {{"stringValue", "s-1"}}}},
                                       {{"key", "empty"}}});
  add_attributes(&attributes, out, Limits{}, e);
  EXPECT_FALSE(e) << e.message;
  EXPECT_EQ(out, json({{"service.name", "claude-code"}, {"session.id", "s-1"}, {"empty", nullptr}}));

  Limits few;
  few.max_attributes = 2;
  json fresh = json::object();
  add_attributes(&attributes, fresh, few, e);
  EXPECT_TRUE(e) << "three attributes, at most two";
  e = {};
  const json not_array = json::object();
  add_attributes(&not_array, fresh, Limits{}, e);
  EXPECT_TRUE(e);
}

}  // namespace
