#include "runtime/heartbeat.hpp"

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
}  // namespace

TEST(Heartbeat, MergesDeclaredKeysAndReportsUndeclaredOnes) {
  boost::asio::io_context io;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  std::vector<nlohmann::json> sent;
  Heartbeat hb(io, 0.05, 0.25,
               {[] { return nlohmann::json{{"uptime_seconds", 1}, {"connected_clients", 0}, {"total_events", 0}}; },
                [] { return std::size_t{0}; },
                [&](const nlohmann::json& j) {
                  sent.push_back(j);
                  if (sent.size() == 2) io.stop();
                },
                [](const nlohmann::json&) {}},
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
                               [&](const nlohmann::json& j) {
                                 sent.push_back(j);
                                 if (sent.size() == 2) io.stop();
                               },
                               [](const nlohmann::json&) {}},
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
