// Reading history back: GET /api/history and the Socket.IO get_history
// request take the same filters and page the same way.
//
//   limit       events per page, 1..1000 (default 100)
//   type        comma-separated; matches an event's type or subtype.
//               Heartbeats are only returned when "heartbeat" is asked for.
//   session_id  one session's events
//   from, to    time range (inclusive) on the event's timestamp: ISO-8601
//               ("2026-01-17T12:00:00Z", offsets allowed) or ms since 1970
//   cursor      the next_cursor of the previous page: older events
//
// A page holds the newest matching events older than the cursor, listed
// oldest first (as the built-in history is); next_cursor is null on the
// last page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/http.hpp"
#include "sqlite_db.hpp"

namespace hookbroker::history {

struct HistoryQuery {
  std::size_t limit = 100;
  std::vector<std::string> types;
  std::string session_id;
  std::string from, to;  ///< as given; converted by SQLite
  std::optional<std::int64_t> cursor;
};

struct ParsedQuery {
  std::optional<HistoryQuery> query;
  std::string error;  ///< what was wrong, for a 400 / the ack
};

ParsedQuery query_from_http(const HttpRequest& request);
/// `args` is get_history's argument array: [{limit, type | event_types, session_id, from, to, cursor}].
ParsedQuery query_from_request(const nlohmann::json& args);

struct HistoryPage {
  std::vector<std::string> bodies;  ///< events as stored (JSON text), oldest first
  std::optional<std::int64_t> next_cursor;

  /// {"events": [...], "count", "next_cursor", "source": "history_sqlite"},
  /// spliced from the stored text without re-parsing.
  std::string to_json_text() const;
  nlohmann::json to_json() const { return nlohmann::json::parse(to_json_text()); }
};

/// Runs `query` on `reader`. Throws std::invalid_argument for a time that is
/// neither ISO-8601 nor milliseconds (its message is fit for the sender),
/// SqliteError for database trouble.
HistoryPage run_query(Database& reader, const HistoryQuery& query, std::size_t max_bytes = 4 << 20);

}  // namespace hookbroker::history
