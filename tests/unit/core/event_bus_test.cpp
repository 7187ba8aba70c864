#include "runtime/event_bus.hpp"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <tuple>

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

/// A bus whose one route is a CountingTransport.
struct BusWithTransport {
  BusWithTransport() {
    BusRoutes routes;
    routes.transports.push_back({"t", &transport, &strand});
    bus.set_routes(routes);
  }
  std::tuple<boost::asio::io_context&, EventBus&, CountingTransport&> parts() { return {io, bus, transport}; }
  boost::asio::io_context io;
  EventBus bus{io, 10, std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())};
  CountingTransport transport;
  Strand strand = boost::asio::make_strand(io);
};
}  // namespace

TEST(EventBus, CountsStoresAndBroadcastsOnceSerialized) {
  BusWithTransport setup;
  auto [io, bus, transport] = setup.parts();

  std::vector<IngestResult> results;
  IngestContext with_id;
  with_id.event_id = "id-1";
  bus.ingest({{"type", "a"}}, with_id, [&](IngestResult r) { results.push_back(r); });
  bus.ingest({{"type", "a"}}, with_id, [&](IngestResult r) { results.push_back(r); });  // same id again
  bus.ingest({{"nope", 1}}, {}, [&](IngestResult r) { results.push_back(r); });
  io.run();

  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, IngestResult::Status::Rejected);  // answered at once
  EXPECT_EQ(results[1].status, IngestResult::Status::Accepted);
  // The repeat arrived while the first was in flight: it learns the first's outcome.
  EXPECT_EQ(results[2].status, IngestResult::Status::Duplicate);
  EXPECT_EQ(bus.total_events(), 1u);
  EXPECT_EQ(bus.connected_clients(), 7u);
  ASSERT_EQ(transport.messages.size(), 1u);
  EXPECT_EQ(transport.messages[0].channel, "claude_event");
  auto sent = nlohmann::json::parse(*transport.messages[0].payload);
  EXPECT_EQ(sent["event_id"], "id-1");
  EXPECT_EQ(bus.history(10, {}, "").size(), 1u);
}

TEST(EventBus, AnEventFromAnotherNodeIsStoredAndBroadcastMarkedButNotCounted) {
  BusWithTransport setup;
  auto [io, bus, transport] = setup.parts();

  std::vector<IngestResult> results;
  IngestContext context;
  context.event_id = "remote-1";
  context.received_at = "2026-01-01T00:00:00.000Z";
  auto record = [&](IngestResult r) { results.push_back(r); };
  bus.ingest({{"type", "deploy"}, {"session_id", "s1"}}, context, record, "node-b");
  bus.ingest({{"type", "deploy"}}, context, record, "node-b");  // the same id again: once
  bus.ingest({{"type", "local"}}, {}, record);
  io.run();

  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(bus.total_events(), 1u) << "only the local event counts";
  ASSERT_EQ(transport.messages.size(), 2u);
  auto remote = nlohmann::json::parse(*transport.messages[0].payload);
  EXPECT_EQ(remote["node"], "node-b");
  EXPECT_EQ(remote["from_cluster"], true);
  EXPECT_EQ(remote["timestamp"], "2026-01-01T00:00:00.000Z") << "the origin's time, not the arrival here";
  auto local = nlohmann::json::parse(*transport.messages[1].payload);
  EXPECT_FALSE(local.contains("node"));
  EXPECT_FALSE(local.contains("from_cluster"));
  EXPECT_EQ(bus.history(10, {}, "").size(), 2u);
}

TEST(EventBus, AClosedBusAsksForTheEventLater) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  EventBus bus(io, 10, log);
  bus.close();
  IngestResult result;
  bus.ingest({{"type", "a"}}, {}, [&](IngestResult r) { result = r; });
  EXPECT_EQ(result.status, IngestResult::Status::Unavailable);
  EXPECT_TRUE(result.retry_later());
  EXPECT_FALSE(result.ok());
  EXPECT_GE(result.retry_after_s, 1u);
  EXPECT_NE(result.error.find("shutting down"), std::string::npos);
}

// ---- one event's way: at once when the strands are free --------------------

namespace {

/// A hook handler that passes every event on, counting them.
class PassingHandler : public HookHandler {
 public:
  HookOutcome handle(const nlohmann::json&, const IngestContext&) override {
    ++seen;
    return HookOutcome::not_mine();
  }
  int seen = 0;
};

std::vector<std::string> types_of(CountingTransport& transport) {
  std::lock_guard<std::mutex> lock(transport.mutex);
  std::vector<std::string> types;
  for (const auto& m : transport.messages) types.push_back(nlohmann::json::parse(*m.payload).value("type", ""));
  return types;
}

}  // namespace

TEST(EventBusPath, OnAWorkerWithTheStrandsFreeAnEventIsHandledBroadcastAndAnsweredBeforeIngestReturns) {
  // A POST parsed on one worker goes through the handlers, the bus and the
  // transport on that worker, with no hand-over to another thread.
  BusWithTransport setup;
  auto& io = setup.io;
  auto& bus = setup.bus;
  auto& transport = setup.transport;
  PassingHandler handler;
  Strand handler_strand = boost::asio::make_strand(io);
  BusRoutes routes;
  routes.handlers.push_back({"h", &handler, &handler_strand});
  routes.transports.push_back({"t", &transport, &setup.strand});
  bus.set_routes(routes);

  int handled = -1;
  std::vector<std::string> broadcast;
  bool answered = false;
  boost::asio::post(io, [&] {
    bus.ingest({{"type", "a"}}, {}, [&](IngestResult r) { answered = r.ok(); });
    handled = handler.seen;
    broadcast = types_of(transport);
  });
  io.run();
  EXPECT_EQ(handled, 1);
  EXPECT_EQ(broadcast, std::vector<std::string>{"a"});
  EXPECT_TRUE(answered);
}

TEST(EventBusPath, FromInsideTheTransportsStrandTheBroadcastWaitsBehindWhatTheStrandHolds) {
  // A transport ingests on its own strand (its POST route, a client's
  // claude_event): its broadcast must not run inside that call, nor ahead of
  // work the strand already holds.
  BusWithTransport setup;
  auto& io = setup.io;
  auto& bus = setup.bus;
  auto& transport = setup.transport;
  std::size_t broadcast_inside = 99;
  boost::asio::post(setup.strand, [&] {
    boost::asio::post(setup.strand, [&] {
      transport.broadcast({kHookChannel, std::make_shared<const std::string>(R"({"type":"queued first"})")});
    });
    bus.ingest({{"type", "ingested second"}}, {}, [](IngestResult) {});
    std::lock_guard<std::mutex> lock(transport.mutex);
    broadcast_inside = transport.messages.size();
  });
  io.run();
  EXPECT_EQ(broadcast_inside, 0u);
  EXPECT_EQ(types_of(transport), (std::vector<std::string>{"queued first", "ingested second"}));
}

// ---- event sinks that fail events ------------------------------------------

namespace {

/// A sink whose verdict the test sets; it can hold answers back to keep an
/// event in flight.
class ScriptedSink : public EventSink {
 public:
  void consume_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) override {
    std::lock_guard<std::mutex> lock(mutex);
    seen.push_back(event->value("event_id", std::string("-")));
    if (hold) held.push_back(std::move(done));
    else done(verdict);
  }
  void release(SinkResult result) {
    std::vector<SinkDone> waiting;
    {
      std::lock_guard<std::mutex> lock(mutex);
      waiting.swap(held);
    }
    for (auto& done : waiting) done(result);
  }
  std::mutex mutex;
  SinkResult verdict;
  bool hold = false;
  std::vector<SinkDone> held;
  std::vector<std::string> seen;
};

/// A sink in the older form: only consume(), which cannot fail.
class OldSink : public EventSink {
 public:
  void consume(std::shared_ptr<const nlohmann::json>, std::function<void()> done) override {
    ++consumed;
    done();
  }
  int consumed = 0;
};

class ThrowingSink : public EventSink {
 public:
  void consume_event(std::shared_ptr<const nlohmann::json>, SinkDone) override { throw std::runtime_error("boom"); }
};

struct SinkBus {
  SinkBus() : bus(io, 100, std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())) {}
  void add_sink(const std::string& name, EventSink* sink) {
    routes.sinks.push_back({name, sink, &strand});
    routes.transports = {{"t", &transport, &strand}};
    bus.set_routes(routes);
  }
  IngestResult ingest(const std::string& id, const std::string& type = "a") {
    IngestContext context;
    context.event_id = id;
    IngestResult result;
    bool answered = false;
    bus.ingest({{"type", type}}, context, [&](IngestResult r) {
      result = std::move(r);
      answered = true;
    });
    io.restart();
    io.run();
    EXPECT_TRUE(answered);
    return result;
  }
  std::size_t broadcasts() {
    std::lock_guard<std::mutex> lock(transport.mutex);
    return transport.messages.size();
  }
  boost::asio::io_context io;
  Strand strand = boost::asio::make_strand(io);
  EventBus bus;
  BusRoutes routes;
  CountingTransport transport;
};

}  // namespace

TEST(EventBusPath, ASinkIsNeverRunInsideIngestAndTheAnswerWaitsForIt) {
  // A sink may take its time (a disk): it keeps its own turn on its strand,
  // so the worker that parsed the POST, and the strands it holds, go on.
  SinkBus setup;
  ScriptedSink sink;
  setup.add_sink("store", &sink);
  bool consumed_inside = true;
  bool answered_inside = true;
  bool answered = false;
  boost::asio::post(setup.io, [&] {
    setup.bus.ingest({{"type", "a"}}, {}, [&](IngestResult r) { answered = r.ok(); });
    std::lock_guard<std::mutex> lock(sink.mutex);
    consumed_inside = !sink.seen.empty();
    answered_inside = answered;
  });
  setup.io.run();
  EXPECT_FALSE(consumed_inside);
  EXPECT_FALSE(answered_inside);
  EXPECT_EQ(sink.seen.size(), 1u);
  EXPECT_TRUE(answered);
  EXPECT_EQ(setup.broadcasts(), 1u);
}

TEST(EventBusSinks, ASinkThatCannotKeepTheEventFailsItNamingThePluginAndTheWait) {
  SinkBus b;
  ScriptedSink store, metrics;
  store.verdict = SinkResult::storage_full("disk full", 30);
  metrics.verdict = SinkResult::unavailable("busy", 2);
  b.add_sink("store", &store);
  b.add_sink("metrics", &metrics);
  const IngestResult r = b.ingest("e1");
  EXPECT_EQ(r.status, IngestResult::Status::StorageFull) << "no room outweighs not now";
  EXPECT_TRUE(r.retry_later());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.retry_after_s, 30u);
  EXPECT_NE(r.error.find("store could not keep the event: disk full"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("metrics could not keep the event: busy"), std::string::npos) << r.error;
  EXPECT_EQ(b.broadcasts(), 1u) << "clients saw it as it came";
}

TEST(EventBusSinks, ARetryOfAFailedEventGoesOnlyToTheSinksThatFailedItAndIsNotShownTwice) {
  SinkBus b;
  ScriptedSink store, metrics;
  store.verdict = SinkResult::storage_full("disk full");
  b.add_sink("store", &store);
  b.add_sink("metrics", &metrics);
  EXPECT_EQ(b.ingest("e1").status, IngestResult::Status::StorageFull);
  EXPECT_EQ(b.ingest("e1").status, IngestResult::Status::StorageFull) << "still full: failed again, not a duplicate";

  store.verdict = SinkResult::stored();  // space is back
  EXPECT_EQ(b.ingest("e1").status, IngestResult::Status::Accepted);
  EXPECT_EQ(b.ingest("e1").status, IngestResult::Status::Duplicate) << "stored now: a repeat is a duplicate";

  EXPECT_EQ(store.seen, (std::vector<std::string>{"e1", "e1", "e1"}));
  EXPECT_EQ(metrics.seen, (std::vector<std::string>{"e1"})) << "the sink that kept it is not offered it again";
  EXPECT_EQ(b.broadcasts(), 1u);
  EXPECT_EQ(b.bus.total_events(), 1u);
  EXPECT_EQ(b.bus.history(10, {}, "").size(), 1u);
}

TEST(EventBusSinks, ARepeatWhileTheFirstAttemptIsInFlightLearnsItsOutcomeNotDuplicate) {
  SinkBus b;
  ScriptedSink store;
  store.hold = true;
  b.add_sink("store", &store);
  IngestContext context;
  context.event_id = "e1";
  std::vector<IngestResult> results;
  b.bus.ingest({{"type", "a"}}, context, [&](IngestResult r) { results.push_back(r); });
  b.bus.ingest({{"type", "a"}}, context, [&](IngestResult r) { results.push_back(r); });  // a resend
  b.io.run();
  EXPECT_TRUE(results.empty()) << "nobody is answered before the sink";
  store.release(SinkResult::unavailable("I/O error", 5));
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(r.status, IngestResult::Status::Unavailable);
    EXPECT_EQ(r.retry_after_s, 5u);
  }
}

TEST(EventBusSinks, AFailedEventWithoutAnIdIsNewWhenSentAgain) {
  SinkBus b;
  ScriptedSink store;
  store.verdict = SinkResult::unavailable("busy");
  b.add_sink("store", &store);
  EXPECT_EQ(b.ingest("").status, IngestResult::Status::Unavailable);
  store.verdict = SinkResult::stored();
  EXPECT_EQ(b.ingest("").status, IngestResult::Status::Accepted);
  EXPECT_EQ(b.broadcasts(), 2u) << "nothing tells it from a new event";
}

TEST(EventBusSinks, ASinkInTheOlderFormGetsConsumeAndCannotFail) {
  SinkBus b;
  OldSink old;
  ScriptedSink store;  // and one that can fail, beside it
  b.add_sink("old", &old);
  b.add_sink("store", &store);
  EXPECT_EQ(b.ingest("e1").status, IngestResult::Status::Accepted);
  EXPECT_EQ(old.consumed, 1);
  store.verdict = SinkResult::storage_full("full");
  EXPECT_EQ(b.ingest("e2").status, IngestResult::Status::StorageFull) << "a failure is heard whatever the other form";
}

TEST(EventBusSinks, ASinkThatThrowsFailsTheEvent) {
  SinkBus b;
  ThrowingSink sink;
  b.add_sink("thrower", &sink);
  const IngestResult r = b.ingest("e1");
  EXPECT_EQ(r.status, IngestResult::Status::Unavailable);
  EXPECT_NE(r.error.find("thrower could not keep the event: threw: boom"), std::string::npos) << r.error;
}

TEST(EventBusSinks, TheDefaultsOfTheTwoConsumeFormsCallEachOther) {
  struct NewOnly : EventSink {
    void consume_event(std::shared_ptr<const nlohmann::json>, SinkDone done) override {
      done(SinkResult::unavailable("no"));
    }
  } new_only;
  bool old_done = false;
  new_only.consume(std::make_shared<const nlohmann::json>(), [&] { old_done = true; });
  EXPECT_TRUE(old_done) << "an old caller only learns that it is done";

  struct OldOnly : EventSink {
    void consume(std::shared_ptr<const nlohmann::json>, std::function<void()> done) override { done(); }
  } old_only;
  SinkResult result = SinkResult::unavailable("not called");
  old_only.consume_event(std::make_shared<const nlohmann::json>(), [&](SinkResult r) { result = r; });
  EXPECT_TRUE(result.ok());
  static_assert(detail::overrides_a_consume<NewOnly>() && detail::overrides_a_consume<OldOnly>());
  static_assert(!detail::overrides_a_consume<EventSink>());
}

TEST(EventBus, BroadcastFiltersShapeWhatIsStoredAndSentUntilTheirPluginStops) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  EventBus bus(io, 10, log);
  PluginServices services(log);
  bus.set_filters(&services);
  CountingTransport transport;
  Strand strand = boost::asio::make_strand(io);
  BusRoutes routes;
  routes.transports.push_back({"t", &transport, &strand});
  bus.set_routes(routes);
  services.add_broadcast_filter("shaper", [](std::string& channel, nlohmann::json& message) {
    message["shaped"] = true;
    if (channel == kSystemChannel) channel = "heartbeat";
  });
  services.add_broadcast_filter("broken", [](std::string&, nlohmann::json&) { throw std::runtime_error("no"); });

  bus.ingest({{"type", "a"}}, {}, [](IngestResult) {});
  bus.broadcast(kSystemChannel, {{"type", "system"}, {"subtype", "heartbeat"}});
  io.run();
  ASSERT_EQ(transport.messages.size(), 2u);
  std::map<std::string, nlohmann::json> by_channel;
  for (const auto& m : transport.messages) by_channel[m.channel] = nlohmann::json::parse(*m.payload);
  ASSERT_EQ(by_channel.count("claude_event"), 1u);
  ASSERT_EQ(by_channel.count("heartbeat"), 1u) << "the filter renamed the heartbeat's channel";
  EXPECT_EQ(by_channel["claude_event"]["shaped"], true);
  EXPECT_EQ(by_channel["heartbeat"]["shaped"], true);
  EXPECT_EQ(bus.history(10, {}, "")[0]["shaped"], true) << "history holds what clients were sent";

  services.remove_owner("shaper");
  services.remove_owner("broken");
  EXPECT_FALSE(services.has_broadcast_filters());
  bus.broadcast(kSystemChannel, {{"type", "system"}, {"subtype", "heartbeat"}});
  io.restart();
  io.run();
  ASSERT_EQ(transport.messages.size(), 3u);
  EXPECT_EQ(transport.messages[2].channel, "system_event");
  EXPECT_FALSE(nlohmann::json::parse(*transport.messages[2].payload).contains("shaped"));
}

TEST(PluginServices, GreetingsAndStatusFiltersRunInOrderAndSurviveOneThatThrows) {
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  PluginServices services(log);
  services.add_client_greeting("a", [](const ClientInfo& c, const nlohmann::json& history) {
    return std::vector<ClientMessage>{{"hello", {{"to", c.id}, {"history", history}}}};
  });
  services.add_client_greeting("b", [](const ClientInfo&, const nlohmann::json&) -> std::vector<ClientMessage> {
    throw std::runtime_error("no");
  });
  services.add_status_filter("a", [](nlohmann::json& s) { s["service"] = "other"; });
  const auto greetings = services.greetings_for({"c1", "websocket", "", ""}, {{"count", 0}});
  ASSERT_EQ(greetings.size(), 1u);
  EXPECT_EQ(greetings[0].name, "hello");
  EXPECT_EQ(greetings[0].payload["to"], "c1");
  nlohmann::json status = {{"service", "hookbroker"}};
  services.filter_status(status);
  EXPECT_EQ(status["service"], "other");
  services.remove_owner("a");
  EXPECT_TRUE(services.greetings_for({"c1", "", "", ""}, {}).empty());
  nlohmann::json untouched = {{"service", "hookbroker"}};
  services.filter_status(untouched);
  EXPECT_EQ(untouched["service"], "hookbroker");
}
