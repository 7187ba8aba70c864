// GET /api/history and get_history from the core's ring, when no plugin
// (history_sqlite) answers them: one HistoryQuery, one page shape.
//
// Temporary: HostApi::history still takes (limit, types, session_id), so this
// pages over that call. When HostApi gains `history(const HistoryQuery&)`
// (the core's PluginHost::history(const HistoryQuery&) already answers it,
// with the ring's own positions as cursors), builtin_history_page becomes
// `return host.history(query);` and the rest of this file goes.
#pragma once

#include <nlohmann/json.hpp>

#include "hookbroker/history_query.hpp"
#include "hookbroker/host_api.hpp"

namespace hookbroker::sio {

/// {"events", "count", "next_cursor", "source": "memory"}. The cursor names
/// the oldest event of the page by a hash of its JSON (the old call gives no
/// positions); an event that has left the ring leaves nothing older either,
/// so such a cursor gives an empty last page.
nlohmann::json builtin_history_page(const HostApi& host, const HistoryQuery& query);

}  // namespace hookbroker::sio
