// What each Claude Code hook event does to its session, in the calls every
// tracker has: for trackers that do not take a whole event at once
// (SessionTracker::apply answers false, its default). The status and activity they give
// are the broker's before agents and tool calls were tracked.
#pragma once

#include <string>

#include "hook_input.hpp"
#include "hookbroker/session_tracker.hpp"

namespace hookbroker::claude {

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
void apply_basic_session_effects(SessionTracker& tracker, const HookInput& input, const std::string& timestamp);

}  // namespace hookbroker::claude
