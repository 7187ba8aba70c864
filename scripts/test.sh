#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to every test having run: installs
# the Debian and npm packages, builds, and runs the whole suite (GoogleTest
# units, integration tests against the real binary, JavaScript and Python
# client tests), then again under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the fuzzers for a bounded time. This is what CI runs (.ci/run).
#
#   HOOKBROKER_SKIP_SANITIZERS=1  skip the ASan+UBSan pass
#   HOOKBROKER_FUZZ_SECONDS=N     fuzzing time per target (default 30; 0 skips)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${JOBS:-$(nproc)}
# Let ccache reuse objects across checkouts in different folders (CI clones
# into a new one each time): paths under the tree are hashed relative to it.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true

step() { printf '\n==== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

step "install dependencies"
bash scripts/install-deps.sh
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "release build"
cmake -S . -B build-ci/release -DCMAKE_BUILD_TYPE=Release
cmake --build build-ci/release -j"$jobs"

step "release tests"
(cd build-ci/release && ctest --output-on-failure -j"$jobs" --timeout 600)

# Installs the .deb system-wide and removes it afterwards: needs root (CI is).
if [ "$(id -u)" -eq 0 ]; then
  step "Debian package (build, install, check, remove)"
  bash scripts/check-package.sh build-ci/release
else
  echo "package check skipped: dpkg -i needs root"
fi

if [ "${HOOKBROKER_SKIP_SANITIZERS:-0}" != 1 ]; then
  step "sanitizer build (ASan + UBSan)"
  # -g1 (line tables) is all a sanitizer report needs and compiles much faster
  # than full debug info.
  cmake -S . -B build-ci/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DHOOKBROKER_SANITIZE=ON
  cmake --build build-ci/asan -j"$jobs"
  step "sanitizer tests"
  # Sanitized binaries run several times slower: tests scale their timeouts.
  (cd build-ci/asan && \
    HOOKBROKER_TEST_TIMEOUT_SCALE=4 \
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j"$jobs" --timeout 900 -LE "no-sanitizer")
fi

fuzz_seconds=${HOOKBROKER_FUZZ_SECONDS:-30}
if [ -x scripts/run-fuzz.sh ] && [ "$fuzz_seconds" != 0 ]; then
  step "fuzzing (${fuzz_seconds}s per target)"
  bash scripts/run-fuzz.sh "$fuzz_seconds"
fi
step "all tests passed"
