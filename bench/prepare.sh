#!/usr/bin/env bash
# Builds what the Socket.IO benchmarks run (bench/socketio, bench/cluster):
# hookbroker, the load generator and every plugin, Release, in build-bench/
# (configured here), or in $HOOKBROKER_BENCH_BUILD (an existing build
# configured with -DHOOKBROKER_BUILD_BENCH=ON, left as configured); then
# installs the Node peer with `npm ci`. Prints the build directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${HOOKBROKER_BENCH_BUILD:-$root/build-bench}"

if [[ -z "${HOOKBROKER_BENCH_BUILD:-}" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHOOKBROKER_BUILD_BENCH=ON \
    -DHOOKBROKER_BUILD_TESTS=OFF -DHOOKBROKER_DASHBOARD=OFF >/dev/null
fi
# The broker loads every plugin it finds, so none may be left stale from an
# older build.
plugins=$(grep -ho 'hookbroker_add_plugin([A-Za-z0-9_]*' "$root"/plugins/*/CMakeLists.txt | sed 's/.*(//')
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target hookbroker hookbroker-loadgen $plugins >&2

(cd "$root/bench/peers/node-broker" && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "$build"
