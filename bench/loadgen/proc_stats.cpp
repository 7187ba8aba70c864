#include "proc_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace loadgen {

std::optional<CpuTime> process_cpu(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // The command name (field 2) may hold spaces; fields are counted after its ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) {
      stime = std::stoull(field);
      const auto ticks = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
      return CpuTime{utime * 1000000 / ticks, stime * 1000000 / ticks};
    }
  }
  return std::nullopt;
}

std::optional<CpuTime> processes_cpu(const std::vector<pid_t>& pids) {
  if (pids.empty()) return std::nullopt;
  CpuTime sum;
  for (pid_t pid : pids) {
    const auto one = process_cpu(pid);
    if (!one) return std::nullopt;
    sum.user_us += one->user_us;
    sum.system_us += one->system_us;
  }
  return sum;
}

std::optional<Memory> process_memory(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  Memory m;
  bool found = false;
  auto read = [&line](const char* key, std::uint64_t& out) {
    const std::size_t n = std::char_traits<char>::length(key);
    if (line.compare(0, n, key) != 0) return false;
    out = std::stoull(line.substr(n));
    return true;
  };
  while (std::getline(in, line)) {
    found |= read("VmRSS:", m.rss_kib);
    read("RssAnon:", m.anon_kib);
    read("RssFile:", m.file_kib);
  }
  if (!found) return std::nullopt;
  return m;
}

std::optional<std::uint64_t> process_rss_kib(pid_t pid) {
  const auto m = process_memory(pid);
  if (!m) return std::nullopt;
  return m->rss_kib;
}

std::optional<std::uint64_t> processes_rss_kib(const std::vector<pid_t>& pids) {
  if (pids.empty()) return std::nullopt;
  std::uint64_t sum = 0;
  for (pid_t pid : pids) {
    const auto one = process_rss_kib(pid);
    if (!one) return std::nullopt;
    sum += *one;
  }
  return sum;
}

std::uint64_t self_cpu_us() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1000000 + static_cast<std::uint64_t>(t.tv_usec);
  };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

}  // namespace loadgen
