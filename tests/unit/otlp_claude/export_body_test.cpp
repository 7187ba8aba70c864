// OTLP/HTTP request bodies: JSON plain or gzip; protobuf, other types and
// encodings refused with the status OTLP/HTTP names and what to set; the
// 200 answer with and without partialSuccess.
#include <gtest/gtest.h>

#include "export_body.hpp"
#include "gzip_body.hpp"

namespace hookbroker::otlp {
namespace {


HttpRequest request(std::string body, std::string type = "application/json", std::string encoding = "") {
  HttpRequest r;
  r.method = "POST";
  r.path = "/v1/logs";
  r.body = std::move(body);
  r.headers = {{"content-type", std::move(type)}};
  if (!encoding.empty()) r.headers.emplace_back("content-encoding", std::move(encoding));
  return r;
}

std::string error_of(const HttpResponse& r) { return nlohmann::json::parse(r.body).value("error", ""); }

TEST(ExportBody, PlainAndGzipJsonAreRead) {
  const auto plain = read_export_body(request(R"({"resourceLogs":[]})", "application/json; charset=utf-8"), 1024, "X");
  ASSERT_TRUE(plain.json);
  EXPECT_TRUE(plain.json->contains("resourceLogs"));
  const auto packed = read_export_body(request(gzip(R"({"resourceLogs":[]})"), "application/json", "gzip"), 1024, "X");
  ASSERT_TRUE(packed.json);
  EXPECT_TRUE(packed.json->contains("resourceLogs"));
}

TEST(ExportBody, RefusalsNameTheFix) {
  const auto proto = read_export_body(request("\x0a\x00", "application/x-protobuf"), 1024, "X");
  EXPECT_EQ(proto.refusal.status, 415);
  EXPECT_NE(error_of(proto.refusal).find("OTEL_EXPORTER_OTLP_PROTOCOL=http/json"), std::string::npos);
  EXPECT_EQ(read_export_body(request("{}", "text/plain"), 1024, "X").refusal.status, 415);
  EXPECT_EQ(read_export_body(request("{}", "application/json", "deflate"), 1024, "X").refusal.status, 415);
  EXPECT_EQ(read_export_body(request("{}", "application/json", "gzip"), 1024, "X").refusal.status, 400);
  EXPECT_EQ(read_export_body(request(gzip(std::string(4096, ' ')), "application/json", "gzip"), 1024, "X").refusal.status,
            413);
  const auto bad = read_export_body(request("{nope"), 1024, "ExportLogsServiceRequest");
  EXPECT_EQ(bad.refusal.status, 400);
  EXPECT_NE(error_of(bad.refusal).find("ExportLogsServiceRequest"), std::string::npos);
}

TEST(ExportBody, AnswersSayWhatWasRejected) {
  EXPECT_EQ(export_answer(0, "rejectedLogRecords", "").body, "{}");
  const auto partial = nlohmann::json::parse(export_answer(3, "rejectedDataPoints", "why").body);
  EXPECT_EQ(partial, (nlohmann::json{{"partialSuccess", {{"rejectedDataPoints", "3"}, {"errorMessage", "why"}}}}));
}

}  // namespace
}  // namespace hookbroker::otlp
