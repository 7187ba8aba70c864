#!/usr/bin/env bash
# Socket.IO broker vs the Node socket.io peer: builds hookbroker and the load
# generator (Release, in build-bench/), installs the peer with `npm ci`, then
# runs compare.py, which prints both servers' figures side by side.
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
build="${HOOKBROKER_BENCH_BUILD:-$root/build-bench}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHOOKBROKER_BUILD_BENCH=ON \
  -DHOOKBROKER_BUILD_TESTS=OFF -DHOOKBROKER_DASHBOARD=OFF >/dev/null
# The broker, the load generator and every plugin: the broker loads every
# plugin it finds, so none may be left stale from an older build.
plugins=$(grep -ho 'hookbroker_add_plugin([A-Za-z0-9_]*' "$root"/plugins/*/CMakeLists.txt | sed 's/.*(//')
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target hookbroker hookbroker-loadgen $plugins

(cd "$root/bench/peers/node-broker" && npm ci --no-audit --no-fund --loglevel=error)

# 10,000 WebSocket clients need that many descriptors in the server and in the
# load generator; compare.py raises the limit further when it may.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

exec python3 "$root/bench/socketio/compare.py" --build "$build" "$@"
