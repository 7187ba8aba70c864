// Recognising the input forms of a Claude Code hook event.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/session_tracker.hpp"

namespace hookbroker::claude {

/// A hook event read from one of the accepted forms:
///  - raw Claude Code hook JSON: {"hook_event_name": "PreToolUse", "session_id": ..., ...}
///    (what Claude Code's `http` hook posts, and the stdin of a `command` hook);
///  - the envelope {"namespace": "hook", "event": "claude_event", "data": {<hook JSON>}};
///  - the Python system's forms {"type": "hook", "event": "<sub>", "data": {...}},
///    {"type": "hook", "subtype": "<sub>", ...} and {"type": "hook.<sub>", ...}.
struct HookInput {
  enum class Kind {
    NotMine,   ///< none of these forms: the core's generic form may take it
    Rejected,  ///< one of these forms, but malformed: `error` says how
    Hook,
  };
  Kind kind = Kind::NotMine;
  std::string error;
  /// The Claude Code event name ("PreToolUse"); "" for a legacy subtype that
  /// names no known event.
  std::string event_name;
  /// What the event is broadcast as: legacy name or snake_case (libs/claude_events).
  std::string subtype;
  std::string session_id;  ///< "" when the sender gave none (legacy forms only)
  /// The hook's own fields (tool_name, agent_id, ...): the broadcast `data`.
  nlohmann::json payload;
  bool legacy = false;  ///< came in a Python-system form
};

/// Longest session id accepted (real ones are UUIDs): the SDK's one rule.
using hookbroker::kMaxSessionIdLength;

HookInput read_hook_input(const nlohmann::json& raw);

}  // namespace hookbroker::claude
