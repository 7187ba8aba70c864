#include "metrics_sampler.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "proc_parsers.hpp"

namespace hookbroker::sysmetrics {
namespace {

double round_to(double value, double step) { return std::round(value / step) * step; }

}  // namespace

MetricsSampler::MetricsSampler(std::string proc_root)
    : stat_(proc_root + "/self/stat"),
      meminfo_(proc_root + "/meminfo"),
      loadavg_(proc_root + "/loadavg"),
      uptime_(proc_root + "/uptime"),
      fd_dir_(proc_root + "/self/fd"),
      fd_dir_on_procfs_(is_procfs(proc_root)),
      ticks_per_second_(::sysconf(_SC_CLK_TCK)),
      page_size_(::sysconf(_SC_PAGESIZE)),
      cpu_count_(::sysconf(_SC_NPROCESSORS_ONLN)) {}

nlohmann::json MetricsSampler::sample(Clock::time_point now) {
  nlohmann::json out = {
      {"cpu_percent", nullptr},          {"rss_bytes", nullptr},
      {"open_fds", nullptr},             {"threads", nullptr},
      {"load_1m", nullptr},              {"load_5m", nullptr},
      {"load_15m", nullptr},             {"memory_available_bytes", nullptr},
      {"memory_total_bytes", nullptr},   {"memory_available_percent", nullptr},
      {"host_uptime_seconds", nullptr},  {"cpu_count", cpu_count_ > 0 ? nlohmann::json(cpu_count_) : nullptr},
  };
  nlohmann::json errors = nlohmann::json::array();
  auto unreadable = [&](const std::string& path, const char* what) {
    errors.push_back(path + ": " + (errno != 0 ? std::strerror(errno) : what));
  };

  std::optional<double> host_uptime;
  errno = 0;
  if (uptime_.read(buffer_) && (host_uptime = parse_uptime(buffer_)))
    out["host_uptime_seconds"] = std::floor(*host_uptime);
  else
    unreadable(uptime_.path(), "not in the uptime format");

  errno = 0;
  std::optional<ProcessStat> stat;
  if (stat_.read(buffer_) && (stat = parse_process_stat(buffer_))) {
    out["rss_bytes"] = stat->rss_pages * static_cast<std::uint64_t>(page_size_);
    out["threads"] = stat->threads;
    if (const auto cpu = cpu_percent(stat->utime_ticks + stat->stime_ticks, stat->start_ticks, host_uptime, now))
      out["cpu_percent"] = round_to(*cpu, 0.1);
  } else {
    unreadable(stat_.path(), "not in the stat format");
  }

  errno = 0;
  if (const auto fds = count_open_fds(fd_dir_, fd_dir_on_procfs_)) out["open_fds"] = *fds;
  else unreadable(fd_dir_, "unreadable");

  errno = 0;
  std::optional<LoadAverage> load;
  if (loadavg_.read(buffer_) && (load = parse_loadavg(buffer_))) {
    out["load_1m"] = load->one;
    out["load_5m"] = load->five;
    out["load_15m"] = load->fifteen;
  } else {
    unreadable(loadavg_.path(), "not in the loadavg format");
  }

  errno = 0;
  std::optional<MemInfo> mem;
  if (meminfo_.read(buffer_) && (mem = parse_meminfo(buffer_))) {
    out["memory_available_bytes"] = mem->available_bytes;
    out["memory_total_bytes"] = mem->total_bytes;
    if (mem->total_bytes > 0)
      out["memory_available_percent"] =
          round_to(100.0 * static_cast<double>(mem->available_bytes) / static_cast<double>(mem->total_bytes), 0.1);
  } else {
    unreadable(meminfo_.path(), "no MemTotal/MemAvailable lines");
  }

  if (!errors.empty()) out["errors"] = std::move(errors);
  return out;
}

std::optional<double> MetricsSampler::cpu_percent(std::uint64_t cpu_ticks, std::uint64_t start_ticks,
                                                  std::optional<double> host_uptime, Clock::time_point now) {
  if (ticks_per_second_ <= 0) return std::nullopt;
  const double tps = static_cast<double>(ticks_per_second_);
  std::optional<double> percent;
  if (last_cpu_ticks_) {
    const double wall = std::chrono::duration<double>(now - last_time_).count();
    const double cpu = static_cast<double>(cpu_ticks - std::min(cpu_ticks, *last_cpu_ticks_)) / tps;
    // Two samples in the same instant say nothing new: keep the last figure.
    percent = wall > 0 ? std::optional<double>(100.0 * cpu / wall) : last_cpu_percent_;
  } else if (host_uptime) {
    // First sample: average since the process started. Both clocks count
    // in ticks, so a process younger than one tick is taken to be one tick
    // old (and its figure capped at every core busy) rather than left null.
    const double alive = std::max(*host_uptime - static_cast<double>(start_ticks) / tps, 1.0 / tps);
    percent = 100.0 * (static_cast<double>(cpu_ticks) / tps) / alive;
    if (cpu_count_ > 0) percent = std::min(*percent, 100.0 * static_cast<double>(cpu_count_));
  }
  last_cpu_ticks_ = cpu_ticks;
  last_time_ = now;
  last_cpu_percent_ = percent;
  return percent;
}

}  // namespace hookbroker::sysmetrics
