// Reading history back: GET /api/history and the Socket.IO get_history
// request, parsed by the SDK's HistoryQuery (hookbroker/history_query.hpp:
// fields, defaults, limits, errors and the page shape), run here on SQLite.
//
// A page holds the newest matching events older than the cursor (an event's
// row number, seq), listed oldest first as the built-in history is;
// next_cursor is null when nothing older matches. Heartbeats are stored
// apart from events and listed only when "heartbeat" is asked for.
#pragma once

#include <cstddef>
#include <string>

#include "hookbroker/history_query.hpp"
#include "sqlite_db.hpp"

namespace hookbroker::history {

/// Runs `query` on `reader`: the page as JSON text ("source":
/// "history_sqlite"), spliced from the stored events without re-parsing
/// them. A page stops early, with a next_cursor, once its events pass
/// `max_bytes`. Throws SqliteError for database trouble.
std::string run_query(Database& reader, const HistoryQuery& query, std::size_t max_bytes = HistoryQuery::kMaxPageBytes);

}  // namespace hookbroker::history
