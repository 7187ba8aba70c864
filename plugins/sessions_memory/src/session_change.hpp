// What one change (SessionTracker::apply's vocabulary, documented in
// sdk/include/hookbroker/session_tracker.hpp) does to a session. The store
// does the rest: finding or creating the session, counting the event, its
// times, cwd and permission mode, and the lifecycle ("start", "resume",
// "end").
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "session_state.hpp"

namespace hookbroker::sessions {

/// Bounds on what one session keeps (from the option table, TrackerOptions).
struct SessionBounds {
  std::size_t max_agents = 0;      ///< subagents kept; the oldest finished go first
  std::size_t max_tool_calls = 0;  ///< finished calls kept, and calls in flight
  std::size_t message_chars = 0;   ///< last assistant messages are cut to this
  std::size_t prompt_chars = 0;    ///< the last prompt is cut to this
};

/// The longest error text kept from a tool call (its first line) or a StopFailure.
inline constexpr std::size_t kErrorChars = 300;

/// Applies `change` to `s` as of `when`. Malformed parts (a number where a
/// string belongs) are ignored: a sender's mistake must not cost the rest.
/// Settles nothing: the caller calls s.settle() afterwards.
void apply_change(SessionState& s, const nlohmann::json& change, SystemTime when, const SessionBounds& bounds);

/// The session id of a change: its "session_id" string; "" when missing,
/// not a string, or longer than kMaxSessionIdLength.
std::string change_session_id(const nlohmann::json& change);

}  // namespace hookbroker::sessions
