// What a failed write of the history database means to the senders of the
// events in it: "no room" (507: free space, then send again) or "not now"
// (503), with a reason a person can act on and a hint when to retry.
#pragma once

#include <string>

#include "hookbroker/event_sink.hpp"

namespace hookbroker::history {

/// `sqlite_code` is SQLite's (extended) result code, `system_errno` what
/// sqlite3_system_errno() said right after the failure, `message` SQLite's
/// text, `path` the database file.
SinkResult write_failure(int sqlite_code, int system_errno, const std::string& message, const std::string& path);

/// Locked by another connection: worth trying again at once, a few times.
bool is_transient(int sqlite_code);

}  // namespace hookbroker::history
