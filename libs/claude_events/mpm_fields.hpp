// claude-mpm's names for the facts Claude Code's hook payloads carry, in one
// place, both ways: its hook handler's events become Claude Code's own shape
// (so every session effect applies to them unchanged), and Claude Code's
// tool events gain the names claude-mpm's dashboard reads.
//
//   claude-mpm (normalized event's data)    Claude Code hook JSON
//   correlation_id                          tool_use_id
//   tool_parameters                         tool_input
//   delegation_details.agent_type           tool_input.subagent_type (Task)
//   working_directory                       cwd
//   prompt_text                             prompt
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::claude_events {

/// Adds Claude Code's field names to `payload`, a hook payload in a Python-
/// system form (claude-mpm's hook handler posts its normalized event
/// {type: "hook", subtype, timestamp, source, data: payload, correlation_id?,
/// session_id?, cwd?} as `envelope`). Fields already present are kept; an
/// empty "session_id" (claude-mpm sends "" when it has none) is removed.
/// `event_name` is the Claude Code event the subtype stands for ("" when
/// none). Returns the event whose session meaning applies: `event_name`, or
/// "" for claude-mpm's echo of a Task call, a subagent_start whose made-up
/// agent_id is "<agent_type>_<session_id>" (the Task call already started
/// that delegation; the subagent's own SubagentStart comes separately).
std::string add_native_fields(const std::string& event_name, nlohmann::json& payload,
                              const nlohmann::json& envelope);

/// For claude-mpm's dashboard, which pairs tool calls by correlation_id and
/// reads data.tool_parameters: a hook event as clients get it ({type: "hook",
/// data, ...}) whose data has tool_use_id gains "correlation_id" at the top
/// and in data, and one whose data has tool_input gains data.tool_parameters.
/// Names already present are kept; other events are left alone.
void add_mpm_tool_fields(nlohmann::json& event);

}  // namespace hookbroker::claude_events
