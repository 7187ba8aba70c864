// Reading the fields of a Claude Code hook payload that session effects use
// (hooks reference: code.claude.com/docs/en/hooks), including the older
// forms: the Python system's delegation_details and messages from Claude
// Code versions before notification_type.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::claude {

/// obj[key] when it is a string, else "".
std::string text_at(const nlohmann::json& obj, const char* key);

/// The Agent tool (formerly Task), which launches a subagent.
bool is_delegation_tool(const nlohmann::json& payload);

/// The subagent type a Task/Agent call asks for: tool_input.subagent_type,
/// or the Python system's delegation_details.agent_type; "" when neither.
std::string delegated_agent_type(const nlohmann::json& payload);

/// Whether a Notification payload is a permission prompt: notification_type
/// "permission_prompt" (current Claude Code), or, from versions without that
/// field, a message like "Claude needs your permission to use Bash".
bool is_permission_prompt(const nlohmann::json& payload);

/// Whether it says Claude is idle waiting for input: notification_type
/// "idle_prompt", or a message like "Claude is waiting for your input".
bool is_idle_prompt(const nlohmann::json& payload);

/// What a Notification says about whom the session waits for:
/// "waiting_for_permission" (permission_prompt), "waiting_for_input"
/// (idle_prompt), "waiting_for_answer" (an MCP elicitation dialog), "working"
/// (the elicitation was answered), or "" (auth_success and the rest).
std::string notification_activity(const nlohmann::json& payload);

}  // namespace hookbroker::claude
