// hookbroker SDK — SessionTracker: owns the state of agent sessions.
//
// Unlike the other interfaces, a tracker is a shared service: hook handlers,
// transports (the direct session API), contributors and the core all call it,
// from their own strands. Implementations must therefore be thread-safe
// (lock internally); every method is short and never blocks on I/O.
//
// Session JSON (what list() and find() return) has at least the seed's
// fields `session_id, start_time, agent, status, last_activity`;
// status is "active" | "delegated" | "completed". list() is the compact
// form; find() may add detail (sessions_memory adds the agent tree and the
// tool calls).
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

  /// Applies everything one observed event means for its session, at once
  /// (a reader never sees half of it). True when applied; false when this
  /// tracker does not take changes (the default), or the change has no usable
  /// "session_id": the caller then falls back to the calls above. Creates the
  /// session when unknown.
  ///
  /// `change` is a JSON object; every key but session_id is optional, and
  /// keys a tracker does not know are ignored, so senders and trackers can
  /// grow apart:
  ///   session_id        string, at most kMaxSessionIdLength bytes
  ///   timestamp         ISO-8601 time it happened; "" or absent = now
  ///   agent_id          the subagent it happened in; absent/"" = the main
  ///                     thread. An unknown id is a running subagent.
  ///   agent_type        that agent's type
  ///   cwd, permission_mode    taken when non-empty
  ///   node              the cluster node whose broker received the event
  ///                     (an event from HostApi::ingest_from_node); absent
  ///                     for this broker's own
  ///   node_state        "lost" | "up": the session's node stopped announcing
  ///                     itself to the cluster, or is back (cluster_redis).
  ///                     Only marks a known session: nothing else in the
  ///                     change is applied, nothing is created or counted
  ///   lifecycle         "start" (a session starts; an ended one starts a new
  ///                     run), "resume" (a prompt: an ended session starts a
  ///                     new run), "end"
  ///   facts             {"model", "title", "start_source", "end_reason"}
  ///   prompt            text of a user prompt (counted; the last one kept)
  ///   activity          the agent's activity: "working", "waiting_for_input",
  ///                     "waiting_for_permission", "waiting_for_answer",
  ///                     "compacting", "error"
  ///   error             {"type", "details"}: the session's last error
  ///   message           the agent's last assistant message
  ///   turn_ended        true: the agent's turn is over; its unfinished tool
  ///                     calls end as interrupted (denied when a permission
  ///                     request was pending)
  ///   tool              {"phase": "start" | "end" | "permission_request",
  ///                      "tool_use_id", "tool_name",
  ///                      "outcome": "ok" | "failed" | "denied" | "interrupted",
  ///                      "error", "duration_ms"}: one tool call, paired by
  ///                     tool_use_id (by tool_name in the agent when absent)
  ///   launch            {"tool_use_id", "agent_type"}: the agent's tool call
  ///                     asks for a subagent
  ///   launch_result     {"tool_use_id", "agent_id", "status", "resolved_model"}:
  ///                     what that call answered; status "async_launched"
  ///                     means the subagent runs in the background
  ///   subagent          "started" | "stopped" | "failed": the agent named by
  ///                     agent_id
  ///   batch             {"size"}: a batch of parallel tool calls resolved
  ///   origin            "telemetry": the agent's own report (OpenTelemetry),
  ///                     not a hook event: only `usage` and `tool` (phase
  ///                     "end") are taken, as of its arrival (exporters
  ///                     batch); it is not counted as an event,
  ///                     and an unknown session is created only when the
  ///                     tracker has room (never evicting another)
  ///   usage             {"source": "logs" | "metrics", "model", "agent",
  ///                      "input_tokens", "output_tokens", "cache_read_tokens",
  ///                      "cache_creation_tokens", "cost_usd", "api_requests",
  ///                      "api_errors", "status_code"}: spend to add (every
  ///                     number optional, none negative). Logs and metrics
  ///                     report the same spend: a session shows its logs'
  ///                     once it has any, else its metrics' (SDK 3.2 text)
  virtual bool apply(const nlohmann::json& change) {
    (void)change;
    return false;
  }
};

}  // namespace hookbroker
