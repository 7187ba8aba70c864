#!/usr/bin/env bash
# Starts a broker with a short heartbeat, creates sessions through the direct
# session API, and checks that the heartbeat reports them, as the Python
# system's scripts/test_heartbeat_combined.py did.
#
#   HOOKBROKER_BIN=build/bin/hookbroker examples/scripts/test_heartbeat_combined.sh
#
# Exit 0 when every check passed; 1 with the reason and the broker log otherwise.
# INTERVAL (default 0.5) sets the heartbeat interval in seconds; KEEP_TMP=1 keeps the files.
source "$(dirname "${BASH_SOURCE[0]}")/lib/broker.sh"
INTERVAL="${INTERVAL:-0.5}"
WAIT="${WAIT_SECONDS:-30}"

step "start the broker (heartbeat every ${INTERVAL}s)"
hb_start "$INTERVAL"

step "first heartbeat carries the server's health"
hb_wait "$WAIT" 'len(beats) >= 1 and all(k in beats[-1]["data"] for k in
  ("uptime_seconds", "total_events", "connected_clients", "server_info", "active_sessions"))
  and beats[-1]["type"] == "system" and beats[-1]["event"] == "heartbeat"
  and beats[-1]["data"]["server_info"]["version"] != ""' "heartbeat with uptime, events, clients, server_info"

step "create sessions through the direct API"
hb_post /api/sessions/test-session-1/start '{"agent": "pm"}' 200 >/dev/null
hb_post /api/sessions/test-session-2/start '{"agent": "researcher"}' 200 >/dev/null
hb_post /api/sessions/test-session-2/delegate '{"agent": "engineer"}' 200 >/dev/null
hb_post /api/sessions/no-such-session/delegate '{"agent": "engineer"}' 404 >/dev/null

step "the heartbeat lists both sessions with their states"
hb_wait "$WAIT" '
  (lambda s: s.get("test-session-1", {}).get("status") == "active"
             and s.get("test-session-2", {}).get("status") == "delegated"
             and any(d.get("status") == "running" for d in s.get("test-session-2", {}).get("delegations", [])))
  ({x["session_id"]: x for x in beats[-1]["data"]["active_sessions"]} if beats else {})' \
  "test-session-1 active, test-session-2 delegated in the heartbeat"

step "the log shows the seed's heartbeat line with 2 sessions"
deadline=$((SECONDS + WAIT))
until grep -Eq 'System heartbeat sent - clients: [0-9]+, uptime: [0-9]+s, events: [0-9]+, sessions: 2' "$HB_LOG"; do
  ((SECONDS < deadline)) || fail "no 'System heartbeat sent ... sessions: 2' line in the log"
  sleep 0.05
done
echo "ok: $(grep -E 'System heartbeat sent.*sessions: 2' "$HB_LOG" | tail -n1 | sed 's/.*\] //')"

step "ending a session shows as completed"
hb_post /api/sessions/test-session-1/end '' 200 >/dev/null
hb_wait "$WAIT" 'any(x["session_id"] == "test-session-1" and x["status"] == "completed"
                     for x in beats[-1]["data"]["active_sessions"])' "test-session-1 completed in the heartbeat"

step "heartbeats keep coming, uptime does not go back"
hb_wait "$WAIT" 'len(beats) >= 5 and all(a["data"]["uptime_seconds"] <= b["data"]["uptime_seconds"]
                                         for a, b in zip(beats, beats[1:]))' "5 heartbeats, uptime monotonic"

step "stop the broker"
hb_stop
echo "PASS: test_heartbeat_combined"
