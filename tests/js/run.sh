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
# Every pinned package must be there (an older node_modules may lack newer pins).
missing=$(node -e '
  const fs = require("fs"), path = require("path");
  const pins = require(path.join(process.argv[1], "package.json")).devDependencies || {};
  const absent = Object.keys(pins).filter((name) =>
    !fs.existsSync(path.join(process.argv[1], "node_modules", name, "package.json")));
  process.stdout.write(absent.join(" "));
' "$root")
if [ -n "$missing" ]; then
  echo "SKIPPED: $root/node_modules lacks $missing; run 'npm ci' in $root to install the pinned test clients"
  exit 77
fi
exec node --test "$file"
