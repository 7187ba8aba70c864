// What each Claude Code hook event does to its session.
#pragma once

#include <string>

#include "hook_input.hpp"
#include "hookbroker/session_tracker.hpp"

namespace hookbroker::claude {

/// Applies `input` to the tracker. Every event records activity (creating
/// the session if it is unknown: a broker started mid-session still shows
/// it); then, by event:
///   SessionStart                 -> started (agent "pm"), waiting_for_input
///                                   (working after a compaction)
///   UserPromptSubmit             -> working (an ended session starts again)
///   PreToolUse Task|Agent        -> delegated to tool_input.subagent_type
///   PreToolUse, PostToolUse(Failure) -> working
///   PostToolUse Task|Agent       -> ends the delegation its call announced,
///                                   when no SubagentStart/Stop claimed it
///   PermissionRequest            -> waiting_for_permission
///   SubagentStart                -> delegation running (agent_id, agent_type)
///   SubagentStop                 -> that delegation completed
///   Stop, StopFailure            -> waiting_for_input
///   Notification                 -> waiting_for_permission for a permission
///                                   prompt, waiting_for_input for an idle one
///   PreCompact                   -> compacting
///   PostCompact                  -> working (auto) / waiting_for_input (manual)
///   SessionEnd                   -> completed
///   anything else                -> activity only
void apply_session_effects(SessionTracker& tracker, const HookInput& input,
                           const std::string& timestamp);

/// Whether a Notification payload is a permission prompt: notification_type
/// "permission_prompt" (current Claude Code), or, from versions without that
/// field, a message like "Claude needs your permission to use Bash".
bool is_permission_prompt(const nlohmann::json& payload);

/// Whether it says Claude is idle waiting for input: notification_type
/// "idle_prompt", or a message like "Claude is waiting for your input".
bool is_idle_prompt(const nlohmann::json& payload);

}  // namespace hookbroker::claude
