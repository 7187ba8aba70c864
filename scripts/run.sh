#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running broker:
# installs the Debian packages, builds (Release), and starts hookbroker with
# the defaults (127.0.0.1:8765, heartbeat every 60 s). Extra arguments go to
# hookbroker, e.g. `bash scripts/run.sh --heartbeat-interval-s 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ -f package-lock.json ] && [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHOOKBROKER_BUILD_TESTS=OFF
cmake --build build -j"$(nproc)"
exec build/bin/hookbroker "$@"
