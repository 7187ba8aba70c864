// One heartbeat's worth of process and host metrics, read from /proc.
//
// CPU % is the process's CPU time over the wall time since the previous
// sample (the first sample: since the process started), as top shows it:
// 100 means one core fully busy, so it can exceed 100 on several cores.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "proc_files.hpp"

namespace hookbroker::sysmetrics {

class MetricsSampler {
 public:
  using Clock = std::chrono::steady_clock;

  /// `proc_root` is "/proc" except in tests, which point it at a stand-in tree.
  explicit MetricsSampler(std::string proc_root = "/proc");

  /// The `system_metrics` object. A value that cannot be read is null and the
  /// reason is listed under "errors"; the other values are still reported.
  nlohmann::json sample() { return sample(Clock::now()); }
  nlohmann::json sample(Clock::time_point now);

 private:
  std::optional<double> cpu_percent(std::uint64_t cpu_ticks, std::uint64_t start_ticks,
                                    std::optional<double> host_uptime, Clock::time_point now);

  ProcFile stat_, meminfo_, loadavg_, uptime_;
  const std::string fd_dir_;
  const bool fd_dir_on_procfs_;
  const long ticks_per_second_;
  const long page_size_;
  const long cpu_count_;
  std::string buffer_;  ///< reused for every file: no allocation per tick
  std::optional<std::uint64_t> last_cpu_ticks_;
  Clock::time_point last_time_;
  std::optional<double> last_cpu_percent_;
};

}  // namespace hookbroker::sysmetrics
