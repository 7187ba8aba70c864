#!/usr/bin/env bash
# Drives a whole Claude Code session through the hook forwarder
# (hookbroker-hook, exactly as Claude Code runs it) and checks the session's
# state after every step, through GET /api/sessions and the heartbeat, as the
# Python system's scripts/test_heartbeat_hooks.py did.
#
#   HOOKBROKER_BIN=build/bin/hookbroker examples/scripts/test_heartbeat_hooks.sh [FIXTURE.json]
#
# FIXTURE defaults to tests/fixtures/hooks/claude_code_session_lifecycle.json:
# {"session_id": ..., "steps": [{"step": name, "event": <hook JSON>,
#   "expect": {"status", "agent", "activity", "delegations_running"}}]}
# Exit 0 when every step matched; 1 with the reason and the broker log otherwise.
source "$(dirname "${BASH_SOURCE[0]}")/lib/broker.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FIXTURE="${1:-$HERE/../../tests/fixtures/hooks/claude_code_session_lifecycle.json}"
WAIT="${WAIT_SECONDS:-30}"
[[ -f "$FIXTURE" ]] || fail "no fixture at $FIXTURE: pass a lifecycle JSON file as the first argument"

HOOK_BIN="${HOOKBROKER_HOOK_BIN:-}"
[[ -n "$HOOK_BIN" ]] || { [[ -x "$(dirname "$HB_BIN")/hookbroker-hook" ]] && HOOK_BIN="$(dirname "$HB_BIN")/hookbroker-hook"; } || true
[[ -n "$HOOK_BIN" ]] || HOOK_BIN="$(command -v hookbroker-hook || true)"
[[ -n "$HOOK_BIN" && -x "$HOOK_BIN" ]] || fail "no hookbroker-hook: set HOOKBROKER_HOOK_BIN or put it next to the broker / on PATH"

step "start the broker"
hb_start "${INTERVAL:-0.5}"

SESSION="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["session_id"])' "$FIXTURE")"
STEPS="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["steps"]))' "$FIXTURE")"
step "replay $STEPS hook events of session $SESSION through $(basename "$HOOK_BIN")"

for ((i = 0; i < STEPS; i++)); do
  name="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["steps"][int(sys.argv[2])]["step"])' "$FIXTURE" "$i")"
  # The forwarder reads the hook JSON on stdin, like Claude Code sends it. The
  # event is written to a file first: the forwarder waits only briefly for
  # stdin (Claude Code writes at once), a python3 starting up on a busy machine
  # may not. Its spool stays in our temp dir, so nothing is left behind.
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["steps"][int(sys.argv[2])]["event"]))' \
      "$FIXTURE" "$i" > "$HB_DIR/event.json"
  HOOKBROKER_URL="$HB_URL" HOOKBROKER_SPOOL_DIR="$HB_DIR/spool" XDG_CONFIG_HOME="$HB_DIR/config" \
    "$HOOK_BIN" < "$HB_DIR/event.json" || fail "hookbroker-hook exited $? at step '$name'"
  # GET /api/sessions must show the state the fixture expects after this step.
  hb_wait "$WAIT" "
    (lambda s, e: s is not None and s['status'] == e['status'] and s['agent'] == e['agent']
                  and s['activity'] == e['activity'] and s['event_count'] == $((i + 1))
                  and sum(d.get('status') == 'running' for d in s.get('delegations', [])) == e['delegations_running'])
    (next((x for x in sessions if x['session_id'] == '$SESSION'), None),
     __import__('json').load(open('$FIXTURE'))['steps'][$i]['expect'])" \
    "step $((i + 1))/$STEPS $name"
done

step "the heartbeat tells the same final state as the API"
hb_wait "$WAIT" "
  bool(beats) and [x for x in beats[-1]['data']['active_sessions'] if x['session_id'] == '$SESSION']
      == [x for x in sessions if x['session_id'] == '$SESSION']
  and len(events) == $STEPS and events[0]['type'] == 'hook' and events[0]['subtype'] == 'session_start'" \
  "heartbeat active_sessions matches GET /api/sessions; $STEPS claude_event broadcasts"

step "stop the broker"
hb_stop
echo "PASS: test_heartbeat_hooks"
