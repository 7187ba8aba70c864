#include "basic_session_effects.hpp"

#include "hook_fields.hpp"

namespace hookbroker::claude {

namespace {

/// The legacy delegations name a type even when the call did not.
std::string announced_type(const nlohmann::json& payload) {
  const std::string type = delegated_agent_type(payload);
  return type.empty() ? "unknown" : type;
}

/// True when the session has a running delegation of `type` that no
/// subagent claimed (it has no agent_id): its SubagentStart/Stop hooks are
/// not configured, so the Task call's result is the only end we will see.
bool has_unclaimed_delegation(const SessionTracker& tracker, const std::string& session_id,
                              const std::string& type) {
  const auto session = tracker.find(session_id);
  if (!session.is_object()) return false;
  for (const auto& d : session.value("delegations", nlohmann::json::array()))
    if (d.value("status", "") == "running" && d.value("agent_id", "x").empty() &&
        d.value("agent_type", "") == type)
      return true;
  return false;
}

}  // namespace

void apply_basic_session_effects(SessionTracker& tracker, const HookInput& input, const std::string& timestamp) {
  const std::string& id = input.session_id;
  if (id.empty()) return;
  const auto& p = input.payload;

  SessionActivity activity;
  activity.session_id = id;
  activity.timestamp = timestamp;
  activity.cwd = text_at(p, "cwd");
  if (activity.cwd.empty()) activity.cwd = text_at(p, "working_directory");  // Python hook
  activity.permission_mode = text_at(p, "permission_mode");
  tracker.touch(activity);

  const std::string& event = input.event_name;
  if (event == "SessionStart") {
    tracker.start(id, "pm");
    tracker.set_activity(id, text_at(p, "source") == "compact" ? "working" : "waiting_for_input");
  } else if (event == "UserPromptSubmit") {
    if (tracker.find(id).value("status", "") == "completed") tracker.start(id, "pm");
    tracker.set_activity(id, "working");
  } else if (event == "PreToolUse") {
    if (is_delegation_tool(p)) tracker.delegate(id, announced_type(p), "");
    tracker.set_activity(id, "working");
  } else if (event == "PostToolUse" || event == "PostToolUseFailure") {
    if (is_delegation_tool(p)) {
      const std::string type = announced_type(p);
      if (has_unclaimed_delegation(tracker, id, type)) tracker.complete_delegation(id, "", type);
    }
    tracker.set_activity(id, "working");
  } else if (event == "PermissionRequest") {
    tracker.set_activity(id, "waiting_for_permission");
  } else if (event == "SubagentStart") {
    std::string type = text_at(p, "agent_type");
    if (type.empty()) type = text_at(p, "agent");  // Python hook
    tracker.delegate(id, type, text_at(p, "agent_id"));
    tracker.set_activity(id, "working");
  } else if (event == "SubagentStop") {
    std::string type = text_at(p, "agent_type");
    if (type.empty()) type = text_at(p, "agent");
    tracker.complete_delegation(id, text_at(p, "agent_id"), type);
  } else if (event == "Stop" || event == "StopFailure") {
    tracker.set_activity(id, "waiting_for_input");
  } else if (event == "Notification") {
    if (is_permission_prompt(p)) tracker.set_activity(id, "waiting_for_permission");
    else if (is_idle_prompt(p)) tracker.set_activity(id, "waiting_for_input");
  } else if (event == "PreCompact") {
    tracker.set_activity(id, "compacting");
  } else if (event == "PostCompact") {
    tracker.set_activity(id, text_at(p, "trigger") == "manual" ? "waiting_for_input" : "working");
  } else if (event == "SessionEnd") {
    tracker.end(id);
  }
}

}  // namespace hookbroker::claude
