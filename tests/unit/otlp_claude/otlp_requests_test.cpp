// Export requests read into flat records: resource, scope and record
// attributes merged; bad records rejected one by one (partial success), a
// body that is no export request refused whole.
#include <gtest/gtest.h>

#include "otlp_requests.hpp"

namespace {

using hookbroker::otlp::decode_logs;
using hookbroker::otlp::decode_metrics;
using hookbroker::otlp::RequestLimits;
using hookbroker::otlp::Temporality;
using nlohmann::json;

json kv(const std::string& key, const json& value) { return {{"key", key}, {"value", value}}; }
json str(const std::string& s) { return {{"stringValue", s}}; }

json logs_request(json records) {
  return {{"resourceLogs",
           {{{"resource", {{"attributes", {kv("service.name", str("claude-code")), kv("session.id", str("resource"))}}}},
             {"scopeLogs",
              {{{"scope", {{"name", "com.anthropic.claude_code.events"}, {"version", "2.1.0"}}},
                {"logRecords", std::move(records)}}}}}}}};
}

json api_request(const std::string& session, const json& cost) {
  return {{"timeUnixNano", "1764900000000000000"},
          {"body", str("claude_code.api_request")},
          {"attributes",
           {kv("event.name", str("api_request")), kv("session.id", str(session)), kv("model", str("claude-sonnet-4-5")),
            kv("cost_usd", cost), kv("input_tokens", {{"intValue", "1200"}}), kv("output_tokens", {{"intValue", 80}})}}};
}

TEST(OtlpLogs, RecordsCarryMergedAttributesAndTheirEventName) {
  const auto decoded = decode_logs(logs_request({api_request("s-1", {{"doubleValue", 0.0123}})}));
  ASSERT_TRUE(decoded.ok()) << decoded.error;
  ASSERT_EQ(decoded.records.size(), 1u);
  const auto& r = decoded.records[0];
  EXPECT_EQ(r.event_name, "api_request");
  EXPECT_EQ(r.attributes["session.id"], "s-1") << "the record's attribute wins over the resource's";
  EXPECT_EQ(r.attributes["service.name"], "claude-code");
  EXPECT_EQ(r.attributes["input_tokens"], 1200);
  EXPECT_EQ(r.attributes["output_tokens"], 80);
  EXPECT_DOUBLE_EQ(r.attributes["cost_usd"].get<double>(), 0.0123);
  EXPECT_EQ(r.time_unix_nano, 1764900000000000000);
  EXPECT_EQ(decoded.rejected, 0u);
}

TEST(OtlpLogs, EventNameFromTheFieldOrTheBody) {
  json named = {{"eventName", "claude_code.tool_result"}};
  json bodied = {{"body", str("claude_code.user_prompt")}, {"observedTimeUnixNano", 5}};
  const auto decoded = decode_logs(logs_request({named, bodied}));
  ASSERT_EQ(decoded.records.size(), 2u);
  EXPECT_EQ(decoded.records[0].event_name, "claude_code.tool_result");
  EXPECT_EQ(decoded.records[1].event_name, "claude_code.user_prompt");
  EXPECT_EQ(decoded.records[1].time_unix_nano, 5);
}

TEST(OtlpLogs, SnakeCaseFieldNamesToo) {
  const json request = {{"resource_logs",
                         {{{"scope_logs", {{{"log_records", {{{"event_name", "x"}, {"time_unix_nano", "7"}}}}}}}}}}};
  const auto decoded = decode_logs(request);
  ASSERT_EQ(decoded.records.size(), 1u) << decoded.error;
  EXPECT_EQ(decoded.records[0].event_name, "x");
  EXPECT_EQ(decoded.records[0].time_unix_nano, 7);
}

TEST(OtlpLogs, ABadRecordIsRejectedAloneWithItsReason) {
  json bad = api_request("s-2", {{"intValue", "lots"}});
  const auto decoded = decode_logs(logs_request({api_request("s-1", {{"doubleValue", 1}}), bad, "not a record"}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.records.size(), 1u);
  EXPECT_EQ(decoded.rejected, 2u);
  EXPECT_NE(decoded.rejection.find("intValue"), std::string::npos) << decoded.rejection;
}

TEST(OtlpLogs, NotAnExportRequestIsRefusedWhole) {
  EXPECT_FALSE(decode_logs(json::array()).ok());
  EXPECT_FALSE(decode_logs(json("text")).ok());
  EXPECT_FALSE(decode_logs({{"resourceLogs", "x"}}).ok());
  EXPECT_FALSE(decode_logs({{"resourceMetrics", json::array()}}).ok()) << "metrics posted to /v1/logs";
  const auto decoded = decode_logs({{"resourceLogs", {{{"scopeLogs", {{{"logRecords", 3}}}}}}}});
  EXPECT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error.find("logRecords"), std::string::npos) << decoded.error;
  EXPECT_TRUE(decode_logs(json::object()).ok()) << "an empty export request is valid";
}

TEST(OtlpLogs, TooManyRecordsRefuseTheRequest) {
  RequestLimits limits;
  limits.max_records = 3;
  json records = json::array();
  for (int i = 0; i < 4; ++i) records.push_back({{"eventName", "x"}});
  const auto decoded = decode_logs(logs_request(records), limits);
  EXPECT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.records.empty());
  records.erase(records.begin());
  EXPECT_EQ(decode_logs(logs_request(records), limits).records.size(), 3u);
}

json metrics_request(json metrics) {
  return {{"resourceMetrics",
           {{{"resource", {{"attributes", {kv("service.name", str("claude-code"))}}}},
             {"scopeMetrics", {{{"scope", {{"name", "com.anthropic.claude_code"}}}, {"metrics", std::move(metrics)}}}}}}}};
}

TEST(OtlpMetrics, SumsAndGaugesWithBothNumberEncodings) {
  const json cost = {{"name", "claude_code.cost.usage"},
                     {"unit", "USD"},
                     {"sum",
                      {{"aggregationTemporality", 1},
                       {"isMonotonic", true},
                       {"dataPoints",
                        {{{"asDouble", 0.5}, {"timeUnixNano", "10"}, {"attributes", {kv("session.id", str("s-1"))}}}}}}}};
  const json tokens = {{"name", "claude_code.token.usage"},
                       {"sum",
                        {{"aggregationTemporality", 2},
                         {"dataPoints",
                          {{{"asInt", "300"}, {"attributes", {kv("type", str("input"))}}},
                           {{"asInt", 20}, {"attributes", {kv("type", str("output"))}}}}}}}};
  const json gauge = {{"name", "g"}, {"gauge", {{"dataPoints", {{{"asDouble", "NaN"}}, {{"asDouble", 2}}}}}}};
  const json histogram = {{"name", "h"}, {"histogram", {{"dataPoints", json::array()}}}};
  const auto decoded = decode_metrics(metrics_request({cost, tokens, gauge, histogram}));
  ASSERT_TRUE(decoded.ok()) << decoded.error;
  ASSERT_EQ(decoded.records.size(), 4u);
  EXPECT_EQ(decoded.records[0].name, "claude_code.cost.usage");
  EXPECT_EQ(decoded.records[0].unit, "USD");
  EXPECT_DOUBLE_EQ(decoded.records[0].value, 0.5);
  EXPECT_TRUE(decoded.records[0].is_sum && decoded.records[0].monotonic);
  EXPECT_EQ(decoded.records[0].temporality, Temporality::Delta);
  EXPECT_EQ(decoded.records[0].attributes["session.id"], "s-1");
  EXPECT_EQ(decoded.records[0].attributes["service.name"], "claude-code");
  EXPECT_DOUBLE_EQ(decoded.records[1].value, 300);
  EXPECT_EQ(decoded.records[1].temporality, Temporality::Cumulative);
  EXPECT_DOUBLE_EQ(decoded.records[2].value, 20);
  EXPECT_FALSE(decoded.records[3].is_sum);
  EXPECT_EQ(decoded.rejected, 1u) << "the NaN gauge point";
  EXPECT_EQ(decoded.ignored, 1u) << "the histogram";
}

TEST(OtlpMetrics, BadPointsAreRejectedOneByOne) {
  const json m = {{"name", "c"},
                  {"sum",
                   {{"aggregationTemporality", 7},
                    {"dataPoints", {{{"asInt", "1"}}}}}}};
  const json nameless = {{"sum", {{"dataPoints", {{{"asInt", "1"}}, {{"asInt", "2"}}}}}}};
  const auto decoded = decode_metrics(metrics_request({m, nameless}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded.records.empty());
  EXPECT_EQ(decoded.rejected, 3u);
  EXPECT_NE(decoded.rejection.find("aggregationTemporality"), std::string::npos) << decoded.rejection;
  EXPECT_FALSE(decode_metrics({{"resourceLogs", json::array()}}).ok());
}

}  // namespace
