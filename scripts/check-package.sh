#!/usr/bin/env bash
# Builds the Debian package from a Release build dir, installs it on this
# machine and checks what a user of the package gets, then removes it:
#   - the .deb holds the broker, tools, plugins, SDK, dashboard and user unit,
#     stripped, with computed Depends, and no test/fuzz/bench programs;
#   - it installs with apt (dependencies resolved), without clobbering files
#     that no package owns;
#   - /usr/bin/hookbroker --version and --list-plugins (every packaged plugin
#     found in /usr/lib/hookbroker/plugins and loadable);
#   - systemd-analyze verify on the user unit (skipped if systemd-analyze is
#     not installed);
#   - examples/heartbeat-plugin builds out of tree against /usr alone
#     (find_package(HookBroker) -> /usr/lib/cmake/HookBroker) and, loaded into
#     /usr/bin/hookbroker, contributes its "hostinfo" key to the heartbeat; the
#     broker serves the packaged dashboard and writes state under XDG dirs;
#   - dpkg --purge leaves none of the package's files behind.
# Needs root (dpkg). Fails with the name of the step that broke.
#
#   scripts/check-package.sh [BUILD_DIR]     (default build-ci/release)
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$(pwd)
build=$(realpath -m "${1:-build-ci/release}")
jobs=${JOBS:-$(nproc)}
export DEBIAN_FRONTEND=noninteractive

current_step="start"
step_started=$SECONDS
script_started=$SECONDS
timings=()
step() {
  [ "$current_step" = start ] || timings+=("$(printf '%4ds  %s' $((SECONDS - step_started)) "$current_step")")
  current_step=$*
  step_started=$SECONDS
  printf '\n==== package: %s (%s)\n' "$*" "$(date +%H:%M:%S)"
}
fail() {
  printf '\ncheck-package: FAILED in step "%s": %s\n' "$current_step" "$*" >&2
  exit 1
}
trap 'fail "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

work=$(mktemp -d /tmp/hookbroker-check-package.XXXXXX)
installed_by_us=0
broker_pid=""
cleanup() {
  local status=$?
  trap - ERR
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill -KILL "$broker_pid" 2>/dev/null || true
  fi
  if [ "$installed_by_us" = 1 ] && dpkg -s hookbroker >/dev/null 2>&1; then
    echo "check-package: removing the hookbroker package installed by this run" >&2
    dpkg --purge hookbroker >/dev/null || echo "check-package: could not remove it: run dpkg --purge hookbroker" >&2
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

step "preconditions"
[ "$(id -u)" -eq 0 ] || fail "must run as root: it installs the package with apt-get/dpkg"
[ -f "$build/CMakeCache.txt" ] ||
  fail "$build is not a configured build dir; configure one with: cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release"
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
[ "$(cache CMAKE_BUILD_TYPE)" = Release ] ||
  fail "$build is a '$(cache CMAKE_BUILD_TYPE)' build; the package is made from a Release build dir"
[ "$(cache HOOKBROKER_SANITIZE)" != ON ] || fail "$build is a sanitizer build; package a plain Release build dir"
version=$(cache CMAKE_PROJECT_VERSION)
[ -n "$version" ] || fail "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"
for tool in cpack dpkg-deb dpkg-shlibdeps apt-get readelf curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps.sh installs it)"
done
if dpkg -s hookbroker >/dev/null 2>&1; then
  fail "the hookbroker package is already installed; this check installs and removes its own copy. Remove it first: dpkg --purge hookbroker"
fi

step "build"
cmake --build "$build" -j"$jobs"

step "cpack -G DEB"
rm -rf "$build/package"
(cd "$build" && cpack -G DEB -B "$build/package")
debs=("$build"/package/hookbroker_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one hookbroker_*.deb in $build/package, found: ${debs[*]}"
deb=${debs[0]}
echo "package: $deb ($(du -h "$deb" | cut -f1))"

step "package metadata and contents"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = hookbroker ] || fail "Package is '$(field Package)', expected hookbroker"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected the project version $version"
for name in Maintainer Description Section Depends Suggests; do
  [ -n "$(field "$name")" ] || fail "the control file has no $name field"
done
echo "Depends: $(field Depends)"
echo "Suggests: $(field Suggests)"
depends=$(field Depends)
for library in libelf1 libsqlite3 libssl3 libstdc++6; do
  [[ "$depends" == *"$library"* ]] || fail "Depends lacks $library (is CPACK_DEBIAN_PACKAGE_SHLIBDEPS on?): $depends"
done
# Packed relative relocations need glibc >= 2.36, a requirement no symbol shows.
if readelf -V "$build/bin/hookbroker" | grep GLIBC_ABI_DT_RELR >/dev/null; then  # no -q, as below
  [[ "$depends" == *"libc6 (>= 2.36)"* ]] || fail "the broker needs GLIBC_ABI_DT_RELR but Depends lacks libc6 (>= 2.36): $depends"
fi
# Names only (6th column); "./usr/bin/x" -> "/usr/bin/x", directories end in /.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$work/contents"
for path in /usr/bin/hookbroker /usr/bin/hookbroker-hook /usr/bin/hookbroker-install-hooks /usr/bin/hookbroker-doctor \
    /usr/lib/hookbroker/plugins/transport_socketio.so /usr/lib/hookbroker/plugins/sessions_memory.so \
    /usr/include/hookbroker/hookbroker.hpp /usr/lib/cmake/HookBroker/HookBrokerConfig.cmake \
    /usr/lib/cmake/HookBroker/HookBrokerPlugin.cmake /usr/share/hookbroker/dashboard/index.html \
    /usr/share/hookbroker/dashboard/vendor/socket.io.js /usr/lib/systemd/user/hookbroker.service; do
  grep -qx "$path" "$work/contents" || fail "the package lacks $path"
done
if grep -Ei '(test|fuzz|bench|fixture)[^/]*$' "$work/contents" | grep -v '^/usr/include/hookbroker/testing/'; then
  fail "the package ships test, fuzz or bench files (listed above): an install() rule leaks into it"
fi
if grep -v '^/usr/' "$work/contents" | grep -vx '/'; then fail "the package installs files outside /usr (listed above)"; fi
dpkg-deb -x "$deb" "$work/root"
while IFS= read -r -d '' elf; do
  # grep reads all of readelf's output (no -q): an early exit would SIGPIPE
  # readelf and, under pipefail, hide the match.
  if readelf -S "$elf" | grep '\.symtab' >/dev/null; then fail "$elf is not stripped (CPACK_STRIP_FILES)"; fi
done < <(find "$work/root/usr/bin" "$work/root/usr/lib/hookbroker" -type f -print0)
grep -qx 'ExecStart=/usr/bin/hookbroker' "$work/root/usr/lib/systemd/user/hookbroker.service" ||
  fail "the unit's ExecStart is not /usr/bin/hookbroker: $(grep ExecStart "$work/root/usr/lib/systemd/user/hookbroker.service")"
echo "$(grep -c . "$work/contents") entries, $(du -sh "$work/root" | cut -f1) installed"

step "files the package would overwrite"
clobbered=()
while IFS= read -r path; do
  [ -f "$path" ] || [ -L "$path" ] || continue
  dpkg -S "$path" >/dev/null 2>&1 || clobbered+=("$path")
done < <(grep -v '/$' "$work/contents")
[ ${#clobbered[@]} -eq 0 ] ||
  fail "these files exist but belong to no package (an earlier 'cmake --install --prefix /usr'?); installing would overwrite them and removing would delete them. Remove them first: ${clobbered[*]}"

step "install with apt-get"
installed_by_us=1
apt-get install -y -q --no-install-recommends "$deb"
[ "$(dpkg-query -W -f='${Status}' hookbroker)" = "install ok installed" ] || fail "dpkg does not report hookbroker as installed"

step "hookbroker --version and --list-plugins"
# From a directory elsewhere, with an empty environment of our own: nothing
# may come from the source or build tree.
cd "$work"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_STATE_HOME="$work/home/.local/state"
mkdir -p "$HOME"
[ "$(command -v hookbroker)" = /usr/bin/hookbroker ] || fail "hookbroker on PATH is $(command -v hookbroker), not /usr/bin/hookbroker"
[ "$(/usr/bin/hookbroker --version)" = "hookbroker $version" ] ||
  fail "hookbroker --version printed '$(/usr/bin/hookbroker --version)', expected 'hookbroker $version'"
/usr/bin/hookbroker --list-plugins > "$work/list-plugins"
cat "$work/list-plugins"
packaged=0
for plugin in /usr/lib/hookbroker/plugins/*.so; do
  packaged=$((packaged + 1))
  grep -q "^  path:   $plugin\$" "$work/list-plugins" || fail "--list-plugins does not list the packaged $plugin"
done
[ "$packaged" -ge 8 ] || fail "only $packaged plugins in /usr/lib/hookbroker/plugins"
if grep -E '^  status: (not loaded|refused)' "$work/list-plugins" | grep -v 'disabled by default'; then
  fail "packaged plugins that would not load (above): a stripped or broken plugin?"
fi
/usr/bin/hookbroker install-hooks --help >/dev/null || fail "'hookbroker install-hooks' (runs /usr/bin/hookbroker-install-hooks) failed"

step "systemd-analyze verify"
if command -v systemd-analyze >/dev/null; then
  # --user needs a runtime dir even when no user manager runs (CI, containers).
  mkdir -m 0700 "$work/runtime"
  # It reports unknown or bad settings as warnings on stderr and still exits
  # 0, so any output is a failure too.
  if ! XDG_RUNTIME_DIR="$work/runtime" systemd-analyze verify --user /usr/lib/systemd/user/hookbroker.service \
      > "$work/verify.txt" 2>&1 || [ -s "$work/verify.txt" ]; then
    cat "$work/verify.txt"
    fail "systemd-analyze verify reports problems in /usr/lib/systemd/user/hookbroker.service (above)"
  fi
  echo "unit verified"
else
  echo "systemd-analyze is not installed: unit not verified (skipped)"
fi

step "build examples/heartbeat-plugin against /usr"
example_build="$work/heartbeat-plugin"
env -u CMAKE_PREFIX_PATH -u HookBroker_DIR cmake -S "$source_dir/examples/heartbeat-plugin" -B "$example_build" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
found=$(sed -n 's/^HookBroker_DIR:PATH=//p' "$example_build/CMakeCache.txt")
[ "$found" = /usr/lib/cmake/HookBroker ] || fail "find_package(HookBroker) found '$found', not /usr/lib/cmake/HookBroker"
cmake --build "$example_build" -j"$jobs"
[ -f "$example_build/hostinfo.so" ] || fail "the example built no $example_build/hostinfo.so"

step "run /usr/bin/hookbroker with the example plugin"
: > "$work/broker.out"
: > "$work/broker.log"
/usr/bin/hookbroker --port 0 --plugin-dir "$example_build" --heartbeat-interval-s 0.2 \
  --set plugins.transport_jsonl.enabled=true --set plugins.history_sqlite.enabled=true \
  > "$work/broker.out" 2> "$work/broker.log" &
broker_pid=$!
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    kill -0 "$broker_pid" 2>/dev/null || fail "the broker exited while waiting for $what; its log: $(cat "$work/broker.log")"
    [ $SECONDS -lt $deadline ] || fail "no $what within the time limit; broker log: $(tail -20 "$work/broker.log")"
    sleep 0.1
  done
}
wait_for 30 "'hostinfo' key in a heartbeat" \
  grep -Eq '"hostinfo":\{"hostname":"[^"]+","pid":[0-9]+\}.*"event":"heartbeat"' "$work/broker.out"
wait_for 30 "heartbeat log line" grep -q 'System heartbeat sent - clients: ' "$work/broker.log"
grep -q "plugin 'hostinfo' 1.0.0 loaded .* from $example_build/hostinfo.so" "$work/broker.log" ||
  fail "the log does not say hostinfo was loaded from $example_build"
port=$(sed -n 's|.*\[transport_socketio\] listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/broker.log" | head -1)
[ -n "$port" ] || fail "the log does not name the port transport_socketio listens on"
curl -sf -o "$work/index.html" "http://127.0.0.1:$port/" || fail "GET / failed: no dashboard served"
grep -qi '<html' "$work/index.html" || fail "GET / did not return the dashboard's HTML"
curl -sf -o /dev/null "http://127.0.0.1:$port/vendor/socket.io.js" || fail "GET /vendor/socket.io.js failed"
[ -f "$XDG_STATE_HOME/hookbroker/history.sqlite3" ] ||
  fail "history_sqlite did not create its database under \$XDG_STATE_HOME/hookbroker"
echo "heartbeat carries hostinfo; dashboard served on port $port; state in $XDG_STATE_HOME/hookbroker"
kill -TERM "$broker_pid"
broker_status=0
wait "$broker_pid" || broker_status=$?
broker_pid=""
[ "$broker_status" -eq 0 ] || fail "the broker exited $broker_status on SIGTERM, expected 0"

step "dpkg --purge hookbroker"
dpkg --purge hookbroker
installed_by_us=0
leftovers=()
while IFS= read -r path; do
  case "$path" in */) continue ;; esac
  if [ -e "$path" ] || [ -L "$path" ]; then leftovers+=("$path"); fi
done < "$work/contents"
for dir in /usr/lib/hookbroker /usr/include/hookbroker /usr/share/hookbroker /usr/lib/cmake/HookBroker; do
  if [ -e "$dir" ]; then leftovers+=("$dir"); fi
done
[ ${#leftovers[@]} -eq 0 ] || fail "left behind after purge: ${leftovers[*]}"

step "done"
printf '\ncheck-package: all checks passed for %s in %ds\n' "$(basename "$deb")" $((SECONDS - script_started))
printf '%s\n' "${timings[@]}"
