#include <gtest/gtest.h>

#include "hookbroker/time.hpp"
#include "iso_time.hpp"

namespace hookbroker::sessions {
namespace {

TEST(ParseIso8601, ReadsWhatTheBrokerWrites) {
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto parsed = parse_iso8601(iso8601_utc(now));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, now);
}

TEST(ParseIso8601, ReadsPythonIsoformatWithOffsetAndMicroseconds) {
  const auto a = parse_iso8601("2024-01-17T12:00:00.123456+00:00");
  const auto b = parse_iso8601("2024-01-17T13:00:00.123456+01:00");
  const auto c = parse_iso8601("2024-01-17T12:00:00.123456");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(iso8601_utc(*a), "2024-01-17T12:00:00.123Z");
}

TEST(ParseIso8601, RefusesAnythingElse) {
  for (const char* bad : {"", "yesterday", "2024-01-17", "2024-13-01T00:00:00Z",
                          "2024-01-17T12:00:00Zjunk", "2024-01-17T12:00:00.Z",
                          "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1700000000"})
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
}

}  // namespace
}  // namespace hookbroker::sessions
