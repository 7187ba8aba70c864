#!/bin/sh
# Runs one JavaScript test file with node's built-in test runner, for ctest.
#   run.sh <source dir> <file.test.js>
# Exits 77 (ctest: skipped) with the reason when the npm packages are not
# installed; everything else is a real pass or failure.
root=$1
file=$2
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; scripts/install-deps.sh installs it"
  exit 77
fi
if [ ! -f "$root/node_modules/socket.io-client/package.json" ]; then
  echo "SKIPPED: $root/node_modules has no socket.io-client; run 'npm ci' in $root to install the pinned test clients"
  exit 77
fi
exec node --test "$file"
