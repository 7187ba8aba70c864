#include "claude_events/mpm_fields.hpp"

namespace hookbroker::claude_events {
namespace {

const std::string* text_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() && !it->get_ref<const std::string&>().empty()
             ? &it->get_ref<const std::string&>()
             : nullptr;
}

/// Sets payload[key] from the first non-empty text among `sources` when the
/// payload has no non-empty text there yet.
void fill(nlohmann::json& payload, const char* key, std::initializer_list<const std::string*> sources) {
  if (text_at(payload, key)) return;
  for (const std::string* s : sources)
    if (s) {
      payload[key] = *s;
      return;
    }
}

bool is_tool_event(const std::string& event_name) {
  return event_name == "PreToolUse" || event_name == "PostToolUse" || event_name == "PostToolUseFailure" ||
         event_name == "PermissionRequest";
}

bool is_delegation_tool(const nlohmann::json& payload) {
  const std::string* tool = text_at(payload, "tool_name");
  return tool && (*tool == "Task" || *tool == "Agent");
}

/// The Task call's subagent, as claude-mpm reported it in delegation_details.
void add_delegation(nlohmann::json& payload) {
  const auto details = payload.find("delegation_details");
  if (details == payload.end() || !details->is_object()) return;
  auto& input = payload["tool_input"];
  if (!input.is_object()) input = nlohmann::json::object();
  // claude-mpm's normalized type ("research"), the one its subagent_start and
  // subagent_stop carry, so the delegation they end is found by type.
  const std::string* type = text_at(*details, "agent_type");
  if (type && *type != "unknown") input["subagent_type"] = *type;
  fill(input, "prompt", {text_at(*details, "prompt")});
  fill(input, "description", {text_at(*details, "description")});
}

}  // namespace

std::string add_native_fields(const std::string& event_name, nlohmann::json& payload,
                              const nlohmann::json& envelope) {
  if (!payload.is_object()) return event_name;
  const auto empty_id = payload.find("session_id");
  if (empty_id != payload.end() && empty_id->is_string() && empty_id->get_ref<const std::string&>().empty())
    payload.erase(empty_id);

  if (!event_name.empty()) fill(payload, "hook_event_name", {&event_name});
  fill(payload, "session_id", {text_at(envelope, "session_id"), text_at(envelope, "sessionId")});
  fill(payload, "cwd",
       {text_at(payload, "working_directory"), text_at(envelope, "cwd"), text_at(envelope, "working_directory")});

  if (is_tool_event(event_name)) {
    fill(payload, "tool_use_id", {text_at(payload, "correlation_id"), text_at(envelope, "correlation_id")});
    const auto parameters = payload.find("tool_parameters");
    if (!payload.contains("tool_input") && parameters != payload.end() && parameters->is_object())
      payload["tool_input"] = *parameters;
    if (event_name == "PreToolUse" && is_delegation_tool(payload)) add_delegation(payload);
  } else if (event_name == "UserPromptSubmit") {
    fill(payload, "prompt", {text_at(payload, "prompt_text")});
  } else if (event_name == "SubagentStart") {
    const std::string* type = text_at(payload, "agent_type");
    const std::string* id = text_at(payload, "agent_id");
    const std::string* session = text_at(payload, "session_id");
    if (type && id && session && *id == *type + "_" + *session) return {};
  }
  return event_name;
}

void add_mpm_tool_fields(nlohmann::json& event) {
  const std::string* type = text_at(event, "type");
  if (!type || *type != "hook") return;
  const auto data = event.find("data");
  if (data == event.end() || !data->is_object()) return;
  if (const std::string* id = text_at(*data, "tool_use_id")) {
    if (!text_at(event, "correlation_id")) event["correlation_id"] = *id;
    if (!text_at(*data, "correlation_id")) (*data)["correlation_id"] = *id;
  }
  const auto input = data->find("tool_input");
  if (input != data->end() && input->is_object() && !data->contains("tool_parameters"))
    (*data)["tool_parameters"] = *input;
}

}  // namespace hookbroker::claude_events
