#!/usr/bin/env python3
"""Three brokers through Redis vs one broker vs three Node socket.io servers
with the stock @socket.io/redis-adapter, side by side, same run.

Each system gets a fresh redis-server on a free loopback port (no
persistence) where it needs one, fresh servers on ephemeral ports, and the
same native load generator (hookbroker-loadgen): 300 stock-protocol
WebSocket clients (100 per node), events posted round-robin to the nodes
(event i to node i % 3), so two of three deliveries cross nodes. Per system:

  latency  1,000 events/s for 5 s after a 2 s warm-up: cross-node and all
           deliveries' p50/p99, servers' and Redis's CPU per event
  step     a ladder of rates, 2.5 s each: the highest rate held (every event
           to every client exactly once, p99 <= 10 ms, posting on schedule)

The three systems run one after another and then again in reverse order
(--rounds), so each meets the machine at several moments. Bounded in count
and time; stops by itself. Run it through run.sh, which builds and installs
what it needs first.

Python standard library only (Debian python3).
"""

import argparse
import importlib.util
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_module(name, path):
    """A sibling benchmark's module by its path (both are named compare.py)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# One home for servers, niceness, limits and formatting.
sio = load_module("socketio_compare", ROOT / "bench" / "socketio" / "compare.py")

NODES = 3
CLIENTS_PER_NODE = 100
P99_TARGET_MS = 5.0
LADDER = [500, 1000, 1500, 2000, 3000, 4000, 6000]
QUICK_LADDER = [500, 1000, 2000, 4000]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningRedis:
    """A redis-server for one system's run: loopback, a free port, no persistence."""

    def __init__(self, binary, workdir: Path):
        self.port = free_port()
        self.dir = workdir / f"redis-{time.monotonic_ns()}"
        self.dir.mkdir()
        self.log_path = self.dir / "redis.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir),
                                      "--save", "", "--appendonly", "no", "--daemonize", "no"],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while "Ready to accept connections" not in self.log_path.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start; see {self.log_path}")
            time.sleep(0.05)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self):
        return self.proc.pid

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10).stdout

    def stop(self):
        sio.stop_process(self.proc)
        self.log.close()


class System:
    """What one scenario runs against: servers (and a Redis) started fresh."""

    def __init__(self, name, label, start):
        self.name, self.label, self._start = name, label, start

    def start(self, tools, workdir, heartbeat):
        return self._start(tools, workdir, heartbeat)


class Running:
    def __init__(self, servers, redis=None):
        self.servers, self.redis = servers, redis

    def loadgen_flags(self):
        flags = ["--port", ",".join(str(s.port) for s in self.servers),
                 "--server-pid", ",".join(str(s.pid) for s in self.servers)]
        return flags + (["--redis-pid", str(self.redis.pid)] if self.redis else [])

    def stop(self):
        for s in self.servers:
            s.stop()
        if self.redis:
            self.redis.stop()


def hookbroker_server(tools, workdir, name, extra):
    home = workdir / name
    return sio.Server(name, [str(tools["hookbroker"]), "--host", "127.0.0.1", "--port", "0",
                             "--state-dir", str(home / "state"), *extra],
                      ROOT, {"XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state")})


# Extra plugins.cluster_redis.config settings of every node (--cluster-config).
CLUSTER_CONFIG = []


def start_hookbroker_cluster(tools, workdir, heartbeat):
    redis = RunningRedis(tools["redis"], workdir)
    servers = []
    try:
        for i in range(1, NODES + 1):
            node = f"bench-n{i}-{time.monotonic_ns()}"
            cluster = ["--set", "plugins.cluster_redis.enabled=true",
                       "--set", f"plugins.cluster_redis.config.url={redis.url}",
                       "--set", f"plugins.cluster_redis.config.node_id=n{i}"]
            for setting in CLUSTER_CONFIG:
                cluster += ["--set", f"plugins.cluster_redis.config.{setting}"]
            servers.append(sio.RunningServer(hookbroker_server(tools, workdir, node, cluster), workdir, heartbeat))
        # Every node announced: its writer connection is up (readers start at
        # the stream's beginning, so they miss nothing either way).
        deadline = time.monotonic() + 15
        while len(redis.cli("KEYS", "hookbroker:node:*").split()) < NODES:
            if time.monotonic() > deadline:
                raise RuntimeError("the cluster's nodes did not announce themselves in 15 s; see "
                                   + ", ".join(str(s.log_path) for s in servers))
            time.sleep(0.1)
    except BaseException:
        Running(servers, redis).stop()
        raise
    return Running(servers, redis)


def start_hookbroker_alone(tools, workdir, heartbeat):
    name = f"bench-alone-{time.monotonic_ns()}"
    return Running([sio.RunningServer(hookbroker_server(tools, workdir, name, []), workdir, heartbeat)])


def start_node_cluster(tools, workdir, heartbeat):
    redis = RunningRedis(tools["redis"], workdir)
    servers = []
    try:
        for i in range(1, NODES + 1):
            peer = sio.Server(f"node-n{i}", [tools["node"], "src/server.js", "--host", "127.0.0.1", "--port", "0",
                                             "--redis-url", redis.url],
                              sio.PEER_DIR, {"NODE_ENV": "production"}, heartbeat_flag="--heartbeat-interval")
            servers.append(sio.RunningServer(peer, workdir, heartbeat))
    except BaseException:
        Running(servers, redis).stop()
        raise
    return Running(servers, redis)


SYSTEMS = [
    System("cluster", "hookbroker x3 + Redis", start_hookbroker_cluster),
    System("alone", "hookbroker x1", start_hookbroker_alone),
    System("node", "Node x3 + redis-adapter", start_node_cluster),
]


def run_loadgen(tools, running, args, timeout):
    cmd = [str(tools["loadgen"]), *args, *running.loadgen_flags()]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"load generator failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return lines


def scenario_latency(args):
    return ["rate", "--clients", str(NODES * args.clients_per_node), "--rates", str(args.rate),
            "--duration", "3" if args.quick else "5", "--warmup", "1" if args.quick else "2", "--posters", str(args.posters)]


def scenario_step(args):
    ladder = QUICK_LADDER if args.quick else LADDER
    return ["rate", "--clients", str(NODES * args.clients_per_node), "--rates", ",".join(map(str, ladder)),
            "--duration", "1.5" if args.quick else "2.5", "--warmup", "1", "--posters", str(args.posters),
            "--stop-when-failing", "--retries", "1", "--give-up-after", "2", "--p99-limit-ms", "10"]


def summarize(results):
    """Per system: the best figures over the rounds (latency: the round with
    the lower cross-node p99; held rate: the highest)."""
    out = {}
    for system in SYSTEMS:
        lat_runs = [r[-1] for r in results.get(("latency", system.name), [])]
        step_runs = results.get(("step", system.name), [])
        key = lambda line: (line.get("cross_node_latency_ms") or line.get("latency_ms", {})).get("p99", 1e9)
        lat = min(lat_runs, key=key) if lat_runs else {}
        cross = lat.get("cross_node_latency_ms") or {}
        every = lat.get("latency_ms") or {}
        held = [sio.highest_held(lines) for lines in step_runs]
        out[system.name] = {
            "cross_p50": cross.get("p50"), "cross_p99": cross.get("p99"),
            "p50": every.get("p50"), "p99": every.get("p99"),
            "p99_rounds": [key(line) for line in lat_runs],
            "complete": lat.get("complete"), "missing": lat.get("missing"), "duplicates": lat.get("duplicates"),
            "achieved": (lat.get("posted") or {}).get("achieved_rate"),
            "server_us_per_event": lat.get("server_cpu_us_per_event"),
            "server_us_per_delivery": lat.get("server_cpu_us_per_delivery"),
            "redis_us_per_event": lat.get("redis_cpu_us_per_event"),
            "held": max(held) if held else None, "held_rounds": held,
        }
    return out


def print_table(f, rate, clients):
    c, a, n = f["cluster"], f["alone"], f["node"]
    q = lambda x, y: sio.ratio(x, y)
    rows = [
        (f"cross-node p99 ms @{rate} ev/s x {clients}", c["cross_p99"], None, n["cross_p99"], q(c["cross_p99"], n["cross_p99"]),
         "<= 5 ms", sio.check(c["cross_p99"], lambda v: v <= P99_TARGET_MS and bool(c["complete"]))),
        ("cross-node p50 ms", c["cross_p50"], None, n["cross_p50"], q(c["cross_p50"], n["cross_p50"]), "", ""),
        ("all deliveries p99 / p50 ms", f"{sio.fmt(c['p99'])} / {sio.fmt(c['p50'])}",
         f"{sio.fmt(a['p99'])} / {sio.fmt(a['p50'])}", f"{sio.fmt(n['p99'])} / {sio.fmt(n['p50'])}", None, "", ""),
        ("  every event to every client once", c["complete"], a["complete"], n["complete"], None, "", ""),
        (f"  events/s the POSTs achieved (of {rate})", c["achieved"], a["achieved"], n["achieved"], None, "", ""),
        ("servers' CPU us per event (all nodes)", c["server_us_per_event"], a["server_us_per_event"],
         n["server_us_per_event"], q(c["server_us_per_event"], n["server_us_per_event"]), "", ""),
        ("  per delivery", c["server_us_per_delivery"], a["server_us_per_delivery"], n["server_us_per_delivery"],
         q(c["server_us_per_delivery"], n["server_us_per_delivery"]), "", ""),
        ("Redis CPU us per event", c["redis_us_per_event"], None, n["redis_us_per_event"],
         q(c["redis_us_per_event"], n["redis_us_per_event"]), "", ""),
        (f"highest rate held x {clients} (p99<=10ms, no loss)", c["held"], a["held"], n["held"], q(c["held"], n["held"]),
         "", ""),
    ]
    header = ("figure", "hb x3+Redis", "hb x1", "Node x3", "x3/Node", "target", "")
    widths = (44, 12, 12, 12, 8, 9, 8)
    line = lambda cells: "  ".join(str(v).ljust(w) if i == 0 or i > 4 else str(v).rjust(w)
                                   for i, (v, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for name, x, y, z, r, target, ok in rows:
        print(line((name, sio.fmt(x), sio.fmt(y), sio.fmt(z), sio.fmt(r) + "x" if r is not None else "", target, ok)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter phases and ladder, one round (under a minute)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over the three systems (alternating order)")
    parser.add_argument("--build", type=Path, default=ROOT / "build-bench", help="Release build with HOOKBROKER_BUILD_BENCH=ON")
    parser.add_argument("--heartbeat", type=float, default=10.0, help="heartbeat interval of every server, seconds")
    parser.add_argument("--posters", type=int, default=6,
                        help="HTTP keep-alive connections posting events, in all (a multiple of 3: 2 per node)")
    # The figure is 100 clients per node at 1,000 events/s; both can
    # be lowered to see where a busy machine still meets the latency target.
    parser.add_argument("--clients-per-node", type=int, default=CLIENTS_PER_NODE,
                        help=f"clients of each node (default {CLIENTS_PER_NODE}; the single broker gets all of them)")
    parser.add_argument("--rate", type=int, default=1000, help="events/s of the latency scenario (default 1000)")
    parser.add_argument("--nice", type=int, default=-10, help="niceness of servers, Redis and load generator")
    parser.add_argument("--json", type=Path, help="also write every raw result here")
    parser.add_argument("--systems", default=",".join(s.name for s in SYSTEMS),
                        help="which systems to run, comma-separated (default all: "
                             + ", ".join(s.name for s in SYSTEMS) + ")")
    parser.add_argument("--only", choices=("latency", "step"), help="run one scenario only")
    parser.add_argument("--cluster-config", action="append", default=[], metavar="KEY=VALUE",
                        help="a cluster_redis setting for every node, e.g. socketio_key= (no adapter PUBLISH); repeatable")
    args = parser.parse_args()
    CLUSTER_CONFIG.extend(args.cluster_config)
    chosen = [s for s in SYSTEMS if s.name in args.systems.split(",")]
    if not chosen:
        sys.exit(f"--systems {args.systems!r} names none of " + ", ".join(s.name for s in SYSTEMS))
    rounds = 1 if args.quick else max(1, args.rounds)

    tools = {"hookbroker": args.build / "bin" / "hookbroker", "loadgen": args.build / "bin" / "hookbroker-loadgen",
             "node": shutil.which("node"), "redis": shutil.which("redis-server")}
    for key in ("hookbroker", "loadgen"):
        if not tools[key].exists():
            sys.exit(f"{tools[key]} is missing: run bench/cluster/run.sh, which builds it")
    if not tools["redis"] or not shutil.which("redis-cli"):
        sys.exit("redis-server and redis-cli are needed (Debian: apt-get install redis-server; scripts/install-deps.sh)")
    if not tools["node"] or not (sio.PEER_DIR / "node_modules" / "@socket.io" / "redis-adapter").exists():
        sys.exit(f"the Node peer is not installed: run 'npm ci' in {sio.PEER_DIR} (run.sh does)")

    limit = sio.raise_open_files()
    niceness = sio.apply_niceness(args.nice)
    autogroup_before = sio.apply_autogroup_niceness(args.nice)
    workdir = Path(tempfile.mkdtemp(prefix="hookbroker-cluster-bench-"))
    started, load_before = time.monotonic(), sio.loadavg()
    print(f"machine: {os.cpu_count()} cores, {sio.cpu_model()}, kernel {platform.release()}; open files {limit}; "
          f"load average {load_before}; niceness {niceness}", file=sys.stderr)
    results = {}
    try:
        for round_index in range(rounds):
            order = chosen if round_index % 2 == 0 else list(reversed(chosen))
            scenarios = (("latency", scenario_latency, 120), ("step", scenario_step, 240))
            for key, scenario, timeout in (s for s in scenarios if args.only in (None, s[0])):
                for system in order:
                    print(f"  round {round_index + 1}, {key}: {system.label}", file=sys.stderr, flush=True)
                    running = system.start(tools, workdir, args.heartbeat)
                    try:
                        lines = run_loadgen(tools, running, scenario(args), timeout)
                    finally:
                        running.stop()
                    results.setdefault((key, system.name), []).append(lines)
    finally:
        sio.restore_autogroup_niceness(autogroup_before)
        shutil.rmtree(workdir, ignore_errors=True)

    figures = summarize(results)
    print()
    print(f"Three hookbrokers through Redis vs one hookbroker vs three Node socket.io "
          f"{sio.node_peer_version()} servers with @socket.io/redis-adapter - same load generator, same run "
          f"({'quick' if args.quick else 'full'}, {rounds} round(s), {time.monotonic() - started:.0f} s)")
    print(f"machine: {os.cpu_count()} cores ({sio.cpu_model()}), loopback; load average before {load_before}, "
          f"after {sio.loadavg()}; niceness {niceness} (session group "
          f"{'also' if autogroup_before is not None else 'not'} reniced); {NODES * args.clients_per_node} clients "
          f"({args.clients_per_node} per node), events round-robin over {args.posters} HTTP connections")
    print()
    print_table(figures, args.rate, NODES * args.clients_per_node)
    print()
    for system in SYSTEMS:
        fig = figures[system.name]
        print(f"{system.label}: p99 per round {', '.join(sio.fmt(v) for v in fig['p99_rounds'])} ms "
              f"(cross-node where there are nodes); held per round {', '.join(map(str, fig['held_rounds']))} ev/s")
    if args.json:
        raw = {f"{k}/{s}": v for (k, s), v in results.items()}
        args.json.write_text(json.dumps({"figures": figures, "raw": raw}, indent=1))


if __name__ == "__main__":
    main()
