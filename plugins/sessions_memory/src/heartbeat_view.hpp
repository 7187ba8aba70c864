// What sessions_memory adds to every heartbeat.
#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "hookbroker/heartbeat_contributor.hpp"
#include "memory_session_tracker.hpp"

namespace hookbroker::sessions {

/// {"active_sessions": [...newest first, at most max_listed (0 = all)],
///  "sessions_summary": {total, listed, omitted, active, delegated, completed,
///                       stale, background_running, by_activity{...}}}.
/// The seed's active_sessions stays a plain list so existing dashboards keep
/// working; with thousands of sessions the heartbeat stays bounded, and the
/// summary says how many were left out.
///  "usage": {sessions, input_tokens, output_tokens, cache_read_tokens,
///            cache_creation_tokens, cost_usd, api_requests, api_errors,
///            api_errors_last_interval}}: spend over the sessions listed now
/// (session_usage.hpp); `errors_reported` carries the API error count from
/// one tick to the next.
/// active_sessions comes as JSON text (SDK 3.3's contribute_serialized), the
/// rest as JSON.
struct HeartbeatContribution {
  nlohmann::json values;
  SerializedValue active_sessions;
};
HeartbeatContribution heartbeat_contribution(const MemorySessionTracker& tracker, std::size_t max_listed,
                                             std::uint64_t& errors_reported);

}  // namespace hookbroker::sessions
