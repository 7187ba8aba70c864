// The history database: one table of events and heartbeats in arrival
// order. `seq` never repeats (AUTOINCREMENT), so it serves as a stable paging
// cursor even after retention deleted the oldest rows; `event_id` is UNIQUE,
// so an event replayed after a crash (same sender id) is stored once.
#pragma once

#include <memory>
#include <string>

#include "sqlite_db.hpp"

namespace hookbroker::history {

/// Opens the database at `path` (creating it and its directory), in WAL
/// mode, with the schema in place. Throws SqliteError / std::runtime_error.
std::unique_ptr<Database> open_history_database(const std::string& path, bool synchronous_full);

/// A read-only-in-practice second connection for queries: WAL lets it read
/// while the writer commits.
std::unique_ptr<Database> open_history_reader(const std::string& path);

/// SQL for the milliseconds since 1970 of the ISO-8601 time in `param` (e.g.
/// "?3"), NULL when it is not one. SQLite parses the time (julianday), so
/// storing and querying read times alike, offsets and fractions included.
inline std::string iso_to_millis_sql(const std::string& param) {
  return "CAST(ROUND((julianday(" + param + ") - 2440587.5) * 86400000.0) AS INTEGER)";
}

}  // namespace hookbroker::history
