#!/usr/bin/env python3
"""The peer for sysmetrics_bench: the same figures read from /proc the way a
Python broker would (the system hookbroker replaces is Python), timed per
sample. Prints one JSON object: {"samples": N, "mean_us", "p50_us", "p99_us"}."""
import json
import os
import sys
import time


def sample(last):
    with open("/proc/self/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    utime, stime, threads, rss = int(fields[11]), int(fields[12]), int(fields[17]), int(fields[21])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    with open("/proc/loadavg") as f:
        load = [float(x) for x in f.read().split()[:3]]
    mem = {}
    with open("/proc/meminfo") as f:
        for line in f:
            key, value = line.split(":", 1)
            if key in ("MemTotal", "MemAvailable"):
                mem[key] = int(value.split()[0]) * 1024
    fds = len(os.listdir("/proc/self/fd"))
    now = time.monotonic()
    cpu = (utime + stime) / os.sysconf("SC_CLK_TCK")
    percent = None if last is None else 100.0 * (cpu - last[0]) / max(now - last[1], 1e-9)
    return {"cpu_percent": percent, "rss_bytes": rss * os.sysconf("SC_PAGE_SIZE"), "open_fds": fds,
            "threads": threads, "load_1m": load[0], "load_5m": load[1], "load_15m": load[2],
            "memory_total_bytes": mem["MemTotal"], "memory_available_bytes": mem["MemAvailable"],
            "host_uptime_seconds": uptime}, (cpu, now)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    last = None
    for _ in range(100):
        _, last = sample(last)
    times = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        _, last = sample(last)
        times.append((time.perf_counter_ns() - t0) / 1000.0)
    times.sort()
    print(json.dumps({"samples": n, "mean_us": sum(times) / n, "p50_us": times[n // 2], "p99_us": times[int(0.99 * n)]}))


if __name__ == "__main__":
    main()
