// What claude-mpm's dashboard expects of its server, as pure functions of
// what hookbroker sends: they run on the transport's and the core's threads
// (ClientGreeting, BroadcastFilter, StatusFilter) and touch no state.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::mpm {

/// The Socket.IO event claude-mpm's dashboard reads earlier events from on
/// connect, and the one it takes heartbeats on.
inline constexpr const char* kEventHistoryChannel = "event_history";
inline constexpr const char* kHeartbeatChannel = "heartbeat";
/// What claude-mpm's launcher looks for in GET /health.
inline constexpr const char* kMonitorService = "claude-mpm-monitor";

/// claude-mpm's `event_history` {events, count, total_available} from the
/// `history` payload {events, count} the transport just sent, so both carry
/// the same events within the same bounds. total_available is the number of
/// events sent: the rest of the broker's history is paged (get_history).
nlohmann::json event_history_payload(const nlohmann::json& history);

/// Heartbeats go out on `heartbeat` instead of `system_event`; hook events
/// gain claude-mpm's tool field names (claude_events::add_mpm_tool_fields).
void shape_broadcast(std::string& channel, nlohmann::json& message);

/// GET /health and `status` answer as claude-mpm's monitor
/// ("service": "claude-mpm-monitor", "uptime" in seconds), keeping every
/// field of hookbroker's own.
void shape_status(nlohmann::json& status);

}  // namespace hookbroker::mpm
