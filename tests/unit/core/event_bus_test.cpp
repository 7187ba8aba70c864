#include "runtime/event_bus.hpp"

#include <gtest/gtest.h>

#include <future>

#include <spdlog/sinks/null_sink.h>

using namespace hookbroker;
using namespace hookbroker::core;

TEST(NormalizeGeneric, AcceptsTheGenericForm) {
  IngestContext ctx;
  ctx.received_at = "2026-01-01T00:00:00.000Z";
  ctx.source = "http";
  auto out = normalize_generic({{"type", "deploy"}, {"event", "done"}, {"data", {{"session_id", "s1"}, {"x", 1}}}},
                               ctx, {});
  ASSERT_EQ(out.verdict, HookOutcome::Verdict::Accepted);
  EXPECT_EQ(out.event.type, "deploy");
  EXPECT_EQ(out.event.subtype, "done");
  EXPECT_EQ(out.event.session_id, "s1");
  EXPECT_EQ(out.event.timestamp, ctx.received_at);
  EXPECT_EQ(out.event.data["x"], 1);
  EXPECT_EQ(out.event.channel, kHookChannel);
}

TEST(NormalizeGeneric, SystemTypeGoesToTheSystemChannel) {
  auto out = normalize_generic({{"type", "system"}, {"subtype", "notice"}}, {}, {});
  EXPECT_EQ(out.event.channel, kSystemChannel);
}

TEST(NormalizeGeneric, RejectsWhatItCannotRead) {
  for (const auto& raw : {nlohmann::json::array(), nlohmann::json("text"), nlohmann::json({{"no_type", 1}}),
                          nlohmann::json({{"type", 5}})}) {
    auto out = normalize_generic(raw, {}, {"hooks_claude"});
    EXPECT_EQ(out.verdict, HookOutcome::Verdict::Rejected) << raw;
    EXPECT_NE(out.error.find("hooks_claude"), std::string::npos) << out.error;
  }
  EXPECT_EQ(normalize_generic({{"type", "x"}, {"session_id", 5}}, {}, {}).verdict, HookOutcome::Verdict::Rejected);
}

namespace {
class CountingTransport : public Transport {
 public:
  void broadcast(const Broadcast& b) override {
    std::lock_guard<std::mutex> lock(mutex);
    messages.push_back(b);
  }
  std::size_t connected_clients() const override { return 7; }
  std::mutex mutex;
  std::vector<Broadcast> messages;
};
}  // namespace

TEST(EventBus, CountsStoresAndBroadcastsOnceSerialized) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  EventBus bus(io, 10, log);
  CountingTransport transport;
  Strand strand = boost::asio::make_strand(io);
  BusRoutes routes;
  routes.transports.push_back({"t", &transport, &strand});
  bus.set_routes(routes);

  std::vector<IngestResult> results;
  IngestContext with_id;
  with_id.event_id = "id-1";
  bus.ingest({{"type", "a"}}, with_id, [&](IngestResult r) { results.push_back(r); });
  bus.ingest({{"type", "a"}}, with_id, [&](IngestResult r) { results.push_back(r); });  // same id again
  bus.ingest({{"nope", 1}}, {}, [&](IngestResult r) { results.push_back(r); });
  io.run();

  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, IngestResult::Status::Duplicate);  // answered at once, before the first finished
  EXPECT_EQ(results[1].status, IngestResult::Status::Rejected);
  EXPECT_EQ(results[2].status, IngestResult::Status::Accepted);
  EXPECT_EQ(bus.total_events(), 1u);
  EXPECT_EQ(bus.connected_clients(), 7u);
  ASSERT_EQ(transport.messages.size(), 1u);
  EXPECT_EQ(transport.messages[0].channel, "claude_event");
  auto sent = nlohmann::json::parse(*transport.messages[0].payload);
  EXPECT_EQ(sent["event_id"], "id-1");
  EXPECT_EQ(bus.history(10, {}, "").size(), 1u);
}

TEST(EventBus, ClosedBusRejects) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  EventBus bus(io, 10, log);
  bus.close();
  IngestResult result;
  bus.ingest({{"type", "a"}}, {}, [&](IngestResult r) { result = r; });
  EXPECT_EQ(result.status, IngestResult::Status::Rejected);
  EXPECT_NE(result.error.find("shutting down"), std::string::npos);
}
