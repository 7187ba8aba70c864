// What the kernel says a process costs: CPU time from /proc/<pid>/stat
// (utime + stime, all threads) and resident memory from /proc/<pid>/status.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace loadgen {

/// User + system CPU time of `pid` in microseconds; nullopt if it is gone.
std::optional<std::uint64_t> process_cpu_us(pid_t pid);
/// VmRSS of `pid` in KiB; nullopt if it is gone.
std::optional<std::uint64_t> process_rss_kib(pid_t pid);
/// This process's own CPU time (user + system, all threads) in microseconds.
std::uint64_t self_cpu_us();

}  // namespace loadgen
