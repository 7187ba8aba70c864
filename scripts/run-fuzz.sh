#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz (clang, ASan + UBSan) in their own
# build dir and runs each for SECONDS (default 30) on its committed seed corpus.
# Exits non-zero when a target finds a crash (its reproducer is left in the
# build dir). New inputs found go to the build dir; the seeds stay untouched.
#
#   scripts/run-fuzz.sh [SECONDS]
#   HOOKBROKER_FUZZ_BUILD_DIR  build dir (default build-fuzz)
set -euo pipefail
seconds=${1:-30}
cd "$(dirname "$0")/.."
root=$(pwd)
build=${HOOKBROKER_FUZZ_BUILD_DIR:-$root/build-fuzz}

cmake -S tests/fuzz -B "$build" -DHOOKBROKER_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

status=0
for target in "$build"/bin/fuzz_*; do
  name=$(basename "$target")
  seeds=$root/tests/fuzz/corpus/${name#fuzz_}
  found=$build/corpus/${name#fuzz_}
  mkdir -p "$found" "$build/crashes"
  echo "fuzz: $name for ${seconds}s (seeds: $seeds)"
  if ! (cd "$build/crashes" && "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 "$found" "$seeds"); then
    echo "fuzz: $name FAILED; reproducer in $build/crashes" >&2
    status=1
  fi
done
exit $status
