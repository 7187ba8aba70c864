#!/usr/bin/env bash
# Socket.IO broker vs the Node socket.io peer: builds hookbroker and the load
# generator and installs the peer (bench/prepare.sh), then runs compare.py,
# which prints both servers' figures side by side.
#
#   bench/socketio/run.sh            # full run, a few minutes
#   bench/socketio/run.sh --quick    # about a minute
#   bench/socketio/run.sh --json results.json
#   bench/socketio/run.sh --only idle   # some scenarios only: cpu,latency,step,idle,max
#
# Loopback only, bounded in count and time; stops by itself. Set
# HOOKBROKER_BENCH_BUILD to use another build directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$("$root/bench/prepare.sh")"

# 10,000 WebSocket clients need that many descriptors in the server and in the
# load generator; compare.py raises the limit further when it may.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

exec python3 "$root/bench/socketio/compare.py" --build "$build" "$@"
