// The session API, served by the tracker that owns the data:
//   GET  /api/sessions                     {"sessions": [...compact], "count": N}
//   GET  /api/sessions/{id}                {"session": {...with agents and tools}}; 404 unknown
//   Socket.IO request get_session          the same, for "id" or {"session_id": "id"}
//   POST /api/sessions/{id}/start          optional {"agent": "..."}
//   POST /api/sessions/{id}/delegate       {"agent": "..."}
//   POST /api/sessions/{id}/end
// Unknown session on GET/delegate/end: 404. The core's HTTP policy (token,
// Host, Origin, JSON bodies) applies before these run.
#pragma once

#include "hookbroker/host_api.hpp"
#include "hookbroker/session_tracker.hpp"

namespace hookbroker::sessions {

/// Registers the routes and the get_session request; `tracker` must outlive
/// the plugin's routes.
void add_session_routes(HostApi& host, SessionTracker& tracker);

/// The answer to get_session's arguments (a JSON array): {"session": {...}},
/// or {"error": "..."} saying what was wrong.
nlohmann::json get_session_answer(const SessionTracker& tracker, const nlohmann::json& args);

}  // namespace hookbroker::sessions
