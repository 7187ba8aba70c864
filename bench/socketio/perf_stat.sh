#!/usr/bin/env bash
# The broker's own counters while it delivers: one fresh hookbroker (its
# default plugins), 100 WebSocket clients and events at a fixed rate from
# hookbroker-loadgen, and `perf stat` on the broker for 3 s in mid-phase
# (task-clock, context switches, futex / epoll_wait / sendto calls), then each
# worker thread's voluntary and non-voluntary context switches over the same
# 3 s and the load generator's latency line. Run it for two builds one after
# the other to compare them in the same minute:
#
#   bench/socketio/perf_stat.sh build-bench 500
#   bench/socketio/perf_stat.sh /tmp/base/build-bench 500
#   bench/socketio/perf_stat.sh build-bench 1000 --threads 1   # extra args go to hookbroker
#
# Needs perf (linux-perf) with access to the syscall tracepoints (root, or
# kernel.perf_event_paranoid <= 1). Loopback only, about 12 s, stops by itself.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR EVENTS_PER_S [hookbroker args...]" >&2
  exit 2
fi
build=$1 rate=$2
shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/hookbroker-perf.XXXXXX")
broker=""
cleanup() {
  if [[ -n "$broker" ]] && kill -0 "$broker" 2>/dev/null; then kill -TERM "$broker"; wait "$broker" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

threads() {
  for t in /proc/"$broker"/task/*; do
    echo "$(cat "$t/comm") $(awk '/voluntary_ctxt_switches/ {printf "%s ", $2}' "$t/status")"
  done
}

XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state nice -n -10 "$build/bin/hookbroker" --host 127.0.0.1 \
  --port 0 --state-dir "$work/state" --heartbeat-interval-s 10 "$@" >"$work/broker.log" 2>&1 &
broker=$!
port=""
for _ in $(seq 150); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/broker.log" | sed 's/.*://' || true)
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "hookbroker did not start; its log:" >&2; cat "$work/broker.log" >&2; exit 1; }

echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $rate events/s x 100 clients, 4 posters"
nice -n -10 "$build/bin/hookbroker-loadgen" rate --clients 100 --rates "$rate" --duration 7 --warmup 2 \
  --posters 4 --port "$port" --server-pid "$broker" >"$work/loadgen.out" 2>&1 &
loadgen=$!
sleep 4
threads >"$work/before"
perf stat -e task-clock,context-switches,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_sendto \
  -p "$broker" -- sleep 3 2>&1 | awk '/task-clock|context-switches|sys_enter/ {print "  " $1, $2}'
threads >"$work/after"
# comm voluntary nonvoluntary, per thread, in the same order
paste "$work/before" "$work/after" |
  awk '{v = $5 - $2; n = $6 - $3; if (v + n > 50) print "  thread " $1 ": voluntary " v ", non-voluntary " n}'
wait "$loadgen"
grep -o '"latency_ms":{[^}]*}\|"server_cpu_us_per_delivery":[0-9.]*' "$work/loadgen.out" | sed 's/^/  /'
