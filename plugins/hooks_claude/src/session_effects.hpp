// What each Claude Code hook event means for its session: one change in the
// tracker's vocabulary (SessionTracker::apply), read from the hook's native
// payload fields (hook_event_name, tool_use_id, agent_id, ...). docs/hooks.md
// has the same as a table, event by event.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hook_input.hpp"
#include "hookbroker/session_tracker.hpp"

namespace hookbroker::claude {

/// Applies `input` to the tracker, all at once through SessionTracker::apply;
/// a tracker that does not take changes gets the older calls instead
/// (basic_session_effects.hpp). Every event records activity, creating the
/// session when it is unknown (a broker started mid-session still shows it).
/// `node`: the cluster node the event came from ("" for this broker's own).
void apply_session_effects(SessionTracker& tracker, const HookInput& input, const std::string& timestamp,
                           const std::string& node = "");

/// The change `input` means, at `timestamp` (its arrival):
///   SessionStart        lifecycle start; model, title (session_title),
///                       start_source (source); waiting_for_input (working
///                       after a compaction)
///   UserPromptSubmit    lifecycle resume; the prompt; working
///   UserPromptExpansion working
///   PreToolUse          a tool call starts; working (AskUserQuestion:
///                       waiting_for_answer); Agent/Task: a subagent launch
///   PostToolUse         the call ends ok (duration_ms); working; Agent/Task:
///                       the launch's result (tool_response.agentId, status,
///                       resolvedModel)
///   PostToolUseFailure  the call ends failed (interrupted for is_interrupt),
///                       with its error; working
///   PermissionRequest   the call waits for permission: waiting_for_permission
///   PermissionDenied    the call ends denied (auto mode), reason as error
///   PostToolBatch       a batch counted; working
///   Notification        permission_prompt: waiting_for_permission;
///                       idle_prompt: waiting_for_input; elicitation dialogs:
///                       waiting_for_answer
///   Elicitation         waiting_for_answer; ElicitationResult: working
///   SubagentStart       the subagent starts; SubagentStop: it stops, its
///                       last_assistant_message kept, its turn over
///   Stop                the turn is over: waiting_for_input, the message kept
///   StopFailure         error {type: error, details: error_details}: activity
///                       error, the turn is over
///   PreCompact          compacting; PostCompact: working (auto) or
///                       waiting_for_input (manual)
///   PostModelSwitch     model (to_model)
///   SessionEnd          lifecycle end; end_reason (reason)
///   anything else       activity only
/// Events carrying agent_id belong to that subagent: its activity, never the
/// main thread's.
nlohmann::json session_change_for(const HookInput& input, const std::string& timestamp);

}  // namespace hookbroker::claude
