#!/usr/bin/env bash
# Three brokers through Redis vs one broker vs three Node socket.io servers
# with the stock @socket.io/redis-adapter: builds hookbroker and the load
# generator (Release, in build-bench/), installs the Node peer with `npm ci`,
# then runs compare.py, which prints the three side by side.
#
#   bench/cluster/run.sh            # two rounds, about four minutes
#   bench/cluster/run.sh --quick    # one short round, about a minute
#   bench/cluster/run.sh --json results.json
#
# Needs redis-server and redis-cli (scripts/install-deps.sh). Loopback only,
# bounded in count and time; stops by itself. Set HOOKBROKER_BENCH_BUILD to
# use another build directory (one configured with HOOKBROKER_BUILD_BENCH=ON).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${HOOKBROKER_BENCH_BUILD:-$root/build-bench}"

if [[ -z "${HOOKBROKER_BENCH_BUILD:-}" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHOOKBROKER_BUILD_BENCH=ON \
    -DHOOKBROKER_BUILD_TESTS=OFF -DHOOKBROKER_DASHBOARD=OFF >/dev/null
fi
# The broker loads every plugin it finds, so none may be left stale.
plugins=$(grep -ho 'hookbroker_add_plugin([A-Za-z0-9_]*' "$root"/plugins/*/CMakeLists.txt | sed 's/.*(//')
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target hookbroker hookbroker-loadgen $plugins

(cd "$root/bench/peers/node-broker" && npm ci --no-audit --no-fund --loglevel=error)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

exec python3 "$root/bench/cluster/compare.py" --build "$build" "$@"
