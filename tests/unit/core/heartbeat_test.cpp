#include "runtime/heartbeat.hpp"
#include "runtime/heartbeat_envelope.hpp"

#include <gtest/gtest.h>

#include <thread>

#include <spdlog/sinks/null_sink.h>

using namespace hookbroker;
using namespace hookbroker::core;

namespace {
class FixedContributor : public HeartbeatContributor {
 public:
  explicit FixedContributor(nlohmann::json value) : value_(std::move(value)) {}
  nlohmann::json contribute() override { return value_; }
  nlohmann::json value_;
};

/// A 3.3 contributor: a small value as JSON, a large one as text.
class TextContributor : public HeartbeatContributor {
 public:
  explicit TextContributor(std::vector<SerializedValue> texts) : texts_(std::move(texts)) {}
  nlohmann::json contribute() override { return {{"count", 2}, {"list", "replaced by the text"}}; }
  std::vector<SerializedValue> contribute_serialized() override { return texts_; }
  std::vector<SerializedValue> texts_;
};

SerializedValue text_value(std::string key, std::string json) {
  return {std::move(key), std::make_shared<const std::string>(std::move(json))};
}

/// One tick with `contributors` (each on its own strand): what went to the
/// transports as text, and what plugins' on_heartbeat received.
struct OneTick {
  std::string sent;
  nlohmann::json told;
};

OneTick one_tick(std::vector<std::pair<ContributorRef, HeartbeatContributor*>> contributors) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  OneTick out;
  Heartbeat hb(io, 0.05, 0.25,
               {[] { return nlohmann::json{{"uptime_seconds", 1}}; }, [] { return std::size_t{0}; },
                [&](std::shared_ptr<const std::string> text) { out.sent = *text; },
                [&](nlohmann::json told) {
                  out.told = std::move(told);
                  io.stop();
                }},
               log);
  std::vector<Strand> strands;
  strands.reserve(contributors.size());
  std::vector<ContributorRef> refs;
  for (auto& [ref, object] : contributors) {
    strands.push_back(boost::asio::make_strand(io));
    ref.object = object;
    ref.strand = &strands.back();
    refs.push_back(ref);
  }
  hb.set_contributors(std::move(refs));
  hb.start();
  io.run();
  return out;
}
}  // namespace

// A 3.3 contributor's text goes out as it is, in place of the same key from
// contribute(); plugins get the heartbeat whole, as JSON.
TEST(Heartbeat, SplicesSerializedValuesIntoTheDataTheyAreSentIn) {
  TextContributor sessions({text_value("list", R"([{"id":"s1","n":1},{"id":"s\"2","n":[]}])")});
  ContributorRef ref{"sessions", nullptr, nullptr, {"count", "list"}};
  ref.serialized = true;
  const OneTick tick = one_tick({{ref, &sessions}});
  ASSERT_FALSE(tick.sent.empty());
  EXPECT_NE(tick.sent.find(R"("list":[{"id":"s1","n":1},{"id":"s\"2","n":[]}])"), std::string::npos) << tick.sent;
  const auto sent = nlohmann::json::parse(tick.sent);  // valid JSON, keys once
  EXPECT_EQ(sent["type"], "system");
  EXPECT_EQ(sent["event"], "heartbeat");
  EXPECT_EQ(sent["data"]["count"], 2);
  EXPECT_EQ(sent["data"]["uptime_seconds"], 1);
  EXPECT_EQ(sent["data"]["list"][1]["id"], "s\"2");
  EXPECT_EQ(sent["data"]["plugin_errors"], nlohmann::json::array());
  EXPECT_EQ(tick.told, sent);
}

// Broken text from one plugin is dropped and named; the heartbeat still goes
// out, valid, with everything else. An undeclared key is refused like one
// from contribute().
TEST(Heartbeat, DropsSerializedTextThatIsNotJsonAndNamesThePlugin) {
  TextContributor broken({text_value("list", R"([{"id":"s1")"), text_value("secret", "1")});
  ContributorRef ref{"broken", nullptr, nullptr, {"count", "list"}};
  ref.serialized = true;
  FixedContributor good(nlohmann::json{{"mine", 1}});
  const OneTick tick = one_tick({{ref, &broken}, {ContributorRef{"good", nullptr, nullptr, {"mine"}}, &good}});
  const auto sent = nlohmann::json::parse(tick.sent);
  EXPECT_EQ(sent["data"]["mine"], 1);
  EXPECT_EQ(sent["data"]["count"], 2);
  EXPECT_EQ(sent["data"]["list"], "replaced by the text") << "the JSON value stays when its text is dropped";
  EXPECT_FALSE(sent["data"].contains("secret"));
  ASSERT_EQ(sent["data"]["plugin_errors"].size(), 2u);
  EXPECT_EQ(sent["data"]["plugin_errors"][0]["plugin"], "broken");
  EXPECT_NE(sent["data"]["plugin_errors"][0]["error"].get<std::string>().find("not valid JSON"), std::string::npos);
  EXPECT_NE(sent["data"]["plugin_errors"][1]["error"].get<std::string>().find("undeclared key 'secret'"),
            std::string::npos);
}

// A plugin built before 3.3 has no contribute_serialized slot: the core must
// not call it (here: the flag is off, so the texts are never asked for).
TEST(Heartbeat, AsksOnlyPluginsBuiltWithIt) {
  TextContributor older({text_value("list", "[1]")});
  const OneTick tick = one_tick({{ContributorRef{"older", nullptr, nullptr, {"count", "list"}}, &older}});
  const auto sent = nlohmann::json::parse(tick.sent);
  EXPECT_EQ(sent["data"]["list"], "replaced by the text");
}

TEST(HeartbeatEnvelope, SerializesLikeDumpWhenNothingIsSpliced) {
  const auto envelope = heartbeat_envelope({{"a", 1}}, "2026-12-05T00:00:00Z");
  EXPECT_EQ(serialize_heartbeat(envelope, {}), envelope.dump());
  const auto empty = heartbeat_envelope(nlohmann::json::object(), "t");
  EXPECT_EQ(nlohmann::json::parse(serialize_heartbeat(empty, {text_value("k", "{}")}))["data"],
            nlohmann::json({{"k", nlohmann::json::object()}}));
}

TEST(Heartbeat, MergesDeclaredKeysAndReportsUndeclaredOnes) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  std::vector<nlohmann::json> sent;
  Heartbeat hb(io, 0.05, 0.25,
               {[] { return nlohmann::json{{"uptime_seconds", 1}, {"connected_clients", 0}, {"total_events", 0}}; },
                [] { return std::size_t{0}; },
                [&](std::shared_ptr<const std::string> text) {
                  sent.push_back(nlohmann::json::parse(*text));
                  if (sent.size() == 2) io.stop();
                },
                [](nlohmann::json) {}},
               log);
  FixedContributor good(nlohmann::json{{"mine", 1}});
  FixedContributor sneaky(nlohmann::json{{"theirs", 2}});
  Strand s1 = boost::asio::make_strand(io), s2 = boost::asio::make_strand(io);
  hb.set_contributors({ContributorRef{"good", &good, &s1, {"mine"}}, ContributorRef{"sneaky", &sneaky, &s2, {"own"}}});
  hb.start();
  io.run();
  ASSERT_EQ(sent.size(), 2u);
  const auto& data = sent[0]["data"];
  EXPECT_EQ(sent[0]["type"], "system");
  EXPECT_EQ(sent[0]["event"], "heartbeat");
  EXPECT_EQ(data["mine"], 1);
  EXPECT_FALSE(data.contains("theirs"));
  ASSERT_EQ(data["plugin_errors"].size(), 1u);
  EXPECT_EQ(data["plugin_errors"][0]["plugin"], "sneaky");
}

// Each heartbeat carries how long the previous tick took (timer firing to
// the broadcast handed over); a slow contributor shows in it.
TEST(Heartbeat, CarriesThePreviousTicksDuration) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  std::vector<nlohmann::json> sent;
  Heartbeat hb(io, 0.4, 0.25, {[] { return nlohmann::json::object(); }, [] { return std::size_t{0}; },
                               [&](std::shared_ptr<const std::string> text) {
                                 sent.push_back(nlohmann::json::parse(*text));
                                 if (sent.size() == 2) io.stop();
                               },
                               [](nlohmann::json) {}},
               log);
  class Slow : public HeartbeatContributor {
   public:
    nlohmann::json contribute() override {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return nlohmann::json::object();
    }
  } slow;
  Strand s1 = boost::asio::make_strand(io);
  hb.set_contributors({ContributorRef{"slow", &slow, &s1, {}}});
  hb.start();
  io.run();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_FALSE(sent[0]["data"].contains(kPreviousTickKey));  // nothing before the first tick
  ASSERT_TRUE(sent[1]["data"][kPreviousTickKey].is_number());
  const double ms = sent[1]["data"][kPreviousTickKey].get<double>();
  EXPECT_GE(ms, 20.0);  // the contributor's sleep is inside the tick
  EXPECT_LT(ms, 400.0);  // and the tick ended before the next one was due
}

TEST(Heartbeat, ContributorDeadlineIsAtMostHalfTheInterval) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  Heartbeat hb(io, 0.1, 0.25, {}, log);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(hb.contributor_deadline()).count(), 50);
}
