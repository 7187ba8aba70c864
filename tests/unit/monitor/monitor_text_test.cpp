// The small text pieces of the monitor's output. Runs with TZ=UTC (ctest
// sets it) so clock times are predictable.
#include "monitor_text.hpp"

#include <gtest/gtest.h>

#include "hookbroker/time.hpp"

namespace hookbroker::monitor {
namespace {

SystemTime at(const char* iso) { return *parse_iso8601(iso); }

TEST(FormatUptime, ShowsTheTwoLargestUnits) {
  EXPECT_EQ(format_uptime(0), "0s");
  EXPECT_EQ(format_uptime(59), "59s");
  EXPECT_EQ(format_uptime(60), "1m00s");
  EXPECT_EQ(format_uptime(725), "12m05s");
  EXPECT_EQ(format_uptime(3599), "59m59s");
  EXPECT_EQ(format_uptime(3600), "1h00m");
  EXPECT_EQ(format_uptime(3720), "1h02m");
  EXPECT_EQ(format_uptime(86399), "23h59m");
  EXPECT_EQ(format_uptime(86400 * 3 + 4 * 3600 + 59), "3d04h");
  EXPECT_EQ(format_uptime(-5), "0s");
}

TEST(FormatAge, CountsFromNowInTheLargestWholeUnit) {
  const SystemTime now = at("2026-11-25T12:00:00.000Z");
  EXPECT_EQ(format_age("2026-11-25T11:59:48.000Z", now), "12 s ago");
  EXPECT_EQ(format_age("2026-11-25T11:55:00.000Z", now), "5 min ago");
  EXPECT_EQ(format_age("2026-11-25T09:30:00Z", now), "2 h ago");
  EXPECT_EQ(format_age("2026-11-22T12:00:00Z", now), "3 d ago");
  EXPECT_EQ(format_age("2026-11-25T12:00:03.000Z", now), "0 s ago") << "another machine's clock slightly ahead";
  EXPECT_EQ(format_age("yesterday", now), "?");
  EXPECT_EQ(format_age(42, now), "?");
}

TEST(ClockTime, ReadsTheWireTimestampInLocalTime) {
  EXPECT_EQ(clock_time_of("2026-11-25T12:00:01.250Z", SystemTime{}), "12:00:01");
  EXPECT_EQ(clock_time_of("not a time", at("2026-11-25T08:09:10Z")), "08:09:10") << "falls back to now";
  EXPECT_EQ(clock_time_of(nullptr, at("2026-11-25T23:59:59Z")), "23:59:59");
}

TEST(ShortId, KeepsEightCharacters) {
  EXPECT_EQ(short_id("4f1c2a9e-7b3d-4c1e-9f00-123456789abc"), "4f1c2a9e");
  EXPECT_EQ(short_id("s1"), "s1");
  EXPECT_EQ(short_id(""), "");
}

TEST(TextOf, OnlyStringsCount) {
  const auto j = nlohmann::json::parse(R"({"a":"x","n":3})");
  EXPECT_EQ(text_of(j, "a"), "x");
  EXPECT_EQ(text_of(j, "n", "fallback"), "fallback");
  EXPECT_EQ(text_of(j, "missing", "fallback"), "fallback");
  EXPECT_EQ(text_of(nlohmann::json::array(), "a", "f"), "f");
}

}  // namespace
}  // namespace hookbroker::monitor
