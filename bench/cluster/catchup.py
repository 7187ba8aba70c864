#!/usr/bin/env python3
"""How long a broker that joins a cluster takes to catch up with the stream.

Starts a fresh redis-server and broker n1 (cluster_redis on), posts EVENTS
events to n1 with the load generator (one client), then starts broker n2 and
watches its heartbeats (`hookbroker monitor --json`, every 0.1 s) until its
`cluster.redis.received` reaches EVENTS: prints the seconds from n2's start
and n2's CPU per event (/proc/PID/stat). Bounded; stops by itself.

    python3 bench/cluster/catchup.py --build build-bench --events 100000
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare as cluster  # noqa: E402  (one home for Redis and processes)

sio = cluster.sio


def start_node(hookbroker, workdir, redis_url, index, heartbeat):
    home = workdir / f"n{index}"
    home.mkdir()
    log_path = home / "log"
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"))
    proc = subprocess.Popen([str(hookbroker), "--host", "127.0.0.1", "--port", "0", "--state-dir", str(home / "state"),
                             "--heartbeat-interval-s", str(heartbeat),
                             "--set", "plugins.cluster_redis.enabled=true",
                             "--set", f"plugins.cluster_redis.config.url={redis_url}",
                             "--set", f"plugins.cluster_redis.config.node_id=n{index}"],
                            stdout=open(log_path, "wb"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", log_path.read_text(errors="replace"))
        if match:
            return proc, int(match.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    sio.stop_process(proc)
    raise RuntimeError(f"broker n{index} did not start; see {log_path}")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=Path(__file__).resolve().parents[2] / "build-bench")
    parser.add_argument("--events", type=int, default=100000, help="events in the stream (default 100000)")
    args = parser.parse_args()
    hookbroker, loadgen = args.build / "bin" / "hookbroker", args.build / "bin" / "hookbroker-loadgen"
    workdir = Path(tempfile.mkdtemp(prefix="hookbroker-catchup-"))
    print(f"load average {sio.loadavg()}", file=sys.stderr)
    redis = cluster.RunningRedis(shutil.which("redis-server"), workdir)
    nodes = []
    try:
        n1, port1 = start_node(hookbroker, workdir, redis.url, 1, 10)
        nodes.append(n1)
        rate = 4000
        subprocess.run([str(loadgen), "rate", "--port", str(port1), "--clients", "1", "--rates", str(rate),
                        "--duration", str(args.events / rate), "--warmup", "0"], capture_output=True, timeout=300,
                       check=True)
        in_stream = int(redis.cli("XLEN", "hookbroker:events").strip() or 0)
        started = time.monotonic()
        n2, port2 = start_node(hookbroker, workdir, redis.url, 2, 0.1)
        nodes.append(n2)
        monitor = subprocess.Popen([str(hookbroker), "monitor", "--json", "--url", f"http://127.0.0.1:{port2}"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        nodes.append(monitor)
        deadline = started + 120
        for line in monitor.stdout:
            beat = json.loads(line)
            received = beat.get("data", {}).get("cluster", {}).get("redis", {}).get("received", 0)
            if received >= in_stream or time.monotonic() > deadline:
                seconds, cpu = time.monotonic() - started, cpu_seconds(n2.pid)
                print(f"stream of {in_stream} events: the joining broker applied {received} "
                      f"{seconds:.2f} s after it was started; its CPU {cpu:.2f} s, "
                      f"{cpu / max(received, 1) * 1e6:.0f} us per event; load average {sio.loadavg()}")
                break
    finally:
        for proc in reversed(nodes):
            sio.stop_process(proc)
        redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
