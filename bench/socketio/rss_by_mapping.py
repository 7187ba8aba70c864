#!/usr/bin/env python3
"""Idle RSS of hookbroker per mapped file, for one or more builds side by side.

Starts each build's bin/hookbroker with its default plugins on an ephemeral
loopback port (fresh state and config dirs), lets it settle, reads
/proc/PID/status (VmRSS, RssAnon, RssFile) and sums the Rss of
/proc/PID/smaps by mapped file, then stops it. Builds are measured in turn,
`--runs` rounds, so a before/after pair is taken in the same minute.
compare.py --only idle gives the same VmRSS figure; this says which
libraries it is made of.

  python3 bench/socketio/rss_by_mapping.py build /tmp/base/build --runs 2
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+ ")


def measure(build: Path, settle: float):
    work = Path(tempfile.mkdtemp(prefix="hookbroker-rss-"))
    env = dict(os.environ, XDG_CONFIG_HOME=str(work / "config"), XDG_STATE_HOME=str(work / "state"))
    with open(work / "log", "w") as log:
        proc = subprocess.Popen([str(build / "bin" / "hookbroker"), "--host", "127.0.0.1", "--port", "0",
                                 "--state-dir", str(work / "state")], env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        time.sleep(settle)
        if proc.poll() is not None:
            raise SystemExit(f"{build}: hookbroker exited with {proc.returncode}; see {work / 'log'}")
        by_file = collections.Counter()
        name = None
        with open(f"/proc/{proc.pid}/smaps") as smaps:
            for line in smaps:
                if MAPPING.match(line):
                    fields = line.split()
                    name = fields[5].rsplit("/", 1)[-1] if len(fields) > 5 else "[anonymous]"
                elif line.startswith("Rss:"):
                    by_file[name] += int(line.split()[1])
        with open(f"/proc/{proc.pid}/status") as status:
            totals = {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in status)
                      if k in ("VmRSS", "RssAnon", "RssFile")}
        return totals, by_file
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="+", type=Path, help="build dirs, each with bin/hookbroker")
    parser.add_argument("--runs", type=int, default=1, help="rounds over the builds (default 1)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after start before reading (default 3)")
    args = parser.parse_args()
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}, {time.strftime('%H:%M:%S')}")
    results = [(build, *measure(build, args.settle)) for _ in range(args.runs) for build in args.builds]
    columns = [f"{str(build)[-24:]:>24}" for build, _, _ in results]
    print(f"{'KiB':<32}" + " ".join(columns))
    for key in ("VmRSS", "RssAnon", "RssFile"):
        print(f"{key:<32}" + " ".join(f"{totals[key]:>24}" for _, totals, _ in results))
    names = set().union(*(by_file.keys() for _, _, by_file in results))
    for name in sorted(names, key=lambda n: -max(by_file.get(n, 0) for _, _, by_file in results)):
        if any(by_file.get(name, 0) for _, _, by_file in results):
            print(f"{name[:31]:<32}" + " ".join(f"{by_file.get(name, 0):>24}" for _, _, by_file in results))


if __name__ == "__main__":
    main()
