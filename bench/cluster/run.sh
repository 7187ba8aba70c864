#!/usr/bin/env bash
# Three brokers through Redis vs one broker vs three Node socket.io servers
# with the stock @socket.io/redis-adapter: builds hookbroker and the load
# generator and installs the Node peer (bench/prepare.sh), then runs
# compare.py, which prints the three side by side.
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
build="$("$root/bench/prepare.sh")"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

exec python3 "$root/bench/cluster/compare.py" --build "$build" "$@"
