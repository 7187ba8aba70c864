# Shared by the example scripts: start a private hookbroker on a free port,
# talk to it with curl, read its broadcasts from the jsonl transport, and
# clean up whatever happens. Source it; do not run it.
#
# Binaries: $HOOKBROKER_BIN (the broker), else `hookbroker` on PATH;
# $HOOKBROKER_HOOK_BIN (the hook forwarder), else hookbroker-hook next to the
# broker, else on PATH. Needs bash, curl and python3 (standard library only).

set -euo pipefail

fail() { echo "FAIL: $*" >&2; [[ -n "${HB_LOG:-}" && -f "$HB_LOG" ]] && { echo "--- broker log ---" >&2; tail -n 40 "$HB_LOG" >&2; }; exit 1; }
step() { echo "==> $*"; }

HB_BIN="${HOOKBROKER_BIN:-$(command -v hookbroker || true)}"
[[ -n "$HB_BIN" && -x "$HB_BIN" ]] || fail "no hookbroker binary: set HOOKBROKER_BIN=/path/to/hookbroker or put it on PATH"
command -v curl >/dev/null || fail "curl is needed (apt install curl)"
command -v python3 >/dev/null || fail "python3 is needed (apt install python3)"

# A private directory for the broker's log, broadcasts, config and state, so
# a user's real config and spool are never read or written.
HB_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hookbroker-example.XXXXXX")"
HB_LOG="$HB_DIR/broker.log"
HB_BUS="$HB_DIR/bus.jsonl"
HB_PID=""
HB_PORT=""
HB_URL=""

hb_cleanup() {
  if [[ -n "$HB_PID" ]] && kill -0 "$HB_PID" 2>/dev/null; then kill -TERM "$HB_PID" 2>/dev/null || true; wait "$HB_PID" 2>/dev/null || true; fi
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then echo "kept $HB_DIR"; else rm -rf "$HB_DIR"; fi
}
trap hb_cleanup EXIT

# hb_start INTERVAL [extra broker args...]: starts the broker, waits for its port.
hb_start() {
  local interval="$1"; shift
  XDG_CONFIG_HOME="$HB_DIR/config" XDG_STATE_HOME="$HB_DIR/state" \
    "$HB_BIN" --port 0 --heartbeat-interval-s "$interval" \
    --set plugins.transport_jsonl.enabled=true --set "plugins.transport_jsonl.config.path=$HB_BUS" \
    "$@" >"$HB_LOG" 2>&1 &
  HB_PID=$!
  local deadline=$((SECONDS + ${HB_START_TIMEOUT:-15}))
  while [[ -z "$HB_PORT" ]]; do
    kill -0 "$HB_PID" 2>/dev/null || fail "the broker exited during start-up"
    ((SECONDS < deadline)) || fail "the broker did not report its port within ${HB_START_TIMEOUT:-15}s"
    HB_PORT="$(grep -o 'listening on http://[^[:space:]]*:[0-9]*' "$HB_LOG" | head -n1 | sed 's/.*://' || true)"
    [[ -n "$HB_PORT" ]] || sleep 0.05
  done
  HB_URL="http://127.0.0.1:$HB_PORT"
  echo "broker pid $HB_PID listening on $HB_URL (log: $HB_LOG)"
}

# hb_stop: SIGTERM, and the broker must exit 0 (an orderly shutdown).
hb_stop() {
  kill -TERM "$HB_PID"
  local code=0
  wait "$HB_PID" || code=$?
  HB_PID=""
  [[ "$code" == 0 ]] || fail "the broker exited $code after SIGTERM, expected 0"
}

# hb_post PATH JSON EXPECTED_STATUS: POSTs JSON, checks the HTTP status, prints the body.
hb_post() {
  local out status
  out="$(curl -sS -o "$HB_DIR/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
         --data-binary "$2" "$HB_URL$1")" || fail "POST $1: curl failed"
  status="$out"
  [[ "$status" == "$3" ]] || fail "POST $1 answered $status, expected $3: $(cat "$HB_DIR/answer")"
  cat "$HB_DIR/answer"
}

# hb_wait TIMEOUT_S PYTHON_EXPR DESCRIPTION: polls until PYTHON_EXPR is true.
# In the expression: `beats` (heartbeat payloads from the bus, oldest first),
# `events` (claude_event payloads) and `sessions` (GET /api/sessions list).
hb_wait() {
  python3 - "$1" "$2" "$3" "$HB_BUS" "$HB_URL" <<'PY' || fail "timed out after $1 s waiting for: $3"
import json, sys, time, urllib.request
timeout, expr, what, bus, url = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

def broadcasts(channel):
    out = []
    try:
        with open(bus) as f:
            for line in f:
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue  # a line still being written
                if msg.get("event") == channel:
                    out.append(msg["data"])
    except FileNotFoundError:
        pass
    return out

# Parenthesised so a condition may span lines; compiled once so a typo fails at once.
check = compile("(" + expr + ")", "<condition>", "eval")
last_error = None
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url + "/api/sessions", timeout=5) as answer:
            sessions = json.load(answer)["sessions"]
        beats = [b for b in broadcasts("system_event") if b.get("subtype") == "heartbeat"]
        events = broadcasts("claude_event")
        if eval(check, {"beats": beats, "events": events, "sessions": sessions}):
            print("ok: " + what)
            sys.exit(0)
    except Exception as e:  # keep polling; report the last problem on timeout
        last_error = e
    time.sleep(0.05)
print("last state problem: %r" % (last_error,), file=sys.stderr)
sys.exit(1)
PY
}
