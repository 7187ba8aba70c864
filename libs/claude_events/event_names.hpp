// Names of Claude Code hook events and the subtypes they are broadcast as,
// from the one event table (event_table.hpp). Used by the hooks_claude plugin.
#pragma once

#include <string>

namespace hookbroker::claude_events {

/// The broadcast subtype of a Claude Code event: the Python system's legacy
/// name where it had one (UserPromptSubmit -> "user_prompt", PreToolUse ->
/// "pre_tool", ...), else the event name in snake_case (PreCompact ->
/// "pre_compact"), so events Claude Code adds later get a stable name too.
std::string subtype_for_event(const std::string& event_name);

/// The Claude Code event with a session meaning that a legacy subtype stands
/// for ("pre_tool" -> "PreToolUse", "pre_compact" -> "PreCompact", "Stop" ->
/// "Stop"); "" when the name is not one of them.
std::string event_for_subtype(const std::string& subtype);

/// "PostToolUseFailure" -> "post_tool_use_failure", "MCPCall" -> "mcp_call".
std::string snake_case(const std::string& name);

/// Letters, digits and '_', 1 to 64 characters: what an event name may be.
bool is_valid_event_name(const std::string& name);

}  // namespace hookbroker::claude_events
