#include "history_schema.hpp"

#include <filesystem>

#include "platform/private_files.hpp"

namespace hookbroker::history {

std::unique_ptr<Database> open_history_database(const std::string& path, bool synchronous_full) {
  // The history holds prompts and code: the directory 0700, the database
  // 0600 (SQLite gives its -wal and -shm files the database's mode).
  const auto parent = std::filesystem::path(path).parent_path();
  std::string error;
  if (!parent.empty() && !platform::make_private_directories(parent.string(), error)) throw std::runtime_error(error);
  if (!platform::make_private_file(path, error)) throw std::runtime_error(error);
  auto db = std::make_unique<Database>(path, true);
  db->exec("PRAGMA busy_timeout = 5000");
  // Must precede the first table to take effect: lets retention give space
  // back to the file system (PRAGMA incremental_vacuum).
  db->exec("PRAGMA auto_vacuum = INCREMENTAL");
  db->exec("PRAGMA journal_mode = WAL");
  db->exec(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  db->exec(
      "CREATE TABLE IF NOT EXISTS events ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  event_id TEXT UNIQUE,"
      "  kind TEXT NOT NULL,"  // 'event' or 'heartbeat'
      "  ts_ms INTEGER NOT NULL,"
      "  timestamp TEXT NOT NULL,"
      "  type TEXT NOT NULL,"
      "  subtype TEXT NOT NULL,"
      "  session_id TEXT,"
      "  body TEXT NOT NULL)");
  db->exec("CREATE INDEX IF NOT EXISTS events_by_time ON events(kind, ts_ms)");
  db->exec("CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id) WHERE session_id IS NOT NULL");
  db->exec("CREATE INDEX IF NOT EXISTS events_by_type ON events(type)");
  db->exec("PRAGMA user_version = 1");
  return db;
}

std::unique_ptr<Database> open_history_reader(const std::string& path) {
  auto db = std::make_unique<Database>(path, false);
  db->exec("PRAGMA busy_timeout = 5000");
  db->exec("PRAGMA query_only = 1");
  return db;
}

}  // namespace hookbroker::history
