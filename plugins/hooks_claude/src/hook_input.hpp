// Recognising the input forms of a Claude Code hook event.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/session_tracker.hpp"

namespace hookbroker::claude {

/// A hook event read from one of the accepted forms:
///  - raw Claude Code hook JSON: {"hook_event_name": "PreToolUse", "session_id": ..., ...}
///    (what Claude Code's `http` hook posts, and the stdin of a `command` hook);
///  - the envelope {"namespace": "hook", "event": "claude_event", "data": {<hook JSON>}},
///    also with any other namespace ("" is what claude-mpm's hook sender uses);
///  - the Python system's (claude-mpm's) forms {"type": "hook", "event": "<sub>", "data": {...}},
///    {"type": "hook", "subtype": "<sub>", ...} (its normalized event) and
///    {"type": "hook.<sub>", ...}. Their payloads gain Claude Code's own field
///    names (claude_events/mpm_fields.hpp), so they have the same session effects.
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
