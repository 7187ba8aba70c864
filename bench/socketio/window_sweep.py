#!/usr/bin/env python3
"""What transport_socketio's coalesce_window_us buys and costs.

hookbroker alone (its default plugins), one fresh broker per window, driven by
the same load generator and scenario as compare.py's CPU and latency rows
(100 WebSocket clients, events posted at a fixed rate). Each row is printed
beside the window-0 broker of the same run (every broadcast written at once,
as before coalescing), with the ratio.

  python3 bench/socketio/window_sweep.py --build build --rate 1000 --windows 0,1000,2000
  python3 bench/socketio/window_sweep.py --build build --rate 500 --windows 0,5000,10000 --posters 8
  python3 bench/socketio/window_sweep.py --build build --rate 1000 --windows 2000,500-2000

A window W is fixed (coalesce_window_min_us = coalesce_window_us = W); MIN-MAX
is the adaptive window between the two (the default is 500-2000).

Loopback only, bounded in time (about 10 s per window); stops by itself.
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import ROOT, RunningServer, Server, apply_niceness, loadavg, raise_open_files, run_loadgen  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=ROOT / "build-bench", help="Release build with HOOKBROKER_BUILD_BENCH=ON")
    parser.add_argument("--rate", type=int, default=1000, help="events posted per second")
    parser.add_argument("--windows", default="0,1000,2000,500-2000",
                        help="comma-separated: W (a fixed window of W us) or MIN-MAX (adaptive between them); "
                             "0 is added if missing")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--posters", type=int, default=4, help="HTTP connections posting events")
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--nice", type=int, default=-10)
    args = parser.parse_args()

    windows = [w.strip() for w in args.windows.split(",") if w.strip()]
    if "0" not in windows:
        windows.insert(0, "0")
    hookbroker = args.build / "bin" / "hookbroker"
    loadgen = args.build / "bin" / "hookbroker-loadgen"
    for path in (hookbroker, loadgen):
        if not path.exists():
            sys.exit(f"{path} is missing: build with -DHOOKBROKER_BUILD_BENCH=ON (bench/socketio/run.sh does)")
    raise_open_files()
    niceness = apply_niceness(args.nice)
    workdir = Path(tempfile.mkdtemp(prefix="hookbroker-sweep-"))
    scenario = ["rate", "--clients", str(args.clients), "--rates", str(args.rate), "--duration", str(args.duration),
                "--warmup", str(args.warmup), "--posters", str(args.posters)]

    rows = {}
    for window in windows:
        server = Server(f"window-{window}",
                        [str(hookbroker), "--host", "127.0.0.1", "--port", "0", "--state-dir", str(workdir / "state"),
                         "--set", f"plugins.transport_socketio.config.coalesce_window_min_us={window.split('-')[0]}",
                         "--set", f"plugins.transport_socketio.config.coalesce_window_us={window.split('-')[-1]}"],
                        ROOT, {"XDG_CONFIG_HOME": str(workdir / "config"), "XDG_STATE_HOME": str(workdir / "state")})
        print(f"  window {window} us", file=sys.stderr, flush=True)
        running = RunningServer(server, workdir, 10.0)
        try:
            rows[window] = run_loadgen(loadgen, running, scenario, 120)[-1]
        finally:
            running.stop()

    base = rows["0"]
    print(f"hookbroker, {args.clients} clients, {args.rate} events/s over {args.posters} posting connections; "
          f"load average {loadavg()}; niceness {niceness}")
    print(f"{'window us':>10} {'CPU us/delivery':>16} {'vs window 0':>12} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'posted ev/s':>12} {'complete':>9} {'held':>5}")
    for window, r in rows.items():
        cpu = r["server_cpu_us_per_delivery"]
        ratio = cpu / base["server_cpu_us_per_delivery"] if base["server_cpu_us_per_delivery"] else float("nan")
        latency = r["latency_ms"]
        print(f"{window:>10} {cpu:>16.2f} {ratio:>11.2f}x {latency['p50']:>8.2f} {latency['p99']:>8.2f} "
              f"{r['posted']['achieved_rate']:>12.0f} {str(r['complete']):>9} {str(r['held']):>5}")


if __name__ == "__main__":
    main()
