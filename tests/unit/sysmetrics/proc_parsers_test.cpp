#include "proc_parsers.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hookbroker::sysmetrics;

// A real /proc/self/stat line (fields 14, 15, 20, 22 and 24 are the ones read).
constexpr const char* kStat =
    "3355 (hookbroker) S 3310 3310 18751 0 -1 4194304 98 0 0 0 250 75 0 0 20 0 7 0 327280 "
    "3133440 394 18446744073709551615 93951341654016 93951341673897 140722707933664 0 0 0 0 0 0 0 0 0 "
    "17 1 0 0 0 0 0\n";

TEST(ProcessStatParser, ReadsCpuThreadsStartAndRss) {
  const auto s = parse_process_stat(kStat);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->utime_ticks, 250u);
  EXPECT_EQ(s->stime_ticks, 75u);
  EXPECT_EQ(s->threads, 7u);
  EXPECT_EQ(s->start_ticks, 327280u);
  EXPECT_EQ(s->rss_pages, 394u);
}

TEST(ProcessStatParser, ProcessNameWithSpacesAndParenthesesDoesNotShiftFields) {
  const auto s = parse_process_stat(
      "12 (evil) name (x)) R 1 1 1 0 -1 0 0 0 0 0 11 22 0 0 20 0 3 0 99 1000 55 0\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->utime_ticks, 11u);
  EXPECT_EQ(s->stime_ticks, 22u);
  EXPECT_EQ(s->threads, 3u);
  EXPECT_EQ(s->start_ticks, 99u);
  EXPECT_EQ(s->rss_pages, 55u);
}

TEST(ProcessStatParser, RefusesTruncatedOrForeignText) {
  EXPECT_FALSE(parse_process_stat(""));
  EXPECT_FALSE(parse_process_stat("no parenthesis here"));
  EXPECT_FALSE(parse_process_stat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 5"));
  EXPECT_FALSE(parse_process_stat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 five 6 0 0 20 0 1 0 9 1 2"));
}

TEST(MeminfoParser, ConvertsKilobytesToBytes) {
  const auto m = parse_meminfo(
      "MemTotal:       24684092 kB\nMemFree:        20440540 kB\nMemAvailable:   22789908 kB\n"
      "Buffers:          123 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total_bytes, 24684092ull * 1024);
  EXPECT_EQ(m->available_bytes, 22789908ull * 1024);
}

TEST(MeminfoParser, NeedsBothTotalAndAvailable) {
  EXPECT_FALSE(parse_meminfo("MemTotal: 100 kB\nMemFree: 50 kB\n"));
  // "MemAvailableX" is not "MemAvailable".
  EXPECT_FALSE(parse_meminfo("MemTotal: 100 kB\nMemAvailableX: 50 kB\n"));
}

TEST(LoadavgParser, ReadsTheThreeAverages) {
  const auto l = parse_loadavg("4.88 2.51 2.59 8/172 3357\n");
  ASSERT_TRUE(l);
  EXPECT_DOUBLE_EQ(l->one, 4.88);
  EXPECT_DOUBLE_EQ(l->five, 2.51);
  EXPECT_DOUBLE_EQ(l->fifteen, 2.59);
  EXPECT_FALSE(parse_loadavg("4.88 x 2.59"));
  EXPECT_FALSE(parse_loadavg(""));
}

TEST(UptimeParser, ReadsSecondsSinceBoot) {
  EXPECT_DOUBLE_EQ(*parse_uptime("3272.80 3147.25\n"), 3272.80);
  EXPECT_FALSE(parse_uptime("up 3 days"));
}

}  // namespace
