// hookbroker SDK — SessionTracker: owns the state of agent sessions.
//
// Unlike the other interfaces, a tracker is a shared service: hook handlers,
// transports (the direct session API), contributors and the core all call it,
// from their own strands. Implementations must therefore be thread-safe
// (lock internally); every method is short and never blocks on I/O.
//
// Session JSON (what list() and find() return) has at least the seed's
// fields `session_id, start_time, agent, status, last_activity`;
// status is "active" | "delegated" | "completed".
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker {

/// One observed piece of activity in a session (a hook event, an API call).
struct SessionActivity {
  std::string session_id;
  std::string timestamp;        ///< when it happened, ISO-8601; empty = now
  std::string cwd;              ///< empty = unchanged
  std::string permission_mode;  ///< empty = unchanged
  std::string agent;            ///< agent if the session must be created; empty = "pm"
};

/// The longest session id any entry point accepts (hook JSON, the session
/// API): one rule, so an id that got in one way can be used the other.
inline constexpr std::size_t kMaxSessionIdLength = 256;

class SessionTracker {
 public:
  virtual ~SessionTracker() = default;

  /// Records activity: creates the session (status active) when unknown,
  /// otherwise updates last_activity, event count and the non-empty fields.
  virtual void touch(const SessionActivity& activity) = 0;

  /// Starts or restarts a session: status active, `agent` ("pm" if empty).
  virtual void start(const std::string& session_id, const std::string& agent) = 0;

  /// Work handed to a subagent: adds a running delegation and sets status
  /// delegated. `agent_id` may be empty when not yet known (a Task tool call
  /// announces the type before the subagent exists). False: unknown session.
  virtual bool delegate(const std::string& session_id, const std::string& agent_type,
                        const std::string& agent_id) = 0;

  /// A subagent stopped: marks the matching running delegation completed (by
  /// agent_id, else by agent_type, else the oldest running one); status goes
  /// back to active when none is running. False: unknown session.
  virtual bool complete_delegation(const std::string& session_id, const std::string& agent_id,
                                   const std::string& agent_type) = 0;

  /// Human-facing refinement of the status: "working", "waiting_for_input",
  /// "waiting_for_permission", "compacting". False: unknown session.
  virtual bool set_activity(const std::string& session_id, const std::string& activity) = 0;

  /// Ends a session: status completed; it stays listed for a grace period.
  /// False: unknown session.
  virtual bool end(const std::string& session_id) = 0;

  /// Sessions as JSON objects, most recently active first; limit 0 = all.
  virtual nlohmann::json list(std::size_t limit = 0) const = 0;

  /// One session as a JSON object, or a JSON null when unknown.
  virtual nlohmann::json find(const std::string& session_id) const = 0;

  /// Number of sessions currently listed.
  virtual std::size_t size() const = 0;
};

}  // namespace hookbroker
