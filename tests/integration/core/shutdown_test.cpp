// Orderly shutdown: SIGTERM/SIGINT end the broker with exit code 0 within 2 s,
// also while a heartbeat tick is in flight and a contributor is stuck.
#include <gtest/gtest.h>

#include <signal.h>

#include "broker_args.hpp"
#include "broker_process.hpp"

using namespace std::chrono_literals;

namespace {

int stop_and_time(hbtest::BrokerProcess& broker, int signal, std::chrono::milliseconds& took) {
  const auto start = std::chrono::steady_clock::now();
  const int code = broker.stop(signal, 5s);
  took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return code;
}

TEST(Shutdown, SigtermExitsZeroWithinTwoSeconds) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1"));
  ASSERT_TRUE(broker.wait_for_log(kHeartbeatLogLine, 10s, 2)) << broker.output();
  std::chrono::milliseconds took{};
  EXPECT_EQ(stop_and_time(broker, SIGTERM, took), 0) << broker.output();
  EXPECT_LT(took.count(), 2000);
  EXPECT_NE(broker.output().find("hookbroker stopped"), std::string::npos) << broker.output();
}

TEST(Shutdown, SigintExitsZeroWithinTwoSeconds) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "0.1"));
  ASSERT_TRUE(broker.wait_for_log(kHeartbeatLogLine, 10s)) << broker.output();
  std::chrono::milliseconds took{};
  EXPECT_EQ(stop_and_time(broker, SIGINT, took), 0) << broker.output();
  EXPECT_LT(took.count(), 2000);
}

TEST(Shutdown, SigtermDuringATickWithAStuckContributor) {
  // The fixture sleeps 700 ms in every contribute() while ticks come every
  // 100 ms: a tick is always in flight and a worker thread always busy.
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(
      broker_args(out.file("bus.jsonl"), "0.1", {"--plugin-dir", fixture_dir("contributor_sleeps")}));
  ASSERT_TRUE(broker.wait_for_log("missed the 50 ms deadline", 10s)) << broker.output();
  std::chrono::milliseconds took{};
  EXPECT_EQ(stop_and_time(broker, SIGTERM, took), 0) << broker.output();
  EXPECT_LT(took.count(), 2000) << broker.output();
}

TEST(Shutdown, SigtermRightAfterStart) {
  hbtest::TempDir out;
  hbtest::BrokerProcess broker(broker_args(out.file("bus.jsonl"), "60"));
  ASSERT_TRUE(broker.wait_for_log("running: ", 10s)) << broker.output();
  std::chrono::milliseconds took{};
  EXPECT_EQ(stop_and_time(broker, SIGTERM, took), 0) << broker.output();
  EXPECT_LT(took.count(), 2000);
}

}  // namespace
