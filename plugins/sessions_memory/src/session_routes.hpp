// The direct session API, served by the tracker that owns the data:
//   GET  /api/sessions                     {"sessions": [...], "count": N}
//   POST /api/sessions/{id}/start          optional {"agent": "..."}
//   POST /api/sessions/{id}/delegate       {"agent": "..."}
//   POST /api/sessions/{id}/end
// Unknown session on delegate/end: 404. The core's HTTP policy (token, Host,
// Origin, JSON bodies) applies before these run.
#pragma once

#include "hookbroker/host_api.hpp"
#include "hookbroker/session_tracker.hpp"

namespace hookbroker::sessions {

/// Registers the routes; `tracker` must outlive the plugin's routes.
void add_session_routes(HostApi& host, SessionTracker& tracker);

}  // namespace hookbroker::sessions
