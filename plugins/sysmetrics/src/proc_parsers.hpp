// Parsers for the /proc files sysmetrics reads. Pure functions over the file
// text, so tests feed them recorded contents (including odd process names).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hookbroker::sysmetrics {

/// The fields of /proc/<pid>/stat that sysmetrics uses (proc(5) numbering).
struct ProcessStat {
  std::uint64_t utime_ticks = 0;      ///< field 14: user CPU, clock ticks
  std::uint64_t stime_ticks = 0;      ///< field 15: system CPU, clock ticks
  std::uint64_t threads = 0;          ///< field 20
  std::uint64_t start_ticks = 0;      ///< field 22: start time, ticks after boot
  std::uint64_t rss_pages = 0;        ///< field 24
};

/// nullopt when the text is not a stat line. The process name (field 2) may
/// hold spaces and parentheses, so fields are counted after the LAST ')'.
std::optional<ProcessStat> parse_process_stat(std::string_view text);

struct MemInfo {
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;
};

/// MemTotal and MemAvailable from /proc/meminfo; nullopt when either is missing.
std::optional<MemInfo> parse_meminfo(std::string_view text);

struct LoadAverage {
  double one = 0, five = 0, fifteen = 0;
};

std::optional<LoadAverage> parse_loadavg(std::string_view text);

/// The first number of /proc/uptime: seconds since boot.
std::optional<double> parse_uptime(std::string_view text);

}  // namespace hookbroker::sysmetrics
