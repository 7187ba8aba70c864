// Heartbeat cadence, content and log line, through the real broker with the
// example plugin built against the installed SDK.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "broker_args.hpp"
#include "broker_process.hpp"
#include "json_lines.hpp"

using namespace std::chrono_literals;

TEST(Heartbeat, TwentyFiveTicksTakeFiveSecondsWithoutDrift) {
  hbtest::TempDir out;
  const std::string bus = out.file("bus.jsonl");
  hbtest::BrokerProcess broker(
      broker_args(bus, "0.2", {"--plugin-dir", std::string(EXAMPLES_OUT) + "/heartbeat-plugin"}));

  ASSERT_TRUE(hbtest::wait_until([&] { return hbtest::broadcasts(bus, "system_event", "heartbeat").size() >= 26; },
                                 15s))
      << broker.output();
  const auto beats = hbtest::broadcasts(bus, "system_event", "heartbeat");
  const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (const auto& hb : beats) {
    EXPECT_EQ(hb["type"], "system");
    EXPECT_EQ(hb["event"], "heartbeat");
    ASSERT_TRUE(hb["timestamp"].is_string());
    EXPECT_TRUE(std::regex_match(hb["timestamp"].get<std::string>(), iso)) << hb["timestamp"];
    const auto& data = hb["data"];
    for (const char* key : {"uptime_seconds", "connected_clients", "total_events", "server_info"})
      EXPECT_TRUE(data.contains(key)) << "missing " << key << " in " << data.dump();
    EXPECT_TRUE(data["server_info"].contains("version"));
    EXPECT_TRUE(data["server_info"].contains("port"));
    ASSERT_TRUE(data.contains("hostinfo")) << data.dump();
    EXPECT_TRUE(data["hostinfo"]["hostname"].is_string());
    EXPECT_TRUE(data["hostinfo"]["pid"].is_number_integer());
  }
  // 25 intervals between the 1st and the 26th heartbeat: 5 s, and no drift.
  // A heartbeat is stamped when its tick ends, so one tick delayed by a busy
  // machine moves one stamp, not the schedule: compare the earliest
  // schedule offsets (stamp minus i x 0.2 s) of the first and last five.
  const auto at = [&](std::size_t i) {
    const auto stamp = hbtest::parse_iso8601(beats[i]["timestamp"]) - hbtest::parse_iso8601(beats[0]["timestamp"]);
    return std::chrono::duration<double>(stamp).count() - 0.2 * static_cast<double>(i);
  };
  double first = at(0), last = at(25);
  for (std::size_t i = 0; i < 5; ++i) first = std::min(first, at(i));
  for (std::size_t i = 21; i < 26; ++i) last = std::min(last, at(i));
  const double seconds = 5.0 + last - first;
  EXPECT_NEAR(seconds, 5.0, 0.1) << "25 heartbeats took " << seconds << " s on their schedule";

  EXPECT_GE(broker.count_log(kHeartbeatLogLine), 26u) << broker.output();
  EXPECT_EQ(broker.stop(), 0);
}

TEST(Heartbeat, CountsIngestedEventsAndLogsTheSeedLine) {
  hbtest::TempDir out;
  const std::string bus = out.file("bus.jsonl"), input = out.file("in.jsonl");
  hbtest::write_file(input,
                     R"({"type":"test","subtype":"one","data":{"n":1}})" "\n"
                     R"({"type":"test","subtype":"two","session_id":"s-1","data":{"n":2}})" "\n"
                     R"({"type":"system","subtype":"notice","data":{}})" "\n");
  hbtest::BrokerProcess broker(broker_args(bus, "0.2", {"--set", "plugins.transport_jsonl.config.input=" + input}));
  ASSERT_TRUE(broker.wait_for_log(R"(System heartbeat sent - clients: 0, uptime: [0-9]+s, events: 3, sessions: )", 10s))
      << broker.output();
  // The input is read only once every plugin runs (on_broker_started), so
  // every line reaches the transport; the file is written on its strand,
  // possibly a moment after the count is logged.
  ASSERT_TRUE(hbtest::wait_until([&] { return hbtest::broadcasts(bus, "claude_event").size() >= 2; }, 5s))
      << hbtest::read_file(bus);
  const auto events = hbtest::broadcasts(bus, "claude_event");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["subtype"], "one");
  EXPECT_EQ(events[1]["subtype"], "two");
  EXPECT_EQ(events[1]["session_id"], "s-1");
  EXPECT_EQ(events[1]["data"]["n"], 2);
  EXPECT_TRUE(hbtest::wait_until([&] { return hbtest::broadcasts(bus, "system_event", "notice").size() == 1; }, 5s));
  const auto beats = hbtest::broadcasts(bus, "system_event", "heartbeat");
  ASSERT_FALSE(beats.empty());
  EXPECT_EQ(beats.back()["data"]["total_events"], 3);
  EXPECT_EQ(broker.stop(), 0);
}
