#include "heartbeat_request.hpp"

#include <gtest/gtest.h>

namespace {

using hookbroker::client_heartbeats::parse_heartbeat_request;
using nlohmann::json;

TEST(HeartbeatRequest, EveryFieldIsOptional) {
  EXPECT_TRUE(parse_heartbeat_request(json::array()).request);
  EXPECT_TRUE(parse_heartbeat_request(json::array({nullptr})).request);
  EXPECT_TRUE(parse_heartbeat_request(json::array({json::object()})).request);
}

TEST(HeartbeatRequest, KeepsIdNameRttAndTheValueToEcho) {
  const auto parsed = parse_heartbeat_request(
      json::array({{{"client_id", "ui-1"}, {"name", "dashboard"}, {"rtt_ms", 3.5}, {"sent_at", 1700000000123},
                    {"extra", "ignored"}}}));
  ASSERT_TRUE(parsed.request) << parsed.error;
  EXPECT_EQ(*parsed.request->client_id, "ui-1");
  EXPECT_EQ(*parsed.request->name, "dashboard");
  EXPECT_DOUBLE_EQ(*parsed.request->rtt_ms, 3.5);
  EXPECT_EQ(parsed.request->echo, 1700000000123);
}

TEST(HeartbeatRequest, RefusesWrongTypesWithAMessageNamingTheField) {
  struct Case {
    json payload;
    const char* says;
  };
  const Case cases[] = {
      {"just a string", "takes an object"},
      {{{"client_id", 7}}, "\"client_id\" must be a string"},
      {{{"name", json::array()}}, "\"name\" must be a string"},
      {{{"name", std::string(200, 'x')}}, "\"name\" is 200 characters long"},
      {{{"rtt_ms", -1}}, "\"rtt_ms\" must be a number of milliseconds"},
      {{{"rtt_ms", "fast"}}, "\"rtt_ms\" must be a number"},
      {{{"sent_at", json::object()}}, "\"sent_at\" must be a number or a string"},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_heartbeat_request(json::array({c.payload}));
    EXPECT_FALSE(parsed.request) << c.payload.dump();
    EXPECT_NE(parsed.error.find(c.says), std::string::npos) << parsed.error;
  }
}

}  // namespace
