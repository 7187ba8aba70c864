#include "session_effects.hpp"

#include "basic_session_effects.hpp"
#include "hook_fields.hpp"
#include "prompt_redaction.hpp"

namespace hookbroker::claude {

namespace {

using nlohmann::json;

void set_text(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

/// The subagent type of a SubagentStart/Stop: agent_type, or the Python hook's agent.
std::string subagent_type(const json& p) {
  std::string type = text_at(p, "agent_type");
  return type.empty() ? text_at(p, "agent") : type;
}

json tool_ref(const json& p, const char* phase) {
  json tool = {{"phase", phase}, {"tool_name", text_at(p, "tool_name")}};
  set_text(tool, "tool_use_id", text_at(p, "tool_use_id"));
  return tool;
}

void add_duration(json& tool, const json& p) {
  const auto d = p.find("duration_ms");
  if (d != p.end() && d->is_number()) tool["duration_ms"] = *d;
}

/// tool_response of an Agent/Task call: {agentId, status, resolvedModel, ...}
/// in current Claude Code; a string or nothing in older versions.
json launch_result(const json& p, const std::string& status_override) {
  const json response = p.value("tool_response", json::object());
  json result = {{"agent_type", delegated_agent_type(p)}};
  set_text(result, "tool_use_id", text_at(p, "tool_use_id"));
  set_text(result, "agent_id", text_at(response, "agentId"));
  set_text(result, "resolved_model", text_at(response, "resolvedModel"));
  result["status"] = status_override.empty() ? text_at(response, "status") : status_override;
  return result;
}

void tool_started(json& c, const json& p) {
  c["tool"] = tool_ref(p, "start");
  c["activity"] = text_at(p, "tool_name") == "AskUserQuestion" ? "waiting_for_answer" : "working";
  if (is_delegation_tool(p)) {
    json launch = {{"agent_type", delegated_agent_type(p)}};
    set_text(launch, "tool_use_id", text_at(p, "tool_use_id"));
    c["launch"] = std::move(launch);
  }
}

void tool_ended(json& c, const json& p, bool failed) {
  json tool = tool_ref(p, "end");
  const bool interrupted = failed && p.value("is_interrupt", false) == true;
  tool["outcome"] = interrupted ? "interrupted" : failed ? "failed" : "ok";
  if (failed) set_text(tool, "error", text_at(p, "error"));
  add_duration(tool, p);
  c["tool"] = std::move(tool);
  c["activity"] = "working";
  if (is_delegation_tool(p)) c["launch_result"] = launch_result(p, failed ? "failed" : "");
}

}  // namespace

json session_change_for(const HookInput& input, const std::string& timestamp) {
  const json& p = input.payload;
  json c = {{"session_id", input.session_id}, {"timestamp", timestamp}};
  std::string cwd = text_at(p, "cwd");
  if (cwd.empty()) cwd = text_at(p, "working_directory");  // Python hook
  set_text(c, "cwd", cwd);
  set_text(c, "permission_mode", text_at(p, "permission_mode"));
  const std::string& event = input.event_name;
  // An event with no session meaning (claude-mpm's hook_execution, its echo of
  // a Task call whose agent_id is made up) only touches the session: naming
  // an agent would create one that never ends.
  if (!event.empty()) {
    set_text(c, "agent_id", text_at(p, "agent_id"));
    set_text(c, "agent_type", text_at(p, "agent_type"));
  }

  if (event == "SessionStart") {
    const std::string source = text_at(p, "source");
    c["lifecycle"] = "start";
    json facts = json::object();
    set_text(facts, "model", text_at(p, "model"));
    set_text(facts, "title", text_at(p, "session_title"));
    set_text(facts, "start_source", source);
    c["facts"] = std::move(facts);
    c["activity"] = source == "compact" ? "working" : "waiting_for_input";
  } else if (event == "UserPromptSubmit") {
    c["lifecycle"] = "resume";
    std::string prompt = text_at(p, "prompt");
    if (prompt.empty()) prompt = text_at(p, "prompt_text");  // Python hook
    c["prompt"] = is_redacted(prompt) ? std::string() : prompt;
    if (const std::string title = text_at(p, "session_title"); !title.empty()) c["facts"] = {{"title", title}};
    c["activity"] = "working";
  } else if (event == "UserPromptExpansion") {
    c["lifecycle"] = "resume";
    c["activity"] = "working";
  } else if (event == "PreToolUse") {
    tool_started(c, p);
  } else if (event == "PostToolUse") {
    tool_ended(c, p, false);
  } else if (event == "PostToolUseFailure") {
    tool_ended(c, p, true);
  } else if (event == "PermissionRequest") {
    c["tool"] = tool_ref(p, "permission_request");
    c["activity"] = "waiting_for_permission";
  } else if (event == "PermissionDenied") {
    json tool = tool_ref(p, "end");
    tool["outcome"] = "denied";
    set_text(tool, "error", text_at(p, "reason"));
    c["tool"] = std::move(tool);
    c["activity"] = "working";
  } else if (event == "PostToolBatch") {
    const auto calls = p.find("tool_calls");
    c["batch"] = {{"size", calls != p.end() && calls->is_array() ? calls->size() : 0}};
    c["activity"] = "working";
  } else if (event == "Notification") {
    if (const std::string activity = notification_activity(p); !activity.empty()) c["activity"] = activity;
  } else if (event == "Elicitation") {
    c["activity"] = "waiting_for_answer";
  } else if (event == "ElicitationResult") {
    c["activity"] = "working";
  } else if (event == "SubagentStart") {
    c["subagent"] = "started";
    set_text(c, "agent_type", subagent_type(p));
    c["activity"] = "working";
  } else if (event == "SubagentStop") {
    c["subagent"] = "stopped";
    set_text(c, "agent_type", subagent_type(p));
    if (p.contains("last_assistant_message")) c["message"] = text_at(p, "last_assistant_message");
    c["turn_ended"] = true;
  } else if (event == "Stop") {
    if (p.contains("last_assistant_message")) c["message"] = text_at(p, "last_assistant_message");
    c["activity"] = "waiting_for_input";
    c["turn_ended"] = true;
  } else if (event == "StopFailure") {
    std::string type = text_at(p, "error");
    if (type.empty()) type = "unknown";
    std::string details = text_at(p, "error_details");
    if (details.empty()) details = text_at(p, "last_assistant_message");
    c["error"] = {{"type", type}, {"details", details}};
    c["activity"] = "error";
    c["turn_ended"] = true;
  } else if (event == "PreCompact") {
    c["activity"] = "compacting";
  } else if (event == "PostCompact") {
    c["activity"] = text_at(p, "trigger") == "manual" ? "waiting_for_input" : "working";
  } else if (event == "PostModelSwitch") {
    if (const std::string model = text_at(p, "to_model"); !model.empty()) c["facts"] = {{"model", model}};
  } else if (event == "SessionEnd") {
    c["lifecycle"] = "end";
    if (const std::string reason = text_at(p, "reason"); !reason.empty()) c["facts"] = {{"end_reason", reason}};
  }
  return c;
}

void apply_session_effects(SessionTracker& tracker, const HookInput& input, const std::string& timestamp,
                           const std::string& node) {
  if (input.session_id.empty()) return;
  nlohmann::json change = session_change_for(input, timestamp);
  if (!node.empty()) change["node"] = node;
  if (!tracker.apply(change)) apply_basic_session_effects(tracker, input, timestamp);
}

}  // namespace hookbroker::claude
