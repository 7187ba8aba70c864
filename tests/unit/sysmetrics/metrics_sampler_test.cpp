// The sampler over a stand-in /proc tree (exact figures) and over the real
// one (plausible figures).
#include "metrics_sampler.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "temp_dir.hpp"

namespace {

using hookbroker::sysmetrics::MetricsSampler;
using namespace std::chrono_literals;

std::string stat_line(int utime, int stime, int threads, int start, int rss) {
  return "77 (hookbroker) S 1 1 1 0 -1 0 0 0 0 0 " + std::to_string(utime) + " " + std::to_string(stime) +
         " 0 0 20 0 " + std::to_string(threads) + " 0 " + std::to_string(start) + " 1000 " + std::to_string(rss) +
         " 0\n";
}

class FakeProc : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(dir_.file("self").c_str(), 0755);
    ::mkdir(dir_.file("self/fd").c_str(), 0755);
    for (const char* fd : {"0", "1", "2", "7"}) hbtest::write_file(dir_.file(std::string("self/fd/") + fd), "");
    hbtest::write_file(dir_.file("loadavg"), "0.50 0.25 0.10 1/100 42\n");
    hbtest::write_file(dir_.file("meminfo"), "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\n");
  }
  void write_uptime(double seconds) { hbtest::write_file(dir_.file("uptime"), std::to_string(seconds) + " 1.0\n"); }
  void write_stat(int utime, int stime) { hbtest::write_file(dir_.file("self/stat"), stat_line(utime, stime, 5, 1000, 10)); }

  const long tps_ = ::sysconf(_SC_CLK_TCK);
  hbtest::TempDir dir_;
};

TEST_F(FakeProc, ReportsEveryValueFromTheFiles) {
  write_uptime(1000.0 / static_cast<double>(tps_) + 10.0);  // the process has lived 10 s
  write_stat(static_cast<int>(tps_), 0);                   // and used 1 s of CPU
  MetricsSampler sampler(dir_.path());
  const auto m = sampler.sample();
  EXPECT_FALSE(m.contains("errors")) << m.dump();
  EXPECT_DOUBLE_EQ(m["cpu_percent"].get<double>(), 10.0);
  EXPECT_EQ(m["rss_bytes"], 10 * ::sysconf(_SC_PAGESIZE));
  EXPECT_EQ(m["threads"], 5);
  EXPECT_EQ(m["open_fds"], 4);
  EXPECT_DOUBLE_EQ(m["load_1m"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(m["load_5m"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(m["load_15m"].get<double>(), 0.1);
  EXPECT_EQ(m["memory_total_bytes"], 1000 * 1024);
  EXPECT_EQ(m["memory_available_bytes"], 250 * 1024);
  EXPECT_DOUBLE_EQ(m["memory_available_percent"].get<double>(), 25.0);
  EXPECT_TRUE(m["host_uptime_seconds"].is_number());
  EXPECT_TRUE(m["cpu_count"].is_number_integer());
}

TEST_F(FakeProc, CpuPercentIsCpuTimeOverWallTimeSinceTheLastSample) {
  write_uptime(1000.0 / static_cast<double>(tps_) + 10.0);
  write_stat(0, 0);
  MetricsSampler sampler(dir_.path());
  const auto t0 = MetricsSampler::Clock::now();
  EXPECT_DOUBLE_EQ(sampler.sample(t0)["cpu_percent"].get<double>(), 0.0);
  // 2 s of wall time, 0.5 s user + 0.5 s system CPU: 50 %.
  write_stat(static_cast<int>(tps_ / 2), static_cast<int>(tps_ / 2));
  EXPECT_DOUBLE_EQ(sampler.sample(t0 + 2s)["cpu_percent"].get<double>(), 50.0);
  // Two cores busy for 1 s: 200 %, as top shows it.
  write_stat(static_cast<int>(tps_ / 2 + 2 * tps_), static_cast<int>(tps_ / 2));
  EXPECT_DOUBLE_EQ(sampler.sample(t0 + 3s)["cpu_percent"].get<double>(), 200.0);
  // Same instant again: the last figure stands rather than a division by zero.
  EXPECT_DOUBLE_EQ(sampler.sample(t0 + 3s)["cpu_percent"].get<double>(), 200.0);
}

TEST_F(FakeProc, AMissingOrGarbledFileNullsItsValuesAndSaysWhy) {
  write_uptime(100);
  hbtest::write_file(dir_.file("self/stat"), "garbage");
  ::unlink(dir_.file("loadavg").c_str());
  MetricsSampler sampler(dir_.path());
  const auto m = sampler.sample();
  EXPECT_TRUE(m["cpu_percent"].is_null());
  EXPECT_TRUE(m["threads"].is_null());
  EXPECT_TRUE(m["load_1m"].is_null());
  EXPECT_EQ(m["open_fds"], 4);  // the rest is still reported
  EXPECT_EQ(m["memory_total_bytes"], 1000 * 1024);
  ASSERT_TRUE(m.contains("errors"));
  const std::string errors = m["errors"].dump();
  EXPECT_NE(errors.find("self/stat: not in the stat format"), std::string::npos) << errors;
  EXPECT_NE(errors.find("loadavg: No such file or directory"), std::string::npos) << errors;
}

TEST(RealProc, ReportsThisProcess) {
  MetricsSampler sampler;
  const auto m = sampler.sample();
  EXPECT_FALSE(m.contains("errors")) << m.dump();
  EXPECT_GT(m["rss_bytes"].get<std::uint64_t>(), 1u << 20);
  EXPECT_GE(m["threads"].get<int>(), 1);
  // stdin, stdout, stderr at least, plus one we open now.
  const int extra = ::dup(2);
  const auto with_extra = sampler.sample();
  EXPECT_GE(with_extra["open_fds"].get<int>(), 4);
  ::close(extra);
  EXPECT_EQ(sampler.sample()["open_fds"].get<int>(), with_extra["open_fds"].get<int>() - 1);
  EXPECT_GE(m["cpu_percent"].get<double>(), 0.0);
  EXPECT_GT(m["memory_total_bytes"].get<std::uint64_t>(), m["memory_available_bytes"].get<std::uint64_t>());
  EXPECT_GT(m["host_uptime_seconds"].get<double>(), 0.0);
}

}  // namespace
