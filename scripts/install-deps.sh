#!/usr/bin/env bash
# Installs every Debian package hookbroker's build, tests and benchmarks need.
# Idempotent and non-interactive: safe to run as root on a fresh Debian 12 machine
# and again on one that already has everything (then it installs nothing).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config ccache git curl ca-certificates
  # libraries (see DESIGN.md: the stack is chosen, all from Debian)
  libboost-dev libboost-filesystem-dev libboost-system-dev
  libwebsocketpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libsqlite3-dev
  # the cluster_redis plugin: hiredis formats and parses RESP, OpenSSL is its TLS (rediss://)
  libhiredis-dev libssl-dev
  # the plugin loader reads manifests from library files (elfutils)
  libelf-dev
  # otlp_claude inflates gzip request bodies
  zlib1g-dev
  # tests
  libgtest-dev googletest python3 python3-socketio python3-requests
  # the cluster tests start real Redis servers (TLS ones with certificates made by openssl)
  redis-server openssl
  # python-socketio's WebSocket transport (without it the Python client only polls)
  python3-websocket
  # the dashboard test drives a real headless browser (playwright-core from npm)
  chromium
  # fuzzing (libFuzzer comes with clang's runtime)
  clang libclang-rt-14-dev
)
# Node.js and npm run the JavaScript client tests; keep a newer one if present.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
