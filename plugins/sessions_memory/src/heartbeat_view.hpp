// What sessions_memory adds to every heartbeat.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "memory_session_tracker.hpp"

namespace hookbroker::sessions {

/// {"active_sessions": [...newest first, at most max_listed (0 = all)],
///  "sessions_summary": {total, listed, omitted, active, delegated, completed,
///                       stale, background_running, by_activity{...}}}.
/// The seed's active_sessions stays a plain list so existing dashboards keep
/// working; with thousands of sessions the heartbeat stays bounded, and the
/// summary says how many were left out.
nlohmann::json heartbeat_contribution(const MemorySessionTracker& tracker, std::size_t max_listed);

}  // namespace hookbroker::sessions
