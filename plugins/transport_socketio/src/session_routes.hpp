// The direct session API, thin glue over the loaded SessionTracker:
//   GET  /api/sessions                     {"sessions": [...], "count": N}
//   POST /api/sessions/{id}/start          optional {"agent": "..."}
//   POST /api/sessions/{id}/delegate       {"agent": "..."}
//   POST /api/sessions/{id}/end
// Unknown session on delegate/end: 404; no tracker loaded: 503.
#pragma once

#include "hookbroker/host_api.hpp"

namespace hookbroker::sio {

/// Answers a request whose path is /api/sessions or starts with /api/sessions/.
void handle_session_request(HostApi& host, const HttpRequest& request, HttpReply& reply);

}  // namespace hookbroker::sio
