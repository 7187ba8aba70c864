// One tracked agent session: its facts, its agents (agent_tree.hpp) and its
// tool calls (tool_log.hpp), and the JSON it is shown as.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent_tree.hpp"
#include "session_usage.hpp"
#include "tool_log.hpp"

namespace hookbroker::sessions {

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

/// What the session's hooks said about it, beyond its agents and tools.
struct SessionFacts {
  std::string model;
  std::string title;
  std::string start_source;  ///< SessionStart's source: startup, resume, clear, compact, fork
  std::string end_reason;    ///< SessionEnd's reason
  std::string last_prompt;   ///< truncated; empty when prompts are redacted
  std::uint32_t prompt_count = 0;
};

struct LastError {
  std::string type;  ///< e.g. "rate_limit"; empty = none yet
  std::string details;
  SystemTime at{};
};

struct SessionState {
  std::string session_id;
  SystemTime start_time;
  /// The session's own agent ("pm" for a Claude Code main session); `agent`
  /// shows the subagent holding the work while delegated, this otherwise.
  std::string root_agent = "pm";
  // Derived by settle(): status, agent, activity.
  SessionStatus status = SessionStatus::Active;
  std::string agent = "pm";
  std::string activity = "working";
  SystemTime last_activity;
  std::string cwd;
  std::string permission_mode;
  /// The cluster node whose broker received the session's events (SDK
  /// change key "node"); "" for this broker's own.
  std::string node;
  /// That node stopped announcing itself (change key "node_state"); its
  /// sessions stay listed, marked, until they expire or it is back.
  bool node_lost = false;
  std::uint64_t event_count = 0;
  SessionFacts facts;
  LastError last_error;
  AgentTree agents;
  ToolLog tools;
  SystemTime end_time;  ///< meaningful when completed
  /// Shown "working" with no event for stale_after_s: Claude Code fires no
  /// hook when the user interrupts with Esc.
  bool stale = false;
  /// What it spent, from the agent's own telemetry.
  SessionUsage usage;
  /// Known from telemetry alone so far (no hook event yet): such a session
  /// never evicts another, and is the first to go when a hook's session
  /// needs the room (SessionStore::insert).
  bool telemetry_only = false;

  /// Steady-clock instant equivalent to last_activity: expiry and the
  /// least-recently-active order are measured on it.
  SteadyTime idle_since;
  /// Steady-clock instant the session completed; max() while not completed.
  SteadyTime completed_at = SteadyTime::max();
  /// When it turns stale if nothing happens; max() when it cannot.
  SteadyTime stale_due = SteadyTime::max();

  bool completed() const { return status == SessionStatus::Completed; }
  /// Derives status, agent and activity from the agents: delegated while a
  /// subagent runs; the activity says whom the session waits for (a
  /// permission or an answer any running agent waits for comes first, then
  /// the main thread's own activity).
  void settle();
  /// Starts a new run under the same id (a completed session's next start or prompt).
  void restart(SystemTime at);

  /// The compact form: the SDK contract's fields (session_tracker.hpp), whom
  /// it waits for, title and last error; what lists and heartbeats
  /// carry. Every byte here is paid 100 times a tick (heartbeat_max_sessions):
  /// counts and texts are the detail's.
  nlohmann::json to_json() const;
  /// to_json() plus model, prompt and tool-call counts, the agent tree, the
  /// tool calls and the texts kept.
  nlohmann::json detail_json() const;
  /// usage.detail_json() with each agent's ids from the tree ("agent_ids").
  nlohmann::json usage_detail_json() const;

  /// to_json(), built once and kept until the session changes: every
  /// heartbeat lists hundreds of sessions, most of them unchanged since the
  /// last tick, and formatting their timestamps was most of a tick's cost.
  /// Whoever modifies a stored session calls changed() (SessionStore does).
  const nlohmann::json& cached_json() const;
  /// to_json() serialised, kept the same way: the heartbeat splices it in as
  /// text (SDK 3.3), where copying a hundred JSON trees a tick cost ~1 ms.
  const std::string& cached_text() const;
  void changed() {
    json_cache_.reset();
    text_cache_.clear();
    text_cache_.shrink_to_fit();
  }

 private:
  mutable std::optional<nlohmann::json> json_cache_;
  mutable std::string text_cache_;  ///< empty until asked for
};

}  // namespace hookbroker::sessions
