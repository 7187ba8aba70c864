// Bad OTLP input through the real broker: a clear 4xx (or a partialSuccess
// naming the rejected records), nothing stored from a rejected record, the
// broker still serving; body limits per route (4 MiB, above the transport's
// own ~2 MiB); a flood of telemetry for unknown sessions evicts no session
// the hooks know.
#include <gtest/gtest.h>

#include "broker_http.hpp"
#include "broker_process.hpp"
#include "otlp_broker.hpp"
#include "session_broker.hpp"
#include "temp_dir.hpp"

using nlohmann::json;

namespace {

json attribute(const std::string& key, json value) { return {{"key", key}, {"value", std::move(value)}}; }

json api_request(const std::string& session, json cost, json input_tokens = {{"intValue", "10"}}) {
  return {{"body", {{"stringValue", "claude_code.api_request"}}},
          {"attributes",
           {attribute("session.id", {{"stringValue", session}}), attribute("model", {{"stringValue", "m"}}),
            attribute("cost_usd", std::move(cost)), attribute("input_tokens", std::move(input_tokens))}}};
}

std::string logs_request(const json& records) {
  return json{{"resourceLogs", {{{"scopeLogs", {{{"logRecords", records}}}}}}}}.dump();
}

std::string error_text(const hookbroker::http_client::Answer& a) {
  const json body = json::parse(a.body, nullptr, false);
  return body.is_object() && body.contains("error") && body["error"].is_string() ? body["error"].get<std::string>()
                                                                                  : std::string();
}

class OtlpBadInput : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    broker_ = std::make_unique<hbtest::BrokerProcess>(sessions_it::broker_args(bus_, "", "0.2", std::move(extra)));
    port_ = broker_->port();
    ASSERT_GT(port_, 0) << broker_->output();
  }
  bool known(const std::string& id) { return otlp_it::session(port_, id).is_object(); }

  hbtest::TempDir dir_;
  const std::string bus_ = dir_.file("bus.jsonl");
  std::unique_ptr<hbtest::BrokerProcess> broker_;
  int port_ = 0;
};

TEST_F(OtlpBadInput, WholeRequestsAreRefusedWithAClearReason) {
  start();
  struct Case {
    const char* name;
    otlp_it::Post post;
    int status;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"malformed JSON", {"/v1/logs", R"({"resourceLogs": [)"}, 400, "not an OTLP/JSON ExportLogsServiceRequest"},
      {"a traces body sent to /v1/logs", {"/v1/logs", R"({"resourceSpans": []})"}, 400, "\"resourceLogs\" was expected"},
      {"resourceMetrics not an array", {"/v1/metrics", R"({"resourceMetrics": {}})"}, 400, "must be an array"},
      {"an array, not an object", {"/v1/logs", "[1,2]"}, 400, "ExportLogsServiceRequest object"},
      {"protobuf", {"/v1/logs", std::string("\x0a\x02\x08\x01", 4), "application/x-protobuf"}, 415,
       "OTEL_EXPORTER_OTLP_PROTOCOL=http/json"},
      {"text/plain", {"/v1/metrics", "{}", "text/plain"}, 415, "application/json"},
      {"gzip that is not", {"/v1/logs", "{}", "application/json", "gzip"}, 400, "Content-Encoding is gzip"},
      {"brotli", {"/v1/logs", "{}", "application/json", "br"}, 415, "gzip or no encoding"},
      {"a gzip bomb", {"/v1/logs", otlp_it::gzip(std::string(5 * 1024 * 1024, ' ') + "{}"), "application/json", "gzip"},
       413, "inflates to more than 4194304 bytes"},
      {"over 4 MiB", {"/v1/logs", std::string(4 * 1024 * 1024 + 1, ' ')}, 413, "over the limit of 4194304 bytes"},
  };
  for (const auto& c : cases) {
    const auto a = otlp_it::post(port_, c.post);
    EXPECT_EQ(a.status, c.status) << c.name << ": " << a.body << a.error;
    EXPECT_NE(error_text(a).find(c.says), std::string::npos) << c.name << ": " << a.body;
  }
  EXPECT_EQ(sessions_it::BrokerHttp(port_).sessions().size(), 0u) << "nothing was stored";
  // Still serving, and a good request after all of that is taken.
  const auto ok = otlp_it::post(port_, {"/v1/logs", logs_request(json::array({api_request("after", {{"doubleValue", 0.5}})}))});
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(known("after"));
}

TEST_F(OtlpBadInput, UnusableRecordsAreRejectedAloneAndNamed) {
  start();
  json huge_array = json::array();
  for (int i = 0; i < 1000; ++i) huge_array.push_back({{"intValue", i}});
  json with_array = api_request("bad-array", {{"doubleValue", 0.1}});
  with_array["attributes"].push_back(attribute("tags", {{"arrayValue", {{"values", huge_array}}}}));
  const json records = {
      api_request("good", {{"doubleValue", 0.25}}),
      with_array,
      api_request("bad-nan", {{"doubleValue", "NaN"}}),
      api_request("bad-negative", {{"doubleValue", -1.0}}),
      api_request("bad-tokens", {{"doubleValue", 0.1}}, {{"intValue", "-5"}}),
      api_request("bad-infinity", {{"stringValue", "Infinity"}}),
  };
  const auto a = otlp_it::post(port_, {"/v1/logs", logs_request(records)});
  ASSERT_EQ(a.status, 200) << a.body;
  const json body = json::parse(a.body);
  ASSERT_TRUE(body.contains("partialSuccess")) << a.body;
  EXPECT_EQ(body["partialSuccess"]["rejectedLogRecords"], "5") << a.body;
  EXPECT_FALSE(body["partialSuccess"].value("errorMessage", "").empty()) << a.body;

  const json good = otlp_it::session(port_, "good");
  ASSERT_TRUE(good.is_object());
  EXPECT_DOUBLE_EQ(good["usage"].value("cost_usd", 0.0), 0.25);
  for (const char* id : {"bad-array", "bad-nan", "bad-negative", "bad-tokens", "bad-infinity"})
    EXPECT_FALSE(known(id)) << id << " was stored from a rejected record";

  // A data point without session.id names what to set.
  const std::string metrics = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"claude_code.cost.usage",
    "sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{"asDouble":1.0}]}}]}]}]})";
  const auto m = otlp_it::post(port_, {"/v1/metrics", metrics});
  ASSERT_EQ(m.status, 200) << m.body;
  const json mb = json::parse(m.body);
  EXPECT_EQ(mb["partialSuccess"]["rejectedDataPoints"], "1") << m.body;
  EXPECT_NE(mb["partialSuccess"].value("errorMessage", "").find("session.id"), std::string::npos) << m.body;
}

TEST_F(OtlpBadInput, ABodyAboveTheTransportsOwnLimitIsTakenUpToTheRoutesLimit) {
  start();
  // ~3 MiB: more than the Socket.IO transport reads for its own routes
  // (2 x max(max_payload_bytes, max_body_bytes) = ~2 MiB), within 4 MiB.
  json records = json::array();
  const std::string padding(300, 'p');
  for (int i = 0; i < 9000; ++i)
    records.push_back({{"body", {{"stringValue", "claude_code.user_prompt"}}},
                       {"attributes", {attribute("session.id", {{"stringValue", "big"}}),
                                       attribute("prompt", {{"stringValue", padding}})}}});
  records.push_back(api_request("big", {{"doubleValue", 2.0}}));
  const std::string body = logs_request(records);
  ASSERT_GT(body.size(), 3u * 1024 * 1024);
  ASSERT_LT(body.size(), 4u * 1024 * 1024);
  const auto a = otlp_it::post(port_, {"/v1/logs", body});
  ASSERT_EQ(a.status, 200) << a.body << a.error;
  const json big = otlp_it::session(port_, "big");
  ASSERT_TRUE(big.is_object());
  EXPECT_DOUBLE_EQ(big["usage"].value("cost_usd", 0.0), 2.0);
  // The transport's own limit (max_body_bytes, 1 MiB) still holds for its own routes.
  const auto events = sessions_it::BrokerHttp(port_).post("/api/events", std::string(1536 * 1024, ' '));
  EXPECT_EQ(events.status, 413) << events.body;
}

TEST_F(OtlpBadInput, TheBodyLimitIsConfigurable) {
  start({"--set", "plugins.otlp_claude.config.max_body_bytes=2048"});
  const auto a = otlp_it::post(port_, {"/v1/metrics", std::string(4096, ' ')});
  EXPECT_EQ(a.status, 413) << a.body;
  EXPECT_NE(error_text(a).find("over the limit of 2048 bytes that POST /v1/metrics takes"), std::string::npos) << a.body;
  // Far over it (more than twice), the transport refuses the body unread, in the same words.
  const auto far = otlp_it::post(port_, {"/v1/metrics", std::string(8192, ' ')});
  EXPECT_EQ(far.status, 413) << far.body;
  EXPECT_NE(error_text(far).find("over the limit of 2048 bytes that POST /v1/metrics takes"), std::string::npos)
      << far.body;
  EXPECT_EQ(otlp_it::post(port_, {"/v1/metrics", "{}"}).status, 200) << "and goes on serving";
}

TEST_F(OtlpBadInput, AFloodForUnknownSessionsEvictsNoSessionTheHooksKnow) {
  start({"--set", "plugins.sessions_memory.config.max_sessions=4"});
  sessions_it::BrokerHttp http(port_);
  for (const char* id : {"hook-1", "hook-2"}) {
    const auto a = http.post("/api/events",
                             json{{"hook_event_name", "SessionStart"}, {"session_id", id}, {"source", "startup"}}.dump());
    ASSERT_LT(a.status, 300) << a.body;
  }
  json records = json::array();
  for (int i = 0; i < 50; ++i) records.push_back(api_request("flood-" + std::to_string(i), {{"doubleValue", 0.01}}));
  const auto a = otlp_it::post(port_, {"/v1/logs", logs_request(records)});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_TRUE(known("hook-1"));
  EXPECT_TRUE(known("hook-2"));
  EXPECT_EQ(http.sessions().size(), 4u) << "telemetry filled the room left, no more";
  // A new hook session takes a telemetry-only session's place, not a hook's.
  const auto b = http.post("/api/events",
                           json{{"hook_event_name", "SessionStart"}, {"session_id", "hook-3"}, {"source", "startup"}}.dump());
  ASSERT_LT(b.status, 300) << b.body;
  EXPECT_TRUE(known("hook-1"));
  EXPECT_TRUE(known("hook-2"));
  EXPECT_TRUE(known("hook-3"));
  EXPECT_EQ(http.sessions().size(), 4u);
}

}  // namespace
