#include <gtest/gtest.h>

#include "duplicate_filter.hpp"

namespace hookbroker::claude {
namespace {

using namespace std::chrono_literals;
using Clock = DuplicateFilter::Clock;

TEST(DuplicateFilter, IdenticalBytesWithinTheWindowAreARepeat) {
  DuplicateFilter f(2s, 1 << 20);
  const auto t0 = Clock::now();
  EXPECT_FALSE(f.is_repeat("{\"a\":1}", t0));
  EXPECT_TRUE(f.is_repeat("{\"a\":1}", t0 + 1999ms));
  EXPECT_FALSE(f.is_repeat("{\"a\": 1}", t0 + 10ms)) << "one byte differs: a different event";
}

TEST(DuplicateFilter, TheWindowCountsFromTheFirstDelivery) {
  DuplicateFilter f(2s, 1 << 20);
  const auto t0 = Clock::now();
  EXPECT_FALSE(f.is_repeat("x", t0));
  EXPECT_TRUE(f.is_repeat("x", t0 + 1500ms));
  EXPECT_FALSE(f.is_repeat("x", t0 + 2000ms));
  EXPECT_TRUE(f.is_repeat("x", t0 + 2100ms));
}

TEST(DuplicateFilter, ZeroWindowTurnsItOff) {
  DuplicateFilter f(0s, 1 << 20);
  const auto t0 = Clock::now();
  EXPECT_FALSE(f.is_repeat("x", t0));
  EXPECT_FALSE(f.is_repeat("x", t0));
}

TEST(DuplicateFilter, MemoryStaysUnderItsByteBudget) {
  DuplicateFilter f(60s, 100);
  const auto t0 = Clock::now();
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(f.is_repeat(std::string(30, 'a') + std::to_string(i), t0));
  EXPECT_LE(f.remembered(), 3u);
  EXPECT_TRUE(f.is_repeat(std::string(30, 'a') + "999", t0)) << "the newest are kept";
  EXPECT_FALSE(f.is_repeat(std::string(200, 'b'), t0));
  EXPECT_FALSE(f.is_repeat(std::string(200, 'b'), t0)) << "too big to remember";
}

}  // namespace
}  // namespace hookbroker::claude
