// What POST /api/events answers for each ingest outcome: never a 204 for an
// event an event sink did not keep.
#include <gtest/gtest.h>

#include "rest_routes.hpp"

namespace hookbroker::sio {
namespace {

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

TEST(IngestAnswer, AcceptedAndDuplicateAre204WithoutABody) {
  for (auto status : {IngestResult::Status::Accepted, IngestResult::Status::Duplicate}) {
    const HttpResponse r = ingest_answer({status, {}});
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.content_type, "");
  }
}

TEST(IngestAnswer, RejectedIs400WithTheReason) {
  const HttpResponse r = ingest_answer({IngestResult::Status::Rejected, "unrecognized event"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "unrecognized event");
  EXPECT_EQ(header(r, "Retry-After"), "");
}

TEST(IngestAnswer, AFullStoreIs507WithRetryAfterAndTheReason) {
  const HttpResponse r =
      ingest_answer({IngestResult::Status::StorageFull, "history_sqlite could not keep the event: disk full", 10});
  EXPECT_EQ(r.status, 507);
  EXPECT_EQ(header(r, "Retry-After"), "10");
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["retry_after_s"], 10);
  const std::string error = body["error"];
  EXPECT_NE(error.find("history_sqlite could not keep the event: disk full"), std::string::npos) << error;
  EXPECT_NE(error.find("send it again in 10 s with the same X-Hookbroker-Event-Id"), std::string::npos) << error;
}

TEST(IngestAnswer, NotKeptNowIs503AndWaitsAtLeastASecond) {
  const HttpResponse r = ingest_answer({IngestResult::Status::Unavailable, "the broker is shutting down", 0});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(header(r, "Retry-After"), "1");
  EXPECT_EQ(nlohmann::json::parse(r.body)["retry_after_s"], 1);
}

}  // namespace
}  // namespace hookbroker::sio
