#include "session_change.hpp"

#include "hookbroker/session_tracker.hpp"
#include "text_limits.hpp"

namespace hookbroker::sessions {

namespace {

const std::string& text(const nlohmann::json& obj, const char* key) {
  static const std::string none;
  if (!obj.is_object()) return none;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get_ref<const std::string&>() : none;
}

/// A name from the payload (an id, a type, a model), cut to kNameChars.
std::string name(const nlohmann::json& obj, const char* key) { return truncate_chars(text(obj, key), kNameChars); }

const nlohmann::json* object_at(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? &*it : nullptr;
}

double number_or(const nlohmann::json& obj, const char* key, double fallback) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number() && it->get<double>() >= 0 ? it->get<double>() : fallback;
}

void take(std::string& field, const std::string& value) {
  if (!value.empty()) field = value;
}

void apply_facts(SessionState& s, const nlohmann::json& change) {
  const nlohmann::json* facts = object_at(change, "facts");
  if (!facts) return;
  take(s.facts.model, name(*facts, "model"));
  take(s.facts.title, name(*facts, "title"));
  take(s.facts.start_source, name(*facts, "start_source"));
  take(s.facts.end_reason, name(*facts, "end_reason"));
}

}  // namespace

std::string change_session_id(const nlohmann::json& change) {
  const std::string& id = text(change, "session_id");
  return id.size() <= kMaxSessionIdLength ? id : std::string();
}

void apply_change(SessionState& s, const nlohmann::json& change, SystemTime when, const SessionBounds& bounds) {
  apply_facts(s, change);
  take(s.node, text(change, "node"));
  if (!text(change, "node").empty()) s.node_lost = false;  // its node sends again
  if (s.completed()) return;  // a late event (a Stop after SessionEnd) is counted, nothing more

  AgentTree& tree = s.agents;
  const std::string agent_id = name(change, "agent_id");
  const std::string agent_type = name(change, "agent_type");
  const std::string& subagent = text(change, "subagent");
  if (agent_id.empty() && !agent_type.empty() && subagent.empty()) tree.main().agent_type = agent_type;  // --agent

  // The agent the event happened in; none for the stop of an agent not tracked.
  std::optional<AgentSerial> serial;
  if (subagent == "started") {
    serial = tree.started(agent_id, agent_type, when, bounds.max_agents).serial;
  } else if (subagent == "stopped" || subagent == "failed") {
    const Agent* stopped =
        tree.stopped(agent_id, agent_type, subagent == "failed" ? AgentStatus::Failed : AgentStatus::Completed, when);
    if (stopped) serial = stopped->serial;
  } else {
    serial = tree.agent_for(agent_id, agent_type, when, bounds.max_agents).serial;
    // A permission wait that names no agent (Notification) is the wait of
    // the agent whose call a PermissionRequest said is waiting.
    if (*serial == 0 && text(change, "activity") == "waiting_for_permission" && !s.tools.awaiting_permission(0))
      for (const auto& a : tree.subagents())
        if (a.running() && s.tools.awaiting_permission(a.serial)) serial = a.serial;
  }
  const EpochMs at = epoch_ms(when);

  if (const nlohmann::json* launch = object_at(change, "launch"))
    tree.launch(name(*launch, "tool_use_id"), name(*launch, "agent_type"), agent_id, when, bounds.max_agents);

  if (const nlohmann::json* tool = object_at(change, "tool"); tool && serial) {
    const std::string& phase = text(*tool, "phase");
    const std::string id = name(*tool, "tool_use_id");
    const std::string tool_name = name(*tool, "tool_name");
    if (phase == "start") {
      s.tools.start(id, tool_name, *serial, at, bounds.max_tool_calls);
    } else if (phase == "end") {
      s.tools.finish(id, tool_name, *serial, tool_outcome_from(text(*tool, "outcome")).value_or(ToolOutcome::Ok),
                     first_line(text(*tool, "error"), kErrorChars), number_or(*tool, "duration_ms", -1), at,
                     bounds.max_tool_calls);
    } else if (phase == "permission_request") {
      s.tools.permission_requested(tool_name, *serial);
    }
  }

  if (const nlohmann::json* result = object_at(change, "launch_result"))
    tree.launch_result(name(*result, "tool_use_id"), name(*result, "agent_id"), name(*result, "agent_type"),
                       text(*result, "status"), name(*result, "resolved_model"), when, bounds.max_agents);

  if (const auto prompt = change.find("prompt"); prompt != change.end() && prompt->is_string()) {
    ++s.facts.prompt_count;
    s.facts.last_prompt = truncate_chars(prompt->get_ref<const std::string&>(), bounds.prompt_chars);
  }
  if (const nlohmann::json* error = object_at(change, "error"); error && !text(*error, "type").empty()) {
    s.last_error.type = name(*error, "type");
    s.last_error.details = truncate_chars(text(*error, "details"), kErrorChars);
    s.last_error.at = when;
  }

  if (change.contains("batch")) s.tools.add_batch();

  // Found again by serial: pointers into the tree do not survive it growing.
  Agent* agent = serial ? tree.by_serial(*serial) : nullptr;
  if (!agent) return;
  if (const auto message = change.find("message"); message != change.end() && message->is_string())
    agent->last_message = truncate_chars(message->get_ref<const std::string&>(), bounds.message_chars);
  if (const std::string activity = name(change, "activity"); !activity.empty() && agent->running())
    agent->activity = activity;
  if (const auto ended = change.find("turn_ended"); ended != change.end() && *ended == true) {
    s.tools.end_turn(agent->serial, at, bounds.max_tool_calls);
    if (agent->serial == 0) tree.main_turn_ended();
  }
}

}  // namespace hookbroker::sessions
