// What the kernel says a process costs: CPU time from /proc/<pid>/stat
// (utime + stime, all threads) and resident memory from /proc/<pid>/status.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace loadgen {

struct CpuTime {
  std::uint64_t user_us = 0;    ///< in the process's own code and libraries
  std::uint64_t system_us = 0;  ///< in the kernel on its behalf (on loopback this
                                ///< includes the receiving side of its sends)
  std::uint64_t total_us() const { return user_us + system_us; }
};

/// CPU time of `pid` (all threads); nullopt if it is gone or `pid` is 0.
std::optional<CpuTime> process_cpu(pid_t pid);
/// CPU time of several processes together (the nodes of a cluster); nullopt
/// if any is gone or none is given.
std::optional<CpuTime> processes_cpu(const std::vector<pid_t>& pids);
struct Memory {
  std::uint64_t rss_kib = 0;   ///< VmRSS: what `ps` and `top` show
  std::uint64_t anon_kib = 0;  ///< RssAnon: heap, stacks, private data
  std::uint64_t file_kib = 0;  ///< RssFile: mapped executable and library pages (shared)
};

/// Resident memory of `pid`; nullopt if it is gone or `pid` is 0.
std::optional<Memory> process_memory(pid_t pid);
/// VmRSS of `pid` in KiB; nullopt if it is gone.
std::optional<std::uint64_t> process_rss_kib(pid_t pid);
/// VmRSS of several processes together; nullopt if any is gone or none is given.
std::optional<std::uint64_t> processes_rss_kib(const std::vector<pid_t>& pids);
/// This process's own CPU time (user + system, all threads) in microseconds.
std::uint64_t self_cpu_us();

}  // namespace loadgen
