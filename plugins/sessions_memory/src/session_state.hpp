// One tracked agent session and the subagent delegations it made.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::sessions {

using SystemTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;

/// "Now" on both clocks: the wall clock is what users see, the steady clock
/// is what expiry is measured on (a wall-clock jump must not expire or
/// resurrect every session at once). Passed in so tests can move time.
struct Now {
  SteadyTime steady;
  SystemTime system;
  static Now current() { return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()}; }
};

enum class SessionStatus { Active, Delegated, Completed };
const char* to_string(SessionStatus status);

struct Delegation {
  std::string agent_id;  ///< empty until the subagent announces itself (SubagentStart)
  std::string agent_type;
  bool running = true;
  SystemTime start_time;
  SystemTime end_time;  ///< meaningful when !running

  nlohmann::json to_json() const;
};

struct SessionState {
  std::string session_id;
  SystemTime start_time;
  /// The session's own agent ("pm" for a Claude Code main session); `agent`
  /// shows the subagent holding the work while delegated, this otherwise.
  std::string root_agent = "pm";
  std::string agent = "pm";
  SessionStatus status = SessionStatus::Active;
  std::string activity = "working";
  SystemTime last_activity;
  std::string cwd;
  std::string permission_mode;
  std::uint64_t event_count = 0;
  std::vector<Delegation> delegations;
  SystemTime end_time;  ///< meaningful when completed

  /// Steady-clock instant equivalent to last_activity: expiry and the
  /// least-recently-active order are measured on it.
  SteadyTime idle_since;
  /// Steady-clock instant the session completed; max() while not completed.
  SteadyTime completed_at = SteadyTime::max();

  bool has_running_delegation() const;
  /// The session JSON of the SDK contract (session_tracker.hpp) plus this
  /// tracker's fields.
  nlohmann::json to_json() const;

  /// to_json(), built once and kept until the session changes: every
  /// heartbeat lists hundreds of sessions, most of them unchanged since the
  /// last tick, and formatting their timestamps was most of a tick's cost.
  /// Whoever modifies a stored session calls changed() (SessionStore does).
  const nlohmann::json& cached_json() const;
  void changed() { json_cache_.reset(); }

 private:
  mutable std::optional<nlohmann::json> json_cache_;
};

}  // namespace hookbroker::sessions
