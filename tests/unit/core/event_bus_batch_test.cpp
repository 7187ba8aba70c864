// EventBus::ingest_from_nodes: a batch of events other brokers of a cluster
// accepted goes the way ingest() takes each, in order, answered one by one.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/null_sink.h>

#include "runtime/event_bus.hpp"

using namespace hookbroker;
using namespace hookbroker::core;

namespace {

class RecordingTransport : public Transport {
 public:
  void broadcast(const Broadcast& b) override {
    std::lock_guard<std::mutex> lock(mutex);
    sent.push_back(nlohmann::json::parse(*b.payload));
  }
  std::size_t connected_clients() const override { return 0; }
  std::vector<std::string> values(const char* key) const {
    std::vector<std::string> out;
    for (const auto& m : sent) out.push_back(m.value(key, std::string("-")));
    return out;
  }
  std::mutex mutex;
  std::vector<nlohmann::json> sent;
};

/// Claims the events whose type is `claim` (after recording every call):
/// "dup-…" types it calls repeats, "bad-…" ones it rejects.
class ClaimingHandler : public HookHandler {
 public:
  explicit ClaimingHandler(std::string claim) : claim_(std::move(claim)) {}
  HookOutcome handle(const nlohmann::json& raw, const IngestContext&) override {
    const std::string type = raw.value("type", std::string());
    read.push_back(type);
    if (type.rfind("dup-", 0) == 0) return HookOutcome::duplicate();
    if (type.rfind("bad-", 0) == 0) return HookOutcome::rejected("bad: " + type);
    if (type.rfind(claim_, 0) != 0) return HookOutcome::not_mine();
    Event e;
    e.type = type;
    e.data = raw;
    e.channel = kHookChannel;
    return HookOutcome::accepted(std::move(e));
  }
  std::vector<std::string> read;

 private:
  std::string claim_;
};

class RecordingSink : public EventSink {
 public:
  void consume_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) override {
    seen.push_back(event->value("type", std::string()));
    done(SinkResult::stored());
  }
  std::vector<std::string> seen;
};

struct NodeBus {
  NodeBus() { set({}); }
  void set(std::vector<PluginRef<HookHandler>> handlers, std::vector<PluginRef<EventSink>> sinks = {}) {
    BusRoutes routes;
    routes.handlers = std::move(handlers);
    routes.sinks = std::move(sinks);
    routes.transports.push_back({"t", &transport, &transport_strand});
    bus.set_routes(routes);
  }
  /// An event `node` accepted, its answer kept under its type.
  EventBus::NodeEvent from(const std::string& node, const std::string& type, const std::string& id = {}) {
    IngestContext context;
    context.event_id = id;
    context.received_at = "2026-01-01T00:00:00.000Z";
    return {{{"type", type}}, context, [this, type](IngestResult r) { answers.emplace_back(type, r.status); }, node};
  }
  void ingest(std::vector<EventBus::NodeEvent> batch) { bus.ingest_from_nodes(std::move(batch)); }
  void run() {
    io.restart();
    io.run();
  }
  boost::asio::io_context io;
  EventBus bus{io, 100, std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())};
  RecordingTransport transport;
  Strand transport_strand = boost::asio::make_strand(io);
  std::vector<std::pair<std::string, IngestResult::Status>> answers;
};

using Status = IngestResult::Status;
using Answers = std::vector<std::pair<std::string, IngestResult::Status>>;
using Strings = std::vector<std::string>;

}  // namespace

TEST(EventBusBatch, ABatchMixingOriginsIsShownStoredAndAnsweredInOrderEachMarkedWithItsNode) {
  NodeBus b;
  std::vector<EventBus::NodeEvent> first;
  first.push_back(b.from("n1", "a1", "id-a1"));
  first.push_back(b.from("n2", "b1", "id-b1"));
  first.push_back(b.from("n1", "a2"));  // no id: not in the ledger, still shown
  b.ingest(std::move(first));
  std::vector<EventBus::NodeEvent> second;
  second.push_back(b.from("n2", "b2", "id-b2"));
  second.push_back(b.from("n1", "a3", "id-a3"));
  b.ingest(std::move(second));
  b.run();

  EXPECT_EQ(b.transport.values("type"), (Strings{"a1", "b1", "a2", "b2", "a3"}));
  EXPECT_EQ(b.transport.values("node"), (Strings{"n1", "n2", "n1", "n2", "n1"}));
  for (const auto& m : b.transport.sent) {
    EXPECT_EQ(m["from_cluster"], true);
    EXPECT_EQ(m["timestamp"], "2026-01-01T00:00:00.000Z") << "the origin's time";
  }
  EXPECT_EQ(b.transport.sent[0]["event_id"], "id-a1");
  EXPECT_FALSE(b.transport.sent[2].contains("event_id"));
  EXPECT_EQ(b.answers, (Answers{{"a1", Status::Accepted}, {"b1", Status::Accepted}, {"a2", Status::Accepted},
                                {"b2", Status::Accepted}, {"a3", Status::Accepted}}));
  EXPECT_EQ(b.bus.total_events(), 0u) << "events of other nodes are not counted here";
  const nlohmann::json history = b.bus.history(10, {}, "");
  ASSERT_EQ(history.size(), 5u);
}

TEST(EventBusBatch, ARepeatInsideABatchOrOfAnEarlierOneIsShownOnceAndAnsweredAsARepeat) {
  NodeBus b;
  std::vector<EventBus::NodeEvent> first;
  first.push_back(b.from("n1", "x", "id-x"));
  first.push_back(b.from("n2", "y", "id-y"));
  first.push_back(b.from("n1", "x-again", "id-x"));  // the same id in the same batch
  b.ingest(std::move(first));
  b.run();
  std::vector<EventBus::NodeEvent> second;
  second.push_back(b.from("n2", "y-again", "id-y"));  // already stored
  second.push_back(b.from("n1", "z", "id-z"));
  b.ingest(std::move(second));
  b.run();

  EXPECT_EQ(b.transport.values("type"), (Strings{"x", "y", "z"}));
  // The repeat in the batch learns the first's outcome when it is known; the
  // repeat of a stored one is answered at once.
  EXPECT_EQ(b.answers, (Answers{{"x", Status::Accepted}, {"x-again", Status::Duplicate}, {"y", Status::Accepted},
                                {"y-again", Status::Duplicate}, {"z", Status::Accepted}}));
  EXPECT_EQ(b.bus.history(10, {}, "").size(), 3u);
}

TEST(EventBusBatch, EachEventIsDecidedOnItsOwnAndALaterBatchNeverOvertakesAnEarlierOne) {
  NodeBus b;
  // Two handlers on two strands: "a…" is the first's, "b…" the second's,
  // the rest the generic form's. Event by event, a "b" event (two hops)
  // followed by an "a" event (one hop) would reach the bus second.
  ClaimingHandler first("a"), second("b");
  Strand first_strand = boost::asio::make_strand(b.io), second_strand = boost::asio::make_strand(b.io);
  RecordingSink sink;
  Strand sink_strand = boost::asio::make_strand(b.io);
  b.set({{"first", &first, &first_strand}, {"second", &second, &second_strand}}, {{"sink", &sink, &sink_strand}});

  std::vector<EventBus::NodeEvent> one;
  one.push_back(b.from("n1", "b1"));
  one.push_back(b.from("n2", "bad-1"));
  one.push_back(b.from("n1", "c1"));  // nobody's: the generic form
  b.ingest(std::move(one));
  std::vector<EventBus::NodeEvent> two;
  two.push_back(b.from("n2", "a2"));
  two.push_back(b.from("n1", "dup-2"));
  b.ingest(std::move(two));
  std::vector<EventBus::NodeEvent> three;
  three.push_back(b.from("n1", "a3"));
  b.ingest(std::move(three));
  b.run();

  EXPECT_EQ(first.read, (Strings{"b1", "bad-1", "c1", "a2", "dup-2", "a3"}));
  EXPECT_EQ(second.read, (Strings{"b1", "c1"})) << "the second reads only what the first left";
  EXPECT_EQ(b.transport.values("type"), (Strings{"b1", "c1", "a2", "a3"}));
  EXPECT_EQ(sink.seen, (Strings{"b1", "c1", "a2", "a3"}));
  std::map<std::string, Status> by_type(b.answers.begin(), b.answers.end());
  EXPECT_EQ(by_type, (std::map<std::string, Status>{{"b1", Status::Accepted},
                                                    {"bad-1", Status::Rejected},
                                                    {"c1", Status::Accepted},
                                                    {"a2", Status::Accepted},
                                                    {"dup-2", Status::Duplicate},
                                                    {"a3", Status::Accepted}}));
  EXPECT_TRUE(b.bus.wait_idle(std::chrono::milliseconds(0))) << "every job finished";
}

TEST(EventBusBatch, AClosedBusAsksForEveryEventOfTheBatchLater) {
  NodeBus b;
  b.bus.close();
  std::vector<EventBus::NodeEvent> batch;
  batch.push_back(b.from("n1", "a", "id-a"));
  batch.push_back(b.from("n2", "b"));
  b.ingest(std::move(batch));
  b.run();
  EXPECT_EQ(b.answers, (Answers{{"a", Status::Unavailable}, {"b", Status::Unavailable}}));
  EXPECT_TRUE(b.transport.sent.empty());
}
